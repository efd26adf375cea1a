#include "core/package_export.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#include "core/archive_writer.h"
#include "core/custody.h"
#include "core/fs_util.h"
#include "core/package_verifier.h"
#include "core/sha256.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

struct TargetState {
    std::unique_ptr<ExportTarget> target;
    TargetResult result;
    bool alive = true;
};

// Receives the verified source as it streams and writes the new archive to
// every live target at once.
class ExportSink final : public EntrySink {
public:
    ExportSink(std::vector<TargetState>& targets, const ExportOptions& options, ExportObserver* observer)
        : targets_(targets), options_(options), observer_(observer)
    {
    }

    void onMetadata(const std::string& name, const std::string& bytes) override { metadata_[name] = bytes; }

    void onManifest(const Manifest& m, std::optional<int>) override
    {
        if (options_.tier && std::find(m.tiers.begin(), m.tiers.end(), *options_.tier) == m.tiers.end())
            throw Failure("the package has no tier " + std::to_string(*options_.tier) + " (it has tiers " +
                          [&] {
                              std::string s;
                              for (int t : m.tiers)
                                  s += (s.empty() ? "" : ", ") + std::to_string(t);
                              return s;
                          }() + ")");
        // What the source holds: its checksums.sha256, which the verifier has
        // matched against the manifest and will match against the entries.
        const std::string& sourceChecksums = metadata_[kChecksumsName];
        std::vector<const ContentFile*> included;
        for (const auto& f : m.files)
            if ((!options_.tier || f.inTier(*options_.tier)) &&
                sourceChecksums.find("  " + f.path + "\n") != std::string::npos)
                included.push_back(&f);
        for (const auto* f : included)
            total_ += f->size;
        const std::uint64_t needed = total_ + (included.size() + 16) * 2048 + (1 << 20);
        std::optional<int> nameTier = options_.tier;
        if (!nameTier && included.size() < m.files.size()) {
            // The source is itself a tier subset: keep the name saying which tier it serves.
            for (int t : m.tiers) {
                const auto need = m.filesForTier(t);
                if (std::all_of(need.begin(), need.end(), [&](const ContentFile* f) {
                        return std::find(included.begin(), included.end(), f) != included.end();
                    }))
                    nameTier = t;
            }
            if (!nameTier)
                throw Failure("the package is not complete for any tier; export it with a tier");
        }
        finalName_ = packageFileName(m.id, m.version, nameTier);

        for (std::size_t i = 0; i < targets_.size(); ++i) {
            auto& t = targets_[i];
            t.result.target = t.target->name();
            try {
                if (t.target->readOnly())
                    throw Failure(t.target->name() + ": the drive is read-only");
                const std::uint64_t free = t.target->freeBytes();
                if (free < needed)
                    throw Failure(t.target->name() + ": not enough free space (needs " + humanBytes(needed) +
                                  ", has " + humanBytes(free) + ")");
                t.target->open(finalName_);
            } catch (const std::exception& e) {
                failTarget(i, e.what());
            }
        }
        if (std::none_of(targets_.begin(), targets_.end(), [](const TargetState& t) { return t.alive; }))
            throw Failure("no target could be written");

        std::vector<CustodyEntry> chain;
        if (auto it = metadata_.find(kCustodyName); it != metadata_.end()) {
            auto parsed = parseCustody(it->second);
            if (parsed)
                chain = *parsed;
        }
        if (options_.stationKey)
            appendCustody(chain, sha256Hex(metadata_[kManifestName]), *options_.stationKey,
                          options_.stationName.empty() ? std::string("atmosphere-station") : options_.stationName,
                          "exported", options_.tier ? "tier " + std::to_string(*options_.tier) : "full package");

        writer_ = std::make_unique<ArchiveWriter>(
            [this](const void* data, std::size_t size) { fanOut(data, size); }, Compression::None, finalName_);
        const std::int64_t mtime = std::time(nullptr);
        writer_->addEntry(kManifestName, metadata_[kManifestName], mtime);
        for (const char* sig : {kMeshSignatureName, kFounderSignatureName})
            if (auto it = metadata_.find(sig); it != metadata_.end())
                writer_->addEntry(sig, it->second, mtime);
        writer_->addEntry(kChecksumsName, Manifest::checksumsText(included), mtime);
        if (!chain.empty())
            writer_->addEntry(kCustodyName, serializeCustody(chain), mtime);
        mtime_ = mtime;
    }

    bool beginFile(const ContentFile& f) override
    {
        if (options_.tier && !f.inTier(*options_.tier))
            return false;
        writer_->beginEntry(f.path, f.size, mtime_);
        return true;
    }

    void write(const void* data, std::size_t size) override
    {
        writer_->write(data, size);
        contentDone_ += size;
    }

    void endFile(const ContentFile&) override { writer_->endEntry(); }

    void abort() override
    {
        for (auto& t : targets_)
            t.target->discard();
    }

    void closeArchive()
    {
        if (writer_)
            writer_->close();
    }

    std::string archiveSha256() { return hash_.finishHex(); }
    std::uint64_t archiveBytes() const { return bytes_; }
    const std::string& finalName() const { return finalName_; }
    std::uint64_t totalContent() const { return total_; }

    void failTarget(std::size_t i, const std::string& error)
    {
        auto& t = targets_[i];
        if (!t.alive)
            return;
        t.alive = false;
        t.result.ok = false;
        t.result.error = error;
        t.target->discard();
        if (observer_)
            observer_->onTargetDone(i, t.result);
    }

private:
    void fanOut(const void* data, std::size_t size)
    {
        hash_.update(data, size);
        bytes_ += size;
        for (std::size_t i = 0; i < targets_.size(); ++i) {
            auto& t = targets_[i];
            if (!t.alive)
                continue;
            try {
                t.target->write(data, size);
                t.result.bytes += size;
            } catch (const std::exception& e) {
                failTarget(i, e.what());
            }
        }
        if (observer_) {
            Progress p{"writing", contentDone_, total_, finalName_};
            for (std::size_t i = 0; i < targets_.size(); ++i)
                if (targets_[i].alive)
                    observer_->onTargetProgress(i, p);
        }
        if (std::none_of(targets_.begin(), targets_.end(), [](const TargetState& t) { return t.alive; }))
            throw Failure("every target failed");
    }

    std::vector<TargetState>& targets_;
    const ExportOptions& options_;
    ExportObserver* observer_;
    std::map<std::string, std::string> metadata_;
    std::unique_ptr<ArchiveWriter> writer_;
    Sha256 hash_;
    std::uint64_t bytes_ = 0, total_ = 0, contentDone_ = 0;
    std::int64_t mtime_ = 0;
    std::string finalName_;
};

// Sync, drop the cache, read back and compare; then rename into place.
void finishTarget(TargetState& t, std::size_t index, const std::string& expectedSha, std::uint64_t bytes,
                  ExportObserver* observer, const CancelToken& cancel)
{
    try {
        Progress p{"syncing", 0, bytes, t.target->name()};
        if (observer)
            observer->onTargetProgress(index, p);
        t.target->sync();
        t.target->dropCache();
        p.phase = "reading back";
        std::vector<char> buf(1 << 20);
        Sha256 hash;
        std::uint64_t offset = 0;
        auto last = std::chrono::steady_clock::now();
        for (;;) {
            cancel.check();
            const std::size_t n = t.target->readBack(offset, buf.data(), buf.size());
            if (n == 0)
                break;
            hash.update(buf.data(), n);
            offset += n;
            const auto now = std::chrono::steady_clock::now();
            if (observer && now - last > std::chrono::milliseconds(100)) {
                last = now;
                p.done = offset;
                observer->onTargetProgress(index, p);
            }
        }
        if (offset != bytes)
            throw Failure(t.target->name() + ": read back " + std::to_string(offset) + " bytes, wrote " +
                          std::to_string(bytes));
        const std::string got = hash.finishHex();
        if (got != expectedSha)
            throw Failure(t.target->name() + ": the data read back differs from what was written (faulty drive?)");
        t.target->commit();
        t.result.ok = true;
        t.result.sha256 = got;
        t.result.file = t.target->directory() / fs::path();
    } catch (const Cancelled&) {
        t.target->discard();
        t.result.ok = false;
        t.result.error = "cancelled";
    } catch (const std::exception& e) {
        t.target->discard();
        t.result.ok = false;
        t.result.error = e.what();
    }
    t.alive = false;
    if (observer)
        observer->onTargetDone(index, t.result);
}

} // namespace

Result<std::vector<TargetResult>> exportPackage(const fs::path& source, std::vector<std::unique_ptr<ExportTarget>> targets,
                                                const ExportOptions& options, ExportObserver* observer,
                                                const CancelToken& cancel)
{
    if (targets.empty())
        return fail("no output directory given");
    std::vector<TargetState> states;
    for (auto& t : targets)
        states.push_back(TargetState{std::move(t), {}, true});
    ExportSink sink(states, options, observer);
    VerifyOptions vo;
    vo.trust = options.trust;
    vo.tier = options.tier;
    vo.sink = &sink;
    VerifyReport report = verifyPackage(source, vo, nullptr, cancel);
    if (report.ok) {
        try {
            sink.closeArchive();
        } catch (const std::exception& e) {
            report.ok = false;
            report.reason = e.what();
            sink.abort();
        }
    }
    if (!report.ok) {
        // A target that failed on its own keeps its reason; the others failed with the source.
        std::vector<TargetResult> results;
        bool targetsFailedFirst = true;
        for (auto& s : states)
            if (s.alive)
                targetsFailedFirst = false;
        if (report.reason == "cancelled" || !targetsFailedFirst)
            return fail(source.string() + ": " + report.reason);
        for (auto& s : states)
            results.push_back(s.result);
        return results;
    }
    const std::string sha = sink.archiveSha256();
    const std::uint64_t bytes = sink.archiveBytes();
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < states.size(); ++i)
        if (states[i].alive)
            workers.emplace_back([&, i] { finishTarget(states[i], i, sha, bytes, observer, cancel); });
    for (auto& w : workers)
        w.join();
    std::vector<TargetResult> results;
    for (auto& s : states) {
        if (s.result.ok)
            s.result.file = s.target->directory() / sink.finalName();
        results.push_back(s.result);
    }
    return results;
}

} // namespace atmo
