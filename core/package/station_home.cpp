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

StationHome::StationHome(fs::path root) : root_(std::move(root)), config_(root_), cache_(root_ / "cache") {}

StationHome::StationHome(fs::path data, fs::path config, fs::path cache)
    : root_(std::move(data)), config_(std::move(config)), cache_(std::move(cache))
{
}

StationHome StationHome::standard()
{
    if (const std::string explicitHome = envValue("ATMOSPHERE_HOME"); !explicitHome.empty())
        return StationHome(fs::path(explicitHome));
    // The XDG spec says relative values are invalid and must be ignored.
    const auto base = [](const char* variable, const fs::path& fallback) {
        const std::string v = envValue(variable);
        return (!v.empty() && fs::path(v).is_absolute() ? fs::path(v) : userHome() / fallback) / "atmosphere";
    };
    return StationHome(defaultRoot(), base("XDG_CONFIG_HOME", ".config"), base("XDG_CACHE_HOME", ".cache"));
}

Result<StationHome> StationHome::resolve(const std::optional<std::string>& given)
{
    if (!given)
        return standard();
    if (given->empty())
        return fail("--home needs a directory");
    return StationHome(fs::path(*given));
}

std::vector<std::string> StationHome::moveToStandardPlaces() const
{
    std::vector<std::string> said;
    if (config_ == root_)
        return said;
    std::error_code ec;
    const auto move = [&](const fs::path& from, const fs::path& to) {
        if (!fs::exists(from, ec))
            return; // nothing to move
        if (fs::exists(to, ec)) {
            if (!fs::is_directory(to, ec) || !fs::is_empty(to, ec)) {
                // The standard place already has one: both stay, and the user hears which counts.
                said.push_back(from.string() + " is not read: " + to.string() + " is (remove one of them)");
                return;
            }
            fs::remove(to, ec); // an empty folder made before: the old one takes its place
        }
        fs::create_directories(to.parent_path(), ec);
        fs::rename(from, to, ec);
        if (ec) { // another file system: copy, then remove
            fs::copy(from, to, fs::copy_options::recursive, ec);
            if (!ec)
                fs::remove_all(from, ec);
        }
        said.push_back(ec ? "could not move " + from.string() + " to " + to.string() + ": " + ec.message()
                          : "moved " + from.string() + " to " + to.string() + " (settings and caches now live in "
                                                                             "the XDG places)");
    };
    for (const char* rel : {"tiers.yaml", "station/name", "station/mesh_id"})
        move(root_ / rel, config_ / rel);
    move(root_ / "cache", cache_);
    return said;
}

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
                                modelsDir(), cacheDir(), config_, config_ / "station"}) {
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
    if (auto text = readFile(stationNameFile(), 4096)) {
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
    auto text = readFile(stationNameFile(), 4096);
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
    const fs::path file = stationNameFile();
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

Result<NodeKey> StationHome::nodeKey() const
{
    // The random 32-hex <home>/station/node_id of earlier versions is
    // superseded by the key (the protocol derives node_id from it); the old
    // file is left where it is and no longer read.
    const fs::path file = nodeKeyFile();
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(file, ec)))
        if (auto st = ensure(); !st)
            return st.error();
    auto key = NodeKey::loadOrCreate(file);
    // Tighten a key file someone made readable to others.
    struct stat st {};
    if (key && ::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        ::chmod(file.c_str(), 0600);
    return key;
}

Result<std::string> StationHome::nodeId() const
{
    auto key = nodeKey();
    if (!key)
        return key.error();
    return key->nodeId();
}

std::string StationHome::meshId() const
{
    if (auto text = readFile(meshIdFile(), 4096)) {
        std::string id = cleanName(firstLine(*text));
        if (!id.empty())
            return id;
    }
    return "atmosphere";
}

Status StationHome::setMeshId(const std::string& meshId) const
{
    if (const std::string problem = meshIdProblem(meshId); !problem.empty())
        return fail(ErrorCode::Usage, "mesh id \"" + meshId + "\" " + problem);
    if (auto st = ensure(); !st)
        return st;
    return writeFileAtomic(meshIdFile(), meshId + "\n");
}

std::string StationHome::meshIdProblem(std::string_view id)
{
    if (id.empty())
        return "is empty";
    if (id.size() > 64)
        return "is longer than 64 characters";
    if (id.front() == '.' || id.front() == '-')
        return "starts with '" + std::string(1, id.front()) + "'";
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
              || c == '-'))
            return "has a character other than A-Z a-z 0-9 . _ -";
    return {};
}

Result<fs::path> StationHome::meshKeyFile(const std::string& meshId) const
{
    if (const std::string problem = meshIdProblem(meshId); !problem.empty())
        return fail(ErrorCode::Usage, "mesh id \"" + meshId + "\" " + problem);
    return meshDir() / (meshId + ".key");
}

Result<NodeKey> StationHome::meshKey(const std::string& meshId) const
{
    auto file = meshKeyFile(meshId);
    if (!file)
        return file.error();
    auto key = NodeKey::load(*file);
    if (!key && key.code() == ErrorCode::NotFound)
        return fail(ErrorCode::NotFound, "this station holds no key for mesh \"" + meshId + "\" (" + file->string() + ")",
                    file->string());
    return key;
}

Result<NodeKey> StationHome::createMeshKey(const std::string& meshId) const
{
    auto file = meshKeyFile(meshId);
    if (!file)
        return file.error();
    std::error_code ec;
    if (fs::exists(fs::symlink_status(*file, ec)))
        return fail(ErrorCode::Failed,
                    file->string() + ": this station already holds a key for mesh \"" + meshId + "\"; not overwriting it",
                    file->string());
    if (auto st = ensure(); !st)
        return st.error();
    fs::create_directories(meshDir(), ec);
    ::chmod(meshDir().c_str(), 0700);
    NodeKey key = NodeKey::generate();
    if (auto saved = key.save(*file); !saved)
        return saved.error();
    return key;
}

std::string StationHome::meshName(const std::string& meshId) const
{
    if (meshIdProblem(meshId).empty())
        if (auto text = readFile(meshDir() / (meshId + ".name"), 4096))
            if (std::string name = cleanName(firstLine(*text), 64); !name.empty())
                return name;
    return meshId;
}

Status StationHome::setMeshName(const std::string& meshId, const std::string& name) const
{
    auto key = meshKeyFile(meshId);
    if (!key)
        return key.error();
    const std::string clean = cleanName(name);
    if (clean.empty() || clean.size() > 64)
        return fail(ErrorCode::Usage, "mesh name \"" + name + "\" is empty or longer than 64 bytes");
    std::error_code ec;
    fs::create_directories(meshDir(), ec);
    return writeFileAtomic(meshDir() / (meshId + ".name"), clean + "\n");
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
