// The checks of a package's signed metadata: each signature (mesh authority,
// founder) parsed, looked up in the trust store under its role and verified
// over the manifest's bytes, and checksums.sha256 parsed and held against the
// signed manifest (format, known paths, equal hashes, no duplicates). Walking
// the archive and hashing the content stay in package_verifier.cpp.
#include "core/package/package_verifier_metadata.h"

#include "core/package/minisign.h"

namespace atmo::verifier_detail {

SignatureCheck checkSignature(const std::string& role, const std::optional<std::string>& text,
                              const std::string& manifestBytes, const TrustStore& trust, TrustRole trustRole)
{
    SignatureCheck c;
    c.role = role;
    if (!text) {
        c.state = SignatureState::Missing;
        c.message = "no signature";
        return c;
    }
    auto sig = Signature::parse(*text);
    if (!sig) {
        c.state = SignatureState::Invalid;
        c.message = sig.message();
        return c;
    }
    c.keyId = sig->keyId();
    auto trusted = trust.find(c.keyId, trustRole);
    if (!trusted) {
        c.state = SignatureState::Untrusted;
        c.message = "key " + c.keyId + " is not trusted as " + std::string(roleName(trustRole));
        // Still tell whether it is mathematically valid for a key we know under another role.
        return c;
    }
    c.trusted = true;
    c.trustedName = trusted->name;
    auto ok = verifySignature(*sig, trusted->key, manifestBytes);
    if (!ok) {
        c.state = SignatureState::Invalid;
        c.message = ok.message();
        return c;
    }
    c.state = SignatureState::Valid;
    c.trustedComment = sig->trustedComment;
    return c;
}

namespace {

struct ChecksumLine {
    std::string hash;
    std::string path;
};

} // namespace

std::map<std::string, std::string> parseChecksums(const std::string& text, const Manifest& m)
{
    std::map<std::string, std::string> out;
    std::size_t lineNo = 0, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        ++lineNo;
        if (line.empty())
            continue;
        const std::string where = std::string(kChecksumsName) + " line " + std::to_string(lineNo);
        if (line.size() < 67 || line.compare(64, 2, "  ") != 0)
            throw Reject{where + " is not in sha256sum's format"};
        const std::string hash = line.substr(0, 64), path = line.substr(66);
        const ContentFile* f = m.findArchived(path);
        if (!f)
            throw Reject{where + " lists " + path + ", which the manifest does not"};
        if (f->sha256 != hash)
            throw Reject{where + " gives " + path + " a hash that differs from the signed manifest"};
        if (!out.emplace(path, hash).second)
            throw Reject{where + " lists " + path + " twice"};
    }
    return out;
}

} // namespace atmo::verifier_detail
