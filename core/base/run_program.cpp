#include "core/base/run_program.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/base/fs_util.h"
#include "core/base/result.h"

extern char** environ;

namespace atmo {

namespace fs = std::filesystem;

Run runProgram(const std::vector<std::string>& args, std::chrono::seconds timeout)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw Failure(std::string("cannot create a pipe: ") + std::strerror(errno));
    UniqueFd readEnd(fds[0]), writeEnd(fds[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, writeEnd.get(), 2);
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        throw Failure("cannot run " + args[0] + ": " + std::strerror(rc));
    writeEnd.reset();

    Run r;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            ::kill(pid, SIGKILL);
            r.output += "\n(timed out after " + std::to_string(timeout.count()) + " s)";
            break;
        }
        pollfd p{readEnd.get(), POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            continue;
        const ssize_t got = ::read(readEnd.get(), buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (r.output.size() < 64 * 1024)
            r.output.append(buf, static_cast<std::size_t>(got));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

fs::path findOnPath(const std::string& name)
{
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    for (std::size_t b = 0; b <= dirs.size();) {
        auto e = dirs.find(':', b);
        if (e == std::string::npos)
            e = dirs.size();
        const fs::path candidate = fs::path(dirs.substr(b, e - b)) / name;
        if (e > b && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        b = e + 1;
    }
    return {};
}

} // namespace atmo
