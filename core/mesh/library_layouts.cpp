#include "core/mesh/library_layouts.h"

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>

#include "core/mesh/bridge_rules.h"
#include "core/base/fs_util.h"
#include "core/package/installer.h"
#include "core/package/manifest.h"
#include "core/base/text.h"

namespace atmo {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using Candidate = LibraryCandidate;

constexpr int kMaxScanDepth = 16;

// Both paths canonical.
bool isUnder(const fs::path& p, const fs::path& dir)
{
    auto d = dir.begin();
    auto q = p.begin();
    for (; d != dir.end(); ++d, ++q)
        if (q == p.end() || *q != *d)
            return false;
    return true;
}

// "{name}_{timestamp}": the timestamp is the trailing run of all-digit parts,
// starting with one of at least 8 digits (a date or Unix time), so
// "defects_20241121_153012" is ("defects", "20241121_153012").
std::pair<std::string, std::string> splitTimestamp(const std::string& dir)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= dir.size(); ++i)
        if (i == dir.size() || dir[i] == '_') {
            parts.push_back(dir.substr(start, i - start));
            start = i + 1;
        }
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (parts[i].size() < 8 || !allDigits(parts[i]))
            continue;
        if (!std::all_of(parts.begin() + static_cast<long>(i), parts.end(), allDigits))
            continue;
        std::string name, stamp;
        for (std::size_t j = 0; j < parts.size(); ++j)
            (j < i ? name : stamp) += ((j < i ? name : stamp).empty() ? "" : "_") + parts[j];
        return {name, stamp};
    }
    return {dir, ""};
}

struct Found {
    fs::path shown;   // as listed
    fs::path real;    // canonical
    struct stat st {};
    fs::path rel;     // relative to the walked directory, as listed
};

class Scanner {
public:
    explicit Scanner(const CancelToken& cancel) : cancel_(cancel) {}

    std::vector<Candidate> candidates;
    std::vector<std::string> problems;

    void scanRoot(const LibraryRoot& root)
    {
        struct stat st {};
        if (::stat(root.path.c_str(), &st) != 0) {
            if (errno != ENOENT && errno != ENOTDIR)
                problem(root.path, std::string("cannot read: ") + std::strerror(errno));
            return; // a missing root is normal: nothing installed there yet
        }
        if (!S_ISDIR(st.st_mode))
            return problem(root.path, "not a directory");
        std::error_code ec;
        const fs::path real = fs::canonical(root.path, ec);
        if (ec)
            return problem(root.path, "cannot resolve: " + ec.message());
        switch (root.kind) {
        case LibraryRootKind::HuggingFaceHub: return scanHub(real);
        case LibraryRootKind::LlamaFarmVision: return scanVision(real);
        case LibraryRootKind::Downloads: return scanDownloads(real);
        case LibraryRootKind::InstalledPackages: return scanInstalled(real);
        case LibraryRootKind::Folder: return scanFolder(real);
        }
    }

    void problem(const fs::path& p, const std::string& why) { problems.push_back(p.string() + ": " + why); }

private:
    // Sorted non-hidden names in dir; a problem line if it cannot be read.
    std::vector<std::string> list(const fs::path& dir)
    {
        cancel_.check();
        std::vector<std::string> names;
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::string name = it->path().filename().string();
            if (!name.empty() && name[0] != '.') // hidden, and partial files (".<name>.part-*")
                names.push_back(std::move(name));
        }
        if (ec)
            problem(dir, "cannot read: " + ec.message());
        std::sort(names.begin(), names.end());
        return names;
    }

    // Every name in dir (hidden ones too) in the order the directory lists
    // them, as Python's iterdir gives them; a problem line if it cannot be read.
    std::vector<std::string> listUnsorted(const fs::path& dir)
    {
        cancel_.check();
        std::vector<std::string> names;
        std::error_code ec;
        fs::directory_iterator it(dir, ec);
        for (; !ec && it != fs::directory_iterator(); it.increment(ec))
            names.push_back(it->path().filename().string());
        if (ec)
            problem(dir, "cannot read: " + ec.message());
        return names;
    }

    // Follows a link (only to somewhere under `confine`, if given) and stats
    // the result; a problem line and nullopt when that is not possible.
    std::optional<Found> resolve(const fs::path& path, const fs::path& confine)
    {
        Found f;
        f.shown = path;
        f.real = path;
        struct stat lst {};
        if (::lstat(path.c_str(), &lst) != 0) {
            problem(path, errno == ENOENT ? "disappeared during the scan" : std::string(std::strerror(errno)));
            return std::nullopt;
        }
        if (S_ISLNK(lst.st_mode)) {
            char* r = ::realpath(path.c_str(), nullptr);
            if (!r) {
                const int e = errno;
                problem(path, e == ENOENT  ? "broken link"
                              : e == ELOOP ? "link loop (too many levels of symbolic links)"
                                           : std::string("cannot follow the link: ") + std::strerror(e));
                return std::nullopt;
            }
            f.real = r;
            std::free(r);
            if (!confine.empty() && !isUnder(f.real, confine)) {
                problem(path, "links outside " + confine.string() + "; not followed");
                return std::nullopt;
            }
        }
        if (::stat(f.real.c_str(), &f.st) != 0) {
            problem(path, errno == ENOENT ? "disappeared during the scan" : std::string(std::strerror(errno)));
            return std::nullopt;
        }
        return f;
    }

    // Model files (by extension) under dir, recursively; directory links are
    // followed (confined like file links), each directory entered once.
    void walk(const fs::path& dir, const fs::path& rel, const fs::path& confine, int depth,
              std::set<std::pair<dev_t, ino_t>>& seen, std::vector<Found>& out)
    {
        for (const auto& name : list(dir)) {
            auto f = resolve(dir / name, confine);
            if (!f)
                continue;
            f->rel = rel / name;
            if (S_ISDIR(f->st.st_mode)) {
                if (!seen.insert({f->st.st_dev, f->st.st_ino}).second)
                    continue; // a link back to a directory already scanned
                if (depth >= kMaxScanDepth) {
                    problem(f->shown, "nested more than " + std::to_string(kMaxScanDepth) + " levels deep; not scanned");
                    continue;
                }
                walk(f->real, f->rel, confine, depth + 1, seen, out);
            } else if (modelKindFromFileName(name)) {
                if (S_ISREG(f->st.st_mode))
                    out.push_back(std::move(*f));
                else
                    problem(f->shown, "not a regular file");
            }
        }
    }

    std::vector<Found> walkAll(const fs::path& dir, const fs::path& confine)
    {
        std::set<std::pair<dev_t, ino_t>> seen;
        struct stat st {};
        if (::stat(dir.c_str(), &st) == 0)
            seen.insert({st.st_dev, st.st_ino});
        std::vector<Found> out;
        walk(dir, {}, confine, 0, seen, out);
        return out;
    }

    std::optional<std::string> idFor(const std::string& name, const fs::path& shown)
    {
        auto id = modelIdFromName(name);
        if (!id)
            problem(shown, "'" + name + "' makes no valid model_id; skipped");
        return id;
    }

    void add(Candidate c, const Found& f)
    {
        c.file = f.real;
        c.shown = f.shown;
        c.entry.sizeBytes = static_cast<std::uint64_t>(f.st.st_size);
        candidates.push_back(std::move(c));
    }

    // PROTOCOL.md "How a bridge builds its catalog", Hugging Face hub cache,
    // rule by rule. "Later" (a later file with the same model_id replaces the
    // earlier one) is the bridge's iteration order: the directory's own
    // listing order, unsorted (Python's glob and iterdir), repos first, then
    // the files of each repo's snapshot. The replaced file becomes the
    // fallback should the later one fail to hash.
    void scanHub(const fs::path& root)
    {
        std::vector<Candidate> found;
        for (const auto& dirName : listUnsorted(root)) {
            if (dirName.rfind("models--", 0) != 0)
                continue; // datasets--*, spaces--*, version.txt, ...
            struct stat st {};
            if (::stat((root / dirName).c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            const auto repoName = hubRepoName(dirName);
            if (!repoName)
                continue;
            const auto& [org, name] = *repoName;
            std::error_code ec;
            const fs::path repo = fs::canonical(root / dirName, ec);
            if (ec) {
                problem(root / dirName, "cannot resolve: " + ec.message());
                continue;
            }
            const auto rev = newestSnapshot(repo / "snapshots");
            if (!rev)
                continue; // nothing downloaded yet
            const auto snap = resolve(repo / "snapshots" / *rev, repo);
            if (!snap || !S_ISDIR(snap->st.st_mode))
                continue;
            for (const auto& fileName : listUnsorted(snap->real)) {
                const auto kind = modelKindFromFileName(fileName, name);
                if (!kind)
                    continue; // other extensions are skipped
                auto f = resolve(snap->real / fileName, repo);
                if (!f || !S_ISREG(f->st.st_mode))
                    continue; // a sub-folder, or not a file
                f->shown = snap->shown / fileName;
                if (f->st.st_size < kMinHubFileBytes)
                    continue;
                const std::string stem = pythonStem(fileName);
                const std::string id = bridgeModelId(name + "-" + stem);
                if (!isValidModelId(id)) {
                    problem(f->shown, "model_id '" + id + "' is not one the station can serve (letters, digits, '.', '_', "
                                      "'-', at most 200 bytes); skipped");
                    continue;
                }
                Candidate c;
                c.entry.modelId = id;
                c.entry.name = org + "/" + name + " - " + stem;
                c.entry.type = kind->type;
                c.entry.format = kind->format;
                c.entry.capabilities = bridgeCapabilities(*kind);
                c.entry.version = "1.0.0";
                c.entry.source = "huggingface";
                c.entry.sourceRef = org + "/" + name;
                c.entry.metadataJson = json{{"filename", fileName}, {"snapshot", *rev}}.dump(
                    -1, ' ', false, json::error_handler_t::replace);
                c.file = f->real;
                c.shown = f->shown;
                c.entry.sizeBytes = static_cast<std::uint64_t>(f->st.st_size);
                found.push_back(std::move(c));
            }
        }
        // scanLibrary keeps the first candidate of an id: the latest goes first.
        candidates.insert(candidates.end(), std::make_move_iterator(found.rbegin()),
                          std::make_move_iterator(found.rend()));
    }

    // The entry of snapshots/ with the newest mtime, compared as the bridge
    // compares Python's float st_mtime (links followed); on a tie the first
    // listed. Only folders count: the bridge would fail on anything else.
    std::optional<std::string> newestSnapshot(const fs::path& snapshots)
    {
        struct stat dst {};
        if (::stat(snapshots.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode))
            return std::nullopt;
        std::optional<std::string> best;
        double bestTime = 0;
        for (const auto& rev : listUnsorted(snapshots)) {
            struct stat st {};
            if (::stat((snapshots / rev).c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            const double t = pythonMtime(st);
            if (!best || t > bestTime) {
                best = rev;
                bestTime = t;
            }
        }
        return best;
    }

    // <root>/{name}_{timestamp}/model.pt, optional training metadata beside it.
    void scanVision(const fs::path& root)
    {
        for (const auto& dirName : list(root)) {
            const auto dir = resolve(root / dirName, {});
            if (!dir || !S_ISDIR(dir->st.st_mode))
                continue;
            struct stat lst {};
            if (::lstat((dir->real / "model.pt").c_str(), &lst) != 0)
                continue; // not (yet) a trained model
            const auto f = resolve(dir->real / "model.pt", {});
            if (!f)
                continue;
            if (!S_ISREG(f->st.st_mode)) {
                problem(f->shown, "not a regular file");
                continue;
            }
            const auto id = idFor(dirName, f->shown);
            if (!id)
                continue;
            const auto [name, stamp] = splitTimestamp(dirName);
            Candidate c;
            c.entry.modelId = *id;
            c.entry.name = name;
            c.entry.type = "vision";
            c.entry.format = "pt";
            c.entry.version = stamp;
            c.versionFromHash = stamp.empty();
            c.entry.source = "llamafarm_training";
            c.entry.sourceRef = "local"; // the bridge's word for LlamaFarm's own models
            c.entry.capabilities = {"object_detection"};
            c.entry.classCount = 0; // the bridge's default when nothing says how many
            applyTrainingMetadata(dir->real, c.entry);
            add(std::move(c), *f);
        }
    }

    void applyTrainingMetadata(const fs::path& dir, CatalogEntry& e);

    // <root>/{model_id}.{format} with {model_id}.json (the catalog entry) beside it.
    void scanDownloads(const fs::path& root)
    {
        const auto names = list(root);
        std::set<std::string> described;
        for (const auto& jsonName : names) {
            if (jsonName.size() <= 5 || jsonName.compare(jsonName.size() - 5, 5, ".json") != 0)
                continue;
            const fs::path jsonPath = root / jsonName;
            auto text = readFile(jsonPath, 4u << 20);
            if (!text) {
                problems.push_back(text.message());
                continue;
            }
            auto parsed = parseCatalogEntry(*text);
            if (!parsed) {
                problem(jsonPath, parsed.message() + "; skipped");
                continue;
            }
            CatalogEntry entry = std::move(*parsed);
            const std::string stem = jsonName.substr(0, jsonName.size() - 5);
            if (entry.modelId != stem) {
                problem(jsonPath, "its model_id '" + entry.modelId + "' does not match the file name; skipped");
                continue;
            }
            const bool formatOk = !entry.format.empty()
                && std::all_of(entry.format.begin(), entry.format.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                   });
            if (!formatOk) {
                problem(jsonPath, "format '" + entry.format + "' is not a file extension; skipped");
                continue;
            }
            const std::string fileName = stem + "." + entry.format;
            described.insert(fileName);
            struct stat lst {};
            if (::lstat((root / fileName).c_str(), &lst) != 0) {
                problem(jsonPath, fileName + " is missing beside it; skipped");
                continue;
            }
            const auto f = resolve(root / fileName, root);
            if (!f)
                continue;
            if (!S_ISREG(f->st.st_mode)) {
                problem(f->shown, "not a regular file");
                continue;
            }
            if (static_cast<std::uint64_t>(f->st.st_size) != entry.sizeBytes) {
                problem(f->shown, std::to_string(f->st.st_size) + " bytes, its .json says "
                                      + std::to_string(entry.sizeBytes) + " (incomplete or damaged); skipped");
                continue;
            }
            Candidate c;
            c.expectedSha = entry.sha256;
            c.expectedFrom = "its .json";
            c.entry = std::move(entry);
            c.entry.sha256.clear();
            add(std::move(c), *f);
        }
        for (const auto& name : names)
            if (!described.count(name) && modelKindFromFileName(name))
                problem(root / name, "no " + fs::path(name).stem().string() + ".json beside it; skipped");
    }

    // <root>/<id>/current/models/*, checked against <root>/<id>/current/manifest.yaml.
    void scanInstalled(const fs::path& root)
    {
        for (const auto& pkg : listInstalled(root)) {
            cancel_.check();
            const fs::path models = pkg.dir / "models";
            struct stat st {};
            if (::stat(models.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
                continue;
            std::optional<Manifest> manifest;
            const fs::path manifestPath = pkg.dir / kManifestName;
            if (::stat(manifestPath.c_str(), &st) == 0) {
                auto text = readFile(manifestPath);
                auto m = text ? Manifest::parse(*text) : Result<Manifest>(text.error());
                if (m)
                    manifest = std::move(*m);
                else
                    problem(manifestPath, m.message() + "; the package's models are not checked against it");
            }
            const std::string ref = pkg.id + "@" + pkg.version;
            std::error_code ec;
            const fs::path confine = fs::canonical(root / pkg.id, ec);
            for (const auto& f : walkAll(models, ec ? root : confine)) {
                const std::string archivePath = (fs::path("models") / f.rel).string();
                const ContentFile* cf = manifest ? manifest->find(archivePath) : nullptr;
                if (manifest && (!cf || cf->kind != ContentKind::Model)) {
                    problem(f.shown, "not a model of " + ref + "'s manifest; skipped");
                    continue;
                }
                if (cf && cf->size != static_cast<std::uint64_t>(f.st.st_size)) {
                    problem(f.shown, std::to_string(f.st.st_size) + " bytes, the manifest of " + ref + " says "
                                         + std::to_string(cf->size) + " (the installed file was altered); skipped");
                    continue;
                }
                const auto id = idFor(cf && !cf->id.empty() ? cf->id : f.rel.stem().string(), f.shown);
                if (!id)
                    continue;
                const auto kind = modelKindFromFileName(f.rel.filename().string());
                Candidate c;
                c.entry.modelId = *id;
                c.entry.name = *id;
                c.entry.type = kind->type;
                c.entry.format = kind->format;
                c.entry.capabilities = bridgeCapabilities(*kind);
                c.entry.version = cf && !cf->version.empty() ? cf->version : pkg.version;
                c.entry.source = "imported";
                c.entry.sourceRef = ref;
                c.entry.metadataJson = json{{"package", pkg.id}, {"package_version", pkg.version}}.dump();
                if (cf) {
                    c.expectedSha = cf->sha256;
                    c.expectedFrom = "the manifest of " + ref + " (the installed file was altered)";
                }
                add(std::move(c), f);
            }
        }
    }

    // Any folder: model files by extension, model_id from the file name.
    void scanFolder(const fs::path& root)
    {
        for (const auto& f : walkAll(root, {})) {
            const std::string stem = f.rel.stem().string();
            const auto id = idFor(stem, f.shown);
            if (!id)
                continue;
            const auto kind = modelKindFromFileName(f.rel.filename().string());
            Candidate c;
            c.entry.modelId = *id;
            c.entry.name = stem;
            c.entry.type = kind->type;
            c.entry.format = kind->format;
            c.entry.capabilities = bridgeCapabilities(*kind);
            c.versionFromHash = true;
            add(std::move(c), f);
        }
    }

    const CancelToken& cancel_;
};

// Training metadata is whatever the trainer wrote; take the fields whose
// meaning and shape are unambiguous, and only scalars that cannot be paths.
void Scanner::applyTrainingMetadata(const fs::path& dir, CatalogEntry& e)
{
    static const char* const kFiles[] = {"metadata.json", "training_metadata.json", "model_metadata.json",
                                         "model_info.json", "info.json"};
    fs::path file;
    for (const char* name : kFiles) {
        struct stat st {};
        if (::stat((dir / name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            file = dir / name;
            break;
        }
    }
    if (file.empty())
        return;
    auto text = readFile(file, 4u << 20);
    if (!text) {
        problems.push_back(text.message() + "; the model's metadata is ignored");
        return;
    }
    const json doc = json::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return problem(file, "not a JSON object; the model's metadata is ignored");

    std::set<std::string> taken;
    auto first = [&](std::initializer_list<const char*> keys) -> const json* {
        const json* found = nullptr;
        for (const char* k : keys) {
            taken.insert(k);
            if (auto it = doc.find(k); it != doc.end() && !found)
                found = &*it;
        }
        return found;
    };
    auto pathLike = [](const std::string& s) {
        return s.find('/') != std::string::npos || s.find('\\') != std::string::npos || s.size() > 200;
    };

    if (const json* c = first({"classes", "class_names", "names", "labels"})) {
        std::vector<std::string> classes;
        bool ok = c->is_array() || c->is_object();
        if (c->is_array()) {
            for (const auto& v : *c)
                ok = ok && v.is_string() && (classes.push_back(v.get<std::string>()), true);
        } else if (c->is_object()) { // {"0": "scratch", "1": "dent"}, as ultralytics writes names
            std::vector<std::pair<long, std::string>> indexed;
            for (const auto& [k, v] : c->items())
                ok = ok && allDigits(k) && k.size() < 10 && v.is_string()
                    && (indexed.emplace_back(std::stol(k), v.get<std::string>()), true);
            std::sort(indexed.begin(), indexed.end());
            for (auto& [i, v] : indexed)
                classes.push_back(std::move(v));
        }
        if (ok)
            e.classes = std::move(classes);
    }
    // The bridge: the number of classes when it has them, else num_classes.
    const json* count = first({"class_count", "num_classes", "nc"});
    if (!e.classes.empty())
        e.classCount = static_cast<std::int64_t>(e.classes.size());
    else if (count && count->is_number_integer() && count->get<std::int64_t>() >= 0)
        e.classCount = count->get<std::int64_t>();
    if (const json* b = first({"base_model", "base", "pretrained_model"}); b && b->is_string()) {
        std::string base = b->get<std::string>();
        const bool local = !base.empty() && (base[0] == '/' || base[0] == '.' || base[0] == '~');
        if (local || base.find('\\') != std::string::npos)
            base = fs::path(base).filename().string(); // a local path: the file name only
        e.baseModel = base;
    }
    // The bridge: ["object_detection"] when LlamaFarm's task is "detection"
    // (its default), else ["classification"]. Trainers write "detect".
    if (const json* task = first({"task"}); task && task->is_string()) {
        const std::string& t = task->get_ref<const std::string&>();
        e.capabilities = {t == "detection" || t == "detect" ? "object_detection" : "classification"};
    }
    json md = json::object();
    for (const auto& [k, v] : doc.items()) {
        if (taken.count(k) || md.size() >= 32)
            continue;
        if (v.is_number() || v.is_boolean() || (v.is_string() && !pathLike(v.get<std::string>())))
            md[k] = v;
    }
    e.metadataJson = md.dump();
}

} // namespace

LibraryDiscovery discoverLibrary(const std::vector<LibraryRoot>& roots, const CancelToken& cancel)
{
    Scanner scanner(cancel);
    for (const auto& root : roots)
        scanner.scanRoot(root);
    return LibraryDiscovery{std::move(scanner.candidates), std::move(scanner.problems)};
}

} // namespace atmo
