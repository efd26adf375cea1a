#include "core/drives/drive_problem.h"

namespace atmo {

std::string_view driveProblemName(DriveProblem p)
{
    switch (p) {
    case DriveProblem::None: return "none";
    case DriveProblem::NotMounted: return "not-mounted";
    case DriveProblem::NotAFolder: return "not-a-folder";
    case DriveProblem::ReadOnly: return "read-only";
    case DriveProblem::NoPermission: return "no-permission";
    case DriveProblem::NoSpace: return "no-space";
    case DriveProblem::CannotCreate: return "cannot-create";
    case DriveProblem::WriteFailed: return "write-failed";
    case DriveProblem::FlushFailed: return "flush-failed";
    case DriveProblem::ReadBackFailed: return "read-back-failed";
    case DriveProblem::ReadBackDiffers: return "read-back-differs";
    case DriveProblem::RenameFailed: return "rename-failed";
    case DriveProblem::Source: return "source";
    case DriveProblem::Cancelled: return "cancelled";
    case DriveProblem::Other: return "other";
    }
    return "other";
}

} // namespace atmo
