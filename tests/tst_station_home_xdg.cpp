// Where the station keeps what (core/package/station_home.h): a home named
// with --home or $ATMOSPHERE_HOME holds everything; the standard home
// follows the XDG base directories (data, config, cache). A standard home
// left by an earlier version, with its settings and caches in the data
// folder, has them moved once, with a line saying so, and the real CLI
// reads them from their new places.
#include <QProcess>
#include <QtTest>

#include "core/package/station_home.h"
#include "core/package/tier.h"
#include "test_main.h"
#include "testutil.h"

using namespace testutil;
using atmo::StationHome;

namespace {

// Sets the variables for its lifetime, then restores them.
struct Environment {
    std::vector<std::pair<QByteArray, std::optional<QByteArray>>> saved;
    void set(const char* name, const std::optional<std::string>& value)
    {
        saved.emplace_back(name, qEnvironmentVariableIsSet(name) ? std::optional(qgetenv(name)) : std::nullopt);
        if (value)
            qputenv(name, QByteArray::fromStdString(*value));
        else
            qunsetenv(name);
    }
    ~Environment()
    {
        for (auto it = saved.rbegin(); it != saved.rend(); ++it)
            it->second ? qputenv(it->first.constData(), *it->second) : qunsetenv(it->first.constData());
    }
};

} // namespace

class StationHomeXdg : public QObject {
    Q_OBJECT

    void xdg(Environment& env, const Sandbox& sb)
    {
        env.set("ATMOSPHERE_HOME", std::nullopt);
        env.set("HOME", (sb / "user").string());
        env.set("XDG_DATA_HOME", (sb / "user/data").string());
        env.set("XDG_CONFIG_HOME", (sb / "user/config").string());
        env.set("XDG_CACHE_HOME", (sb / "user/cache").string());
    }

private slots:
    void namedHomeHoldsEverything()
    {
        Environment env;
        env.set("ATMOSPHERE_HOME", std::string("/srv/atmo"));
        for (const StationHome& h : {StationHome::standard(), *StationHome::resolve(std::string("/srv/atmo"))}) {
            QCOMPARE(h.root(), fs::path("/srv/atmo"));
            QCOMPARE(h.tiersFile(), fs::path("/srv/atmo/tiers.yaml"));
            QCOMPARE(h.cacheDir(), fs::path("/srv/atmo/cache"));
            QVERIFY(h.moveToStandardPlaces().empty());
        }
        QVERIFY(!StationHome::resolve(std::string()).ok());
    }

    void standardHomeFollowsXdg()
    {
        Sandbox sb;
        Environment env;
        xdg(env, sb);
        const StationHome h = StationHome::standard();
        QCOMPARE(h.root(), sb / "user/data/atmosphere");
        QCOMPARE(h.tiersFile(), sb / "user/config/atmosphere/tiers.yaml");
        QCOMPARE(h.cacheDir(), sb / "user/cache/atmosphere");
        QCOMPARE(h.trustDir(), sb / "user/data/atmosphere/trust");
        // The defaults without the variables: ~/.local/share, ~/.config, ~/.cache.
        env.set("XDG_DATA_HOME", std::nullopt);
        env.set("XDG_CONFIG_HOME", std::string("relative/is/ignored"));
        env.set("XDG_CACHE_HOME", std::nullopt);
        const StationHome d = StationHome::standard();
        QCOMPARE(d.root(), sb / "user/.local/share/atmosphere");
        QCOMPARE(d.configDir(), sb / "user/.config/atmosphere");
        QCOMPARE(d.cacheDir(), sb / "user/.cache/atmosphere");

        // Settings written through it land in the config folder.
        env.set("XDG_CONFIG_HOME", (sb / "user/config").string());
        env.set("XDG_DATA_HOME", (sb / "user/data").string());
        QVERIFY(h.setNodeName("gateway-01").ok());
        QVERIFY(h.setMeshId("plant-7").ok());
        QVERIFY(fs::exists(sb / "user/config/atmosphere/station/name"));
        QVERIFY(fs::exists(sb / "user/config/atmosphere/station/mesh_id"));
        QVERIFY(!fs::exists(sb / "user/data/atmosphere/station/name"));
        QCOMPARE(StationHome::standard().explicitNodeName(), std::string("gateway-01"));
    }

    void anEarlierHomeIsMovedOnce()
    {
        Sandbox sb;
        Environment env;
        xdg(env, sb);
        const fs::path data = sb / "user/data/atmosphere";
        writeFile(data / "tiers.yaml", "tiers:\n  - {tier: 2, min_ram_gib: 0, min_cores: 1, gpu: false}\n");
        writeFile(data / "station/name", "old-name\n");
        writeFile(data / "cache/model-hashes.json", "{}\n");
        writeFile(data / "store.json", "{\"format\": 1, \"packages\": []}\n");
        // A setting already in its standard place stays; the old one is left.
        writeFile(sb / "user/config/atmosphere/station/mesh_id", "kept\n");
        writeFile(data / "station/mesh_id", "old-mesh\n");

        // The real CLI, as a user runs it: one line per move, then it works there.
        QProcess cli;
        QProcessEnvironment penv = QProcessEnvironment::systemEnvironment();
        cli.setProcessEnvironment(penv);
        cli.start(cliPath(), {"mesh", "identity", "--json"});
        QVERIFY(cli.waitForFinished(60000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(cli.exitCode() == 0, qPrintable(err));
        QCOMPARE(err.count("atmosphere: note: moved "), 3);
        // Both places hold a mesh id: the user hears which one counts.
        QVERIFY2(err.contains("station/mesh_id is not read: ") && err.contains("config/atmosphere/station/mesh_id is"),
                 qPrintable(err));
        QVERIFY2(err.contains((data / "tiers.yaml").c_str()) && err.contains("config/atmosphere/tiers.yaml"),
                 qPrintable(err));
        const QJsonObject o = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(o.value("node_name").toString(), QString("old-name"));
        QCOMPARE(o.value("mesh_id").toString(), QString("kept"));

        QVERIFY(fs::exists(sb / "user/config/atmosphere/tiers.yaml"));
        QVERIFY(!fs::exists(data / "tiers.yaml"));
        QVERIFY(fs::exists(sb / "user/cache/atmosphere/model-hashes.json"));
        QVERIFY(!fs::exists(data / "cache"));
        QVERIFY(fs::exists(data / "store.json")); // data stays data
        QCOMPARE(readFile(data / "station/mesh_id"), std::string("old-mesh\n"));
        QVERIFY(atmo::TierPolicy::loadOrDefaults(StationHome::standard().tiersFile()).ok());

        // Once: the next run says nothing.
        cli.start(cliPath(), {"mesh", "identity"});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        QVERIFY(!cli.readAllStandardError().contains("moved"));
    }
};

ATMO_TEST_GUILESS_MAIN(StationHomeXdg)
#include "tst_station_home_xdg.moc"
