// minisign-format keys and signatures: byte formats, strict parsing, key files
// and hostile input (interop with the minisign binary: tst_minisign_interop.cpp).
#include <QtTest>

#include <sys/stat.h>

#include "core/package/minisign.h"
#include "minisign_fixture.h"
#include "test_main.h"
#include "testutil.h"

using namespace atmo;
using minisign_fixture::kFast;

namespace {

// Made by the stock `minisign` 0.11: `minisign -G -W -p w.pub -s w.key`, then
// `minisign -S -s w.key -m msg.txt -t "fixed vector ED" -c "made by minisign 0.11"`
// and `minisign -S -l ... -t "fixed vector Ed"` over "hello atmosphere\n".
const char* kVectorPub = "untrusted comment: minisign public key 504BAB1B2B5F5905\n"
                         "RWQFWV8rG6tLUC2bSLngG7dHNE+XRHl72e/lY8KuUDQAO9qAR5GNW3oj\n";
const char* kVectorKey =
    "untrusted comment: minisign encrypted secret key\n"
    "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABVlfKxurS1BdKytR4Eu2IAD0Oz96r+TIAD/ctdpy"
    "cyZCZUZ51QIJRS2bSLngG7dHNE+XRHl72e/lY8KuUDQAO9qAR5GNW3ojAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
const char* kVectorMessage = "hello atmosphere\n";
const char* kVectorSigED = "untrusted comment: made by minisign 0.11\n"
                           "RUQFWV8rG6tLUACpqejT3eCWHMTzPpw61LQMrux3Dnp41sUBgyklHO61csEHi0LAoK5hVawcKg5+vyOuXmXlr9XPqIA7OLQ5Bg0=\n"
                           "trusted comment: fixed vector ED\n"
                           "VA3/J254PtzrvSQi2DRjJvwhvxZDAfx/4KDSgymc6ANzB0+AtyMrkWUkfcRUmxfKayll7x/CoZAKAia8rj6zAg==\n";
const char* kVectorSigEd = "untrusted comment: signature from minisign secret key\n"
                           "RWQFWV8rG6tLUPDxoL7jebDf7dYkYFwSW8ovywPK1b4r34XDSQiggpH4DLuRN/yvTKNjAI+szSIcZGIlof/dJ7qGJjoWD37u/AI=\n"
                           "trusted comment: fixed vector Ed\n"
                           "O79qHBlN+hEzic/YhS9fVKZ9fZ4IIx4iD9KtmWS7Ijo5z7m1DGIdu5uRK6OGQQGC2ht4RMn6NLmgOWj9bfKbAQ==\n";

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        out.push_back(text.substr(start, end - start));
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return out;
}

// Decodes the key line of a key file, lets `edit` change the bytes, re-encodes.
std::string editKeyBytes(const std::string& fileText, const std::function<void(std::string&)>& edit)
{
    auto l = lines(fileText);
    auto raw = base64Decode(l.at(1));
    if (!raw)
        throw std::runtime_error("bad test key");
    edit(*raw);
    l[1] = base64Encode(reinterpret_cast<const std::uint8_t*>(raw->data()), raw->size());
    return l[0] + "\n" + l[1] + "\n";
}

} // namespace

class TestMinisign : public QObject {
    Q_OBJECT

private slots:
    void base64IsStrict()
    {
        const std::uint8_t bytes[] = {0, 1, 2, 250, 251, 252, 253};
        const std::string enc = base64Encode(bytes, sizeof bytes);
        QCOMPARE(enc, std::string("AAEC+vv8/Q=="));
        auto dec = base64Decode(enc);
        QVERIFY(dec.ok());
        QCOMPARE(*dec, std::string(reinterpret_cast<const char*>(bytes), sizeof bytes));
        QVERIFY(!base64Decode("AAEC+vv8/Q=").ok());     // bad padding
        QVERIFY(!base64Decode("AAEC-vv8_Q==").ok());    // URL-safe alphabet
        QVERIFY(!base64Decode("AAEC +vv8/Q==").ok());   // embedded space
        QVERIFY(!base64Decode("AAEC+vv8/Q==\n").ok());  // trailing newline
        QVERIFY(base64Decode("").ok());
    }

    void keyIdIsLittleEndianHex()
    {
        PublicKey k;
        k.keyNum = {{1, 2, 3, 4, 5, 6, 7, 0xAB}};
        QCOMPARE(k.keyId(), std::string("AB07060504030201"));
        k.keyNum = {{0x0F, 0, 0, 0, 0, 0, 0, 0}};
        QCOMPARE(k.keyId(), std::string("000000000000000F"));
        Signature s;
        s.keyNum = k.keyNum;
        QCOMPARE(s.keyId(), k.keyId());
    }

    void vectorsMadeByMinisign()
    {
        auto pub = PublicKey::parse(kVectorPub);
        QVERIFY2(pub.ok(), pub.ok() ? "" : pub.message().c_str());
        QCOMPARE(pub->keyId(), std::string("504BAB1B2B5F5905"));
        QCOMPARE(pub->fileText(), std::string(kVectorPub)); // our default comment is minisign's
        QVERIFY(!secretKeyIsEncrypted(kVectorKey));
        auto sk = parseSecretKey(kVectorKey, std::nullopt); // -W key: zero checksum
        QVERIFY2(sk.ok(), sk.ok() ? "" : sk.message().c_str());
        QCOMPARE(sk->publicKey().base64(), pub->base64());

        auto ed = Signature::parse(kVectorSigED);
        QVERIFY(ed.ok());
        QCOMPARE(ed->algorithm[1], std::uint8_t('D'));
        QCOMPARE(ed->untrustedComment, std::string("made by minisign 0.11"));
        QCOMPARE(ed->trustedComment, std::string("fixed vector ED"));
        QCOMPARE(ed->fileText(), std::string(kVectorSigED));
        QVERIFY(verifySignature(*ed, *pub, kVectorMessage).ok());
        QVERIFY(!verifySignature(*ed, *pub, "hello atmosphere!\n").ok());

        auto legacy = Signature::parse(kVectorSigEd);
        QVERIFY(legacy.ok());
        QCOMPARE(legacy->algorithm[1], std::uint8_t('d'));
        QVERIFY(verifySignature(*legacy, *pub, kVectorMessage).ok());
        QVERIFY(!verifySignature(*legacy, *pub, "hello atmosphere").ok());

        // What we sign with the minisign-made key verifies with its public key.
        auto ours = Signature::parse(signMessage(*sk, kVectorMessage, "ours").fileText());
        QVERIFY(ours.ok());
        QVERIFY(verifySignature(*ours, *pub, kVectorMessage).ok());
    }

    void publicKeyRoundTrip()
    {
        testutil::Sandbox box;
        const SecretKey sk = generateSecretKey();
        const PublicKey pk = sk.publicKey();
        QCOMPARE(pk.keyId().size(), std::size_t(16));
        const std::string text = pk.fileText("mesh authority 2026");
        QVERIFY(text.rfind("untrusted comment: mesh authority 2026\n", 0) == 0);
        auto parsed = PublicKey::parse(text);
        QVERIFY(parsed.ok());
        QVERIFY(parsed->keyNum == pk.keyNum && parsed->pk == pk.pk);
        auto fromLine = PublicKey::fromBase64(" " + pk.base64() + "\n");
        QVERIFY(fromLine.ok());
        QVERIFY(fromLine->pk == pk.pk);
        // CRLF files parse too.
        std::string crlf = text;
        crlf.replace(crlf.find('\n'), 1, "\r\n");
        QVERIFY(PublicKey::parse(crlf).ok());
        testutil::writeFile(box / "k.pub", text);
        auto loaded = PublicKey::load(box / "k.pub");
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->keyId(), pk.keyId());
        // A comment with a newline must not break the file.
        auto odd = PublicKey::parse(pk.fileText("two\nlines"));
        QVERIFY(odd.ok());
    }

    void publicKeyRejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("text");
        const std::string line = generateSecretKey().publicKey().base64();
        const std::string good = "untrusted comment: x\n" + line + "\n";
        auto bytes = [](const std::string& s) { return QByteArray::fromStdString(s); };
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("no comment") << bytes(line + "\n");
        QTest::newRow("comment only") << bytes("untrusted comment: x\n");
        QTest::newRow("not base64") << bytes("untrusted comment: x\nthis is not a key!\n");
        QTest::newRow("short") << bytes("untrusted comment: x\n" + line.substr(0, 40) + "\n");
        QTest::newRow("extra line") << bytes(good + "junk\n");
        QTest::newRow("secret key") << bytes(secretKeyFileText(generateSecretKey(), std::nullopt));
        // Wrong algorithm bytes.
        auto raw = base64Decode(line).value();
        raw[1] = 'X';
        QTest::newRow("algorithm")
            << bytes("untrusted comment: x\n" +
                     base64Encode(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()) + "\n");
    }

    void publicKeyRejectsGarbage()
    {
        QFETCH(QByteArray, text);
        testutil::Sandbox box;
        testutil::writeFile(box / "key.pub", text.toStdString());
        auto r = PublicKey::load(box / "key.pub");
        QVERIFY(!r.ok());
        const std::string expected = (box / "key.pub").string() + ": not a minisign public key";
        QVERIFY2(r.message().rfind(expected, 0) == 0, r.message().c_str());
        QVERIFY(!PublicKey::parse(text.toStdString()).ok());
    }

    void missingFileIsNamed()
    {
        testutil::Sandbox box;
        auto r = PublicKey::load(box / "nope.pub");
        QVERIFY(!r.ok());
        QVERIFY(r.message().find("nope.pub") != std::string::npos);
        QVERIFY(!secretKeyFileIsEncrypted(box / "nope.key"));
    }

    void encryptedSecretKeyRoundTrip()
    {
        testutil::Sandbox box;
        const SecretKey key = generateSecretKey();
        const std::string text = secretKeyFileText(key, std::string("correct horse"), kFast);
        QVERIFY(secretKeyIsEncrypted(text));
        // The key material is not in the file in the clear.
        const auto raw = base64Decode(lines(text).at(1)).value();
        QCOMPARE(raw.size(), std::size_t(158));
        QCOMPARE(raw.substr(0, 6), std::string("EdScB2"));
        QVERIFY(raw.find(std::string(reinterpret_cast<const char*>(key.sk.data()), 64)) == std::string::npos);
        // Random salt: the same key encrypts differently each time.
        QVERIFY(secretKeyFileText(key, std::string("correct horse"), kFast) != text);

        auto back = parseSecretKey(text, std::string("correct horse"));
        QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
        QVERIFY(back->keyNum == key.keyNum && back->sk == key.sk);

        testutil::writeFile(box / "alice.key", text);
        QVERIFY(secretKeyFileIsEncrypted(box / "alice.key"));
        // Each failure says which kind it is, for the window to word.
        SecretKeyProblem problem = SecretKeyProblem::None;
        auto wrong = loadSecretKey(box / "alice.key", std::string("correct horse!"), &problem);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.message(), (box / "alice.key").string() + ": wrong password");
        QCOMPARE(problem, SecretKeyProblem::WrongPassword);
        auto none = loadSecretKey(box / "alice.key", std::nullopt, &problem);
        QVERIFY(!none.ok());
        QVERIFY2(none.message().find("encrypted") != std::string::npos, none.message().c_str());
        QCOMPARE(problem, SecretKeyProblem::NeedsPassword);
        QVERIFY(!loadSecretKey(box / "nobody.key", std::nullopt, &problem).ok());
        QCOMPARE(problem, SecretKeyProblem::Unreadable);
        testutil::writeFile(box / "not-a-key.key", "untrusted comment: hello\nnot base64 at all\n");
        QVERIFY(!loadSecretKey(box / "not-a-key.key", std::nullopt, &problem).ok());
        QCOMPARE(problem, SecretKeyProblem::NotAKey);
        QVERIFY(loadSecretKey(box / "alice.key", std::string("correct horse")).ok());
        // Default parameters (what the station writes) also round-trip.
        const std::string slow = secretKeyFileText(key, std::string("pw"));
        const auto slowRaw = base64Decode(lines(slow).at(1)).value();
        QCOMPARE(static_cast<unsigned char>(slowRaw[38 + 2]), static_cast<unsigned char>(0x10)); // opslimit 2^20 LE
        QCOMPARE(static_cast<unsigned char>(slowRaw[46 + 3]), static_cast<unsigned char>(0x02)); // memlimit 2^25 LE
        QVERIFY(parseSecretKey(slow, std::string("pw")).ok());
    }

    void unencryptedSecretKeyRoundTrip()
    {
        const SecretKey key = generateSecretKey();
        const std::string text = secretKeyFileText(key, std::nullopt);
        QVERIFY(!secretKeyIsEncrypted(text));
        const auto raw = base64Decode(lines(text).at(1)).value();
        QCOMPARE(raw.substr(0, 6), std::string("Ed\0\0B2", 6));
        auto back = parseSecretKey(text, std::string("ignored"));
        QVERIFY(back.ok());
        QVERIFY(back->sk == key.sk && back->keyNum == key.keyNum);
        QCOMPARE(back->keyId(), key.keyId());
    }

    void damagedSecretKeys()
    {
        const SecretKey key = generateSecretKey();
        const std::string plain = secretKeyFileText(key, std::nullopt);
        // minisign's own -W keys carry a zero checksum: accepted.
        auto zeroChk = editKeyBytes(plain, [](std::string& r) { std::fill(r.begin() + 126, r.end(), '\0'); });
        QVERIFY(parseSecretKey(zeroChk, std::nullopt).ok());
        // A flipped bit in the secret key: the checksum catches it.
        auto skFlip = editKeyBytes(plain, [](std::string& r) { r[70] ^= 0x01; });
        auto r1 = parseSecretKey(skFlip, std::nullopt, "plain.key");
        QVERIFY(!r1.ok());
        QVERIFY2(r1.message().rfind("plain.key: the secret key is damaged", 0) == 0, r1.message().c_str());
        // ... and without a checksum, the public half no longer matches the seed.
        auto skFlipNoChk = editKeyBytes(zeroChk, [](std::string& r) { r[120] ^= 0x01; });
        auto r2 = parseSecretKey(skFlipNoChk, std::nullopt, "plain.key");
        QVERIFY(!r2.ok());
        QVERIFY2(r2.message().find("damaged") != std::string::npos, r2.message().c_str());
        // Encrypted: a flipped ciphertext bit is caught by the checksum.
        const std::string enc = secretKeyFileText(key, std::string("pw"), kFast);
        auto encFlip = editKeyBytes(enc, [](std::string& r) { r[80] ^= 0x10; });
        QVERIFY(!parseSecretKey(encFlip, std::string("pw")).ok());
        // Unknown algorithms.
        auto kdf = editKeyBytes(enc, [](std::string& r) { r[2] = 'X'; });
        auto r3 = parseSecretKey(kdf, std::string("pw"), "k.key");
        QVERIFY(!r3.ok() && r3.message().find("key derivation") != std::string::npos);
        auto chkAlg = editKeyBytes(enc, [](std::string& r) { r[5] = '3'; });
        QVERIFY(!parseSecretKey(chkAlg, std::string("pw")).ok());
        auto sigAlg = editKeyBytes(plain, [](std::string& r) { r[1] = 'D'; });
        QVERIFY(!parseSecretKey(sigAlg, std::nullopt).ok());
        // Truncated, junk, public key given as secret key.
        auto l = lines(plain);
        auto r4 = parseSecretKey(l[0] + "\n" + l[1].substr(0, 100) + "\n", std::nullopt, "short.key");
        QVERIFY(!r4.ok());
        QVERIFY2(r4.message().rfind("short.key: not a minisign secret key", 0) == 0, r4.message().c_str());
        QVERIFY(!parseSecretKey("", std::nullopt).ok());
        QVERIFY(!parseSecretKey(key.publicKey().fileText(), std::nullopt).ok());
        QVERIFY(!parseSecretKey(plain + "more\n", std::nullopt).ok());
        // Absurd scrypt parameters are refused before any allocation.
        auto huge = editKeyBytes(enc, [](std::string& r) { r[46 + 7] = 0x7f; });
        auto r5 = parseSecretKey(huge, std::string("pw"));
        QVERIFY(!r5.ok() && r5.message().find("out of range") != std::string::npos);
    }

    void writeKeyPairFiles()
    {
        testutil::Sandbox box;
        const SecretKey key = generateSecretKey();
        auto pub = writeKeyPair(box / "keys", "mesh", key, std::string("pw"), kFast);
        QVERIFY2(pub.ok(), pub.ok() ? "" : pub.message().c_str());
        QCOMPARE(pub->keyId(), key.keyId());
        struct stat st {};
        QCOMPARE(::stat((box / "keys/mesh.key").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        auto loadedPub = PublicKey::load(box / "keys/mesh.pub");
        QVERIFY(loadedPub.ok());
        QVERIFY(loadedPub->pk == key.publicKey().pk);
        {
            // The comment names the key id as minisign does: hex, no zero padding.
            const std::string text = testutil::readFile(box / "keys/mesh.pub");
            const std::string marker = "untrusted comment: minisign public key ";
            QVERIFY(text.rfind(marker, 0) == 0);
            const std::string printed = text.substr(marker.size(), text.find('\n') - marker.size());
            QVERIFY2(printed.front() != '0' || printed == "0", printed.c_str());
            QCOMPARE(std::stoull(printed, nullptr, 16), std::stoull(key.keyId(), nullptr, 16));
        }
        auto loaded = loadSecretKey(box / "keys/mesh.key", std::string("pw"));
        QVERIFY(loaded.ok());
        QVERIFY(loaded->sk == key.sk);
        // Refuses to overwrite, and leaves the existing pair alone.
        const std::string before = testutil::readFile(box / "keys/mesh.key");
        auto again = writeKeyPair(box / "keys", "mesh", generateSecretKey(), std::nullopt);
        QVERIFY(!again.ok());
        QVERIFY2(again.message().find("already exists") != std::string::npos, again.message().c_str());
        QCOMPARE(testutil::readFile(box / "keys/mesh.key"), before);
        QVERIFY(!writeKeyPair(box / "keys", "../evil", key, std::nullopt).ok());
        QVERIFY(!writeKeyPair(box / "keys", "", key, std::nullopt).ok());
        // No temporary files left behind.
        int count = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(box / "keys"))
            ++count;
        QCOMPARE(count, 2);
    }

    void signVerifyRoundTrip()
    {
        const SecretKey key = generateSecretKey();
        const std::string message("binary \0 data\r\n", 16);
        const Signature sig = signMessage(key, message, "timestamp:1\tfile:manifest.yaml");
        QCOMPARE(sig.keyId(), key.keyId());
        QCOMPARE(sig.algorithm[0], std::uint8_t('E'));
        QCOMPARE(sig.algorithm[1], std::uint8_t('D'));
        auto parsed = Signature::parse(sig.fileText());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->trustedComment, std::string("timestamp:1\tfile:manifest.yaml"));
        QCOMPARE(parsed->untrustedComment, std::string("signature from atmosphere station secret key"));
        QVERIFY(verifySignature(*parsed, key.publicKey(), message).ok());
        QCOMPARE(parsed->fileText(), sig.fileText());
        // Empty message and empty trusted comment are fine.
        QVERIFY(verifySignature(signMessage(key, "", ""), key.publicKey(), "").ok());
    }

    void tamperedMessageFails()
    {
        const SecretKey key = generateSecretKey();
        const Signature sig = signMessage(key, "package: a\nversion: 1\n", "tc");
        auto st = verifySignature(sig, key.publicKey(), "package: a\nversion: 2\n");
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("does not match the data") != std::string::npos, st.message().c_str());
        QVERIFY(!verifySignature(sig, key.publicKey(), "package: a\nversion: 1").ok());
        Signature flipped = sig;
        flipped.sig[5] ^= 1;
        QVERIFY(!verifySignature(flipped, key.publicKey(), "package: a\nversion: 1\n").ok());
    }

    void tamperedTrustedCommentFails()
    {
        const SecretKey key = generateSecretKey();
        const Signature sig = signMessage(key, "data", "timestamp:100\tfile:manifest.yaml");
        std::string text = sig.fileText();
        const auto pos = text.find("timestamp:100");
        text.replace(pos, 13, "timestamp:999");
        auto parsed = Signature::parse(text);
        QVERIFY(parsed.ok());
        auto st = verifySignature(*parsed, key.publicKey(), "data");
        QVERIFY(!st.ok());
        QVERIFY2(st.message().find("trusted comment") != std::string::npos, st.message().c_str());
        // The untrusted comment is not covered; changing it is harmless.
        std::string text2 = sig.fileText();
        text2.replace(0, text2.find('\n'), "untrusted comment: anything");
        QVERIFY(verifySignature(Signature::parse(text2).value(), key.publicKey(), "data").ok());
        Signature g = sig;
        g.globalSig[0] ^= 0x80;
        QVERIFY(!verifySignature(g, key.publicKey(), "data").ok());
    }

    void keyIdMismatchIsNamed()
    {
        const SecretKey signer = generateSecretKey();
        const SecretKey other = generateSecretKey();
        const Signature sig = signMessage(signer, "data", "tc");
        auto st = verifySignature(sig, other.publicKey(), "data");
        QVERIFY(!st.ok());
        QCOMPARE(st.message(), "signature was made by key " + signer.keyId() + " but the key given is " +
                                   other.keyId());
        // Same key number, different key: the signature itself fails.
        PublicKey impostor = other.publicKey();
        impostor.keyNum = signer.keyNum;
        auto st2 = verifySignature(sig, impostor, "data");
        QVERIFY(!st2.ok());
        QVERIFY(st2.message().find("does not match") != std::string::npos);
    }

    void legacySignaturesVerify()
    {
        const SecretKey key = generateSecretKey();
        Signature s;
        s.algorithm = {{'E', 'd'}};
        s.keyNum = key.keyNum;
        s.untrustedComment = "legacy";
        s.trustedComment = "old style";
        s.sig = signDetached(key, "raw message");
        s.globalSig = signDetached(key, std::string(reinterpret_cast<const char*>(s.sig.data()), 64) + "old style");
        auto parsed = Signature::parse(s.fileText());
        QVERIFY(parsed.ok());
        QVERIFY(verifySignature(*parsed, key.publicKey(), "raw message").ok());
        QVERIFY(!verifySignature(*parsed, key.publicKey(), "raw messagE").ok());
        // A legacy signature is not a prehashed one: relabelling it fails.
        Signature relabelled = *parsed;
        relabelled.algorithm = {{'E', 'D'}};
        QVERIFY(!verifySignature(relabelled, key.publicKey(), "raw message").ok());
        Signature unknown = *parsed;
        unknown.algorithm = {{'X', 'Y'}};
        QVERIFY(!verifySignature(unknown, key.publicKey(), "raw message").ok());
    }

    void signatureRejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("text");
        const SecretKey key = generateSecretKey();
        const auto l = lines(signMessage(key, "m", "tc").fileText());
        auto join = [](std::initializer_list<std::string> parts) {
            std::string s;
            for (const auto& p : parts)
                s += p + "\n";
            return QByteArray::fromStdString(s);
        };
        auto raw = base64Decode(l[1]).value();
        raw[1] = 'x';
        const std::string badAlg = base64Encode(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("three lines") << join({l[0], l[1], l[2]});
        QTest::newRow("no untrusted prefix") << join({"comment: x", l[1], l[2], l[3]});
        QTest::newRow("no trusted prefix") << join({l[0], l[1], "comment: tc", l[3]});
        QTest::newRow("bad sig base64") << join({l[0], "@@@@", l[2], l[3]});
        QTest::newRow("short sig") << join({l[0], l[1].substr(0, 60), l[2], l[3]});
        QTest::newRow("bad global") << join({l[0], l[1], l[2], l[3].substr(4)});
        QTest::newRow("extra line") << join({l[0], l[1], l[2], l[3], "more"});
        QTest::newRow("algorithm") << join({l[0], badAlg, l[2], l[3]});
        QTest::newRow("public key") << QByteArray::fromStdString(key.publicKey().fileText());
        QTest::newRow("long trusted") << join({l[0], l[1], "trusted comment: " + std::string(9000, 'a'), l[3]});
    }

    void signatureRejectsGarbage()
    {
        QFETCH(QByteArray, text);
        auto r = Signature::parse(text.toStdString());
        QVERIFY(!r.ok());
        QVERIFY(!r.message().empty());
    }

    void commentsStayOneLine()
    {
        const SecretKey key = generateSecretKey();
        bool threw = false;
        try {
            (void)signMessage(key, "m", "two\nlines");
        } catch (const Failure&) {
            threw = true;
        }
        QVERIFY(threw);
        const Signature s = signMessage(key, "m", "tc", "untrusted\nwith newline");
        auto parsed = Signature::parse(s.fileText());
        QVERIFY(parsed.ok());
        QVERIFY(verifySignature(*parsed, key.publicKey(), "m").ok());
        // Very long untrusted comments are cut so minisign can still read them.
        const Signature longComment = signMessage(key, "m", "tc", std::string(5000, 'c'));
        QVERIFY(lines(longComment.fileText()).at(0).size() < 1023);
        QVERIFY(Signature::parse(longComment.fileText()).ok());
    }

    void detachedSignatures()
    {
        const SecretKey key = generateSecretKey();
        const auto sig = signDetached(key, "custody text");
        QVERIFY(verifyDetached(key.publicKey(), "custody text", sig));
        QVERIFY(!verifyDetached(key.publicKey(), "custody texT", sig));
        QVERIFY(!verifyDetached(generateSecretKey().publicKey(), "custody text", sig));
        auto bad = sig;
        bad[63] ^= 1;
        QVERIFY(!verifyDetached(key.publicKey(), "custody text", bad));
    }
};

ATMO_TEST_GUILESS_MAIN(TestMinisign)
#include "tst_minisign.moc"
