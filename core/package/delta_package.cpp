#include "core/package/delta_package.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "core/base/fs_util.h"
#include "core/base/sha256.h"
#include "core/delta/delta_create.h"
#include "core/delta/record_changes.h"
#include "core/package/package_verifier.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

std::string extensionOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    const auto dot = path.rfind('.');
    return dot == std::string::npos || (slash != std::string::npos && dot < slash) ? std::string() : path.substr(dot);
}

std::string keyOf(const ContentFile& f)
{
    return f.kind == ContentKind::Knowledge ? f.domain : f.id;
}

// Target path -> its counterpart in the base (see delta_package.h).
std::map<std::string, std::string> matchFiles(const Manifest& target, const Manifest& base)
{
    std::map<std::string, std::string> out;
    std::set<const ContentFile*> used;
    for (const auto& t : target.files)
        if (const ContentFile* b = base.find(t.path)) {
            out[t.path] = b->path;
            used.insert(b);
        }
    for (const auto& t : target.files) {
        if (out.count(t.path))
            continue;
        for (const auto& b : base.files) {
            if (used.count(&b) || b.kind != t.kind || keyOf(b) != keyOf(t) || extensionOf(b.path) != extensionOf(t.path) ||
                b.tiers != t.tiers)
                continue;
            out[t.path] = b.path;
            used.insert(&b);
            break;
        }
    }
    return out;
}

bool deltaKind(ContentKind k)
{
    return k == ContentKind::Model || k == ContentKind::Knowledge;
}

// Why `base` cannot be the base of `id` `version`; nullopt: it can.
std::optional<std::string> baseProblem(const Manifest& base, const std::string& id, const std::string& version)
{
    if (base.delta)
        return "it is a delta package itself (from " + base.delta->baseVersion +
               "); make a delta from a full package or a tier export";
    if (base.id != id)
        return "it is a package of " + base.id + ", not " + id;
    if (compareVersions(base.version, version) >= 0)
        return "its version " + base.version + " is not older than " + version;
    return std::nullopt;
}

[[noreturn]] void baseFailed(const fs::path& basePackage, const VerifyReport& report)
{
    if (report.code == ErrorCode::Cancelled)
        throw Cancelled();
    throw Failure(report.code == ErrorCode::Failed ? ErrorCode::BadData : report.code,
                  "--delta-from " + basePackage.string() + ": " + report.reason, basePackage.string());
}

// Stops the verifier once the signed manifest is read, judging it.
class BaseHead final : public EntrySink {
public:
    BaseHead(const std::string& id, const std::string& version) : id_(id), version_(version) {}
    void onManifest(const Manifest& base, std::optional<int>) override
    {
        if (const auto why = baseProblem(base, id_, version_))
            throw Failure(*why);
        fits = true;
        throw Failure("the head was read"); // ends the pass; not an error
    }
    bool fits = false;

private:
    const std::string& id_;
    const std::string& version_;
};

// Verifies the base package and keeps the files `wanted` names.
class BaseExtractor final : public EntrySink, public VerifyObserver {
public:
    BaseExtractor(const Manifest& target, std::optional<int> tier, const fs::path& dir, Observer* observer)
        : target_(target), tier_(tier), dir_(dir), observer_(observer)
    {
    }

    void onProgress(const Progress& p) override
    {
        if (observer_)
            observer_->onProgress(p);
    }

    void onManifest(const Manifest& base, std::optional<int>) override
    {
        if (const auto why = baseProblem(base, target_.id, target_.version))
            throw Failure(*why);
        matches_ = matchFiles(target_, base);
        for (const auto& t : target_.files) {
            auto it = matches_.find(t.path);
            if (it != matches_.end() && base.find(it->second)->sha256 != t.sha256 && deltaKind(t.kind) &&
                (!tier_ || t.inTier(*tier_)))
                wanted_.insert(it->second);
        }
    }

    bool beginFile(const ContentFile& f) override
    {
        if (!wanted_.count(f.path))
            return false;
        const fs::path out = dir_ / f.path;
        fs::create_directories(out.parent_path());
        out_.reset(::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (!out_)
            throw Failure(ErrorCode::Io, out.string() + ": cannot create: " + std::strerror(errno));
        outName_ = out.string();
        return true;
    }
    void write(const void* data, std::size_t size) override { writeAll(out_.get(), data, size, outName_); }
    void endFile(const ContentFile& f) override
    {
        out_.reset();
        extracted_[f.path] = dir_ / f.path;
    }

    const std::map<std::string, std::string>& matches() const { return matches_; }
    const std::map<std::string, fs::path>& extracted() const { return extracted_; }

private:
    const Manifest& target_;
    std::optional<int> tier_;
    fs::path dir_;
    Observer* observer_;
    std::map<std::string, std::string> matches_; // target path -> base path
    std::set<std::string> wanted_;
    std::map<std::string, fs::path> extracted_;
    UniqueFd out_;
    std::string outName_;
};

std::string deltaPath(const ContentFile& t, const std::string& from, const std::string& to, const Manifest& target,
                      const std::set<std::string>& taken)
{
    std::string stem = t.kind == ContentKind::Knowledge ? fs::path(t.path).stem().string() : t.id;
    if (!isSafeRelativePath(stem) || stem.find('/') != std::string::npos || stem.size() > 128)
        stem = "file";
    const std::string base = std::string(kindSection(t.kind)) + "/" + stem + "-" + from + "-to-" + to;
    std::string p = base + ".delta";
    for (int n = 2; target.find(p) || taken.count(p); ++n)
        p = base + "-" + std::to_string(n) + ".delta";
    return p;
}

} // namespace

void checkDeltaBase(const fs::path& basePackage, const TrustStore& trust, const std::string& id,
                    const std::string& version, const CancelToken& cancel)
{
    BaseHead head(id, version);
    VerifyOptions vo;
    vo.trust = &trust;
    vo.sink = &head;
    const VerifyReport report = verifyPackage(basePackage, vo, nullptr, cancel);
    if (!head.fits)
        baseFailed(basePackage, report);
}

DeltaBuild buildDelta(const Manifest& target, const std::map<std::string, fs::path>& sources,
                      std::optional<int> tier, const fs::path& basePackage, const TrustStore& trust,
                      const fs::path& workDir, Observer* observer, const CancelToken& cancel)
{
    BaseExtractor extractor(target, tier, workDir / "base", observer);
    VerifyOptions vo;
    vo.trust = &trust;
    vo.sink = &extractor;
    const VerifyReport report = verifyPackage(basePackage, vo, &extractor, cancel);
    if (!report.ok)
        baseFailed(basePackage, report);
    const Manifest& base = *report.manifest;

    DeltaBuild out;
    out.baseArchiveBytes = report.archiveBytes;
    DeltaSection& d = out.section;
    d.baseVersion = base.version;
    d.targetVersion = target.version;
    d.baseManifestSha256 = report.manifestSha256;
    std::set<const ContentFile*> matchedBase;
    std::set<std::string> deltaPaths;
    ProgressReporter progress(observer);
    for (const auto& t : target.files) {
        const auto it = extractor.matches().find(t.path);
        const ContentFile* b = it == extractor.matches().end() ? nullptr : base.find(it->second);
        if (b)
            matchedBase.insert(b);
        if (b && b->path == t.path && b->sha256 == t.sha256) {
            d.unchanged.push_back(t.path);
            continue;
        }
        DeltaChange c;
        c.kind = t.kind;
        c.id = keyOf(t);
        c.to = t.version;
        c.path = t.path;
        if (!b) {
            c.type = DeltaChangeType::Added;
            if (t.kind == ContentKind::Knowledge)
                d.chunks.added += t.chunks;
            d.changes.push_back(std::move(c));
            continue;
        }
        c.type = DeltaChangeType::Updated;
        c.from = b->version;
        c.basePath = b->path;
        c.baseSize = b->size;
        c.baseSha256 = b->sha256;
        const auto baseFile = extractor.extracted().find(b->path);
        const bool records = t.kind == ContentKind::Knowledge;
        if (records && baseFile != extractor.extracted().end()) {
            auto counts = delta::compareRecords(baseFile->second, sources.at(t.path), cancel);
            if (!counts)
                raise(counts.error());
            d.chunks.added += counts->added;
            d.chunks.removed += counts->removed;
            d.chunks.updated += counts->updated;
        }
        if (baseFile != extractor.extracted().end()) {
            // The file's own versions when it has them and they differ, else the packages'.
            const bool ownVersions = !b->version.empty() && !t.version.empty() && b->version != t.version;
            const std::string from = ownVersions ? b->version : base.version;
            const std::string to = ownVersions ? t.version : target.version;
            const std::string archivePath = deltaPath(t, from, to, target, deltaPaths);
            const fs::path made = workDir / "deltas" / std::to_string(deltaPaths.size());
            fs::create_directories(made.parent_path());
            progress.item(t.path);
            delta::CreateOptions co;
            co.kind = records && t.path.ends_with(".jsonl") ? delta::Kind::Records : delta::Kind::Binary;
            auto stats = delta::createDelta(baseFile->second, sources.at(t.path), made, co, &progress, cancel);
            if (!stats)
                raise(stats.error());
            // A delta no smaller than the file itself is not worth a rebuild.
            if (stats->deltaBytes < t.size) {
                auto sha = sha256FileHex(made, cancel);
                if (!sha)
                    raise(sha.error());
                c.delta = archivePath;
                c.deltaSize = stats->deltaBytes;
                c.deltaSha256 = *sha;
                deltaPaths.insert(archivePath);
                out.deltaFiles[archivePath] = made;
            }
        }
        d.changes.push_back(std::move(c));
    }
    for (const auto& b : base.files) {
        if (matchedBase.count(&b))
            continue;
        DeltaChange c;
        c.kind = b.kind;
        c.type = DeltaChangeType::Removed;
        c.id = keyOf(b);
        c.from = b.version;
        c.path = b.path;
        if (b.kind == ContentKind::Knowledge)
            d.chunks.removed += b.chunks;
        d.changes.push_back(std::move(c));
    }
    // Section order: by kind, then updated, added, removed.
    std::stable_sort(d.changes.begin(), d.changes.end(), [](const DeltaChange& a, const DeltaChange& b) {
        return std::pair(static_cast<int>(a.kind), static_cast<int>(a.type)) <
               std::pair(static_cast<int>(b.kind), static_cast<int>(b.type));
    });
    progress.finish();
    return out;
}

} // namespace atmo
