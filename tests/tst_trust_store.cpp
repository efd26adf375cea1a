// The trust store: minisign .pub files named <role>-<KEYID>.pub in a
// directory; add, list, find, remove, persistence, and garbage in the
// directory that must never be believed.
#include <QtTest>

#include "core/package/minisign.h"
#include "core/package/trust_store.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;

namespace {

std::vector<std::string> fileNames(const fs::path& dir)
{
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

class TestTrustStore : public QObject {
    Q_OBJECT

private slots:
    void roleNames()
    {
        QCOMPARE(roleName(TrustRole::Mesh), std::string_view("mesh"));
        QCOMPARE(roleName(TrustRole::Founder), std::string_view("founder"));
        QCOMPARE(roleName(TrustRole::Station), std::string_view("station"));
        for (TrustRole r : {TrustRole::Mesh, TrustRole::Founder, TrustRole::Station})
            QCOMPARE(roleFromName(roleName(r)), std::optional<TrustRole>(r));
        QCOMPARE(roleFromName("Mesh"), std::optional<TrustRole>(TrustRole::Mesh));
        QVERIFY(!roleFromName("").has_value());
        QVERIFY(!roleFromName("meshy").has_value());
        QVERIFY(!roleFromName("admin").has_value());
    }

    void emptyStore()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        QVERIFY(store.list().empty());
        QVERIFY(!store.find("0123456789ABCDEF").has_value());
        QVERIFY(!fs::exists(box / "trust")); // reading creates nothing
    }

    void addFindList()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        const SecretKey mesh = generateSecretKey();
        const SecretKey founder = generateSecretKey();
        auto added = store.add(mesh.publicKey(), TrustRole::Mesh, "Mesh authority 2026");
        QVERIFY2(added.ok(), added.ok() ? "" : added.message().c_str());
        QCOMPARE(added->keyId(), mesh.keyId());
        QCOMPARE(added->name, std::string("Mesh authority 2026"));
        QVERIFY(store.add(founder.publicKey(), TrustRole::Founder, "Founder").ok());

        // One minisign public key file per key, readable by minisign tools.
        const fs::path meshFile = box / "trust" / ("mesh-" + mesh.keyId() + ".pub");
        QVERIFY(fs::exists(meshFile));
        QCOMPARE(testutil::readFile(meshFile), mesh.publicKey().fileText("Mesh authority 2026"));
        auto loaded = PublicKey::load(meshFile);
        QVERIFY(loaded.ok());
        QVERIFY(loaded->pk == mesh.publicKey().pk);

        auto found = store.find(mesh.keyId());
        QVERIFY(found.has_value());
        QCOMPARE(found->role, TrustRole::Mesh);
        QCOMPARE(found->name, std::string("Mesh authority 2026"));
        QVERIFY(found->key.pk == mesh.publicKey().pk && found->key.keyNum == mesh.keyNum);
        QVERIFY(store.find(mesh.keyId(), TrustRole::Mesh).has_value());
        QVERIFY(!store.find(mesh.keyId(), TrustRole::Founder).has_value());
        QVERIFY(store.find(founder.keyId(), TrustRole::Founder).has_value());
        // Key ids are hex: lowercase finds the same key; junk finds nothing.
        std::string lower = mesh.keyId();
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        QVERIFY(store.find(lower).has_value());
        QVERIFY(!store.find("../../etc/passwd").has_value());
        QVERIFY(!store.find("").has_value());
        QVERIFY(!store.find(generateSecretKey().keyId()).has_value());

        auto all = store.list();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].role, TrustRole::Mesh);
        QCOMPARE(all[1].role, TrustRole::Founder);
    }

    void listIsSortedByRoleThenName()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        QVERIFY(store.add(generateSecretKey().publicKey(), TrustRole::Station, "alpha station").ok());
        QVERIFY(store.add(generateSecretKey().publicKey(), TrustRole::Mesh, "zulu mesh").ok());
        QVERIFY(store.add(generateSecretKey().publicKey(), TrustRole::Founder, "founder").ok());
        QVERIFY(store.add(generateSecretKey().publicKey(), TrustRole::Mesh, "alpha mesh").ok());
        const auto all = store.list();
        QCOMPARE(all.size(), std::size_t(4));
        QCOMPARE(all[0].name, std::string("alpha mesh"));
        QCOMPARE(all[1].name, std::string("zulu mesh"));
        QCOMPARE(all[2].role, TrustRole::Founder);
        QCOMPARE(all[3].name, std::string("alpha station"));
    }

    void sameKeyAgainUpdatesName()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        const PublicKey k = generateSecretKey().publicKey();
        QVERIFY(store.add(k, TrustRole::Mesh, "old name").ok());
        QVERIFY(store.add(k, TrustRole::Mesh, "new name").ok());
        QCOMPARE(store.list().size(), std::size_t(1));
        QCOMPARE(store.find(k.keyId())->name, std::string("new name"));
        // The same key in another role is a second, separate entry.
        QVERIFY(store.add(k, TrustRole::Station, "as station").ok());
        QCOMPARE(store.list().size(), std::size_t(2));
        QCOMPARE(store.find(k.keyId(), TrustRole::Station)->name, std::string("as station"));
        QCOMPARE(store.find(k.keyId(), TrustRole::Mesh)->name, std::string("new name"));
    }

    void namesStayOneLine()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        const PublicKey k = generateSecretKey().publicKey();
        auto t = store.add(k, TrustRole::Founder, "evil\nsecond line\r");
        QVERIFY(t.ok());
        QCOMPARE(t->name, std::string("evil second line"));
        QCOMPARE(store.find(k.keyId())->name, std::string("evil second line"));
        QVERIFY(PublicKey::load(box / "trust" / ("founder-" + k.keyId() + ".pub")).ok());
        // An empty name gets minisign's usual comment so the file says what it is.
        const PublicKey k2 = generateSecretKey().publicKey();
        auto t2 = store.add(k2, TrustRole::Mesh, "");
        QVERIFY(t2.ok());
        QCOMPARE(t2->name, "minisign public key " + k2.keyId());
        QCOMPARE(store.find(k2.keyId())->name, t2->name);
    }

    void persistsAcrossInstances()
    {
        testutil::Sandbox box;
        const SecretKey a = generateSecretKey();
        const SecretKey b = generateSecretKey();
        {
            TrustStore store(box / "trust");
            QVERIFY(store.add(a.publicKey(), TrustRole::Mesh, "A").ok());
            QVERIFY(store.add(b.publicKey(), TrustRole::Station, "B").ok());
        }
        TrustStore again(box / "trust");
        QCOMPARE(again.list().size(), std::size_t(2));
        QCOMPARE(again.find(a.keyId())->name, std::string("A"));
        QCOMPARE(again.find(b.keyId())->role, TrustRole::Station);
        QVERIFY(again.remove(a.keyId()).ok());
        TrustStore third(box / "trust");
        QVERIFY(!third.find(a.keyId()).has_value());
        QVERIFY(third.find(b.keyId()).has_value());
        // Only the key files: no temporary files left behind.
        QCOMPARE(fileNames(box / "trust"), std::vector<std::string>{"station-" + b.keyId() + ".pub"});
    }

    void removeByRoleOrEverywhere()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        const PublicKey k = generateSecretKey().publicKey();
        QVERIFY(store.add(k, TrustRole::Mesh, "m").ok());
        QVERIFY(store.add(k, TrustRole::Founder, "f").ok());
        QVERIFY(store.add(k, TrustRole::Station, "s").ok());

        QVERIFY(store.remove(k.keyId(), TrustRole::Founder).ok());
        QVERIFY(!store.find(k.keyId(), TrustRole::Founder).has_value());
        QVERIFY(store.find(k.keyId(), TrustRole::Mesh).has_value());
        auto again = store.remove(k.keyId(), TrustRole::Founder);
        QVERIFY(!again.ok());
        QVERIFY2(again.message().find(k.keyId()) != std::string::npos, again.message().c_str());
        QVERIFY2(again.message().find("founder") != std::string::npos, again.message().c_str());

        QVERIFY(store.remove(k.keyId()).ok()); // both remaining roles
        QVERIFY(store.list().empty());
        QVERIFY(!store.remove(k.keyId()).ok());
        auto junk = store.remove("not-a-key-id");
        QVERIFY(!junk.ok());
        QVERIFY2(junk.message().find("not a key id") != std::string::npos, junk.message().c_str());
    }

    void garbageIsNeverBelieved()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        const SecretKey real = generateSecretKey();
        QVERIFY(store.add(real.publicKey(), TrustRole::Mesh, "real").ok());
        const fs::path dir = box / "trust";
        const SecretKey other = generateSecretKey();
        const std::string otherId = other.keyId();

        // Junk content under a valid-looking name.
        testutil::writeFile(dir / ("mesh-" + otherId + ".pub"), "this is not a key\n");
        // A valid key under another key's id: the name lies about the key.
        const SecretKey liar = generateSecretKey();
        testutil::writeFile(dir / ("founder-" + otherId + ".pub"), liar.publicKey().fileText("liar"));
        // A valid key in a file whose name the store does not use.
        testutil::writeFile(dir / ("admin-" + liar.keyId() + ".pub"), liar.publicKey().fileText("x"));
        testutil::writeFile(dir / ("mesh-" + liar.keyId() + ".pub.bak"), liar.publicKey().fileText("x"));
        testutil::writeFile(dir / ("mesh-" + liar.keyId() + ".PUB"), liar.publicKey().fileText("x"));
        std::string lowerId = liar.keyId();
        for (auto& c : lowerId)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lowerId != liar.keyId())
            testutil::writeFile(dir / ("mesh-" + lowerId + ".pub"), liar.publicKey().fileText("x"));
        testutil::writeFile(dir / (".mesh-" + liar.keyId() + ".pub.part-abc123"), liar.publicKey().fileText("x"));
        testutil::writeFile(dir / "README", "notes\n");
        // A key file with extra trailing junk.
        testutil::writeFile(dir / ("station-" + liar.keyId() + ".pub"), liar.publicKey().fileText("x") + "junk\n");
        // A directory with a key-like name.
        fs::create_directories(dir / ("mesh-" + std::string(16, 'A') + ".pub"));
        // A symbolic link to a real key file.
        fs::create_symlink(dir / ("mesh-" + real.keyId() + ".pub"), dir / ("station-" + real.keyId() + ".pub"));

        const auto all = store.list();
        QCOMPARE(all.size(), std::size_t(1));
        QCOMPARE(all[0].name, std::string("real"));
        QVERIFY(!store.find(otherId).has_value());
        QVERIFY(!store.find(liar.keyId()).has_value());
        QVERIFY(!store.find(std::string(16, 'A')).has_value());
        QVERIFY(!store.find(real.keyId(), TrustRole::Station).has_value());
        QVERIFY(store.find(real.keyId(), TrustRole::Mesh).has_value());
    }

    void rejectsInvalidKeys()
    {
        testutil::Sandbox box;
        TrustStore store(box / "trust");
        PublicKey zero; // the all-zero point is of small order: never a real key
        auto r = store.add(zero, TrustRole::Mesh, "zero");
        QVERIFY(!r.ok());
        QVERIFY2(r.message().find("not a valid Ed25519 public key") != std::string::npos, r.message().c_str());
        QVERIFY(store.list().empty());
    }

    void unwritableDirectoryIsAnError()
    {
        testutil::Sandbox box;
        testutil::writeFile(box / "file", "x");
        TrustStore store(box / "file" / "trust"); // a file where a directory should be
        auto r = store.add(generateSecretKey().publicKey(), TrustRole::Mesh, "k");
        QVERIFY(!r.ok());
        QVERIFY2(r.message().find((box / "file").string()) != std::string::npos, r.message().c_str());
    }
};

ATMO_TEST_GUILESS_MAIN(TestTrustStore)
#include "tst_trust_store.moc"
