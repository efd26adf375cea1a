#include "core/package/manifest_delta.h"

#include <algorithm>
#include <set>

#include "core/base/text.h"
#include "core/package/manifest_fields.h"

namespace atmo {

namespace {

using namespace manifest_fields;

const char* typeKey(DeltaChangeType t)
{
    switch (t) {
    case DeltaChangeType::Updated: return "updated";
    case DeltaChangeType::Added: return "added";
    case DeltaChangeType::Removed: return "removed";
    }
    return "updated";
}

bool hasVersions(ContentKind k)
{
    return k == ContentKind::Model || k == ContentKind::Agent || k == ContentKind::Tool;
}

std::string version(const YAML::Node& node, const std::string& field)
{
    const std::string v = text(node, field);
    if (!isValidVersion(v))
        bad(field, "\"" + v + "\" is not a version");
    return v;
}

std::string pathIn(const YAML::Node& node, const std::string& field, ContentKind kind)
{
    const std::string p = text(node, field);
    const std::string dir = std::string(kindSection(kind)) + "/";
    if (!isSafeRelativePath(p))
        bad(field, "\"" + p + "\" is not a safe relative path");
    if (!startsWith(p, dir) || p.size() == dir.size())
        bad(field, "\"" + p + "\" must be inside " + dir);
    return p;
}

DeltaChange parseChange(const YAML::Node& node, ContentKind kind, DeltaChangeType type, const std::string& where)
{
    if (!node.IsMap())
        bad(where, "must be a mapping");
    const char* idKey = kind == ContentKind::Knowledge ? "domain" : "id";
    if (type == DeltaChangeType::Updated)
        onlyKeys(node, where, {idKey, "from", "to", "path", "base_path", "base_size", "base_hash", "delta",
                               "delta_size", "delta_hash"});
    else
        onlyKeys(node, where, {idKey, "version", "path"});
    DeltaChange c;
    c.kind = kind;
    c.type = type;
    c.id = text(need(node, where, idKey), where + "." + idKey);
    if (c.id.empty())
        bad(where + "." + idKey, "is empty");
    c.path = pathIn(need(node, where, "path"), where + ".path", kind);
    if (type != DeltaChangeType::Updated) {
        if (node["version"]) {
            (type == DeltaChangeType::Added ? c.to : c.from) = version(node["version"], where + ".version");
            if (!hasVersions(kind))
                bad(where + ".version", "is not a field of " + std::string(kindSection(kind)));
        }
        return c;
    }
    if (hasVersions(kind)) {
        if (node["from"])
            c.from = version(node["from"], where + ".from");
        if (node["to"])
            c.to = version(node["to"], where + ".to");
    } else if (node["from"] || node["to"]) {
        bad(where, "gives versions, which " + std::string(kindSection(kind)) + " do not have");
    }
    c.basePath = pathIn(need(node, where, "base_path"), where + ".base_path", kind);
    c.baseSize = number(need(node, where, "base_size"), where + ".base_size");
    c.baseSha256 = hashField(need(node, where, "base_hash"), where + ".base_hash");
    if (node["delta"]) {
        if (kind != ContentKind::Model && kind != ContentKind::Knowledge)
            bad(where + ".delta", "is only for models and knowledge (" + std::string(kindSection(kind)) +
                                      " travel whole)");
        c.delta = pathIn(node["delta"], where + ".delta", kind);
        if (!c.delta.ends_with(".delta"))
            bad(where + ".delta", "\"" + c.delta + "\" must end in .delta");
        c.deltaSize = number(need(node, where, "delta_size"), where + ".delta_size");
        c.deltaSha256 = hashField(need(node, where, "delta_hash"), where + ".delta_hash");
    } else if (node["delta_size"] || node["delta_hash"]) {
        bad(where, "has delta_size or delta_hash without delta");
    }
    return c;
}

void emitChange(YAML::Emitter& out, const DeltaChange& c)
{
    out << YAML::BeginMap;
    out << YAML::Key << (c.kind == ContentKind::Knowledge ? "domain" : "id") << YAML::Value << YAML::DoubleQuoted
        << c.id;
    if (c.type == DeltaChangeType::Updated) {
        if (!c.from.empty())
            out << YAML::Key << "from" << YAML::Value << YAML::DoubleQuoted << c.from;
        if (!c.to.empty())
            out << YAML::Key << "to" << YAML::Value << YAML::DoubleQuoted << c.to;
    } else if (const std::string& v = c.type == DeltaChangeType::Added ? c.to : c.from; !v.empty()) {
        out << YAML::Key << "version" << YAML::Value << YAML::DoubleQuoted << v;
    }
    out << YAML::Key << "path" << YAML::Value << YAML::DoubleQuoted << c.path;
    if (c.type == DeltaChangeType::Updated) {
        out << YAML::Key << "base_path" << YAML::Value << YAML::DoubleQuoted << c.basePath;
        out << YAML::Key << "base_size" << YAML::Value << c.baseSize;
        out << YAML::Key << "base_hash" << YAML::Value << ("sha256:" + c.baseSha256);
        if (c.viaDelta()) {
            out << YAML::Key << "delta" << YAML::Value << YAML::DoubleQuoted << c.delta;
            out << YAML::Key << "delta_size" << YAML::Value << c.deltaSize;
            out << YAML::Key << "delta_hash" << YAML::Value << ("sha256:" + c.deltaSha256);
        }
    }
    out << YAML::EndMap;
}

} // namespace

const DeltaChange* DeltaSection::changeFor(const std::string& targetPath) const
{
    for (const auto& c : changes)
        if (c.type != DeltaChangeType::Removed && c.path == targetPath)
            return &c;
    return nullptr;
}

const DeltaChange* DeltaSection::changeByDelta(const std::string& deltaPath) const
{
    for (const auto& c : changes)
        if (c.viaDelta() && c.delta == deltaPath)
            return &c;
    return nullptr;
}

bool DeltaSection::isUnchanged(const std::string& targetPath) const
{
    return std::find(unchanged.begin(), unchanged.end(), targetPath) != unchanged.end();
}

std::string DeltaSection::summary() const
{
    std::vector<std::string> parts;
    for (ContentKind k : kContentKinds) {
        std::size_t n[3] = {0, 0, 0}, viaDeltas = 0;
        for (const auto& c : changes)
            if (c.kind == k) {
                ++n[static_cast<int>(c.type)];
                viaDeltas += c.viaDelta() ? 1 : 0;
            }
        std::vector<std::string> what;
        if (n[0])
            what.push_back(std::to_string(n[0]) + " updated" +
                           (viaDeltas ? " (" + std::to_string(viaDeltas) + " as a delta)" : std::string()));
        if (n[1])
            what.push_back(std::to_string(n[1]) + " added");
        if (n[2])
            what.push_back(std::to_string(n[2]) + " removed");
        if (k == ContentKind::Knowledge && (chunks.added || chunks.removed || chunks.updated))
            what.push_back(std::to_string(chunks.added) + (chunks.added == 1 ? " record" : " records") + " added, " +
                           std::to_string(chunks.removed) + " removed, " + std::to_string(chunks.updated) +
                           " updated");
        if (!what.empty())
            parts.push_back(std::string(kindSection(k)) + ": " + join(what, ", "));
    }
    parts.push_back(std::to_string(unchanged.size()) + (unchanged.size() == 1 ? " file" : " files") + " unchanged");
    return join(parts, "; ");
}

DeltaSection parseDeltaSection(const YAML::Node& node, const Manifest& m)
{
    if (!node.IsMap())
        bad("delta", "must be a mapping");
    onlyKeys(node, "delta", {"base_version", "target_version", "base_manifest", "changes", "unchanged"});
    DeltaSection d;
    d.baseVersion = version(need(node, "delta", "base_version"), "delta.base_version");
    d.targetVersion = version(need(node, "delta", "target_version"), "delta.target_version");
    if (d.targetVersion != m.version)
        bad("delta.target_version", "is " + d.targetVersion + " but the package is version " + m.version);
    if (compareVersions(d.baseVersion, d.targetVersion) >= 0)
        bad("delta.base_version", d.baseVersion + " is not older than the target " + d.targetVersion);
    d.baseManifestSha256 = hashField(need(node, "delta", "base_manifest"), "delta.base_manifest");

    std::set<std::string> accounted, deltas;
    auto account = [&](const std::string& path, const std::string& field) {
        if (!m.find(path))
            bad(field, "\"" + path + "\" is not in contents");
        if (!accounted.insert(path).second)
            bad(field, "\"" + path + "\" is accounted for twice");
    };
    if (const YAML::Node changes = node["changes"]; changes && !changes.IsNull()) {
        if (!changes.IsMap())
            bad("delta.changes", "must be a mapping");
        onlyKeys(changes, "delta.changes", {"config", "models", "agents", "tools", "knowledge"});
        for (ContentKind k : kContentKinds) {
            const std::string section = "delta.changes." + std::string(kindSection(k));
            const YAML::Node byType = changes[std::string(kindSection(k))];
            if (!byType || byType.IsNull())
                continue;
            if (!byType.IsMap())
                bad(section, "must be a mapping");
            if (k == ContentKind::Knowledge)
                onlyKeys(byType, section,
                         {"updated", "added", "removed", "chunks_added", "chunks_removed", "chunks_updated"});
            else
                onlyKeys(byType, section, {"updated", "added", "removed"});
            for (DeltaChangeType t : {DeltaChangeType::Updated, DeltaChangeType::Added, DeltaChangeType::Removed}) {
                const YAML::Node list = byType[typeKey(t)];
                if (!list || list.IsNull())
                    continue;
                if (!list.IsSequence())
                    bad(section + "." + typeKey(t), "must be a list");
                for (std::size_t i = 0; i < list.size(); ++i) {
                    const std::string where = section + "." + typeKey(t) + "[" + std::to_string(i) + "]";
                    DeltaChange c = parseChange(list[i], k, t, where);
                    if (t != DeltaChangeType::Removed)
                        account(c.path, where + ".path");
                    if (c.viaDelta() && (m.find(c.delta) || !deltas.insert(c.delta).second))
                        bad(where + ".delta", "\"" + c.delta + "\" is also another file's path");
                    d.changes.push_back(std::move(c));
                }
            }
            if (k == ContentKind::Knowledge) {
                if (byType["chunks_added"])
                    d.chunks.added = number(byType["chunks_added"], section + ".chunks_added");
                if (byType["chunks_removed"])
                    d.chunks.removed = number(byType["chunks_removed"], section + ".chunks_removed");
                if (byType["chunks_updated"])
                    d.chunks.updated = number(byType["chunks_updated"], section + ".chunks_updated");
            }
        }
    }
    if (const YAML::Node unchanged = node["unchanged"]; unchanged && !unchanged.IsNull()) {
        if (!unchanged.IsSequence())
            bad("delta.unchanged", "must be a list of paths");
        for (std::size_t i = 0; i < unchanged.size(); ++i) {
            const std::string where = "delta.unchanged[" + std::to_string(i) + "]";
            const std::string p = text(unchanged[i], where);
            account(p, where);
            d.unchanged.push_back(p);
        }
    }
    for (const auto& f : m.files)
        if (!accounted.count(f.path))
            bad("delta", "does not say how to get " + f.path + " (updated, added or unchanged)");
    return d;
}

void emitDeltaSection(YAML::Emitter& out, const DeltaSection& d)
{
    out << YAML::Key << "delta" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "base_version" << YAML::Value << YAML::DoubleQuoted << d.baseVersion;
    out << YAML::Key << "target_version" << YAML::Value << YAML::DoubleQuoted << d.targetVersion;
    out << YAML::Key << "base_manifest" << YAML::Value << ("sha256:" + d.baseManifestSha256);
    out << YAML::Key << "changes" << YAML::Value << YAML::BeginMap;
    for (ContentKind k : kContentKinds) {
        const bool knowledge = k == ContentKind::Knowledge;
        const bool any = std::any_of(d.changes.begin(), d.changes.end(), [&](const auto& c) { return c.kind == k; });
        if (!any && !(knowledge && (d.chunks.added || d.chunks.removed || d.chunks.updated)))
            continue;
        out << YAML::Key << std::string(kindSection(k)) << YAML::Value << YAML::BeginMap;
        for (DeltaChangeType t : {DeltaChangeType::Updated, DeltaChangeType::Added, DeltaChangeType::Removed}) {
            if (std::none_of(d.changes.begin(), d.changes.end(),
                             [&](const auto& c) { return c.kind == k && c.type == t; }))
                continue;
            out << YAML::Key << typeKey(t) << YAML::Value << YAML::BeginSeq;
            for (const auto& c : d.changes)
                if (c.kind == k && c.type == t)
                    emitChange(out, c);
            out << YAML::EndSeq;
        }
        if (knowledge) {
            out << YAML::Key << "chunks_added" << YAML::Value << d.chunks.added;
            out << YAML::Key << "chunks_removed" << YAML::Value << d.chunks.removed;
            out << YAML::Key << "chunks_updated" << YAML::Value << d.chunks.updated;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;
    out << YAML::Key << "unchanged" << YAML::Value << YAML::BeginSeq;
    for (const auto& p : d.unchanged)
        out << YAML::DoubleQuoted << p;
    out << YAML::EndSeq;
    out << YAML::EndMap;
}

std::vector<const ContentFile*> Manifest::archiveFiles() const
{
    std::vector<const ContentFile*> out;
    if (!delta) {
        for (const auto& f : files)
            out.push_back(&f);
        return out;
    }
    std::set<std::string_view> notCarried(delta->unchanged.begin(), delta->unchanged.end());
    for (const auto& c : delta->changes)
        if (c.viaDelta())
            notCarried.insert(c.path);
    for (const auto& f : files)
        if (!notCarried.count(f.path))
            out.push_back(&f);
    for (const auto& f : deltaFiles)
        out.push_back(&f);
    return out;
}

std::vector<const ContentFile*> Manifest::archiveFilesForTier(int tier) const
{
    std::vector<const ContentFile*> out;
    for (const ContentFile* f : archiveFiles())
        if (f->inTier(tier))
            out.push_back(f);
    return out;
}

const ContentFile* Manifest::findArchived(std::string_view path) const
{
    const ContentFile* f = find(path);
    if (!delta)
        return f;
    if (f) {
        const DeltaChange* c = delta->changeFor(f->path);
        return c && !c->viaDelta() ? f : nullptr; // unchanged and rebuilt files are not carried
    }
    for (const auto& d : deltaFiles)
        if (d.path == path)
            return &d;
    return nullptr;
}

void Manifest::indexDelta()
{
    deltaFiles.clear();
    if (!delta)
        return;
    for (const auto& c : delta->changes) {
        if (!c.viaDelta())
            continue;
        const ContentFile* target = find(c.path);
        ContentFile f;
        f.kind = c.kind;
        f.path = c.delta;
        f.size = c.deltaSize;
        f.sha256 = c.deltaSha256;
        f.id = target ? target->id : c.id;
        f.version = target ? target->version : c.to;
        f.tiers = target ? target->tiers : std::vector<int>();
        f.domain = target ? target->domain : std::string();
        deltaFiles.push_back(std::move(f));
    }
}

} // namespace atmo
