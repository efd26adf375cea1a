// The package store index: add/replace, lookup by "<id>-<version>", the
// full package preferred over tier exports, vanished files, atomic writes,
// and the history of what happened to each package (record()).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "core/package/package_store.h"
#include "core/package/package_verifier.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

StoredPackage entry(const fs::path& dir, const std::string& id, const std::string& version,
                    std::optional<int> tier = std::nullopt)
{
    StoredPackage p;
    p.id = id;
    p.version = version;
    p.tier = tier;
    p.file = dir / (id + "-v" + version + (tier ? "-tier" + std::to_string(*tier) : "") + ".atmo");
    testutil::writeFile(p.file, "package " + id + " " + version);
    p.bytes = 1234;
    return p;
}

} // namespace

class TstPackageStore : public QObject {
    Q_OBJECT

private slots:
    void emptyWhenNoIndex()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        QVERIFY(store.list().empty());
        QVERIFY(!store.find("x-1.0"));
        QVERIFY(!store.latestVersion("x"));
    }

    void addListFind()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "home/store.json"); // the directory is created on first add
        QVERIFY(store.add(entry(sb / "pkgs", "production-inspection", "1.3")).ok());
        QVERIFY(store.add(entry(sb / "pkgs", "production-inspection", "1.3", 1)).ok());
        QVERIFY(store.add(entry(sb / "pkgs", "other", "2.0", 2)).ok());

        const auto all = store.list();
        QCOMPARE(all.size(), std::size_t(3));
        for (const auto& p : all) {
            QVERIFY(p.file.is_absolute());
            QVERIFY(!p.addedAt.empty());
            QCOMPARE(p.bytes, std::uint64_t(1234));
        }

        auto full = store.find("production-inspection-1.3");
        QVERIFY(full);
        QVERIFY(!full->tier); // the full package wins over the tier export
        auto withV = store.find("production-inspection-v1.3");
        QVERIFY(withV && withV->file == full->file);
        QVERIFY(store.find("production-inspection-v1.3.atmo"));
        auto tier1 = store.find("production-inspection-v1.3-tier1");
        QVERIFY(tier1 && tier1->tier == 1);
        auto other = store.find("other-2.0");
        QVERIFY(other && other->tier == 2); // only a tier export exists
        QVERIFY(!store.find("production-inspection-1.4"));
        QVERIFY(!store.find("production-inspection"));
        QVERIFY(!store.find("inspection-1.3"));
    }

    void replacesSameFile()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        StoredPackage p = entry(sb / "pkgs", "mission", "1.0");
        QVERIFY(store.add(p).ok());
        p.bytes = 99;
        // The same file through a different spelling of its path.
        p.file = sb / "pkgs/../pkgs/mission-v1.0.atmo";
        QVERIFY(store.add(p).ok());
        const auto all = store.list();
        QCOMPARE(all.size(), std::size_t(1));
        QCOMPARE(all.front().bytes, std::uint64_t(99));
    }

    void latestVersionIsNumeric()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        QVERIFY(store.add(entry(sb.path(), "m", "1.9")).ok());
        QVERIFY(store.add(entry(sb.path(), "m", "1.10", 1)).ok());
        QVERIFY(store.add(entry(sb.path(), "m", "1.2")).ok());
        QVERIFY(store.add(entry(sb.path(), "n", "7.0")).ok());
        QCOMPARE(store.latestVersion("m").value_or(""), std::string("1.10"));
        QCOMPARE(store.latestVersion("n").value_or(""), std::string("7.0"));
        QVERIFY(!store.latestVersion("q"));
    }

    void vanishedFilesAreHidden()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        StoredPackage a = entry(sb.path(), "m", "1.0");
        StoredPackage b = entry(sb.path(), "m", "2.0");
        QVERIFY(store.add(a).ok());
        QVERIFY(store.add(b).ok());
        fs::remove(b.file);
        QCOMPARE(store.list().size(), std::size_t(1));
        QVERIFY(!store.find("m-2.0"));
        QCOMPARE(store.latestVersion("m").value_or(""), std::string("1.0"));
    }

    void rejectsBadEntries()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        StoredPackage p = entry(sb.path(), "m", "1.0");
        p.id = "../evil";
        QVERIFY(!store.add(p).ok());
        p = entry(sb.path(), "m", "1.0");
        p.version = "not a version";
        QVERIFY(!store.add(p).ok());
        p = entry(sb.path(), "m", "1.0");
        p.file.clear();
        QVERIFY(!store.add(p).ok());
        QVERIFY(!fs::exists(sb / "store.json"));
    }

    void indexIsReadableJson()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        QVERIFY(store.add(entry(sb.path(), "m", "1.0", 2)).ok());
        const QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromStdString(testutil::readFile(sb / "store.json")));
        QVERIFY(doc.isObject());
        const QJsonArray packages = doc.object().value("packages").toArray();
        QCOMPARE(packages.size(), 1);
        const QJsonObject e = packages.first().toObject();
        QCOMPARE(e.value("id").toString(), QString("m"));
        QCOMPARE(e.value("version").toString(), QString("1.0"));
        QCOMPARE(e.value("tier").toInt(), 2);
        QVERIFY(e.value("file").toString().endsWith("m-v1.0-tier2.atmo"));
        // No temporary files left behind.
        for (const auto& d : fs::directory_iterator(sb.path()))
            QVERIFY2(d.path().filename().string().find(".part-") == std::string::npos, d.path().c_str());
    }

    void recordsWhatHappenedToAPackage()
    {
        testutil::Sandbox sb;
        PackageStore store(sb / "store.json");
        const StoredPackage a = entry(sb / "pkgs", "m", "1.0");
        const StoredPackage b = entry(sb / "pkgs", "m", "2.0");
        QVERIFY(store.add(a).ok());
        QVERIFY(store.add(b).ok());
        QVERIFY(store.list().front().history.empty());

        // The same file however it is named; b is left alone.
        auto recorded = store.record(sb / "pkgs/../pkgs/m-v1.0.atmo", PackageEvent::Verified);
        QVERIFY(recorded.ok() && *recorded);
        auto found = store.find("m-1.0");
        QVERIFY(found);
        QVERIFY(!found->history.verifiedAt.empty());
        QVERIFY(found->history.verifiedOk);
        QVERIFY(found->history.exportedAt.empty() && found->history.installedAt.empty());
        QVERIFY(!changedSinceVerified(found->history, found->file));
        QVERIFY(store.find("m-2.0")->history.empty());

        // Written to drives: the export checked it, so it is verified too.
        QVERIFY(*store.record(b.file, PackageEvent::VerifyFailed));
        QVERIFY(!store.find("m-2.0")->history.verifiedOk);
        QVERIFY(*store.record(b.file, PackageEvent::Exported, 2));
        found = store.find("m-2.0");
        QCOMPARE(found->history.exportedDrives, 2);
        QVERIFY(found->history.verifiedOk);
        QVERIFY(*store.record(b.file, PackageEvent::Installed));
        found = store.find("m-2.0");
        QVERIFY(!found->history.installedAt.empty());
        QCOMPARE(found->history.exportedDrives, 2); // kept

        // Survives a reload from the JSON, and a change of the file shows.
        testutil::writeFile(b.file, "package m 2.0, altered after the check");
        found = PackageStore(sb / "store.json").find("m-2.0");
        QVERIFY(!found->history.installedAt.empty());
        QVERIFY(changedSinceVerified(found->history, found->file));

        // A file the store does not hold: nothing recorded, nothing written.
        const std::string before = testutil::readFile(sb / "store.json");
        testutil::writeFile(sb / "elsewhere.atmo", "x");
        recorded = store.record(sb / "elsewhere.atmo", PackageEvent::Verified);
        QVERIFY(recorded.ok() && !*recorded);
        QCOMPARE(testutil::readFile(sb / "store.json"), before);

        // Built again to the same file: a new package, no history.
        QVERIFY(store.add(b).ok());
        QVERIFY(store.find("m-2.0")->history.empty());
    }

    // Only a check that blames the package marks it failed.
    void whatACheckSaysAboutThePackage()
    {
        VerifyReport r;
        r.ok = true;
        QCOMPARE(eventOf(r, false), std::optional(PackageEvent::Verified));
        QCOMPARE(eventOf(r, true), std::optional(PackageEvent::Installed));
        r.ok = false;
        for (auto p : {VerifyProblem::FileAltered, VerifyProblem::UntrustedSigner, VerifyProblem::NotAPackage,
                       VerifyProblem::Damaged, VerifyProblem::Malformed}) {
            r.problem = p;
            QCOMPARE(eventOf(r, false), std::optional(PackageEvent::VerifyFailed));
        }
        // Cancelled, unreadable, or refused for this machine or install root.
        for (auto p : {VerifyProblem::Cancelled, VerifyProblem::Unreadable, VerifyProblem::NoTierFits,
                       VerifyProblem::WrongTierExport, VerifyProblem::Other}) {
            r.problem = p;
            QVERIFY(!eventOf(r, false));
        }
    }

    void recordWithoutAStoreCreatesNothing()
    {
        testutil::Sandbox sb;
        testutil::writeFile(sb / "p.atmo", "x");
        auto recorded = PackageStore(sb / "home/store.json").record(sb / "p.atmo", PackageEvent::Verified);
        QVERIFY(recorded.ok() && !*recorded);
        QVERIFY(!fs::exists(sb / "home"));
    }

    void corruptIndexIsNotClobbered()
    {
        testutil::Sandbox sb;
        testutil::writeFile(sb / "store.json", "{ not json");
        PackageStore store(sb / "store.json");
        QVERIFY(store.list().empty());
        auto r = store.add(entry(sb.path(), "m", "1.0"));
        QVERIFY(!r.ok());
        QVERIFY2(r.message().find("store.json") != std::string::npos, r.message().c_str());
        QCOMPARE(testutil::readFile(sb / "store.json"), std::string("{ not json"));
    }
};

ATMO_TEST_GUILESS_MAIN(TstPackageStore)
#include "tst_package_store.moc"
