// Packages whose manifest is signed by a trusted mesh key and still hostile:
// what `verify` calls genuine must be installable, so every case here is
// rejected by verify with a one-line reason, or installs cleanly. Each case
// starts from a real package, edits the manifest text (and the checksums and
// entries to match) and re-signs it with the trusted key, so only the rule
// under test can catch it.
#include <QtTest>

#include <sys/stat.h>

#include "core/package/custody.h"
#include "core/package/installer.h"
#include "core/package/minisign.h"
#include "core/base/sha256.h"
#include "test_main.h"
#include "verify_fixture.h"

using namespace atmo;
using namespace vfix;
using testutil::RawEntry;

class TstPackageHostileManifest : public QObject {
    Q_OBJECT
    Fixture fx;
    fs::path pkg_;

    // A copy of pkg_ whose manifest went through editManifest, whose entries
    // went through editEntries, re-signed with the trusted mesh key.
    fs::path resigned(const std::function<void(std::string&)>& editManifest,
                      const std::function<void(std::vector<RawEntry>&)>& editEntries = {})
    {
        return vfix::resigned(fx, pkg_, editManifest, editEntries);
    }

    // Renames a content file everywhere: manifest, checksums and the archive.
    fs::path renamed(const std::string& from, const std::string& to)
    {
        return resigned([&](std::string& yaml) { replaceAll(yaml, "path: \"" + from + "\"", "path: \"" + yamlEscaped(to) + "\""); },
                        [&](std::vector<RawEntry>& es) {
                            replaceAll(entry(es, kChecksumsName)->data, "  " + from + "\n", "  " + to + "\n");
                            entry(es, from)->path = to;
                        });
    }

    static std::string yamlEscaped(const std::string& s)
    {
        std::string out;
        for (char c : s)
            out += c == '\n' ? std::string("\\n") : std::string(1, c);
        return out;
    }

    InstallResult install(const fs::path& file)
    {
        InstallOptions o;
        o.root = fx.sb->path() / "device";
        o.trust = fx.trust.get();
        o.tier = 2;
        return installPackage(file, o, nullptr, CancelToken());
    }

private slots:
    void init()
    {
        fx.setUp();
        pkg_ = fx.build();
    }
    void cleanup() { fx.tearDown(); }

    void resignedCopyStillVerifiesAndInstalls()
    {
        // The re-signing itself must not break anything, or every test below proves nothing.
        const fs::path same = resigned([](std::string&) {});
        const VerifyReport r = fx.verify(same);
        QVERIFY2(r.ok, r.reason.c_str());
        const fs::path moved = renamed(kConfig, "config/other-name.yaml");
        const InstallResult ir = install(moved);
        QVERIFY2(ir.installed.has_value(), ir.report.reason.c_str());
        QVERIFY(fs::exists(fx.sb->path() / "device/production-inspection/current/config/other-name.yaml"));
    }

    void invalidUtf8InTheName()
    {
        const fs::path bad = resigned([](std::string& yaml) {
            const auto at = yaml.find("name: ");
            QVERIFY(at != std::string::npos);
            yaml.insert(at + 6, "caf\xe9 ");
        });
        EXPECT_REJECTED(fx.verify(bad), "manifest.yaml", "not valid UTF-8");
        const InstallResult ir = install(bad);
        QVERIFY(!ir.installed);
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection/current"));
    }

    void secondYamlDocumentIsRefused()
    {
        const fs::path bad = resigned([](std::string& yaml) { yaml += "---\npackage: {id: evil}\n"; });
        EXPECT_REJECTED(fx.verify(bad), "manifest.yaml", "exactly one document");
        const fs::path ended = resigned([](std::string& yaml) { yaml += "...\npackage: {id: evil}\n"; });
        EXPECT_REJECTED(fx.verify(ended), "manifest.yaml", "exactly one document");
        // A stray directive made yaml-cpp's LoadAll loop without end (found by fuzz_manifest).
        const fs::path directive = resigned([](std::string& yaml) { yaml.insert(yaml.find("contents:"), "%TAG ! x\n"); });
        EXPECT_REJECTED(fx.verify(directive), "manifest.yaml", "exactly one document");
    }

    void pathComponentLongerThanAFileNameCanBe()
    {
        const fs::path bad = renamed(kConfig, "config/" + std::string(300, 'a') + ".yaml");
        EXPECT_REJECTED(fx.verify(bad), "not a safe relative path");
    }

    void fileThatIsAlsoADirectory()
    {
        // config/mission.yaml is a file; config/mission.yaml/llamafarm.yaml needs it as a directory.
        const fs::path bad = renamed(kConfig, "config/mission.yaml/llamafarm.yaml");
        EXPECT_REJECTED(fx.verify(bad), "\"config/mission.yaml\" is both a file and the directory of");
    }

    void controlCharacterInAPath()
    {
        const fs::path bad = renamed(kConfig, "config/llama\nfarm.yaml");
        const VerifyReport r = fx.verify(bad);
        EXPECT_REJECTED(r, "not a safe relative path");
        QVERIFY2(r.reason.find('\n') == std::string::npos, r.reason.c_str());
    }

    void oversizedCustodyIsRefusedBeforeItIsParsed()
    {
        // Valid custody lines, well-formed and signed by an unknown station: a
        // chain like this verified before (flagged untrusted), however large.
        std::vector<CustodyEntry> chain;
        appendCustody(chain, "0000", testutil::makeKey(), "stranger", "exported", "drive");
        std::string line = serializeCustody(chain);
        std::string big;
        while (big.size() <= kMaxCustodyBytes)
            big += line;
        const fs::path bad = fx.craft(pkg_, [&](std::vector<RawEntry>& es) {
            auto at = entry(es, kChecksumsName) + 1;
            es.insert(at, raw(kCustodyName, big));
        });
        EXPECT_REJECTED(fx.verify(bad), "custody.jsonl");
        // One line under the limit is still read (and flagged, not rejected).
        const fs::path fine = fx.craft(pkg_, [&](std::vector<RawEntry>& es) {
            es.insert(entry(es, kChecksumsName) + 1, raw(kCustodyName, line));
        });
        const VerifyReport r = fx.verify(fine);
        QVERIFY2(r.ok, r.reason.c_str());
    }

    void packageFileNameThatIsNotUtf8InstallsCleanly()
    {
        // A Latin-1 file name from a FAT stick: state.json must still be written,
        // and a failed state write must never leave the new version live.
        const fs::path latin1 = fx.sb->path() / "caf\xe9.atmo";
        fs::copy_file(pkg_, latin1);
        const InstallResult ir = install(latin1);
        QVERIFY2(ir.installed.has_value(), ir.report.reason.c_str());
        const auto found = findInstalled(fx.sb->path() / "device", "production-inspection");
        QVERIFY(found.has_value());
        QCOMPARE(QString::fromStdString(found->version), QStringLiteral("1.3"));
        const std::string state = testutil::readFile(fx.sb->path() / "device/production-inspection/state.json");
        QVERIFY(state.find("\"version\": \"1.3\"") != std::string::npos);
    }

    void stateThatCannotBeWrittenLeavesTheOldVersionLive()
    {
        InstallResult first = install(pkg_);
        QVERIFY2(first.installed.has_value(), first.report.reason.c_str());
        // A newer version whose state write fails (state.json made a directory
        // with content, so the rename onto it fails).
        CreateOptions o;
        o.missionDir = fx.mission;
        o.version = "1.4";
        o.outputDir = fx.sb->path() / "newer";
        o.meshKey = fx.mesh;
        auto newer = createPackage(o, nullptr, CancelToken());
        QVERIFY2(newer, newer ? "" : newer.message().c_str());
        const fs::path state = fx.sb->path() / "device/production-inspection/state.json";
        fs::remove(state);
        fs::create_directories(state / "blocker");
        const InstallResult second = install(newer->file);
        QVERIFY(!second.installed);
        QCOMPARE(QString::fromStdString(fs::read_symlink(fx.sb->path() / "device/production-inspection/current").string()),
                 QStringLiteral("1.3"));
        QVERIFY(!fs::exists(fx.sb->path() / "device/production-inspection/1.4"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstPackageHostileManifest)
#include "tst_package_hostile_manifest.moc"
