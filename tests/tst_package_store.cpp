// The package store index: add/replace, lookup by "<id>-<version>", the
// full package preferred over tier exports, vanished files, atomic writes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "core/package/package_store.h"
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
