// verifyPackage against crafted archives: a real signed package rewritten
// entry by entry so the signature stays valid while the archive lies about
// its content (order, extra, duplicated, linked, device, directory and
// escaping entries, wrong sizes, disagreeing or missing checksums, missing
// files). Each must be rejected with a reason that names the entry and the
// cause, and the sink told to abort.
#include <QtTest>

#include "test_main.h"
#include "verify_fixture.h"

using namespace atmo;
using namespace vfix;
using testutil::RawEntry;

class TstVerifyHostile : public QObject {
    Q_OBJECT
    Fixture fx;
    fs::path pkg_;

    // Verifies `file` expecting a rejection naming every needle; the sink
    // must have been told to abort, and nothing reported Ok after the culprit.
    VerifyReport rejected(const fs::path& file, const QStringList& needles, std::optional<int> tier = std::nullopt)
    {
        RecordingObserver obs;
        RecordingSink sink;
        VerifyReport r = fx.verify(file, tier, &obs, &sink);
        [&] {
            QVERIFY2(!r.ok, "the package was accepted");
            for (const QString& n : needles)
                QVERIFY2(q(r.reason).contains(n), qPrintable("\"" + n + "\" not in reason: " + q(r.reason)));
            QCOMPARE(sink.aborts, 1);
            QCOMPARE(obs.signatureCalls, 1); // the signature itself was fine
            QCOMPARE(obs.signatures[0].state, SignatureState::Valid);
        }();
        return r;
    }

private slots:
    void init()
    {
        fx.setUp();
        pkg_ = fx.build();
    }
    void cleanup() { fx.tearDown(); }

    void craftedCopyOfAGoodPackageStillVerifies()
    {
        // The rewriting itself must not break anything, or every test below proves nothing.
        const fs::path same = fx.craft(pkg_, [](auto&) {});
        const VerifyReport r = fx.verify(same);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.completeTiers, (std::vector<int>{1, 2}));
    }

    void manifestNotFirst()
    {
        const fs::path sigFirst = fx.craft(pkg_, [](auto& es) { std::swap(es[0], es[1]); });
        RecordingSink sink;
        VerifyReport r = fx.verify(sigFirst, std::nullopt, nullptr, &sink);
        EXPECT_REJECTED(r, "first entry", kManifestName, kMeshSignatureName);
        QCOMPARE(sink.aborts, 1);

        const fs::path modelFirst = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kSmall);
            RawEntry m = *it;
            es.erase(it);
            es.insert(es.begin(), m);
        });
        EXPECT_REJECTED(fx.verify(modelFirst), "first entry", q(kSmall));

        // Content slipped in between the signature and checksums.sha256.
        const fs::path early = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kSmall);
            RawEntry m = *it;
            es.erase(it);
            es.insert(es.begin() + 2, m);
        });
        EXPECT_REJECTED(fx.verify(early), kChecksumsName, q(kSmall));
    }

    void unlistedExtraEntry()
    {
        for (const std::string& name : {std::string("models/evil-9.9.onnx"), std::string("README"),
                                        std::string("agents/backdoor-1.0.yaml")}) {
            const fs::path bad = fx.craft(pkg_, [&](auto& es) { es.push_back(raw(name, "payload")); });
            const VerifyReport r = rejected(bad, {q(name), "not listed"});
            QVERIFY(r.ok == false);
        }
        // An extra entry ahead of the real content: nothing after it is accepted.
        const fs::path early = fx.craft(pkg_, [](auto& es) {
            es.insert(es.begin() + 3, raw("config/extra.yaml", "a: 1\n"));
        });
        rejected(early, {"config/extra.yaml", "not listed"});
    }

    void duplicatedEntry()
    {
        // The same model twice; the second copy carries other bytes.
        const fs::path dup = fx.craft(pkg_, [](auto& es) {
            RawEntry copy = *entry(es, kSmall);
            copy.data[0] ^= 1;
            es.push_back(copy);
        });
        rejected(dup, {q(kSmall), "twice"});

        // An identical second copy is just as wrong.
        const fs::path same = fx.craft(pkg_, [](auto& es) { es.push_back(*entry(es, kConfig)); });
        rejected(same, {q(kConfig), "twice"});

        // Metadata entries repeated.
        const fs::path manifest2 = fx.craft(pkg_, [](auto& es) { es.insert(es.begin() + 2, es[0]); });
        EXPECT_REJECTED(fx.verify(manifest2), kManifestName, "twice");
        const fs::path sig2 = fx.craft(pkg_, [](auto& es) { es.insert(es.begin() + 2, es[1]); });
        EXPECT_REJECTED(fx.verify(sig2), kMeshSignatureName, "twice");
        const fs::path sums2 = fx.craft(pkg_, [](auto& es) { es.push_back(*entry(es, kChecksumsName)); });
        rejected(sums2, {kChecksumsName, "again"});
        const fs::path manifestLate = fx.craft(pkg_, [](auto& es) { es.push_back(es[0]); });
        rejected(manifestLate, {kManifestName, "again"});
    }

    void symlinkEntry()
    {
        // A listed name that is a symlink instead of the model.
        const fs::path listed = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kLarge);
            it->type = '2';
            it->data.clear();
            it->linkTarget = "/etc/passwd";
        });
        VerifyReport r = rejected(listed, {q(kLarge), "symlink"});
        QVERIFY(fileCheck(r, kLarge)->state != FileState::Ok);

        const fs::path extra = fx.craft(pkg_, [](auto& es) {
            es.push_back(raw("models/escape", "", '2', "../../../../root/.ssh/authorized_keys"));
        });
        rejected(extra, {"models/escape", "symlink"});
    }

    // The signature or the checksums as a link: rejected, and the reason
    // should say it is a link, not something else.
    void signatureEntryAsLink()
    {
        const fs::path sigLink = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kMeshSignatureName);
            it->type = '2';
            it->data.clear();
            it->linkTarget = "/tmp/attacker.minisig";
        });
        EXPECT_REJECTED(fx.verify(sigLink), kMeshSignatureName, "symlink");
    }

    void checksumsEntryAsLink()
    {
        const fs::path sumsLink = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kChecksumsName);
            it->type = '2';
            it->data.clear();
            it->linkTarget = "/tmp/attacker.sha256";
        });
        EXPECT_REJECTED(fx.verify(sumsLink), kChecksumsName, "symlink");
    }

    void hardlinkEntry()
    {
        const fs::path listed = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kLarge);
            it->type = '1';
            it->data.clear();
            it->linkTarget = kSmall;
        });
        rejected(listed, {q(kLarge), "hardlink"});

        const fs::path outside = fx.craft(pkg_, [](auto& es) {
            es.push_back(raw("models/shadow", "", '1', "/etc/shadow"));
        });
        rejected(outside, {"models/shadow", "hardlink"});
    }

    void deviceEntry()
    {
        const fs::path listed = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kLarge);
            it->type = '3';
            it->data.clear();
        });
        rejected(listed, {q(kLarge), "device"});
        const fs::path extra = fx.craft(pkg_, [](auto& es) { es.push_back(raw("models/null", "", '3')); });
        rejected(extra, {"models/null", "device"});
    }

    void directoryEntry()
    {
        // tar writes directory names with a trailing slash ("models/"). The
        // reason should say it is a directory, not only that the path is odd.
        const fs::path dir = fx.craft(pkg_, [](auto& es) { es.push_back(raw("models", "", '5')); });
        rejected(dir, {"models", "directory"});
        const fs::path listedName = fx.craft(pkg_, [](auto& es) {
            auto it = entry(es, kLarge);
            it->type = '5';
            it->data.clear();
        });
        rejected(listedName, {q(kLarge), "directory"});
    }

    void escapingPaths_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("parent") << "../evil";
        QTest::newRow("parent inside") << "models/../../evil";
        QTest::newRow("dot") << "./models/x";
        QTest::newRow("double slash") << "models//x";
        QTest::newRow("backslash") << "models\\..\\..\\evil";
    }

    void escapingPaths()
    {
        QFETCH(QString, path);
        const std::string p = path.toStdString();
        const fs::path bad = fx.craft(pkg_, [&](auto& es) { es.push_back(raw(p, "root::0:0::/:/bin/sh\n")); });
        rejected(bad, {path, "unsafe path"});
    }

    void listedEntryRenamedToEscape()
    {
        // The real model's bytes, under a name that climbs out: still an unsafe path.
        const fs::path bad = fx.craft(pkg_, [](auto& es) { entry(es, kLarge)->path = "models/../../" + kLarge; });
        rejected(bad, {"../", "unsafe path"});
    }

    void sizeDiffersFromManifest()
    {
        const std::string manifestSize = std::to_string(fx.source(kSmall).size());
        // One byte more.
        const fs::path longer = fx.craft(pkg_, [](auto& es) { entry(es, kSmall)->data += 'x'; });
        VerifyReport r = rejected(longer, {q(kSmall), q(manifestSize), "bytes"});
        QCOMPARE(fileCheck(r, kSmall)->state, FileState::Failed);
        // Shorter, and empty.
        const fs::path shorter = fx.craft(pkg_, [](auto& es) { entry(es, kSmall)->data.resize(1000); });
        rejected(shorter, {q(kSmall), "1000 bytes", q(manifestSize)});
        const fs::path empty = fx.craft(pkg_, [](auto& es) { entry(es, kKnowledge)->data.clear(); });
        rejected(empty, {q(kKnowledge), "0 bytes"});
    }

    void checksumsDisagreeWithManifest()
    {
        // One hex digit changed on the model's line.
        const fs::path bad = fx.craft(pkg_, [](auto& es) {
            std::string& text = entry(es, kChecksumsName)->data;
            const auto pos = text.find("  " + kLarge);
            QVERIFY(pos != std::string::npos && pos >= 64);
            text[pos - 64] = text[pos - 64] == '0' ? '1' : '0';
        });
        rejected(bad, {kChecksumsName, q(kLarge), "differs"});

        // A line for a file the manifest does not list.
        const fs::path extra = fx.craft(pkg_, [](auto& es) {
            entry(es, kChecksumsName)->data += std::string(64, 'a') + "  models/evil-9.9.onnx\n";
        });
        rejected(extra, {kChecksumsName, "models/evil-9.9.onnx"});

        // Not in sha256sum's format.
        const fs::path garbled = fx.craft(pkg_, [](auto& es) { entry(es, kChecksumsName)->data += "oops\n"; });
        rejected(garbled, {kChecksumsName, "format"});

        // A file in the archive that checksums.sha256 leaves out.
        const fs::path omitted = fx.craft(pkg_, [](auto& es) { dropChecksumLine(es, kSmall); });
        rejected(omitted, {q(kSmall), kChecksumsName});

        // A line listed twice.
        const fs::path twice = fx.craft(pkg_, [](auto& es) {
            std::string& text = entry(es, kChecksumsName)->data;
            text += text.substr(0, text.find('\n') + 1);
        });
        rejected(twice, {kChecksumsName, "twice"});
    }

    void checksumsMissing()
    {
        const fs::path bad = fx.craft(pkg_, [](auto& es) { es.erase(entry(es, kChecksumsName)); });
        RecordingSink sink;
        const VerifyReport r = fx.verify(bad, std::nullopt, nullptr, &sink);
        EXPECT_REJECTED(r, kChecksumsName);
        QCOMPARE(sink.aborts, 1);
        QVERIFY(sink.stored.empty()); // no content reached the sink
    }

    void listedFileMissingFromArchive()
    {
        // The tier 2 model dropped, and its checksums line with it.
        const fs::path noLarge = fx.craft(pkg_, [](auto& es) {
            es.erase(entry(es, kLarge));
            dropChecksumLine(es, kLarge);
        });
        // A tier 2 device needs it. The archive is indistinguishable from a
        // tier_1 export, and is refused as one.
        VerifyReport r = rejected(noLarge, {q(kLarge), "tier_1 export", "tier_2 needs"}, 2);
        QCOMPARE(fileCheck(r, kLarge)->state, FileState::Missing);
        // A tier 1 device does not.
        r = fx.verify(noLarge, 1);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(fileCheck(r, kLarge)->state, FileState::NotInArchive);
        // With no tier: complete for tier 1 only, which is enough.
        RecordingObserver obs;
        r = fx.verify(noLarge, std::nullopt, &obs);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.completeTiers, std::vector<int>{1});
        QCOMPARE(fileCheck(r, kLarge)->state, FileState::NotInArchive);
        QVERIFY(obs.last(kLarge));
        QCOMPARE(obs.last(kLarge)->state, FileState::NotInArchive);

        // Dropped but still in checksums.sha256: the archive contradicts itself.
        const fs::path stillListed = fx.craft(pkg_, [](auto& es) { es.erase(entry(es, kLarge)); });
        rejected(stillListed, {kChecksumsName, q(kLarge), "lacks"});

        // A file every tier needs is gone: complete for no tier.
        const fs::path noConfig = fx.craft(pkg_, [](auto& es) {
            es.erase(entry(es, kConfig));
            dropChecksumLine(es, kConfig);
        });
        RecordingObserver o2;
        RecordingSink sink;
        r = fx.verify(noConfig, std::nullopt, &o2, &sink);
        EXPECT_REJECTED(r, q(kConfig), "missing");
        QVERIFY(r.completeTiers.empty());
        QCOMPARE(fileCheck(r, kConfig)->state, FileState::Missing);
        QVERIFY(o2.last(kConfig));
        QCOMPARE(o2.last(kConfig)->state, FileState::Missing);
        QCOMPARE(sink.aborts, 1);
    }

    void dataAfterTheEndOfArchive()
    {
        // A second tar glued after the end-of-archive marker: libarchive stops
        // at the marker, but `tar -i` (and other lenient extractors) go on and
        // extract what follows. The file holds bytes no signature covers.
        const fs::path evilTar = fx.sb->path() / "evil.tar";
        testutil::writeTarEntries(evilTar, {raw("config/evil.yaml", "owned: true\n")});
        const fs::path glued = fx.sb->path() / "glued.atmo";
        testutil::writeFile(glued, testutil::readFile(pkg_) + testutil::readFile(evilTar));
        RecordingSink sink;
        const VerifyReport r = fx.verify(glued, std::nullopt, nullptr, &sink);
        QVERIFY2(!r.ok, "a package with another archive appended after its end was accepted");
        QCOMPARE(sink.aborts, 1);

        // Zero padding after the marker is what tar writers add: that is fine.
        const fs::path padded = fx.sb->path() / "padded.atmo";
        testutil::writeFile(padded, testutil::readFile(pkg_) + std::string(10240, '\0'));
        const VerifyReport p = fx.verify(padded);
        QVERIFY2(p.ok, p.reason.c_str());
    }

    void everyContentEntryDroppedIsCaught()
    {
        // Dropping any single content file (with its checksums line) must be
        // noticed for a device of tier 2, which needs all of them.
        const auto manifest = fx.verify(pkg_).manifest;
        QVERIFY(manifest);
        for (const auto& f : manifest->files) {
            const fs::path bad = fx.craft(pkg_, [&](auto& es) {
                es.erase(entry(es, f.path));
                dropChecksumLine(es, f.path);
            });
            // Without the tier_2-only model it reads as a tier_1 export.
            const VerifyReport r = rejected(bad, {q(f.path), f.tiers == std::vector<int>{2} ? "tier_1 export" : "missing"}, 2);
            QCOMPARE(fileCheck(r, f.path)->state, FileState::Missing);
            if (QTest::currentTestFailed())
                return;
        }
    }
};

ATMO_TEST_GUILESS_MAIN(TstVerifyHostile)
#include "tst_verify_hostile.moc"
