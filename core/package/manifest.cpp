#include "core/package/manifest.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "core/package/manifest_delta.h"
#include "core/package/manifest_fields.h"
#include "core/package/manifest_requirements.h"
#include "core/base/text.h"
#include "core/base/utf8.h"

namespace atmo {

namespace {

using namespace manifest_fields;

// A tier as the seed writes it ("tier_2") or as older stations wrote it (2):
// packages signed then must still verify, their bytes cannot change.
int tierOf(const YAML::Node& node, const std::string& field)
{
    if (!node.IsScalar())
        bad(field, "must be a tier name such as tier_1");
    const std::string& s = node.Scalar();
    const auto tier = parseTierName(s);
    if (!tier)
        bad(field, "has \"" + s + "\", not a tier (tier_1 to tier_" + std::to_string(kMaxTier) + ")");
    return *tier;
}

std::vector<int> tierList(const YAML::Node& node, const std::string& field)
{
    if (!node.IsSequence())
        bad(field, "must be a list of tiers such as [tier_1, tier_2]");
    std::vector<int> out;
    for (std::size_t i = 0; i < node.size(); ++i)
        out.push_back(tierOf(node[i], field + "[" + std::to_string(i) + "]"));
    std::sort(out.begin(), out.end());
    if (std::adjacent_find(out.begin(), out.end()) != out.end())
        bad(field, "lists a tier twice");
    return out;
}

std::vector<std::string> tierNameList(const std::vector<int>& tiers)
{
    std::vector<std::string> names;
    for (int t : tiers)
        names.push_back(tierName(t));
    return names;
}

ContentFile parseFile(const YAML::Node& node, ContentKind kind, const std::string& where)
{
    if (!node.IsMap())
        bad(where, "must be a mapping");
    switch (kind) {
    case ContentKind::Config: onlyKeys(node, where, {"id", "path", "size", "hash"}); break;
    case ContentKind::Model: onlyKeys(node, where, {"id", "version", "path", "size", "tiers", "hash"}); break;
    case ContentKind::Agent:
    case ContentKind::Tool: onlyKeys(node, where, {"id", "version", "path", "size", "hash"}); break;
    case ContentKind::Knowledge: onlyKeys(node, where, {"domain", "path", "chunks", "size", "hash"}); break;
    }
    ContentFile f;
    f.kind = kind;
    f.path = text(need(node, where, "path"), where + ".path");
    if (!isSafeRelativePath(f.path))
        bad(where + ".path", "\"" + f.path + "\" is not a safe relative path");
    const std::string dir = std::string(kindSection(kind)) + "/";
    if (f.path.rfind(dir, 0) != 0 || f.path.size() == dir.size())
        bad(where + ".path", "\"" + f.path + "\" must be inside " + dir);
    f.size = number(need(node, where, "size"), where + ".size");
    f.sha256 = hashField(need(node, where, "hash"), where + ".hash");
    if (kind == ContentKind::Knowledge) {
        f.domain = text(need(node, where, "domain"), where + ".domain");
        f.chunks = number(need(node, where, "chunks"), where + ".chunks");
    } else {
        f.id = text(need(node, where, "id"), where + ".id");
        if (f.id.empty())
            bad(where + ".id", "is empty");
    }
    // An agent or tool may have no version (the seed's tools/core_tools.yaml):
    // then the field is left out, never written empty.
    const bool versionOptional = kind == ContentKind::Agent || kind == ContentKind::Tool;
    if (kind == ContentKind::Model || (versionOptional && node["version"])) {
        f.version = text(need(node, where, "version"), where + ".version");
        if (!isValidVersion(f.version))
            bad(where + ".version", "\"" + f.version + "\" is not a version");
    }
    if (kind == ContentKind::Model && node["tiers"])
        f.tiers = tierList(node["tiers"], where + ".tiers");
    return f;
}

void emitFile(YAML::Emitter& out, const ContentFile& f)
{
    out << YAML::BeginMap;
    if (f.kind == ContentKind::Knowledge) {
        out << YAML::Key << "domain" << YAML::Value << YAML::DoubleQuoted << f.domain;
    } else {
        out << YAML::Key << "id" << YAML::Value << YAML::DoubleQuoted << f.id;
        if (f.kind != ContentKind::Config && (f.kind == ContentKind::Model || !f.version.empty()))
            out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << f.version;
    }
    out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << f.path;
    out << YAML::Key << "size" << YAML::Value << f.size;
    if (f.kind == ContentKind::Model && !f.tiers.empty())
        out << YAML::Key << "tiers" << YAML::Value << YAML::Flow << tierNameList(f.tiers);
    if (f.kind == ContentKind::Knowledge)
        out << YAML::Key << "chunks" << YAML::Value << f.chunks;
    out << YAML::Key << "hash" << YAML::Value << ("sha256:" + f.sha256);
    out << YAML::EndMap;
}

} // namespace

std::string_view kindSection(ContentKind kind)
{
    switch (kind) {
    case ContentKind::Config: return "config";
    case ContentKind::Model: return "models";
    case ContentKind::Agent: return "agents";
    case ContentKind::Tool: return "tools";
    case ContentKind::Knowledge: return "knowledge";
    }
    return "config";
}

std::optional<ContentKind> kindFromSection(std::string_view section)
{
    for (ContentKind k : kContentKinds)
        if (kindSection(k) == section)
            return k;
    return std::nullopt;
}

bool ContentFile::inTier(int tier) const
{
    if (kind != ContentKind::Model || tiers.empty())
        return true;
    return std::find(tiers.begin(), tiers.end(), tier) != tiers.end();
}

const ContentFile* Manifest::find(std::string_view path) const
{
    for (const auto& f : files)
        if (f.path == path)
            return &f;
    return nullptr;
}

std::vector<const ContentFile*> Manifest::filesForTier(int tier) const
{
    std::vector<const ContentFile*> out;
    for (const auto& f : files)
        if (f.inTier(tier))
            out.push_back(&f);
    return out;
}

std::uint64_t Manifest::sizeForTier(int tier) const
{
    std::uint64_t total = 0;
    for (const auto* f : filesForTier(tier))
        total += f->size;
    return total;
}

std::uint64_t Manifest::totalSize() const
{
    std::uint64_t total = 0;
    for (const auto& f : files)
        total += f.size;
    return total;
}

const SignatureRef* Manifest::signature(std::string_view role) const
{
    for (const auto& s : signatures)
        if (s.role == role)
            return &s;
    return nullptr;
}

void Manifest::recomputeSizes()
{
    sizeByTier.clear();
    for (int t : tiers)
        sizeByTier[t] = sizeForTier(t);
}

std::string Manifest::toYaml() const
{
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "format" << YAML::Value << YAML::DoubleQuoted << formatVersion;
    out << YAML::Key << "package" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "id" << YAML::Value << id;
    out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << name;
    out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << version;
    out << YAML::Key << "created" << YAML::Value << YAML::DoubleQuoted << created;
    out << YAML::Key << "created_by" << YAML::Value << YAML::DoubleQuoted << createdBy;
    out << YAML::Key << "tiers" << YAML::Value << YAML::Flow << tierNameList(tiers);
    out << YAML::Key << "size_by_tier" << YAML::Value << YAML::BeginMap;
    for (const auto& [tier, size] : sizeByTier)
        out << YAML::Key << tierName(tier) << YAML::Value << size;
    out << YAML::EndMap;
    if (!requirements.empty())
        emitRequirements(out, requirements);
    out << YAML::EndMap;
    if (delta)
        emitDeltaSection(out, *delta);

    out << YAML::Key << "contents" << YAML::Value << YAML::BeginMap;
    for (ContentKind k : kContentKinds) {
        out << YAML::Key << std::string(kindSection(k)) << YAML::Value << YAML::BeginSeq;
        for (const auto& f : files)
            if (f.kind == k)
                emitFile(out, f);
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;

    out << YAML::Key << "signatures" << YAML::Value << YAML::BeginMap;
    for (const auto& s : signatures) {
        out << YAML::Key << s.role << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "key_id" << YAML::Value << YAML::DoubleQuoted << s.keyId;
        out << YAML::Key << "file" << YAML::Value << s.file;
        out << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string Manifest::checksumsText(const std::vector<const ContentFile*>& files)
{
    std::string out;
    for (const auto* f : files)
        out += f->sha256 + "  " + f->path + "\n";
    return out;
}

Result<Manifest> Manifest::parse(std::string_view yamlText)
{
    return guarded([&]() -> Result<Manifest> {
        // Every string of a manifest ends up in state files, JSON and the
        // window: invalid UTF-8 anywhere is refused here, not found later.
        if (const auto at = firstInvalidUtf8(yamlText); at != std::string_view::npos)
            throw Failure(std::string(kManifestName) + ": not valid UTF-8 (byte " + std::to_string(at) + ")");
        // One document exactly: a second one would be signed and ignored. It
        // is refused by line, before yaml-cpp sees the text: a document marker
        // ("---", "...") after the first line, or a directive ("%"), at the
        // start of a line. (yaml-cpp 0.7's LoadAll loops without end, growing,
        // on a stray directive; the fuzzer found that.)
        for (std::size_t at = 0, line = 1; at < yamlText.size(); ++line) {
            const std::size_t eol = std::min(yamlText.find('\n', at), yamlText.size());
            const std::string_view l = yamlText.substr(at, eol - at);
            const bool marker = (l.rfind("---", 0) == 0 || l.rfind("...", 0) == 0) &&
                                (l.size() == 3 || l[3] == ' ' || l[3] == '\t' || l[3] == '\r');
            if ((marker && line > 1) || l.rfind("%", 0) == 0)
                throw Failure(std::string(kManifestName) + ": line " + std::to_string(line) +
                              ": a YAML document marker or directive; a manifest is exactly one document");
            at = eol + 1;
        }
        YAML::Node root;
        try {
            root = YAML::Load(std::string(yamlText));
        } catch (const YAML::Exception& e) {
            throw Failure(std::string(kManifestName) + ": not valid YAML (line " + std::to_string(e.mark.line + 1) +
                          ": " + e.msg + ")");
        }
        try {
            if (!root.IsMap())
                bad("the document", "must be a mapping");
            onlyKeys(root, "", {"format", "package", "delta", "contents", "signatures"});
            Manifest m;
            m.formatVersion = text(need(root, "manifest", "format"), "format");
            if (m.formatVersion != "1")
                bad("format", "\"" + m.formatVersion + "\" is not supported (this station reads format 1)");

            const YAML::Node pkg = need(root, "manifest", "package");
            if (!pkg.IsMap())
                bad("package", "must be a mapping");
            onlyKeys(pkg, "package",
                     {"id", "name", "version", "created", "created_by", "tiers", "size_by_tier", "requirements"});
            m.id = text(need(pkg, "package", "id"), "package.id");
            if (!isValidPackageId(m.id))
                bad("package.id", "\"" + m.id + "\" is not a valid package id");
            m.name = pkg["name"] ? text(pkg["name"], "package.name") : m.id;
            m.version = text(need(pkg, "package", "version"), "package.version");
            if (!isValidVersion(m.version))
                bad("package.version", "\"" + m.version + "\" is not a version");
            m.created = text(need(pkg, "package", "created"), "package.created");
            m.createdBy = text(need(pkg, "package", "created_by"), "package.created_by");
            m.tiers = tierList(need(pkg, "package", "tiers"), "package.tiers");
            if (m.tiers.empty())
                bad("package.tiers", "is empty");
            const YAML::Node sizes = need(pkg, "package", "size_by_tier");
            if (!sizes.IsMap())
                bad("package.size_by_tier", "must be a mapping of tier to bytes");
            noDuplicateKeys(sizes, "package.size_by_tier");
            for (const auto& kv : sizes) {
                const int tier = tierOf(kv.first, "package.size_by_tier");
                const std::string where = "package.size_by_tier." + kv.first.Scalar();
                if (!m.sizeByTier.emplace(tier, number(kv.second, where)).second)
                    bad(where, "gives " + tierName(tier) + " a second time");
            }
            if (const YAML::Node req = pkg["requirements"])
                m.requirements = parseRequirements(req, m.tiers);

            const YAML::Node contents = need(root, "manifest", "contents");
            if (!contents.IsMap())
                bad("contents", "must be a mapping");
            onlyKeys(contents, "contents", {"config", "models", "agents", "tools", "knowledge"});
            std::set<std::string> seen;
            for (ContentKind k : kContentKinds) {
                const std::string section(kindSection(k));
                const YAML::Node list = contents[section];
                if (!list || list.IsNull())
                    continue;
                if (!list.IsSequence())
                    bad("contents." + section, "must be a list");
                for (std::size_t i = 0; i < list.size(); ++i) {
                    const std::string where = "contents." + section + "[" + std::to_string(i) + "]";
                    ContentFile f = parseFile(list[i], k, where);
                    if (!seen.insert(f.path).second)
                        bad(where + ".path", "\"" + f.path + "\" is listed twice");
                    for (int t : f.tiers)
                        if (std::find(m.tiers.begin(), m.tiers.end(), t) == m.tiers.end())
                            bad(where + ".tiers", "has " + tierName(t) + ", which package.tiers lacks");
                    m.files.push_back(std::move(f));
                }
            }
            for (int t : m.tiers) {
                auto it = m.sizeByTier.find(t);
                if (it == m.sizeByTier.end())
                    bad("package.size_by_tier", "has no size for " + tierName(t));
                if (it->second != m.sizeForTier(t))
                    bad("package.size_by_tier." + tierName(t),
                        "is " + std::to_string(it->second) + " but the files of that tier add up to " +
                            std::to_string(m.sizeForTier(t)));
            }
            // A path that is also another file's directory cannot be installed.
            for (const auto& f : m.files)
                for (auto slash = f.path.find('/'); slash != std::string::npos; slash = f.path.find('/', slash + 1))
                    if (seen.count(f.path.substr(0, slash)))
                        bad("contents", "\"" + f.path.substr(0, slash) + "\" is both a file and the directory of \"" +
                                            f.path + "\"");
            if (m.sizeByTier.size() != m.tiers.size())
                bad("package.size_by_tier", "lists a tier that package.tiers lacks");
            if (const YAML::Node delta = root["delta"]) {
                m.delta = parseDeltaSection(delta, m);
                m.indexDelta();
            }

            const YAML::Node sigs = need(root, "manifest", "signatures");
            if (!sigs.IsMap())
                bad("signatures", "must be a mapping");
            onlyKeys(sigs, "signatures", {kRoleMesh, kRoleFounder});
            for (const char* role : {kRoleMesh, kRoleFounder}) {
                const YAML::Node s = sigs[role];
                if (!s)
                    continue;
                const std::string where = std::string("signatures.") + role;
                if (!s.IsMap())
                    bad(where, "must be a mapping");
                onlyKeys(s, where, {"key_id", "file"});
                SignatureRef ref;
                ref.role = role;
                ref.keyId = text(need(s, where, "key_id"), where + ".key_id");
                ref.file = text(need(s, where, "file"), where + ".file");
                const std::string expected = role == std::string(kRoleMesh) ? kMeshSignatureName : kFounderSignatureName;
                if (ref.file != expected)
                    bad(where + ".file", "must be " + expected);
                m.signatures.push_back(std::move(ref));
            }
            if (!m.signature(kRoleMesh))
                bad("signatures.mesh_authority", "is missing (the mesh authority signature is required)");
            return m;
        } catch (const YAML::Exception& e) {
            throw Failure(std::string(kManifestName) + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
        }
    });
}

namespace {

std::vector<std::string> splitVersion(std::string_view v)
{
    std::vector<std::string> parts;
    std::string cur;
    for (char c : v) {
        if (c == '.' || c == '-' || c == '+') {
            parts.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    parts.push_back(cur);
    return parts;
}

} // namespace

static int compareDotted(std::string_view a, std::string_view b);

// "1.3-rc1" < "1.3": a pre-release (after '-') comes before its release, as in
// semantic versioning; build metadata (after '+') does not order.
int compareVersions(std::string_view a, std::string_view b)
{
    auto split = [](std::string_view v) {
        v = v.substr(0, v.find('+'));
        const auto dash = v.find('-');
        return std::pair{v.substr(0, dash), dash == std::string_view::npos ? std::string_view() : v.substr(dash + 1)};
    };
    const auto [ma, pa] = split(a);
    const auto [mb, pb] = split(b);
    if (int c = compareDotted(ma, mb))
        return c;
    if (pa.empty() != pb.empty())
        return pa.empty() ? 1 : -1;
    return compareDotted(pa, pb);
}

static int compareDotted(std::string_view a, std::string_view b)
{
    const auto pa = splitVersion(a);
    const auto pb = splitVersion(b);
    const std::size_t n = std::max(pa.size(), pb.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::string x = i < pa.size() ? pa[i] : "0";
        const std::string y = i < pb.size() ? pb[i] : "0";
        if (allDigits(x) && allDigits(y)) {
            const auto xs = x.substr(std::min(x.find_first_not_of('0'), x.size() - 1));
            const auto ys = y.substr(std::min(y.find_first_not_of('0'), y.size() - 1));
            if (xs.size() != ys.size())
                return xs.size() < ys.size() ? -1 : 1;
            if (xs != ys)
                return xs < ys ? -1 : 1;
        } else if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

bool isValidVersion(std::string_view v)
{
    if (v.empty() || v.size() > 64 || !(v[0] >= '0' && v[0] <= '9'))
        return false;
    return std::all_of(v.begin(), v.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' ||
               c == '+';
    });
}

bool isValidPackageId(std::string_view id)
{
    if (id.empty() || id.size() > 128)
        return false;
    auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!ok(id[0]))
        return false;
    return std::all_of(id.begin(), id.end(), [&](char c) { return ok(c) || c == '.' || c == '_' || c == '-'; });
}

bool isSafeRelativePath(std::string_view path)
{
    if (path.empty() || path.size() > 4096 || path.front() == '/')
        return false;
    if (path.find('\\') != std::string_view::npos)
        return false;
    // Control characters (a newline, NUL) cannot be written in checksums.sha256
    // or shown on one line; invalid UTF-8 cannot be named in JSON.
    if (std::any_of(path.begin(), path.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return false;
    if (!isValidUtf8(path))
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || part.size() > kMaxPathComponent)
            return false;
        start = end + 1;
        if (end == path.size())
            break;
    }
    return true;
}

std::string packageFileName(const std::string& id, const std::string& version, std::optional<int> tier)
{
    std::string name = id + "-v" + version;
    if (tier)
        name += "-tier" + std::to_string(*tier);
    return name + ".atmo";
}

std::string Manifest::fileName(std::optional<int> tier) const
{
    return delta ? deltaPackageFileName(id, delta->baseVersion, version, tier) : packageFileName(id, version, tier);
}

std::string deltaPackageFileName(const std::string& id, const std::string& baseVersion, const std::string& version,
                                 std::optional<int> tier)
{
    std::string name = id + "-v" + version + "-from-v" + baseVersion;
    if (tier)
        name += "-tier" + std::to_string(*tier);
    return name + ".atmo";
}

} // namespace atmo
