// Why writing a package to one drive failed, as a kind a caller words in its
// own language (the window translates it; the CLI prints the English line).
// A DriveFailure carries it from where the drive refused to the drive's
// TargetResult.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.h"

namespace atmo {

enum class DriveProblem {
    None,
    NotMounted,       // the folder is gone (the drive was pulled or unmounted)
    NotAFolder,
    ReadOnly,         // mounted or switched read-only
    NoPermission,     // this user may not write there
    NoSpace,          // not enough free space, before or while writing
    CannotCreate,     // the file could not be created (other reasons)
    WriteFailed,
    FlushFailed,      // the data did not reach the drive
    ReadBackFailed,   // reading it back from the drive failed
    ReadBackDiffers,  // what came back is not what was written: a faulty drive
    RenameFailed,     // the verified file could not take its final name
    Source,           // the package itself failed: no drive got it
    Cancelled,
    Other,
};
std::string_view driveProblemName(DriveProblem p); // "read-only", ... (for JSON and logs)

class DriveFailure : public Failure {
public:
    DriveFailure(DriveProblem problem, ErrorCode code, const std::string& message, std::string subject = {})
        : Failure(code, message, std::move(subject)), problem_(problem)
    {
    }
    DriveProblem problem() const { return problem_; }

private:
    DriveProblem problem_;
};

} // namespace atmo
