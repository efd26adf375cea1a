#include "core/package/station_home.h"

#include "core/base/text.h"
#include "core/package/trust_store.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "core/base/fs_util.h"

#include <sodium.h>

namespace atmo {

namespace fs = std::filesystem;

namespace {

std::string envValue(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

fs::path userHome()
{
    const std::string home = envValue("HOME");
    if (!home.empty())
        return home;
    if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir)
        return pw->pw_dir;
    return fs::current_path();
}

} // namespace

StationHome::StationHome(fs::path root) : root_(std::move(root)) {}

fs::path StationHome::defaultRoot()
{
    const std::string explicitHome = envValue("ATMOSPHERE_HOME");
    if (!explicitHome.empty())
        return explicitHome;
    // The XDG spec says relative values are invalid and must be ignored.
    const std::string xdg = envValue("XDG_DATA_HOME");
    if (!xdg.empty() && fs::path(xdg).is_absolute())
        return fs::path(xdg) / "atmosphere";
    return userHome() / ".local" / "share" / "atmosphere";
}

Result<fs::path> StationHome::resolveRoot(const std::optional<std::string>& given)
{
    if (!given)
        return defaultRoot();
    if (given->empty())
        return fail("--home needs a directory");
    return fs::path(*given);
}

Status StationHome::ensure() const
{
    for (const fs::path& dir : {root_, root_ / "station", trustDir(), keysDir(), downloadsDir(),
                                modelsDir(), cacheDir()}) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec)
            return fail(dir.string() + ": cannot create the directory: " + ec.message());
        if (!fs::is_directory(dir, ec))
            return fail(dir.string() + ": exists but is not a directory");
    }
    // The station's own key and the generated keys stay private.
    for (const fs::path& dir : {root_ / "station", keysDir()})
        ::chmod(dir.c_str(), 0700);
    return {};
}

std::string StationHome::stationName() const
{
    if (auto text = readFile(root_ / "station" / "name", 4096)) {
        std::string name = cleanName(firstLine(*text));
        if (!name.empty())
            return name;
    }
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) {
        std::string name = cleanName(host);
        if (!name.empty())
            return name;
    }
    return "station";
}

std::string StationHome::explicitNodeName() const
{
    auto text = readFile(root_ / "station" / "name", 4096);
    return text ? sanitizeNodeName(*text) : std::string();
}

std::string StationHome::nodeName(const std::string& nodeId) const
{
    if (std::string name = explicitNodeName(); !name.empty())
        return name;
    return defaultNodeName(nodeId);
}

std::string StationHome::defaultNodeName(const std::string& nodeId)
{
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0)
        if (std::string name = nodeNameFromHost(host); !name.empty())
            return name;
    return defaultInstanceName(nodeId);
}

Status StationHome::setNodeName(const std::string& name) const
{
    const fs::path file = root_ / "station" / "name";
    if (name.empty()) {
        std::error_code ec;
        fs::remove(file, ec);
        if (ec)
            return fail(file.string() + ": cannot remove: " + ec.message());
        return {};
    }
    if (const std::string problem = nodeNameProblem(name); !problem.empty())
        return fail("node name \"" + name + "\" " + problem);
    if (auto st = ensure(); !st)
        return st;
    return writeFileAtomic(file, name + "\n");
}

Result<std::string> StationHome::nodeId() const
{
    const fs::path file = root_ / "station" / "node_id";
    auto valid = [](const std::string& id) {
        if (id.size() != 32)
            return false;
        for (char c : id)
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                return false;
        return true;
    };
    std::error_code ec;
    if (fs::exists(file, ec)) {
        auto text = readFile(file, 4096);
        if (!text)
            return text.error();
        std::string id = trimmed(*text);
        if (!valid(id))
            return fail(file.string() + ": not a node id (32 lowercase hex digits)");
        return id;
    }
    if (auto st = ensure(); !st)
        return st.error();
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    std::string id;
    static const char* hex = "0123456789abcdef";
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    if (auto st = writeFileAtomic(file, id + "\n"); !st)
        return st.error();
    return id;
}

std::string StationHome::meshId() const
{
    if (auto text = readFile(root_ / "station" / "mesh_id", 4096)) {
        std::string id = cleanName(firstLine(*text));
        if (!id.empty())
            return id;
    }
    return "atmosphere";
}

Result<SecretKey> StationHome::identity() const
{
    const fs::path dir = root_ / "station";
    const fs::path keyPath = dir / "identity.key";
    const fs::path pubPath = dir / "identity.pub";
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(keyPath, ec))) {
        if (auto st = ensure(); !st)
            return st.error();
        // A public half without its secret key is useless; writeKeyPair
        // (which never overwrites) writes the key first, so this is stale.
        fs::remove(pubPath, ec);
        const SecretKey key = generateSecretKey();
        auto written = writeKeyPair(dir, "identity", key, std::nullopt);
        if (written) {
            if (auto trusted = trustSelf(key); !trusted)
                return trusted.error();
            return key;
        }
        // Another process may have made it at the same moment: use theirs.
        if (!fs::exists(fs::symlink_status(keyPath, ec)))
            return written.error();
    }
    auto key = loadSecretKey(keyPath, std::nullopt);
    if (!key)
        return key.error();
    // Tighten a key file someone made readable to others.
    struct stat st {};
    if (::stat(keyPath.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        ::chmod(keyPath.c_str(), 0600);
    // Recreate a missing or stale public half from the secret key.
    auto pub = PublicKey::load(pubPath);
    if (!pub || pub->keyNum != key->keyNum || pub->pk != key->publicKey().pk) {
        if (auto w = writeFileAtomic(pubPath, key->publicKey().fileText(), 0644); !w)
            return w.error();
    }
    if (auto trusted = trustSelf(*key); !trusted)
        return trusted.error();
    return key;
}

Status StationHome::trustSelf(const SecretKey& key) const
{
    // The station vouches for its own custody entries: its key is trusted in
    // the station role under the station's name.
    TrustStore trust(trustDir());
    if (trust.find(key.keyId(), TrustRole::Station))
        return {};
    auto added = trust.add(key.publicKey(), TrustRole::Station, stationName());
    if (!added)
        return added.error();
    return {};
}

std::vector<fs::path> StationHome::meshAuthorityKeys() const
{
    std::vector<fs::path> keys;
    std::error_code ec;
    const TrustStore trust(trustDir());
    for (fs::directory_iterator it(keysDir(), ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path secret = it->path();
        if (secret.extension() != ".key" || !it->is_regular_file(ec))
            continue;
        fs::path pub = secret;
        pub.replace_extension(".pub");
        auto key = PublicKey::load(pub);
        if (key && trust.find(key->keyId(), TrustRole::Mesh))
            keys.push_back(secret);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

} // namespace atmo
