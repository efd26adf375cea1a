// Internals of the package verifier shared by its two source files: the
// checks of the signed metadata (signatures against the trust store, the
// checksum list against the manifest) and the rejection they throw.
// package_verifier.cpp walks the archive; package_verifier_metadata.cpp holds
// those checks. Not an API: include only from those.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/package/manifest.h"
#include "core/package/package_verifier.h"
#include "core/package/trust_store.h"

namespace atmo::verifier_detail {

// Thrown to reject the package; the message is the report's reason.
struct Reject {
    std::string reason;
    ErrorCode code = ErrorCode::BadData;
    VerifyProblem problem = VerifyProblem::Malformed;
    std::string path = {};  // problemPath
    std::string keyId = {}; // problemKeyId
};

SignatureCheck checkSignature(const std::string& role, const std::optional<std::string>& text,
                              const std::string& manifestBytes, const TrustStore& trust, TrustRole trustRole);
std::map<std::string, std::string> parseChecksums(const std::string& text, const Manifest& m);

} // namespace atmo::verifier_detail
