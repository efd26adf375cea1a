// Node identity (core/base/node_key.h): Ed25519 against RFC 8032's first test
// vector, node_id as PROTOCOL.md derives it, signatures that fail for each
// reason, key files made 0600 and never replaced, and the station home's
// node key, node id and mesh keys (core/package/station_home.h).
#include <QTest>

#include <sys/stat.h>

#include "core/base/base64.h"
#include "core/base/node_key.h"
#include "core/base/sha256.h"
#include "core/package/station_home.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using namespace testutil;

namespace {

std::string unhex(std::string_view hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
    return out;
}

unsigned modeOf(const fs::path& p)
{
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 0777;
}

// RFC 8032 section 7.1, TEST 1 (empty message).
const char* kSeedHex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const char* kPublicHex = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const char* kSigHex = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

} // namespace

class TestNodeKey : public QObject {
    Q_OBJECT
private slots:
    void rfc8032Vector()
    {
        auto key = NodeKey::fromSeed(unhex(kSeedHex));
        QVERIFY(key);
        QCOMPARE(toHex(key->publicKey().data(), 32), std::string(kPublicHex));
        QCOMPARE(key->sign(""), base64Encode(unhex(kSigHex)));
        QVERIFY(verifySignature(key->publicKey(), "", base64Encode(unhex(kSigHex))));
        QVERIFY(verifySignature(key->publicKeyBase64(), "", key->sign("")));
        // node_id: the first 16 hex digits of SHA-256 over the raw public key.
        QCOMPARE(key->nodeId(), sha256Hex(unhex(kPublicHex)).substr(0, 16));
        QCOMPARE(key->nodeId().size(), std::size_t(16));
        QCOMPARE(NodeKey::fromSeed("short").code(), ErrorCode::Usage);
    }

    void signaturesThatFail()
    {
        const NodeKey key = NodeKey::generate();
        const NodeKey other = NodeKey::generate();
        QVERIFY(key.nodeId() != other.nodeId());
        const std::string sig = key.sign("mesh-1");
        QVERIFY(verifySignature(key.publicKey(), "mesh-1", sig)); // or the failures below prove nothing

        Status s = verifySignature(key.publicKey(), "mesh-2", sig);
        QCOMPARE(s.code(), ErrorCode::Untrusted);
        QCOMPARE(s.message(), "signature does not verify with key " + key.nodeId());
        QCOMPARE(verifySignature(other.publicKey(), "mesh-1", sig).code(), ErrorCode::Untrusted);
        QCOMPARE(verifySignature(key.publicKey(), "mesh-1", other.sign("mesh-1")).code(), ErrorCode::Untrusted);

        s = verifySignature(key.publicKey(), "mesh-1", "not base64!");
        QCOMPARE(s.code(), ErrorCode::BadData);
        QCOMPARE(s.message(), std::string("signature: not a base64 Ed25519 signature (64 bytes)"));
        QCOMPARE(verifySignature(key.publicKey(), "mesh-1", base64Encode(std::string(63, 'x'))).code(),
                 ErrorCode::BadData);
        QCOMPARE(verifySignature(key.publicKey(), "mesh-1", sig + "AAAA").code(), ErrorCode::BadData);

        s = verifySignature(base64Encode(std::string(31, 'k')), "mesh-1", sig);
        QCOMPARE(s.code(), ErrorCode::BadData);
        QCOMPARE(s.message(), std::string("public key: not a base64 Ed25519 public key (32 bytes)"));
        QCOMPARE(parsePublicKeyBase64("", "mesh_public_key").message(),
                 std::string("mesh_public_key: not a base64 Ed25519 public key (32 bytes)"));
        QVERIFY(parsePublicKeyBase64(key.publicKeyBase64()));
        QVERIFY(*parsePublicKeyBase64(key.publicKeyBase64()) == key.publicKey());
    }

    void fileIsMadePrivateAndReloaded()
    {
        Sandbox box;
        const fs::path file = box / "node.key";
        const mode_t old = ::umask(0); // 0600 must not depend on the umask
        auto made = NodeKey::loadOrCreate(file);
        ::umask(old);
        QVERIFY2(made, made ? "" : made.message().c_str());
        QCOMPARE(modeOf(file), 0600u);
        const std::string text = readFile(file);
        QVERIFY(text.starts_with("atmosphere-ed25519-secret-key-v1\n"));
        QCOMPARE(std::count(text.begin(), text.end(), '\n'), 2);

        auto again = NodeKey::loadOrCreate(file);
        QVERIFY(again);
        QCOMPARE(again->nodeId(), made->nodeId());
        QCOMPARE(again->sign("x"), made->sign("x"));
        QCOMPARE(readFile(file), text);

        const Status saved = NodeKey::generate().save(file);
        QVERIFY(!saved);
        QCOMPARE(saved.message(), file.string() + ": already exists; not overwriting it");
        QCOMPARE(readFile(file), text);

        QCOMPARE(NodeKey::load(box / "none.key").code(), ErrorCode::NotFound);
        // A seed written by anyone (PyNaCl's SigningKey(seed)) loads as that key.
        writeFile(box / "seed.key", "atmosphere-ed25519-secret-key-v1\n" + base64Encode(unhex(kSeedHex)));
        auto fromSeed = NodeKey::load(box / "seed.key");
        QVERIFY(fromSeed);
        QCOMPARE(toHex(fromSeed->publicKey().data(), 32), std::string(kPublicHex));
    }

    void badFilesAreRefusedNeverReplaced_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        const std::string magic = "atmosphere-ed25519-secret-key-v1\n";
        const std::string seed = base64Encode(std::string(32, 's'));
        QTest::newRow("empty") << QByteArray() << "its first line is not";
        QTest::newRow("raw 64 bytes") << QByteArray(64, 'k') << "its first line is not";
        QTest::newRow("other magic") << QByteArray(("atmosphere-ed25519-secret-key-v2\n" + seed).c_str())
                                     << "its first line is not";
        QTest::newRow("no seed") << QByteArray(magic.c_str()) << "the seed has 0 bytes, not 32";
        QTest::newRow("short seed") << QByteArray((magic + base64Encode(std::string(31, 's'))).c_str())
                                    << "the seed has 31 bytes, not 32";
        QTest::newRow("64-byte secret") << QByteArray((magic + base64Encode(std::string(64, 's'))).c_str())
                                        << "the seed has 64 bytes, not 32";
        QTest::newRow("not base64") << QByteArray((magic + "@@@@\n").c_str()) << "its second line is not base64";
        QTest::newRow("third line") << QByteArray((magic + seed + "\nmore\n").c_str()) << "more than two lines";
        QTest::newRow("CRLF") << QByteArray((magic.substr(0, magic.size() - 1) + "\r\n" + seed).c_str())
                              << "its first line is not";
        QTest::newRow("huge") << QByteArray(1 << 20, 'a') << "too large";
    }

    void badFilesAreRefusedNeverReplaced()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        Sandbox box;
        const fs::path file = box / "node.key";
        writeFile(file, content.toStdString());
        for (auto r : {NodeKey::load(file), NodeKey::loadOrCreate(file)}) {
            QVERIFY(!r);
            QCOMPARE(r.code(), ErrorCode::BadData);
            QCOMPARE(r.error().subject, file.string());
            const QString msg = QString::fromStdString(r.message());
            QVERIFY2(msg.startsWith(QString::fromStdString(file.string()) + ": not an Ed25519 key file ("), qPrintable(msg));
            QVERIFY2(msg.contains(reason), qPrintable(msg));
        }
        QCOMPARE(QByteArray::fromStdString(readFile(file)), content);
    }

    void stationHomeNodeKey()
    {
        Sandbox box;
        const StationHome home(box / "home");
        // The random node id of earlier versions is superseded, not read.
        fs::create_directories(box / "home/station");
        writeFile(box / "home/station/node_id", "0123456789abcdef0123456789abcdef\n");
        auto id = home.nodeId();
        QVERIFY2(id, id ? "" : id.message().c_str());
        QCOMPARE(home.nodeKeyFile(), box / "home/station/node.key");
        QCOMPARE(modeOf(home.nodeKeyFile()), 0600u);
        QCOMPARE(modeOf(box / "home/station"), 0700u);
        auto key = NodeKey::load(home.nodeKeyFile());
        QVERIFY(key);
        QCOMPARE(*id, key->nodeId());
        QCOMPARE(*home.nodeId(), *id);
        QCOMPARE(stationNodeId(home.root()), QString::fromStdString(*id));
        QCOMPARE(readFile(box / "home/station/node_id"), std::string("0123456789abcdef0123456789abcdef\n"));

        // Made readable to others by hand: tightened again.
        ::chmod(home.nodeKeyFile().c_str(), 0644);
        QVERIFY(home.nodeKey());
        QCOMPARE(modeOf(home.nodeKeyFile()), 0600u);

        // A damaged key is an error, not a new identity.
        writeFile(home.nodeKeyFile(), "garbage");
        QCOMPARE(home.nodeId().code(), ErrorCode::BadData);
        QCOMPARE(readFile(home.nodeKeyFile()), std::string("garbage"));
    }

    void meshIds()
    {
        for (const char* good : {"atmosphere", "plant-7.line_2", "A", "0mesh"})
            QVERIFY2(StationHome::meshIdProblem(good).empty(), good);
        QCOMPARE(StationHome::meshIdProblem(""), std::string("is empty"));
        QCOMPARE(StationHome::meshIdProblem(std::string(65, 'm')), std::string("is longer than 64 characters"));
        QVERIFY(StationHome::meshIdProblem(std::string(64, 'm')).empty());
        QCOMPARE(StationHome::meshIdProblem(".."), std::string("starts with '.'"));
        QCOMPARE(StationHome::meshIdProblem("-rf"), std::string("starts with '-'"));
        for (const char* bad : {"a/b", "a b", "mesh?x=1", "mesh%2f", "m\xc3\xa9sh", "a\\b", "a\nb"})
            QCOMPARE(StationHome::meshIdProblem(bad), std::string("has a character other than A-Z a-z 0-9 . _ -"));
    }

    void stationHomeMeshKeys()
    {
        Sandbox box;
        const StationHome home(box / "home");
        QCOMPARE(home.meshId(), std::string("atmosphere"));
        QVERIFY(home.setMeshId("plant-7"));
        QCOMPARE(home.meshId(), std::string("plant-7"));
        QCOMPARE(home.setMeshId("../x").code(), ErrorCode::Usage);
        QCOMPARE(home.meshId(), std::string("plant-7"));

        QCOMPARE(*home.meshKeyFile("plant-7"), box / "home/mesh/plant-7.key");
        auto escape = home.meshKeyFile("../station/node");
        QCOMPARE(escape.code(), ErrorCode::Usage);
        QCOMPARE(escape.message(), std::string("mesh id \"../station/node\" starts with '.'"));

        auto none = home.meshKey("plant-7");
        QCOMPARE(none.code(), ErrorCode::NotFound);
        QVERIFY2(none.message().starts_with("this station holds no key for mesh \"plant-7\""), none.message().c_str());

        auto made = home.createMeshKey("plant-7");
        QVERIFY2(made, made ? "" : made.message().c_str());
        QCOMPARE(modeOf(box / "home/mesh/plant-7.key"), 0600u);
        QCOMPARE(modeOf(box / "home/mesh"), 0700u);
        auto held = home.meshKey("plant-7");
        QVERIFY(held);
        QCOMPARE(held->publicKeyBase64(), made->publicKeyBase64());
        QVERIFY(held->nodeId() != *home.nodeId()); // the mesh key is not the node key

        const std::string before = readFile(box / "home/mesh/plant-7.key");
        auto again = home.createMeshKey("plant-7");
        QVERIFY(!again);
        QVERIFY2(again.message().find("already holds a key for mesh \"plant-7\"; not overwriting it") != std::string::npos,
                 again.message().c_str());
        QCOMPARE(readFile(box / "home/mesh/plant-7.key"), before);
    }
};

ATMO_TEST_GUILESS_MAIN(TestNodeKey)
#include "tst_node_key.moc"
