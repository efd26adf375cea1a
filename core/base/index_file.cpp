#include "core/base/index_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/base/fs_util.h"

namespace atmo {

namespace fs = std::filesystem;

Result<nlohmann::json> readJsonIndex(const fs::path& index, std::string_view what, std::size_t maxBytes)
{
    std::error_code ec;
    if (!fs::exists(index, ec))
        return nlohmann::json::object();
    auto text = readFile(index, maxBytes);
    if (!text)
        return text.error();
    nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(index.string() + ": not a valid " + std::string(what) + " (expected a JSON object)");
    return doc;
}

Status withIndexLock(const fs::path& index, const std::function<Status()>& change)
{
    const fs::path dir = index.has_parent_path() ? index.parent_path() : fs::path(".");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return fail(dir.string() + ": cannot create directory: " + ec.message());
    const fs::path lockPath = index.string() + ".lock";
    UniqueFd lock(::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!lock)
        return fail(lockPath.string() + ": cannot open: " + std::strerror(errno));
    while (::flock(lock.get(), LOCK_EX) != 0) {
        if (errno != EINTR)
            return fail(lockPath.string() + ": cannot lock: " + std::strerror(errno));
    }
    return change(); // the lock goes with the descriptor
}

} // namespace atmo
