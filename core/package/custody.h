// Chain of custody: who exported or transferred a package, when. Lives in the
// archive as custody.jsonl, one JSON object per line, outside the manifest's
// signature. Each entry is signed by the acting station's key over
//   "atmosphere-custody-v1\n" manifest_sha256 "\n" previous_signature "\n"
//   station "\n" key_id "\n" time "\n" action "\n" detail
// so entries cannot be reordered, dropped from the middle, or moved to
// another package without breaking every signature after them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/package/minisign.h"
#include "core/base/result.h"

namespace atmo {

class TrustStore;

struct CustodyEntry {
    std::string station;    // station name
    std::string keyId;
    std::string publicKey;  // base64 minisign public key line
    std::string time;       // ISO 8601 UTC
    std::string action;     // "created", "exported", "transferred"
    std::string detail;     // e.g. "tier 1 to /media/usb0"
    std::string signature;  // base64 Ed25519
};

struct CustodyCheck {
    CustodyEntry entry;
    bool valid = false;       // signature checks out and links to the previous entry
    bool trusted = false;     // key is in the trust store (any role)
    std::string trustedName;  // name in the trust store
};

std::string custodySignedText(const CustodyEntry& entry, std::string_view manifestSha256,
                              std::string_view previousSignature);
// Appends a signed entry for `action` to chain.
void appendCustody(std::vector<CustodyEntry>& chain, std::string_view manifestSha256, const SecretKey& key,
                   std::string station, std::string action, std::string detail);
std::string serializeCustody(const std::vector<CustodyEntry>& chain);
// Bounds on what a reader accepts: a chain is unsigned as a whole, so its
// size must not let a stranger make verify use unbounded memory. One entry is
// well under 1 KiB; 1 MiB is some 2,000 stations handling one package.
inline constexpr std::size_t kMaxCustodyBytes = 1u << 20;
inline constexpr std::size_t kMaxCustodyLine = 8u << 10;

Result<std::vector<CustodyEntry>> parseCustody(std::string_view jsonl);
std::vector<CustodyCheck> checkCustody(const std::vector<CustodyEntry>& chain, std::string_view manifestSha256,
                                       const TrustStore& trust);

} // namespace atmo
