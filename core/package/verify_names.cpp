// The fixed English names of the verifier's states and problem kinds, for
// the CLI's JSON and logs (package_verifier.h).
#include "core/package/package_verifier.h"

namespace atmo {

std::string_view signatureStateName(SignatureState s)
{
    switch (s) {
    case SignatureState::Valid: return "valid";
    case SignatureState::Invalid: return "invalid";
    case SignatureState::Missing: return "missing";
    case SignatureState::Untrusted: return "untrusted";
    }
    return "invalid";
}

std::string_view fileStateName(FileState s)
{
    switch (s) {
    case FileState::Pending: return "pending";
    case FileState::Ok: return "ok";
    case FileState::Failed: return "failed";
    case FileState::Missing: return "missing";
    case FileState::NotInArchive: return "not in archive";
    }
    return "pending";
}

std::string_view verifyProblemName(VerifyProblem p)
{
    switch (p) {
    case VerifyProblem::None: return "none";
    case VerifyProblem::Unreadable: return "unreadable";
    case VerifyProblem::NotAPackage: return "not-a-package";
    case VerifyProblem::Damaged: return "damaged";
    case VerifyProblem::NoMeshSignature: return "no-mesh-signature";
    case VerifyProblem::UntrustedSigner: return "untrusted-signer";
    case VerifyProblem::BadMeshSignature: return "bad-mesh-signature";
    case VerifyProblem::BadFounderSignature: return "bad-founder-signature";
    case VerifyProblem::FounderSignatureMissing: return "founder-signature-missing";
    case VerifyProblem::SignerMismatch: return "signer-mismatch";
    case VerifyProblem::FileAltered: return "file-altered";
    case VerifyProblem::FileWrongSize: return "file-wrong-size";
    case VerifyProblem::FileTruncated: return "file-truncated";
    case VerifyProblem::FileMissing: return "file-missing";
    case VerifyProblem::WrongTierExport: return "wrong-tier-export";
    case VerifyProblem::NoTierFits: return "no-tier-fits";
    case VerifyProblem::Malformed: return "malformed";
    case VerifyProblem::Cancelled: return "cancelled";
    case VerifyProblem::Other: return "other";
    }
    return "other";
}

} // namespace atmo
