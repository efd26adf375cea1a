// Shared by tst_minisign.cpp and tst_minisign_interop.cpp: cheap scrypt
// parameters and the lookup of the stock minisign binary.
#pragma once

#include <QStandardPaths>

#include "core/package/minisign.h"

namespace minisign_fixture {

// Cheap scrypt parameters for tests that do not care about the cost.
inline const atmo::KdfParams kFast{65536, 8u << 20};

inline bool haveMinisign() { return !QStandardPaths::findExecutable("minisign").isEmpty(); }

} // namespace minisign_fixture
