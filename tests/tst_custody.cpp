// Chain of custody: signed, linked JSONL entries; and the station identity
// key that signs them (StationHome).
#include <QtTest>

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "core/package/custody.h"
#include "core/package/minisign.h"
#include "core/package/station_home.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

const std::string kManifest = "3f0a9c1e5b7d2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c0e2b4d6f8a0c2e4b6d8f0a";
const std::string kOtherManifest = "0000000000000000000000000000000000000000000000000000000000000001";

std::vector<bool> validity(const std::vector<CustodyCheck>& checks)
{
    std::vector<bool> out;
    for (const auto& c : checks)
        out.push_back(c.valid);
    return out;
}

// A three-entry chain: created by A, exported by B, transferred by A.
struct Fixture {
    testutil::Sandbox box;
    SecretKey a = generateSecretKey();
    SecretKey b = generateSecretKey();
    TrustStore trust{box / "trust"};
    std::vector<CustodyEntry> chain;

    Fixture()
    {
        if (!trust.add(a.publicKey(), TrustRole::Station, "station A").ok() ||
            !trust.add(b.publicKey(), TrustRole::Mesh, "mesh B").ok())
            throw std::runtime_error("trust setup failed");
        appendCustody(chain, kManifest, a, "station-a", "created", "from mission production-inspection");
        appendCustody(chain, kManifest, b, "station-b", "exported", "tier 1 to /media/usb0");
        appendCustody(chain, kManifest, a, "station-a", "transferred", "to peer 10.0.0.7");
    }
};

class ScopedEnv {
public:
    ScopedEnv(const char* name, const QByteArray& value) : name_(name), had_(qEnvironmentVariableIsSet(name))
    {
        old_ = qgetenv(name);
        if (value.isNull())
            qunsetenv(name);
        else
            qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (had_)
            qputenv(name_, old_);
        else
            qunsetenv(name_);
    }

private:
    const char* name_;
    bool had_;
    QByteArray old_;
};

} // namespace

class TestCustody : public QObject {
    Q_OBJECT

private slots:
    void signedTextLayout()
    {
        CustodyEntry e;
        e.station = "st";
        e.keyId = "0123456789ABCDEF";
        e.time = "2026-11-21T16:07:38Z";
        e.action = "exported";
        e.detail = "tier 1";
        QCOMPARE(custodySignedText(e, "abc", "prev"),
                 std::string("atmosphere-custody-v1\nabc\nprev\nst\n0123456789ABCDEF\n2026-11-21T16:07:38Z\n"
                             "exported\ntier 1"));
    }

    void appendAndCheck()
    {
        Fixture f;
        QCOMPARE(f.chain.size(), std::size_t(3));
        const auto& e = f.chain[1];
        QCOMPARE(e.station, std::string("station-b"));
        QCOMPARE(e.keyId, f.b.keyId());
        QCOMPARE(e.publicKey, f.b.publicKey().base64());
        QCOMPARE(e.action, std::string("exported"));
        QCOMPARE(e.detail, std::string("tier 1 to /media/usb0"));
        QVERIFY(QRegularExpression("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$")
                    .match(QString::fromStdString(e.time))
                    .hasMatch());
        QCOMPARE(base64Decode(e.signature)->size(), std::size_t(64));
        // Linked: entry 1 signs entry 0's signature.
        std::array<std::uint8_t, 64> sig{};
        std::memcpy(sig.data(), base64Decode(e.signature)->data(), 64);
        QVERIFY(verifyDetached(f.b.publicKey(), custodySignedText(e, kManifest, f.chain[0].signature), sig));
        QVERIFY(!verifyDetached(f.b.publicKey(), custodySignedText(e, kManifest, ""), sig));

        const auto checks = checkCustody(f.chain, kManifest, f.trust);
        QCOMPARE(validity(checks), (std::vector<bool>{true, true, true}));
        QVERIFY(checks[0].trusted && checks[1].trusted && checks[2].trusted);
        QCOMPARE(checks[0].trustedName, std::string("station A"));
        QCOMPARE(checks[1].trustedName, std::string("mesh B"));
        QCOMPARE(checks[2].entry.action, std::string("transferred"));
        QVERIFY(checkCustody({}, kManifest, f.trust).empty());
    }

    void serializeHasFixedKeyOrder()
    {
        Fixture f;
        const std::string text = serializeCustody(f.chain);
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 3L);
        QVERIFY(text.back() == '\n');
        const std::string first = text.substr(0, text.find('\n'));
        std::size_t last = 0;
        for (const char* key : {"\"station\":", "\"key_id\":", "\"public_key\":", "\"time\":", "\"action\":",
                                "\"detail\":", "\"signature\":"}) {
            const auto pos = first.find(key);
            QVERIFY2(pos != std::string::npos, key);
            QVERIFY2(pos >= last, key);
            last = pos;
        }
        QVERIFY(first.rfind("{\"station\":\"station-a\",\"key_id\":\"" + f.a.keyId() + "\"", 0) == 0);
        QCOMPARE(serializeCustody({}), std::string());
    }

    void parseRoundTrip()
    {
        Fixture f;
        auto parsed = parseCustody(serializeCustody(f.chain));
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.message().c_str());
        QCOMPARE(parsed->size(), f.chain.size());
        for (std::size_t i = 0; i < f.chain.size(); ++i) {
            QCOMPARE((*parsed)[i].station, f.chain[i].station);
            QCOMPARE((*parsed)[i].keyId, f.chain[i].keyId);
            QCOMPARE((*parsed)[i].publicKey, f.chain[i].publicKey);
            QCOMPARE((*parsed)[i].time, f.chain[i].time);
            QCOMPARE((*parsed)[i].action, f.chain[i].action);
            QCOMPARE((*parsed)[i].detail, f.chain[i].detail);
            QCOMPARE((*parsed)[i].signature, f.chain[i].signature);
        }
        QCOMPARE(serializeCustody(*parsed), serializeCustody(f.chain));
        QCOMPARE(validity(checkCustody(*parsed, kManifest, f.trust)), (std::vector<bool>{true, true, true}));
        // Empty file: an empty chain. No trailing newline is fine.
        QVERIFY(parseCustody("").ok() && parseCustody("")->empty());
        std::string noNewline = serializeCustody(f.chain);
        noNewline.pop_back();
        QCOMPARE(parseCustody(noNewline)->size(), std::size_t(3));
    }

    void nonAsciiSurvivesRoundTrip()
    {
        Fixture f;
        std::vector<CustodyEntry> chain;
        appendCustody(chain, kManifest, f.a, "Zürich-Süd 站", "exported", "to \"USB\" \\ drive\twith tab\nnewline");
        QCOMPARE(chain[0].detail, std::string("to \"USB\" \\ drive with tab newline")); // one line
        appendCustody(chain, kManifest, f.a, std::string("bad \xff utf8"), "exported", "");
        QCOMPARE(chain[1].station, std::string("bad ? utf8"));
        auto parsed = parseCustody(serializeCustody(chain));
        QVERIFY(parsed.ok());
        QCOMPARE((*parsed)[0].station, std::string("Zürich-Süd 站"));
        QCOMPARE(validity(checkCustody(*parsed, kManifest, f.trust)), (std::vector<bool>{true, true}));
    }

    void tamperedEntryBreaksItAndWhatFollows()
    {
        Fixture f;
        auto chain = f.chain;
        chain[1].detail = "tier 2 to /media/usb0";
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, false, false}));
        chain = f.chain;
        chain[0].time = "2020-01-01T00:00:00Z";
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{false, false, false}));
        chain = f.chain;
        chain[2].station = "someone-else";
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, true, false}));
        chain = f.chain;
        chain[2].signature[3] = chain[2].signature[3] == 'A' ? 'B' : 'A';
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, true, false}));
        chain = f.chain;
        chain[1].signature = "not base64!";
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, false, false}));
        // The public key is not part of the signed text, but it must be the
        // key that signed and match the key id.
        chain = f.chain;
        chain[1].publicKey = f.a.publicKey().base64();
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, false, false}));
        chain = f.chain;
        chain[1].keyId = f.a.keyId();
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, false, false}));
        // A newline smuggled into a field of a parsed entry is refused.
        chain = f.chain;
        chain[2].detail += "\n";
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, true, false}));
    }

    void tamperedLineInFile()
    {
        Fixture f;
        std::string text = serializeCustody(f.chain);
        const auto pos = text.find("tier 1 to /media/usb0");
        text.replace(pos, 6, "tier 2");
        auto parsed = parseCustody(text);
        QVERIFY(parsed.ok()); // well-formed, but no longer signed
        QCOMPARE(validity(checkCustody(*parsed, kManifest, f.trust)), (std::vector<bool>{true, false, false}));
    }

    void reorderedChainFails()
    {
        Fixture f;
        auto chain = f.chain;
        std::swap(chain[1], chain[2]);
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, false, false}));
        chain = f.chain;
        std::swap(chain[0], chain[1]);
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{false, false, false}));
    }

    void droppedMiddleEntryFails()
    {
        Fixture f;
        auto chain = f.chain;
        chain.erase(chain.begin() + 1);
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, false}));
        // Dropping the first entry breaks the new first one too.
        chain = f.chain;
        chain.erase(chain.begin());
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{false, false}));
        // Dropping the tail leaves a valid (shorter) chain: only appending is
        // possible, which is what custody means.
        chain = f.chain;
        chain.pop_back();
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, true}));
    }

    void movedToAnotherManifestFails()
    {
        Fixture f;
        QCOMPARE(validity(checkCustody(f.chain, kOtherManifest, f.trust)), (std::vector<bool>{false, false, false}));
        QCOMPARE(validity(checkCustody(f.chain, "", f.trust)), (std::vector<bool>{false, false, false}));
        // Entries appended for the other manifest do not link into this one.
        auto chain = f.chain;
        appendCustody(chain, kOtherManifest, f.b, "station-b", "exported", "");
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, true, true, false}));
    }

    void untrustedKeyIsValidButNotTrusted()
    {
        Fixture f;
        const SecretKey stranger = generateSecretKey();
        auto chain = f.chain;
        appendCustody(chain, kManifest, stranger, "unknown-station", "transferred", "");
        const auto checks = checkCustody(chain, kManifest, f.trust);
        QCOMPARE(validity(checks), (std::vector<bool>{true, true, true, true}));
        QVERIFY(!checks[3].trusted);
        QVERIFY(checks[3].trustedName.empty());
        QVERIFY(checks[0].trusted);
        // Appending after the stranger still links correctly.
        appendCustody(chain, kManifest, f.a, "station-a", "transferred", "back home");
        QCOMPARE(validity(checkCustody(chain, kManifest, f.trust)), (std::vector<bool>{true, true, true, true, true}));
    }

    void impostorWithTrustedKeyIdIsNotTrusted()
    {
        // The key number is chosen by the key's maker: anyone can claim a
        // trusted key id. Trust must follow the actual Ed25519 key.
        Fixture f;
        SecretKey impostor = generateSecretKey();
        impostor.keyNum = f.a.keyNum;
        QCOMPARE(impostor.keyId(), f.a.keyId());
        auto chain = f.chain;
        appendCustody(chain, kManifest, impostor, "station-a", "transferred", "to the attacker");
        const auto checks = checkCustody(chain, kManifest, f.trust);
        QVERIFY(checks[3].valid);    // a correct signature by the impostor's key
        QVERIFY(!checks[3].trusted); // but not the trusted key
        QVERIFY(checks[0].trusted);
    }

    void trustIsIndependentOfValidity()
    {
        Fixture f;
        auto chain = f.chain;
        chain[1].detail = "changed";
        const auto checks = checkCustody(chain, kManifest, f.trust);
        QVERIFY(!checks[1].valid);
        QVERIFY(checks[1].trusted); // the key named is trusted; the entry is not valid
        TrustStore empty(f.box / "empty-trust");
        const auto none = checkCustody(f.chain, kManifest, empty);
        QCOMPARE(validity(none), (std::vector<bool>{true, true, true}));
        QVERIFY(!none[0].trusted && !none[1].trusted && !none[2].trusted);
    }

    void parseRejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        Fixture f;
        const std::string good = serializeCustody({f.chain[0]});
        auto withField = [&](const char* key, nlohmann::json value) {
            auto j = nlohmann::ordered_json::parse(good);
            if (value.is_null())
                j.erase(key);
            else
                j[key] = value;
            return QByteArray::fromStdString(j.dump() + "\n");
        };
        QTest::newRow("not json") << QByteArray("{station: x}\n") << "line 1: not valid JSON";
        QTest::newRow("array") << QByteArray("[1,2]\n") << "line 1: not a JSON object";
        QTest::newRow("string") << QByteArray("\"x\"\n") << "line 1: not a JSON object";
        QTest::newRow("missing field") << withField("signature", nullptr) << "\"signature\" is missing";
        QTest::newRow("number field") << withField("time", 12) << "\"time\" is not a string";
        QTest::newRow("unknown field") << withField("extra", "x") << "unknown field \"extra\"";
        QTest::newRow("blank line in middle") << QByteArray::fromStdString(good + "\n" + good) << "line 2: empty line";
        QTest::newRow("second line bad") << QByteArray::fromStdString(good + "garbage\n") << "line 2: not valid JSON";
        QTest::newRow("two objects on a line")
            << QByteArray::fromStdString(good.substr(0, good.size() - 1) + good) << "line 1: not valid JSON";
    }

    void parseRejectsGarbage()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        auto r = parseCustody(text.toStdString());
        QVERIFY(!r.ok());
        QVERIFY2(r.message().rfind("custody.jsonl ", 0) == 0, r.message().c_str());
        QVERIFY2(QString::fromStdString(r.message()).contains(expected), r.message().c_str());
    }

    // ---- the station identity that signs custody entries ----

    void stationIdentityMadeOnFirstUse()
    {
        testutil::Sandbox box;
        StationHome home(box / "home");
        auto key = home.identity();
        QVERIFY2(key.ok(), key.ok() ? "" : key.message().c_str());
        const fs::path keyFile = box / "home/station/identity.key";
        QVERIFY(fs::exists(keyFile));
        QVERIFY(fs::exists(box / "home/station/identity.pub"));
        struct stat st {};
        QCOMPARE(::stat(keyFile.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QVERIFY(!secretKeyFileIsEncrypted(keyFile));
        QVERIFY(fs::is_directory(home.trustDir()));
        QVERIFY(fs::is_directory(home.keysDir()));
        // Loads the same key afterwards, from a fresh object too.
        auto again = StationHome(box / "home").identity();
        QVERIFY(again.ok());
        QVERIFY(again->sk == key->sk && again->keyNum == key->keyNum);
        auto pub = PublicKey::load(box / "home/station/identity.pub");
        QVERIFY(pub.ok());
        QVERIFY(pub->pk == key->publicKey().pk);
        // A lost public half is recreated from the secret key.
        fs::remove(box / "home/station/identity.pub");
        QVERIFY(home.identity().ok());
        QCOMPARE(PublicKey::load(box / "home/station/identity.pub")->keyId(), key->keyId());
        // A damaged identity key is an error, not silently replaced.
        testutil::writeFile(keyFile, "garbage\n");
        auto broken = home.identity();
        QVERIFY(!broken.ok());
        QVERIFY2(broken.message().find("identity.key") != std::string::npos, broken.message().c_str());
        QCOMPARE(testutil::readFile(keyFile), std::string("garbage\n"));
    }

    void stationNameFromFileOrHost()
    {
        testutil::Sandbox box;
        StationHome home(box / "home");
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        const std::string expectedHost = std::string(host).empty() ? "station" : std::string(host);
        QCOMPARE(home.stationName(), expectedHost);
        testutil::writeFile(box / "home/station/name", "  line-7 inspection bay \nignored second line\n");
        QCOMPARE(home.stationName(), std::string("line-7 inspection bay"));
        testutil::writeFile(box / "home/station/name", "\n");
        QCOMPARE(home.stationName(), expectedHost);
    }

    void defaultRootFollowsEnvironment()
    {
        {
            ScopedEnv a("ATMOSPHERE_HOME", "/srv/atmo");
            QCOMPARE(StationHome::defaultRoot(), fs::path("/srv/atmo"));
        }
        {
            ScopedEnv a("ATMOSPHERE_HOME", QByteArray());
            ScopedEnv x("XDG_DATA_HOME", "/data/xdg");
            QCOMPARE(StationHome::defaultRoot(), fs::path("/data/xdg/atmosphere"));
        }
        {
            ScopedEnv a("ATMOSPHERE_HOME", QByteArray());
            ScopedEnv x("XDG_DATA_HOME", "relative/ignored");
            ScopedEnv h("HOME", "/home/tech");
            QCOMPARE(StationHome::defaultRoot(), fs::path("/home/tech/.local/share/atmosphere"));
        }
    }

    // The rule both front ends apply: --home given wins over the environment,
    // none given is defaultRoot(), one given empty is refused.
    void resolveRootPrefersTheHomeGiven()
    {
        ScopedEnv a("ATMOSPHERE_HOME", "/srv/atmo");
        const auto given = StationHome::resolveRoot(std::string("/mnt/station"));
        QVERIFY(given.ok());
        QCOMPARE(*given, fs::path("/mnt/station"));
        const auto none = StationHome::resolveRoot(std::nullopt);
        QVERIFY(none.ok());
        QCOMPARE(*none, fs::path("/srv/atmo"));
        const auto empty = StationHome::resolveRoot(std::string());
        QVERIFY(!empty.ok());
        QCOMPARE(empty.message(), std::string("--home needs a directory"));
    }

    void custodySignedByStationIdentity()
    {
        testutil::Sandbox box;
        StationHome home(box / "home");
        auto key = home.identity();
        QVERIFY(key.ok());
        std::vector<CustodyEntry> chain;
        appendCustody(chain, kManifest, *key, home.stationName(), "exported", "tier 1");
        TrustStore trust(home.trustDir());
        // The station trusts its own key from the start, under its own name.
        auto checks = checkCustody(chain, kManifest, trust);
        QVERIFY(checks[0].valid && checks[0].trusted);
        QCOMPARE(checks[0].trustedName, home.stationName());
        QVERIFY(trust.find(key->keyId(), TrustRole::Station).has_value());

        // Another station's entry is valid but not trusted until its key is added.
        StationHome other(box / "other-home");
        auto otherKey = other.identity();
        QVERIFY(otherKey.ok());
        appendCustody(chain, kManifest, *otherKey, "depot-7", "transferred", "");
        checks = checkCustody(chain, kManifest, trust);
        QVERIFY(checks[1].valid && !checks[1].trusted);
        QVERIFY(trust.add(otherKey->publicKey(), TrustRole::Station, "depot 7").ok());
        checks = checkCustody(chain, kManifest, trust);
        QVERIFY(checks[1].valid && checks[1].trusted);
        QCOMPARE(checks[1].trustedName, std::string("depot 7"));
    }
};

ATMO_TEST_GUILESS_MAIN(TestCustody)
#include "tst_custody.moc"
