// Exports a package (whole, or one tier's subset) to one or more target
// directories. One read of the source feeds every target. Per target: write
// under a temporary name while hashing what is written, fsync file and
// directory, drop the page cache and read the file back, compare with the
// hash taken while writing, and only then rename to its final name. A chain
// of custody entry signed by the station key records the export. (What is
// written is hashed with SHA-256, reported, and with a keyed Poly1305 tag
// that the read-back is compared with: see readback_tag.h for why.)
//
// Why drop the cache before reading back: without it the read-back can be
// served from the page cache and "verify" bytes that never reached the
// device. A cache can only give a false pass, never a false fail, so the
// drop is what makes a pass mean something.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/drives/drive_problem.h"
#include "core/drives/export_target.h"
#include "core/package/minisign.h"
#include "core/base/result.h"

namespace atmo {

class TrustStore;

struct ExportOptions {
    std::optional<int> tier;
    const TrustStore* trust = nullptr;   // the source is verified while it is read
    std::optional<SecretKey> stationKey; // appends a custody entry when set
    std::string stationName;
};

struct TargetResult {
    std::string target;
    std::filesystem::path file;   // final path on success
    bool ok = false;
    std::string error;
    std::uint64_t bytes = 0;
    std::string sha256;
    ErrorCode code = ErrorCode::Failed; // of error
    DriveProblem problem = DriveProblem::None; // of error, for a caller's own words
};

// Called from worker threads: each target has its own writer thread, so
// calls for different targets may come at the same time (never two at once
// for the same target). Phases per target: Phase::Writing (content bytes of
// the package, done/total), Syncing, ReadingBack (archive bytes), then
// onTargetDone exactly once for every target.
class ExportObserver : public Observer {
public:
    virtual void onTargetProgress(std::size_t index, const Progress&) {}
    virtual void onTargetDone(std::size_t index, const TargetResult&) {}
};

// Free space an export of contentBytes in fileCount files needs on a target
// (tar headers and padding, the metadata entries, a margin); what
// exportPackage checks before writing, and what the GUI's "fits" shows.
std::uint64_t exportSpaceNeeded(std::uint64_t contentBytes, std::size_t fileCount);

// Fails as a whole only if the source itself is bad; otherwise each target
// carries its own result and one failing target never stops the others.
// Targets write in parallel (see core/drives/export_fanout.h); memory stays bounded
// (a 16 MiB block pool plus a 1 MiB read-back buffer per target).
Result<std::vector<TargetResult>> exportPackage(const std::filesystem::path& source,
                                                std::vector<std::unique_ptr<ExportTarget>> targets,
                                                const ExportOptions& options, ExportObserver* observer,
                                                const CancelToken& cancel);

} // namespace atmo
