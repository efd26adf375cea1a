// verifyPackage on real packages built by createPackage: the good paths (full,
// tier exports, zstd, founder signature), what the observer and the sink are
// told, signature and trust rejections (checked before the YAML parser runs),
// truncation, tier requirements, files that are not archives, cancellation.
// Crafted hostile entries (links, devices, paths, sizes, checksums) are in
// tst_verify_hostile.cpp.
#include <QtTest>

#include <fstream>

#include "test_main.h"
#include "verify_fixture.h"

using namespace atmo;
using namespace vfix;

namespace {

std::string readAll(const fs::path& p) { return testutil::readFile(p); }

void writeAll(const fs::path& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::size_t findOrDie(const std::string& hay, const std::string& needle)
{
    const auto pos = hay.find(needle);
    if (pos == std::string::npos)
        qFatal("test bug: needle not found in the archive");
    return pos;
}

} // namespace

class TstVerify : public QObject {
    Q_OBJECT
    Fixture fx;

private slots:
    void init() { fx.setUp(); }
    void cleanup() { fx.tearDown(); }

    // ---- good paths -------------------------------------------------------

    void fullPackage()
    {
        const fs::path pkg = fx.build();
        QCOMPARE(pkg.filename().string(), std::string("production-inspection-v1.3.atmo"));
        RecordingObserver obs;
        RecordingSink sink;
        const VerifyReport r = fx.verify(pkg, std::nullopt, &obs, &sink);
        QVERIFY2(r.ok, r.reason.c_str());
        QVERIFY(r.reason.empty());
        QCOMPARE(r.file, pkg);
        QCOMPARE(r.archiveBytes, std::uint64_t(fs::file_size(pkg)));
        QCOMPARE(r.compression, Compression::None);
        QVERIFY(r.manifest);
        QCOMPARE(r.manifest->id, std::string("production-inspection"));
        QCOMPARE(r.manifestSha256, sha256Hex(testutil::readTarEntries(pkg).front().data));
        QVERIFY(!r.tier);
        QCOMPARE(r.completeTiers, (std::vector<int>{1, 2}));

        QCOMPARE(r.signatures.size(), std::size_t(2));
        QCOMPARE(r.signatures[0].role, std::string(kRoleMesh));
        QCOMPARE(r.signatures[0].state, SignatureState::Valid);
        QVERIFY(r.signatures[0].trusted);
        QCOMPARE(r.signatures[0].trustedName, std::string("mesh key"));
        QCOMPARE(r.signatures[0].keyId, fx.mesh.keyId());
        QVERIFY(r.signatures[0].trustedComment.find("package:production-inspection-1.3") != std::string::npos);
        QCOMPARE(r.signatures[1].role, std::string(kRoleFounder));
        QCOMPARE(r.signatures[1].state, SignatureState::Missing);

        std::uint64_t total = 0;
        QCOMPARE(r.files.size(), std::size_t(7));
        for (const auto& f : r.files) {
            QVERIFY2(f.state == FileState::Ok, f.path.c_str());
            QCOMPARE(f.computedSha256, f.expectedSha256);
            QCOMPARE(f.computedSha256, sha256Hex(fx.source(f.path)));
            total += f.size;
        }
        QCOMPARE(r.bytesHashed, total);

        // Observer: signatures once, before any file; every file once, Ok, in manifest order.
        QCOMPARE(obs.signatureCalls, 1);
        QVERIFY(obs.manifestAtSignatures);
        QCOMPARE(obs.signatures[0].state, SignatureState::Valid);
        QCOMPARE(obs.files.size(), r.files.size());
        for (std::size_t i = 0; i < obs.files.size(); ++i) {
            QCOMPARE(obs.files[i].path, r.files[i].path);
            QCOMPARE(obs.files[i].state, FileState::Ok);
        }

        // Sink: metadata first, the manifest once, every byte of every file, no abort.
        QCOMPARE(sink.metadataNames,
                 (std::vector<std::string>{kManifestName, kMeshSignatureName, kChecksumsName}));
        QCOMPARE(sink.manifestCalls, 1);
        QCOMPARE(sink.aborts, 0);
        QCOMPARE(sink.ended.size(), std::size_t(7));
        for (const auto& f : r.files)
            QVERIFY2(sink.stored[f.path] == fx.source(f.path), f.path.c_str());
    }

    void fullPackageForEachDeviceTier()
    {
        const fs::path pkg = fx.build();
        for (int device : {1, 2, 3, 99}) {
            RecordingSink sink;
            const VerifyReport r = fx.verify(pkg, device, nullptr, &sink);
            QVERIFY2(r.ok, r.reason.c_str());
            QCOMPARE(r.tier, std::optional<int>(std::min(device, 2))); // a stronger device runs tier 2
            QCOMPARE(sink.manifestTier, r.tier);
            QCOMPARE(r.completeTiers, (std::vector<int>{1, 2}));
        }
    }

    void tierExport()
    {
        const fs::path pkg = fx.build(1);
        QCOMPARE(pkg.filename().string(), std::string("production-inspection-v1.3-tier1.atmo"));
        for (const auto& e : testutil::readTarEntries(pkg))
            QVERIFY2(e.path != kLarge, "a tier 1 export carries a tier 2 model");

        RecordingObserver obs;
        VerifyReport r = fx.verify(pkg, std::nullopt, &obs);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.completeTiers, std::vector<int>{1});
        QCOMPARE(fileCheck(r, kLarge)->state, FileState::NotInArchive);
        QCOMPARE(fileCheck(r, kSmall)->state, FileState::Ok);
        QVERIFY(obs.last(kLarge));
        QCOMPARE(obs.last(kLarge)->state, FileState::NotInArchive);
        // The signature still covers the full manifest, which lists the tier 2 model.
        QVERIFY(r.manifest->find(kLarge));

        r = fx.verify(pkg, 1);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.tier, std::optional<int>(1));

        // A tier 2 (or stronger) device needs the tier 2 model, which this
        // export lacks: refused, as a tier_1 export, not as damage.
        for (int device : {2, 3}) {
            RecordingObserver o2;
            RecordingSink sink;
            r = fx.verify(pkg, device, &o2, &sink);
            EXPECT_REJECTED(r, q(kLarge), "this archive is a tier_1 export", "that tier_2 needs");
            QVERIFY2(!q(r.reason).contains("missing"), r.reason.c_str());
            QVERIFY(r.tierMismatch);
            QCOMPARE(r.problem, VerifyProblem::WrongTierExport);
            QCOMPARE(fileCheck(r, kLarge)->state, FileState::Missing);
            QCOMPARE(fileCheck(r, kLarge)->problem, VerifyProblem::WrongTierExport);
            QVERIFY(o2.last(kLarge));
            QCOMPARE(o2.last(kLarge)->state, FileState::Missing);
            QCOMPARE(sink.aborts, 1);
        }
    }

    void zstdPackage()
    {
        const fs::path pkg = fx.build(std::nullopt, Compression::Zstd);
        const std::string bytes = readAll(pkg);
        QVERIFY(bytes.size() > 4);
        QCOMPARE(bytes.substr(0, 4), std::string("\x28\xB5\x2F\xFD", 4)); // zstd magic
        RecordingSink sink;
        VerifyReport r = fx.verify(pkg, 2, nullptr, &sink);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.compression, Compression::Zstd);
        QCOMPARE(sink.stored[kLarge], fx.source(kLarge));

        const fs::path tier1 = fx.build(1, Compression::Zstd);
        r = fx.verify(tier1, 1);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.compression, Compression::Zstd);

        // A damaged zstd stream is rejected too.
        std::string bad = bytes;
        bad[bad.size() / 2] ^= 0x40;
        const fs::path damaged = fx.sb->path() / "damaged-zstd.atmo";
        writeAll(damaged, bad);
        RecordingSink s2;
        r = fx.verify(damaged, std::nullopt, nullptr, &s2);
        QVERIFY2(!r.ok, "a damaged zstd package was accepted");
        QVERIFY(!r.reason.empty());
        QCOMPARE(s2.aborts, 1);
    }

    void founderSignature()
    {
        testutil::trustKey(fx.sb->path() / "home", fx.founder, TrustRole::Founder, "founder key");
        const fs::path pkg = fx.build(std::nullopt, Compression::None, fx.founder);
        RecordingObserver obs;
        RecordingSink sink;
        VerifyReport r = fx.verify(pkg, std::nullopt, &obs, &sink);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.signatures[1].state, SignatureState::Valid);
        QVERIFY(r.signatures[1].trusted);
        QCOMPARE(r.signatures[1].trustedName, std::string("founder key"));
        QCOMPARE(r.signatures[1].keyId, fx.founder.keyId());
        QVERIFY(r.signatures[1].trustedComment.find("role:founder") != std::string::npos);
        QCOMPARE(obs.signatures[1].state, SignatureState::Valid);
        QCOMPARE(sink.metadataNames, (std::vector<std::string>{kManifestName, kMeshSignatureName,
                                                               kFounderSignatureName, kChecksumsName}));

        // The founder signature is optional: a founder key this station does not
        // trust is reported, not fatal.
        testutil::Sandbox other;
        testutil::trustKey(other.path(), fx.mesh, TrustRole::Mesh);
        TrustStore meshOnly(other.path() / "trust");
        r = fx.verify(pkg, std::nullopt, nullptr, nullptr, CancelToken(), &meshOnly);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.signatures[1].state, SignatureState::Untrusted);
        QVERIFY(!r.signatures[1].trusted);
    }

    // ---- signatures and trust --------------------------------------------

    void manifestEditedByOneByte()
    {
        const fs::path pkg = fx.build();
        std::string edited;
        const fs::path bad = fx.craft(pkg, [&](auto& es) {
            QCOMPARE(es.front().path, std::string(kManifestName));
            es.front().data[0] = '['; // `format:` becomes `[ormat:`: an unclosed flow sequence
            edited = es.front().data;
        });
        // The edit really produces YAML the parser would choke on...
        auto parsed = Manifest::parse(edited);
        QVERIFY(!parsed);
        QVERIFY2(parsed.message().find("YAML") != std::string::npos, parsed.message().c_str());

        // ...but the verifier never gets that far: the signature fails first.
        RecordingObserver obs;
        RecordingSink sink;
        const VerifyReport r = fx.verify(bad, std::nullopt, &obs, &sink);
        EXPECT_REJECTED(r, "mesh authority signature", "invalid");
        QCOMPARE(r.problem, VerifyProblem::BadMeshSignature);
        QVERIFY2(r.reason.find("YAML") == std::string::npos, r.reason.c_str());
        QVERIFY(!r.manifest);
        QCOMPARE(r.signatures[0].state, SignatureState::Invalid);
        QVERIFY(r.signatures[0].trusted);
        QCOMPARE(obs.signatureCalls, 1);
        QCOMPARE(obs.signatures[0].state, SignatureState::Invalid);
        QVERIFY(!obs.manifestAtSignatures);
        QVERIFY(obs.files.empty());
        QCOMPARE(sink.manifestCalls, 0);
        QVERIFY(sink.stored.empty());
        QCOMPARE(sink.aborts, 1);

        // A one-byte edit that keeps the YAML valid (a version bump) fails the same way.
        const fs::path bumped = fx.craft(pkg, [](auto& es) {
            auto& y = es.front().data;
            const auto pos = y.find("version: \"1.3\"");
            QVERIFY(pos != std::string::npos);
            y[pos + 12] = '4';
        });
        EXPECT_REJECTED(fx.verify(bumped), "mesh authority signature", "invalid");
    }

    void untrustedSigningKey()
    {
        const SecretKey stranger = testutil::makeKey();
        const fs::path pkg = fx.build(std::nullopt, Compression::None, std::nullopt, stranger);
        RecordingObserver obs;
        RecordingSink sink;
        const VerifyReport r = fx.verify(pkg, std::nullopt, &obs, &sink);
        EXPECT_REJECTED(r, q(stranger.keyId()), "does not trust", "mesh authority");
        QCOMPARE(r.problem, VerifyProblem::UntrustedSigner);
        QCOMPARE(r.problemKeyId, stranger.keyId());
        QCOMPARE(r.signatures[0].state, SignatureState::Untrusted);
        QVERIFY(!r.signatures[0].trusted);
        QCOMPARE(obs.signatureCalls, 1);
        QCOMPARE(obs.signatures[0].state, SignatureState::Untrusted);
        QVERIFY(obs.files.empty());
        QCOMPARE(sink.aborts, 1);

        // An empty trust store trusts nothing; no trust store at all is refused.
        testutil::Sandbox empty;
        TrustStore none(empty.path() / "trust");
        EXPECT_REJECTED(fx.verify(fx.build(), std::nullopt, nullptr, nullptr, CancelToken(), &none),
                        q(fx.mesh.keyId()), "does not trust");
        VerifyOptions o;
        const VerifyReport noStore = verifyPackage(pkg, o, nullptr, CancelToken());
        EXPECT_REJECTED(noStore, "trust store");
    }

    void missingMeshSignature()
    {
        const fs::path bad = fx.craft(fx.build(), [](auto& es) { es.erase(entry(es, kMeshSignatureName)); });
        RecordingObserver obs;
        const VerifyReport r = fx.verify(bad, std::nullopt, &obs);
        EXPECT_REJECTED(r, "no mesh authority signature", kMeshSignatureName);
        QCOMPARE(r.problem, VerifyProblem::NoMeshSignature);
        QCOMPARE(r.signatures[0].state, SignatureState::Missing);
        QCOMPARE(obs.signatures[0].state, SignatureState::Missing);
        QVERIFY(obs.files.empty());
    }

    void meshKeyTrustedOnlyAsFounder()
    {
        const SecretKey f = testutil::makeKey();
        testutil::trustKey(fx.sb->path() / "home", f, TrustRole::Founder, "only a founder");
        // Signed as mesh authority by a key this station trusts only as founder.
        const fs::path pkg = fx.build(std::nullopt, Compression::None, std::nullopt, f);
        RecordingObserver obs;
        const VerifyReport r = fx.verify(pkg, std::nullopt, &obs);
        EXPECT_REJECTED(r, q(f.keyId()), "does not trust", "mesh authority");
        QCOMPARE(r.signatures[0].state, SignatureState::Untrusted);
        QCOMPARE(obs.signatures[0].state, SignatureState::Untrusted);

        // The same with the founder's valid signature copied into the mesh slot
        // of a package whose mesh key is trusted.
        const fs::path both = fx.build(std::nullopt, Compression::None, f);
        const fs::path swapped = fx.craft(both, [](auto& es) {
            entry(es, kMeshSignatureName)->data = entry(es, kFounderSignatureName)->data;
        });
        EXPECT_REJECTED(fx.verify(swapped), q(f.keyId()), "mesh authority");
    }

    void resignedOrForgedMeshSignature()
    {
        const fs::path pkg = fx.build();
        const std::string manifest = testutil::readTarEntries(pkg).front().data;

        // Another key this station also trusts as mesh authority re-signs the
        // same bytes: valid maths, but not the key the manifest names.
        const SecretKey other = testutil::makeKey();
        testutil::trustKey(fx.sb->path() / "home", other, TrustRole::Mesh, "second mesh key");
        const std::string resigned = signMessage(other, manifest, "file:manifest.yaml").fileText();
        const fs::path bad = fx.craft(pkg, [&](auto& es) { entry(es, kMeshSignatureName)->data = resigned; });
        EXPECT_REJECTED(fx.verify(bad), q(other.keyId()), q(fx.mesh.keyId()));

        // A stranger's signature wearing the trusted key's id.
        Signature forged = signMessage(testutil::makeKey(), manifest, "file:manifest.yaml");
        forged.keyNum = fx.mesh.keyNum;
        const fs::path impostor =
            fx.craft(pkg, [&](auto& es) { entry(es, kMeshSignatureName)->data = forged.fileText(); });
        RecordingObserver obs;
        const VerifyReport r = fx.verify(impostor, std::nullopt, &obs);
        EXPECT_REJECTED(r, "mesh authority signature", "invalid");
        QCOMPARE(obs.signatures[0].state, SignatureState::Invalid);
        QVERIFY(obs.files.empty());
    }

    void founderSignatureInvalid()
    {
        testutil::trustKey(fx.sb->path() / "home", fx.founder, TrustRole::Founder, "founder key");
        const fs::path pkg = fx.build(std::nullopt, Compression::None, fx.founder);

        // A real founder signature, but over other bytes.
        const std::string other = signMessage(fx.founder, "some other manifest", "file:manifest.yaml").fileText();
        const fs::path wrong = fx.craft(pkg, [&](auto& es) { entry(es, kFounderSignatureName)->data = other; });
        RecordingObserver obs;
        RecordingSink sink;
        VerifyReport r = fx.verify(wrong, std::nullopt, &obs, &sink);
        EXPECT_REJECTED(r, "founder signature is invalid");
        QCOMPARE(r.signatures[0].state, SignatureState::Valid);
        QCOMPARE(r.signatures[1].state, SignatureState::Invalid);
        QCOMPARE(obs.signatures[1].state, SignatureState::Invalid);
        QVERIFY(obs.files.empty());
        QCOMPARE(sink.aborts, 1);

        // Garbage in the founder signature file.
        const fs::path garbage = fx.craft(pkg, [](auto& es) { entry(es, kFounderSignatureName)->data = "junk\n"; });
        r = fx.verify(garbage);
        EXPECT_REJECTED(r, "founder signature is invalid");
        QCOMPARE(r.problem, VerifyProblem::BadFounderSignature);
        QCOMPARE(r.signatures[1].state, SignatureState::Invalid);

        // The manifest names a founder signature that was removed from the archive.
        const fs::path dropped = fx.craft(pkg, [](auto& es) { es.erase(entry(es, kFounderSignatureName)); });
        r = fx.verify(dropped);
        EXPECT_REJECTED(r, kFounderSignatureName, "missing");
        QCOMPARE(r.problem, VerifyProblem::FounderSignatureMissing);
        QCOMPARE(r.problemKeyId, fx.founder.keyId());
    }

    void oversizedManifestAndSignature()
    {
        const fs::path pkg = fx.build();
        VerifyOptions o;
        o.trust = fx.trust.get();
        o.maxManifestBytes = 100;
        EXPECT_REJECTED(verifyPackage(pkg, o, nullptr, CancelToken()), kManifestName, "larger than");
        const fs::path big = fx.craft(pkg, [](auto& es) {
            entry(es, kMeshSignatureName)->data += std::string(100 * 1024, '\n');
        });
        EXPECT_REJECTED(fx.verify(big), kMeshSignatureName, "larger than");
    }

    // ---- damage ------------------------------------------------------------

    void flippedByteInModel()
    {
        const fs::path pkg = fx.build();
        std::string bytes = readAll(pkg);
        const std::string model = fx.source(kLarge);
        const std::size_t at = findOrDie(bytes, model.substr(0, 256)) + 5000;
        bytes[at] ^= 0x01;
        const fs::path bad = fx.sb->path() / "flipped.atmo";
        writeAll(bad, bytes);

        RecordingObserver obs;
        RecordingSink sink;
        const VerifyReport r = fx.verify(bad, std::nullopt, &obs, &sink);
        EXPECT_REJECTED(r, q(kLarge), "SHA-256 does not match");
        // The kind a window words in its own language, beside the English.
        QCOMPARE(r.problem, VerifyProblem::FileAltered);
        QCOMPARE(r.problemPath, std::string(kLarge));
        QCOMPARE(fileCheck(r, kLarge)->problem, VerifyProblem::FileAltered);
        const FileCheck* f = fileCheck(r, kLarge);
        QCOMPARE(f->state, FileState::Failed);
        QVERIFY(f->computedSha256 != f->expectedSha256);
        QVERIFY(f->message.find(kLarge) != std::string::npos);
        QVERIFY(obs.last(kLarge));
        QCOMPARE(obs.last(kLarge)->state, FileState::Failed);
        QVERIFY(!obs.last(kLarge)->message.empty());
        QVERIFY(obs.last(kConfig));
        QCOMPARE(obs.last(kConfig)->state, FileState::Ok); // checked before the model
        QCOMPARE(sink.aborts, 1);
        QVERIFY(std::find(sink.ended.begin(), sink.ended.end(), kLarge) == sink.ended.end());
    }

    void truncated_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<QStringList>("needles");
        QTest::newRow("first header") << "header" << QStringList{"truncated"};
        QTest::newRow("inside manifest") << "manifest" << QStringList{"truncated", kManifestName};
        QTest::newRow("inside signature") << "signature" << QStringList{"truncated", kMeshSignatureName};
        QTest::newRow("inside checksums") << "checksums" << QStringList{"truncated", kChecksumsName};
        QTest::newRow("model start") << "model+1" << QStringList{"truncated", q(kLarge)};
        QTest::newRow("model middle") << "model+4096" << QStringList{"truncated", q(kLarge)};
        QTest::newRow("model last byte") << "model-end" << QStringList{"truncated", q(kLarge)};
        QTest::newRow("small model") << "small+70000" << QStringList{"truncated", q(kSmall)};
        QTest::newRow("entry boundary") << "boundary" << QStringList{q(kKnowledge)};
    }

    void truncated()
    {
        QFETCH(QString, where);
        QFETCH(QStringList, needles);
        const fs::path pkg = fx.build();
        const std::string bytes = readAll(pkg);
        const std::string large = fx.source(kLarge), small = fx.source(kSmall);
        std::size_t cut = 0;
        if (where == "header")
            cut = 100;
        else if (where == "manifest")
            cut = findOrDie(bytes, "format: \"1\"") + 50;
        else if (where == "signature")
            cut = findOrDie(bytes, "untrusted comment:") + 20;
        else if (where == "checksums")
            cut = findOrDie(bytes, "  " + kConfig + "\n") + 5;
        else if (where == "model+1")
            cut = findOrDie(bytes, large.substr(0, 256)) + 1;
        else if (where == "model+4096")
            cut = findOrDie(bytes, large.substr(0, 256)) + 4096;
        else if (where == "model-end")
            cut = findOrDie(bytes, large.substr(0, 256)) + large.size() - 1;
        else if (where == "small+70000")
            cut = findOrDie(bytes, small.substr(0, 256)) + 70000;
        else if (where == "boundary") {
            // Right after the last tool's data, padded: the archive simply ends
            // where the knowledge entry's header would start.
            const std::string tool = fx.source("tools/camera-0.4.yaml");
            cut = (findOrDie(bytes, tool) + tool.size() + 511) / 512 * 512;
        }
        QVERIFY(cut > 0 && cut < bytes.size());
        const fs::path bad = fx.sb->path() / "truncated.atmo";
        writeAll(bad, bytes.substr(0, cut));

        RecordingObserver obs;
        RecordingSink sink;
        const VerifyReport r = fx.verify(bad, std::nullopt, &obs, &sink);
        QVERIFY2(!r.ok, qPrintable("a package cut at " + QString::number(cut) + " was accepted"));
        QCOMPARE(sink.aborts, 1);
        for (const auto& f : obs.files) // nothing after the cut is reported good
            if (f.path == kKnowledge)
                QVERIFY(f.state != FileState::Ok);
        if (where.startsWith("model"))
            QCOMPARE(fileCheck(r, kLarge)->state, FileState::Failed);
        for (const QString& n : needles)
            QVERIFY2(q(r.reason).contains(n, Qt::CaseInsensitive),
                     qPrintable("\"" + n + "\" not in reason: " + q(r.reason)));
    }

    void emptyFile()
    {
        const fs::path empty = fx.sb->path() / "empty.atmo";
        writeAll(empty, "");
        RecordingSink sink;
        const VerifyReport r = fx.verify(empty, std::nullopt, nullptr, &sink);
        EXPECT_REJECTED(r, "empty");
        QCOMPARE(sink.aborts, 1);
        QVERIFY(!r.manifest);
    }

    void notATarFile()
    {
        const fs::path text = fx.sb->path() / "notes.atmo";
        writeAll(text, std::string("This is a text file, not a package.\n") + std::string(2000, 'x'));
        VerifyReport r = fx.verify(text);
        QVERIFY(!r.ok);
        QVERIFY2(q(r.reason).contains("notes.atmo"), r.reason.c_str());

        const fs::path random = fx.sb->path() / "random.atmo";
        testutil::writeRandomFile(random, 64 * 1024, 7);
        r = fx.verify(random);
        QVERIFY(!r.ok);
        QVERIFY2(q(r.reason).contains("random.atmo"), r.reason.c_str());
        QCOMPARE(r.problem, VerifyProblem::NotAPackage);

        // A plain tar that is not a package: its first entry is not the manifest.
        const fs::path tar = fx.sb->path() / "plain.atmo";
        testutil::writeTarEntries(tar, {raw("hello.txt", "hi\n")});
        r = fx.verify(tar);
        EXPECT_REJECTED(r, "first entry", kManifestName, "hello.txt");
        QCOMPARE(r.problem, VerifyProblem::NotAPackage);

        // Not a file at all, and a file that is not there.
        EXPECT_REJECTED(fx.verify(fx.sb->path()), "not a regular file");
        r = fx.verify(fx.sb->path() / "nope.atmo");
        EXPECT_REJECTED(r, "nope.atmo");
        QCOMPARE(r.problem, VerifyProblem::Unreadable);
        QCOMPARE(r.code, ErrorCode::NotFound);
    }

    // ---- cancellation ------------------------------------------------------

    void cancelledBetweenFiles()
    {
        const fs::path pkg = fx.build();
        CancelToken cancel;
        RecordingObserver obs;
        obs.onFileHook = [&](const FileCheck& f) {
            if (f.state == FileState::Ok && obs.files.size() == 2)
                cancel.cancel();
        };
        RecordingSink sink;
        const VerifyReport r = fx.verify(pkg, std::nullopt, &obs, &sink, cancel);
        QVERIFY(!r.ok);
        QCOMPARE(r.reason, std::string("cancelled"));
        QCOMPARE(r.problem, VerifyProblem::Cancelled);
        QCOMPARE(sink.aborts, 1);
        QVERIFY(sink.ended.size() < 7);
        QVERIFY(obs.files.size() < 7 + 1);
    }

    void cancelledMidFile()
    {
        const fs::path pkg = fx.build();
        CancelToken cancel;
        RecordingSink sink;
        sink.onWrite = [&](std::size_t) { cancel.cancel(); };
        const VerifyReport r = fx.verify(pkg, std::nullopt, nullptr, &sink, cancel);
        QVERIFY(!r.ok);
        QCOMPARE(r.reason, std::string("cancelled"));
        QCOMPARE(r.problem, VerifyProblem::Cancelled);
        QCOMPARE(sink.aborts, 1);
        QVERIFY(sink.ended.size() <= 1);
    }

    void cancelledBeforeStart()
    {
        const fs::path pkg = fx.build();
        CancelToken cancel;
        cancel.cancel();
        RecordingSink sink;
        const VerifyReport r = fx.verify(pkg, std::nullopt, nullptr, &sink, cancel);
        QVERIFY(!r.ok);
        QCOMPARE(r.reason, std::string("cancelled"));
        QCOMPARE(r.problem, VerifyProblem::Cancelled);
        QCOMPARE(sink.aborts, 1);
        QVERIFY(sink.stored.empty());
    }

    // ---- tiers -------------------------------------------------------------

    void noTierSuitsTheDevice()
    {
        // A mission built for tiers 2 and 3 only.
        const fs::path m = fx.sb->path() / "mission23";
        testutil::makeMission(m);
        testutil::writeFile(m / "config/mission.yaml",
                            "id: production-inspection\ntiers: [2, 3]\nmodels:\n"
                            "  tinyyolo-defects-1.3.onnx:\n    tiers: [2, 3]\n"
                            "  llama-edge-2.0.gguf:\n    tiers: [3]\n");
        const fs::path pkg = fx.build(std::nullopt, Compression::None, std::nullopt, std::nullopt, m);
        RecordingSink sink;
        VerifyReport r = fx.verify(pkg, 1, nullptr, &sink);
        EXPECT_REJECTED(r, "built for tier_2, tier_3", "suits a tier_1 device");
        // A whole package made for other tiers is not damage (exit 1, not 4).
        QCOMPARE(r.code, atmo::ErrorCode::Failed);
        QCOMPARE(sink.aborts, 1);
        QVERIFY(sink.stored.empty());

        r = fx.verify(pkg, 2);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.tier, std::optional<int>(2));
        r = fx.verify(pkg, 5);
        QVERIFY2(r.ok, r.reason.c_str());
        QCOMPARE(r.tier, std::optional<int>(3));
    }
};

ATMO_TEST_GUILESS_MAIN(TstVerify)
#include "tst_verify.moc"
