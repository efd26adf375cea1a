#include "core/drives/package_export.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "core/package/archive_writer.h"
#include "core/package/custody.h"
#include "core/drives/export_fanout.h"
#include "core/base/fs_util.h"
#include "core/package/package_verifier.h"
#include "core/base/sha256.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

using detail::ExportFanOut;
using detail::ExportTargetState;

// Receives the verified source as it streams and writes the new archive,
// through the fan-out, to every live target at once.
class ExportSink final : public EntrySink {
public:
    ExportSink(std::vector<std::unique_ptr<ExportTargetState>>& targets, const ExportOptions& options,
               ExportObserver* observer, const CancelToken& cancel)
        : targets_(targets), options_(options), fanOut_(targets, observer, cancel)
    {
    }

    void onMetadata(const std::string& name, const std::string& bytes) override { metadata_[name] = bytes; }

    void onManifest(const Manifest& m, std::optional<int>) override
    {
        if (options_.tier && std::find(m.tiers.begin(), m.tiers.end(), *options_.tier) == m.tiers.end())
            throw Failure("the package has no " + tierName(*options_.tier) + " (it has " + tierListText(m.tiers) + ")");
        // What the source holds: its checksums.sha256, which the verifier has
        // matched against the manifest and will match against the entries.
        const std::string& sourceChecksums = metadata_[kChecksumsName];
        std::vector<const ContentFile*> included;
        const auto carried = m.archiveFiles(); // a delta package carries only some of its files
        for (const ContentFile* f : carried)
            if ((!options_.tier || f->inTier(*options_.tier)) &&
                sourceChecksums.find("  " + f->path + "\n") != std::string::npos)
                included.push_back(f);
        for (const auto* f : included)
            total_ += f->size;
        const std::uint64_t needed = exportSpaceNeeded(total_, included.size());
        std::optional<int> nameTier = options_.tier;
        if (!nameTier && included.size() < carried.size()) {
            // The source is itself a tier subset: keep the name saying which tier it serves.
            for (int t : m.tiers) {
                const auto need = m.archiveFilesForTier(t);
                if (std::all_of(need.begin(), need.end(), [&](const ContentFile* f) {
                        return std::find(included.begin(), included.end(), f) != included.end();
                    }))
                    nameTier = t;
            }
            if (!nameTier)
                throw Failure("the package is not complete for any tier; export it with a tier");
        }
        finalName_ = m.fileName(nameTier);

        for (std::size_t i = 0; i < targets_.size(); ++i) {
            auto& t = *targets_[i];
            try {
                if (t.target->readOnly())
                    throw DriveFailure(DriveProblem::ReadOnly, ErrorCode::Io, t.target->name() + ": the drive is read-only",
                                       t.target->name());
                const std::uint64_t free = t.target->freeBytes();
                if (free < needed)
                    throw DriveFailure(DriveProblem::NoSpace, ErrorCode::NoSpace,
                                       t.target->name() + ": not enough free space (needs " + humanBytes(needed) +
                                           ", has " + humanBytes(free) + ")",
                                       t.target->name());
                t.target->open(finalName_);
            } catch (const DriveFailure& e) {
                fanOut_.fail(i, currentError(), e.problem());
            } catch (const std::exception&) {
                fanOut_.fail(i, currentError(), DriveProblem::Other);
            }
        }
        if (!fanOut_.anyAlive())
            throw Failure("no target could be written");
        fanOut_.start(finalName_, total_);

        std::vector<CustodyEntry> chain;
        if (auto it = metadata_.find(kCustodyName); it != metadata_.end()) {
            auto parsed = parseCustody(it->second);
            if (parsed)
                chain = *parsed;
        }
        if (options_.stationKey)
            appendCustody(chain, sha256Hex(metadata_[kManifestName]), *options_.stationKey,
                          options_.stationName.empty() ? std::string("atmosphere-station") : options_.stationName,
                          "exported", options_.tier ? tierName(*options_.tier) : "full package");

        writer_ = std::make_unique<ArchiveWriter>(
            [this](const void* data, std::size_t size) { fanOut_.push(data, size, contentDone_); },
            Compression::None, finalName_);
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
        writer_.reset();
        fanOut_.abort();
        for (auto& t : targets_) // the ones never started, or refused
            try {
                t->target->discard();
            } catch (...) {
            }
    }

    // The source checked out: end the archive, then every target syncs,
    // reads back, compares and commits. Returns when all are done.
    void finishArchive()
    {
        writer_->close();
        fanOut_.finish();
    }

    const std::string& finalName() const { return finalName_; }

private:
    std::vector<std::unique_ptr<ExportTargetState>>& targets_;
    const ExportOptions& options_;
    ExportFanOut fanOut_;
    std::map<std::string, std::string> metadata_;
    std::unique_ptr<ArchiveWriter> writer_;
    std::uint64_t total_ = 0, contentDone_ = 0;
    std::int64_t mtime_ = 0;
    std::string finalName_;
};

} // namespace

std::uint64_t exportSpaceNeeded(std::uint64_t contentBytes, std::size_t fileCount)
{
    return contentBytes + (fileCount + 16) * 2048 + (1 << 20);
}

Result<std::vector<TargetResult>> exportPackage(const fs::path& source, std::vector<std::unique_ptr<ExportTarget>> targets,
                                                const ExportOptions& options, ExportObserver* observer,
                                                const CancelToken& cancel)
{
    if (targets.empty())
        return fail("no output directory given");
    std::vector<std::unique_ptr<ExportTargetState>> states;
    for (auto& t : targets) {
        states.push_back(std::make_unique<ExportTargetState>());
        states.back()->result.target = t->name();
        states.back()->target = std::move(t);
    }
    ExportSink sink(states, options, observer, cancel);
    VerifyOptions vo;
    vo.trust = options.trust;
    vo.tier = options.tier;
    vo.sink = &sink;
    VerifyReport report = verifyPackage(source, vo, nullptr, cancel);
    if (report.ok) {
        try {
            sink.finishArchive();
        } catch (const std::exception& e) {
            report.ok = false;
            report.reason = e.what();
        }
    }
    if (!report.ok) {
        sink.abort();
        // A target that failed on its own keeps its reason; the others failed with the source.
        bool targetsFailedFirst = std::none_of(states.begin(), states.end(), [](const auto& s) { return s->alive.load(); });
        if (cancel.cancelled())
            return fail(ErrorCode::Cancelled, source.string() + ": cancelled");
        if (!targetsFailedFirst)
            return fail(report.code, source.string() + ": " + report.reason, source.filename().string());
    }
    std::vector<TargetResult> results;
    for (auto& s : states) {
        if (s->result.ok)
            s->result.file = s->target->directory() / sink.finalName();
        results.push_back(s->result);
    }
    return results;
}

} // namespace atmo
