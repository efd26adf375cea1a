// Running a helper program (udisksctl, nvidia-smi) and reading what it says.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace atmo {

struct Run {
    int exitCode = -1;
    std::string output; // stdout and stderr together, at most 64 KiB
};

// Runs args[0] (a path) with stdin from /dev/null, capturing its output;
// kills it after timeout. Throws Failure if it cannot be started.
Run runProgram(const std::vector<std::string>& args, std::chrono::seconds timeout);

// The first executable `name` in $PATH (/usr/bin:/bin without one); empty if none.
std::filesystem::path findOnPath(const std::string& name);

} // namespace atmo
