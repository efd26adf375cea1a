// Chain of custody (see custody.h). Decisions:
//  - every field of an entry is one line of valid UTF-8 without control
//    characters (appendCustody cleans them; checkCustody rejects entries
//    that have them), so the newline-joined signed text is unambiguous and
//    the JSON round trip is byte exact;
//  - an entry is valid only if its own signature checks out AND every entry
//    before it is valid: a chain is believable up to its first break, so a
//    tampered, reordered or dropped entry invalidates everything after it;
//  - "trusted" compares the whole public key (key number and Ed25519 key)
//    with the trust store, not just the key id: the key id is eight bytes
//    the signer chooses, so anyone can make a key that claims a trusted id.
#include "core/package/custody.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstring>

#include "core/base/fs_util.h"
#include "core/package/trust_store.h"
#include "core/base/utf8.h"

namespace atmo {

namespace {

constexpr std::string_view kDomain = "atmosphere-custody-v1\n";
constexpr std::array<const char*, 7> kFields = {"station", "key_id", "public_key", "time",
                                                "action",  "detail", "signature"};

// Control characters become spaces, invalid UTF-8 bytes become '?'.
std::string cleanField(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) {
            out += ' ';
            ++i;
            continue;
        }
        const std::size_t n = utf8SequenceLength(s, i);
        if (n == 0) {
            out += '?';
            ++i;
            continue;
        }
        out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

bool entryIsClean(const CustodyEntry& e)
{
    for (const std::string* f : {&e.station, &e.keyId, &e.publicKey, &e.time, &e.action, &e.detail, &e.signature})
        if (!isCleanText(*f))
            return false;
    return true;
}

// Checks the entry's own signature over its link to `previousSignature`.
bool entrySignatureValid(const CustodyEntry& e, std::string_view manifestSha256, std::string_view previousSignature)
{
    if (!entryIsClean(e))
        return false;
    auto key = PublicKey::fromBase64(e.publicKey);
    if (!key || key->keyId() != e.keyId)
        return false;
    auto sigBytes = base64Decode(e.signature);
    if (!sigBytes || sigBytes->size() != 64)
        return false;
    std::array<std::uint8_t, 64> sig{};
    std::memcpy(sig.data(), sigBytes->data(), 64);
    return verifyDetached(*key, custodySignedText(e, manifestSha256, previousSignature), sig);
}

} // namespace

std::string custodySignedText(const CustodyEntry& entry, std::string_view manifestSha256,
                              std::string_view previousSignature)
{
    std::string t(kDomain);
    t += manifestSha256;
    t += '\n';
    t += previousSignature;
    t += '\n';
    t += entry.station;
    t += '\n';
    t += entry.keyId;
    t += '\n';
    t += entry.time;
    t += '\n';
    t += entry.action;
    t += '\n';
    t += entry.detail;
    return t;
}

void appendCustody(std::vector<CustodyEntry>& chain, std::string_view manifestSha256, const SecretKey& key,
                   std::string station, std::string action, std::string detail)
{
    CustodyEntry e;
    e.station = cleanField(station);
    e.keyId = key.keyId();
    e.publicKey = key.publicKey().base64();
    e.time = utcTimestamp();
    e.action = cleanField(action);
    e.detail = cleanField(detail);
    const std::string previous = chain.empty() ? std::string() : chain.back().signature;
    const auto sig = signDetached(key, custodySignedText(e, manifestSha256, previous));
    e.signature = base64Encode(sig.data(), sig.size());
    chain.push_back(std::move(e));
}

std::string serializeCustody(const std::vector<CustodyEntry>& chain)
{
    std::string out;
    for (const auto& e : chain) {
        nlohmann::ordered_json j;
        j["station"] = e.station;
        j["key_id"] = e.keyId;
        j["public_key"] = e.publicKey;
        j["time"] = e.time;
        j["action"] = e.action;
        j["detail"] = e.detail;
        j["signature"] = e.signature;
        // Invalid UTF-8 (only possible in hand-made entries) is replaced
        // rather than throwing; such an entry fails checkCustody anyway.
        out += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        out += '\n';
    }
    return out;
}

Result<std::vector<CustodyEntry>> parseCustody(std::string_view jsonl)
{
    if (jsonl.size() > kMaxCustodyBytes)
        return fail("custody.jsonl: " + std::to_string(jsonl.size()) + " bytes, over the " +
                    std::to_string(kMaxCustodyBytes >> 20) + " MiB a chain of custody may have");
    std::vector<CustodyEntry> chain;
    std::size_t start = 0;
    int lineNo = 0;
    while (start < jsonl.size()) {
        ++lineNo;
        std::size_t end = jsonl.find('\n', start);
        if (end == std::string_view::npos)
            end = jsonl.size();
        std::string_view line = jsonl.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const std::string where = "custody.jsonl line " + std::to_string(lineNo) + ": ";
        if (line.empty())
            return fail(where + "empty line");
        if (line.size() > kMaxCustodyLine)
            return fail(where + "longer than " + std::to_string(kMaxCustodyLine) + " bytes");
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(line);
        } catch (const nlohmann::json::exception&) {
            return fail(where + "not valid JSON");
        }
        if (!j.is_object())
            return fail(where + "not a JSON object");
        for (auto it = j.begin(); it != j.end(); ++it) {
            bool known = false;
            for (const char* f : kFields)
                known = known || it.key() == f;
            if (!known)
                return fail(where + "unknown field \"" + it.key() + "\"");
        }
        std::array<std::string, 7> values;
        for (std::size_t i = 0; i < kFields.size(); ++i) {
            const auto it = j.find(kFields[i]);
            if (it == j.end())
                return fail(where + "field \"" + kFields[i] + "\" is missing");
            if (!it->is_string())
                return fail(where + "field \"" + kFields[i] + "\" is not a string");
            values[i] = it->get<std::string>();
        }
        CustodyEntry e;
        e.station = std::move(values[0]);
        e.keyId = std::move(values[1]);
        e.publicKey = std::move(values[2]);
        e.time = std::move(values[3]);
        e.action = std::move(values[4]);
        e.detail = std::move(values[5]);
        e.signature = std::move(values[6]);
        chain.push_back(std::move(e));
    }
    return chain;
}

std::vector<CustodyCheck> checkCustody(const std::vector<CustodyEntry>& chain, std::string_view manifestSha256,
                                       const TrustStore& trust)
{
    std::vector<CustodyCheck> out;
    out.reserve(chain.size());
    bool chainIntact = true;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        CustodyCheck c;
        c.entry = chain[i];
        const std::string_view previous = i == 0 ? std::string_view() : std::string_view(chain[i - 1].signature);
        c.valid = chainIntact && entrySignatureValid(chain[i], manifestSha256, previous);
        chainIntact = c.valid;
        if (auto key = PublicKey::fromBase64(chain[i].publicKey); key && key->keyId() == chain[i].keyId) {
            for (TrustRole role : {TrustRole::Station, TrustRole::Mesh, TrustRole::Founder}) {
                auto t = trust.find(chain[i].keyId, role);
                if (t && t->key.keyNum == key->keyNum && t->key.pk == key->pk) {
                    c.trusted = true;
                    c.trustedName = t->name;
                    break;
                }
            }
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace atmo
