#include "core/package/package_history.h"

#include <chrono>
#include <system_error>

#include "core/package/package_verifier.h"

namespace atmo {

namespace fs = std::filesystem;

void PackageHistory::apply(PackageEvent event, const std::string& at, const std::string& stamp, int drives)
{
    const bool passed = event != PackageEvent::VerifyFailed;
    verifiedAt = at;
    verifiedOk = passed;
    verifiedStamp = stamp;
    if (event == PackageEvent::Exported) {
        exportedAt = at;
        exportedDrives = drives;
    } else if (event == PackageEvent::Installed) {
        installedAt = at;
    }
}

std::string fileStamp(const fs::path& file)
{
    std::error_code ec;
    const auto bytes = fs::file_size(file, ec);
    if (ec)
        return {};
    const auto mtime = fs::last_write_time(file, ec);
    if (ec)
        return {};
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
    return std::to_string(bytes) + ":" + std::to_string(ns);
}

std::optional<PackageEvent> eventOf(const VerifyReport& report, bool installed)
{
    if (report.ok)
        return installed ? PackageEvent::Installed : PackageEvent::Verified;
    using P = VerifyProblem;
    switch (report.problem) {
    case P::NotAPackage:
    case P::Damaged:
    case P::NoMeshSignature:
    case P::UntrustedSigner:
    case P::BadMeshSignature:
    case P::BadFounderSignature:
    case P::FounderSignatureMissing:
    case P::SignerMismatch:
    case P::FileAltered:
    case P::FileWrongSize:
    case P::FileTruncated:
    case P::FileMissing:
    case P::Malformed: return PackageEvent::VerifyFailed;
    case P::None:
    case P::Unreadable:
    case P::WrongTierExport:
    case P::NoTierFits:
    case P::Cancelled:
    case P::Other: break;
    }
    return std::nullopt;
}

PackageState packageState(const PackageHistory& history, const fs::path& file)
{
    if (history.verifiedAt.empty())
        return PackageState::NotVerified;
    if (changedSinceVerified(history, file))
        return PackageState::Changed;
    return history.verifiedOk ? PackageState::Good : PackageState::Failed;
}

bool changedSinceVerified(const PackageHistory& history, const fs::path& file)
{
    return !history.verifiedAt.empty() && history.verifiedStamp != fileStamp(file);
}

} // namespace atmo
