#include "core/package/package_verifier.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <set>

#include "core/package/archive_reader.h"
#include "core/package/install_plan.h"
#include "core/package/minisign.h"
#include "core/base/sha256.h"
#include "core/base/thread_pool.h"
#include "core/package/package_verifier_metadata.h"
#include "core/package/trust_store.h"
#include "core/base/utf8.h"

namespace atmo {

namespace fs = std::filesystem;

namespace {

using namespace verifier_detail;

std::string readWhole(ArchiveReader& reader, const EntryInfo& e, std::uint64_t max)
{
    if (e.size > max)
        throw Reject{e.path + " is " + std::to_string(e.size) + " bytes, larger than the " + std::to_string(max) +
                     " allowed"};
    std::string out;
    out.reserve(e.size);
    const void* data = nullptr;
    std::size_t size = 0;
    while (reader.readBlock(data, size))
        out.append(static_cast<const char*>(data), size);
    if (out.size() != e.size)
        throw Reject{e.path + " is truncated"};
    return out;
}

bool isMetadataName(const std::string& p)
{
    return p == kManifestName || p == kMeshSignatureName || p == kFounderSignatureName || p == kChecksumsName ||
           p == kCustodyName;
}

class Verification {
public:
    Verification(const fs::path& file, const VerifyOptions& options, VerifyObserver* observer,
                 const CancelToken& cancel)
        : options_(options), observer_(observer), cancel_(cancel), progress_(observer)
    {
        report_.file = file;
        report_.tier = options.tier;
    }

    VerifyReport run()
    {
        try {
            if (!options_.trust)
                throw Reject{"no trust store was given to check signatures against", ErrorCode::Untrusted,
                             VerifyProblem::Other};
            auto opened = ArchiveReader::open(report_.file);
            if (!opened)
                throw Reject{opened.message(), opened.code(),
                             opened.code() == ErrorCode::BadData ? VerifyProblem::NotAPackage : VerifyProblem::Unreadable};
            reader_ = std::move(*opened);
            report_.archiveBytes = reader_->fileSize();
            progress_.phase(Phase::Verifying, report_.archiveBytes);
            readHeaderEntries();
            readContent();
            report_.bytesHashed += bytesHashed_;
            finish();
            report_.ok = true;
        } catch (const Reject& r) {
            rejectWith(r);
        } catch (const Cancelled&) {
            rejectWith({"cancelled", ErrorCode::Cancelled, VerifyProblem::Cancelled});
        } catch (const ArchiveDamaged& e) {
            // Say inside (or after) which entry.
            if (!inEntry_.empty())
                rejectWith({inEntry_ + ": " + e.what(), ErrorCode::BadData, VerifyProblem::Damaged, inEntry_});
            else if (!lastEntry_.empty())
                rejectWith({std::string(e.what()) + " after " + lastEntry_, ErrorCode::BadData, VerifyProblem::Damaged});
            else
                rejectWith({e.what(), ErrorCode::BadData, VerifyProblem::Damaged});
        } catch (const Failure& e) {
            // A sink's failure (no space, a write error), or a file's check
            // in the parallel path, which says what it was itself.
            rejectWith({e.what(), e.code(), VerifyProblem::Other});
        } catch (const std::system_error& e) {
            rejectWith({e.what(), e.code() == std::errc::no_space_on_device ? ErrorCode::NoSpace : ErrorCode::Io,
                        VerifyProblem::Other});
        } catch (const std::exception& e) {
            rejectWith({e.what(), ErrorCode::Failed, VerifyProblem::Other});
        }
        report_.compression = reader_ ? reader_->compression() : Compression::None;
        progress_.finish();
        return std::move(report_);
    }

private:
    void rejectWith(const Reject& r)
    {
        const std::string& reason = r.reason;
        report_.ok = false;
        report_.reason = reason;
        report_.code = r.code;
        report_.problem = r.problem;
        report_.problemPath = r.path;
        report_.problemKeyId = r.keyId;
        if (current_) {
            current_->state = FileState::Failed;
            if (current_->message.empty())
                current_->message = reason;
            if (current_->problem == VerifyProblem::None)
                current_->problem = r.problem;
            if (report_.problemPath.empty())
                report_.problemPath = current_->path;
            if (observer_)
                observer_->onFile(*current_);
            current_ = nullptr;
        }
        if (options_.sink) {
            try {
                options_.sink->abort();
            } catch (...) {
            }
        }
    }

    void metadata(const char* name, const std::string& bytes)
    {
        if (options_.sink)
            options_.sink->onMetadata(name, bytes);
    }

    bool nextEntry(EntryInfo& e)
    {
        if (havePending_) {
            havePending_ = false;
            e = pending_;
            return true;
        }
        cancel_.check();
        return readHeader(e);
    }

    // Every header read goes through here so a damaged archive can be reported
    // by entry: inEntry_ while an entry's data is being read, lastEntry_ after.
    bool readHeader(EntryInfo& e)
    {
        if (!inEntry_.empty())
            lastEntry_ = inEntry_;
        inEntry_.clear();
        const bool more = reader_->next(e);
        if (more)
            inEntry_ = e.path;
        return more;
    }

    void readHeaderEntries()
    {
        EntryInfo e;
        if (!nextEntry(e))
            throw Reject{"the archive is empty", ErrorCode::BadData, VerifyProblem::NotAPackage};
        if (e.path != kManifestName || !e.regular)
            throw Reject{std::string("the first entry must be ") + kManifestName + ", not " + e.path, ErrorCode::BadData,
                         VerifyProblem::NotAPackage};
        const std::string manifestBytes = readWhole(*reader_, e, options_.maxManifestBytes);
        report_.manifestSha256 = sha256Hex(manifestBytes);
        metadata(kManifestName, manifestBytes);

        std::optional<std::string> meshText, founderText;
        while (readHeader(e)) {
            if (isMetadataName(e.path) && !e.regular)
                throw Reject{"entry " + printable(e.path) + " is a " + e.typeName + "; packages may only hold regular files"};
            if (e.path == kMeshSignatureName && e.regular && !meshText)
                meshText = readWhole(*reader_, e, 64 * 1024);
            else if (e.path == kFounderSignatureName && e.regular && !founderText)
                founderText = readWhole(*reader_, e, 64 * 1024);
            else if (e.path == kMeshSignatureName || e.path == kFounderSignatureName || e.path == kManifestName)
                throw Reject{e.path + " appears twice in the archive"};
            else {
                pending_ = e;
                havePending_ = true;
                break;
            }
        }

        // Signatures are checked on the raw bytes before any parser sees them.
        if (meshText)
            metadata(kMeshSignatureName, *meshText);
        if (founderText)
            metadata(kFounderSignatureName, *founderText);
        const TrustStore& trust = *options_.trust;
        auto mesh = checkSignature(kRoleMesh, meshText, manifestBytes, trust, TrustRole::Mesh);
        auto founder = checkSignature(kRoleFounder, founderText, manifestBytes, trust, TrustRole::Founder);
        report_.signatures = {mesh, founder};
        if (mesh.state != SignatureState::Valid) {
            if (observer_)
                observer_->onSignatures(report_);
            switch (mesh.state) {
            case SignatureState::Missing:
                throw Reject{std::string("the package has no mesh authority signature (") + kMeshSignatureName + ")",
                             ErrorCode::Untrusted, VerifyProblem::NoMeshSignature};
            case SignatureState::Untrusted:
                throw Reject{"the package is signed by key " + mesh.keyId +
                                 ", which this station does not trust as mesh authority",
                             ErrorCode::Untrusted, VerifyProblem::UntrustedSigner, {}, mesh.keyId};
            default:
                throw Reject{"the mesh authority signature is invalid: " + mesh.message, ErrorCode::Untrusted,
                             VerifyProblem::BadMeshSignature, {}, mesh.keyId};
            }
        }
        if (founder.state == SignatureState::Invalid) {
            if (observer_)
                observer_->onSignatures(report_);
            throw Reject{"the founder signature is invalid: " + founder.message, ErrorCode::Untrusted,
                         VerifyProblem::BadFounderSignature, {}, founder.keyId};
        }

        auto parsed = Manifest::parse(manifestBytes);
        if (!parsed)
            throw Reject{parsed.message(), ErrorCode::BadData, VerifyProblem::Malformed, kManifestName};
        report_.manifest = std::move(*parsed);
        const Manifest& m = *report_.manifest;
        for (const auto& check : report_.signatures) {
            const SignatureRef* ref = m.signature(check.role);
            if (check.state == SignatureState::Missing && ref)
                // Only a founder's can be: a missing mesh signature stopped earlier.
                throw Reject{"the manifest names a " + check.role + " signature by key " + ref->keyId + ", but " +
                                 ref->file + " is missing",
                             ErrorCode::BadData, VerifyProblem::FounderSignatureMissing, ref->file, ref->keyId};
            if (check.state != SignatureState::Missing && ref && ref->keyId != check.keyId)
                throw Reject{"the " + check.role + " signature was made by key " + check.keyId +
                                 ", but the manifest names key " + ref->keyId,
                             ErrorCode::Untrusted, VerifyProblem::SignerMismatch, {}, check.keyId};
        }
        // A delta package's archive carries its .delta files and what travels
        // whole; the files rebuilt from the base are checked when installed.
        for (const ContentFile* fp : m.archiveFiles()) {
            const ContentFile& f = *fp;
            FileCheck c;
            c.path = f.path;
            c.kind = f.kind;
            c.size = f.size;
            c.tiers = f.tiers;
            c.expectedSha256 = f.sha256;
            report_.files.push_back(std::move(c));
        }
        // With every file still pending, so a caller can list them all at once.
        if (observer_)
            observer_->onSignatures(report_);
        std::optional<int> device = options_.tier;
        if (!device && options_.deviceTier)
            device = options_.deviceTier(m);
        if (device) {
            report_.tier = installTierFor(*device, m);
            if (!report_.tier)
                // Not damage either: a whole package made for other tiers.
                throw Reject{"the package is built for " + tierListText(m.tiers) + ", none of which suits a " +
                                 tierName(*device) + " device",
                             ErrorCode::Failed, VerifyProblem::NoTierFits};
        }

        const bool more = nextEntry(e);
        if (more && e.path == kChecksumsName && !e.regular)
            throw Reject{"entry " + printable(e.path) + " is a " + e.typeName + "; packages may only hold regular files"};
        if (!more || e.path != kChecksumsName)
            throw Reject{std::string(kChecksumsName) + " must follow the signatures" +
                         (more ? ", found " + e.path : std::string("; the archive ends before it"))};
        const std::string checksumsText = readWhole(*reader_, e, kMaxCustodyBytes);
        checksums_ = parseChecksums(checksumsText, m);
        metadata(kChecksumsName, checksumsText);

        if (readHeader(e)) {
            if (isMetadataName(e.path) && !e.regular)
                throw Reject{"entry " + printable(e.path) + " is a " + e.typeName + "; packages may only hold regular files"};
            if (e.path == kCustodyName) {
                const std::string custodyText = readWhole(*reader_, e, kMaxCustodyBytes);
                auto chain = parseCustody(custodyText);
                if (!chain)
                    throw Reject{std::string(kCustodyName) + ": " + chain.message()};
                metadata(kCustodyName, custodyText);
                report_.custody = checkCustody(*chain, report_.manifestSha256, trust);
            } else {
                pending_ = e;
                havePending_ = true;
            }
        }
        if (options_.sink)
            options_.sink->onManifest(m, report_.tier);
    }

    FileCheck& checkFor(const std::string& path)
    {
        for (auto& c : report_.files)
            if (c.path == path)
                return c;
        throw Reject{path + " is not listed in the manifest"};
    }

    // The rules every content entry must pass before its bytes are looked at.
    const ContentFile& admit(const EntryInfo& e, std::set<std::string>& seen)
    {
        const Manifest& m = *report_.manifest;
        if (!e.regular)
            throw Reject{"entry " + printable(e.path) + " is a " + e.typeName + "; packages may only hold regular files"};
        if (isMetadataName(e.path))
            throw Reject{e.path + " appears again among the content (entries out of order or duplicated)"};
        if (!isSafeRelativePath(e.path))
            throw Reject{"entry \"" + printable(e.path) +
                         "\" has an unsafe path (absolute, empty, with .., a control character, invalid UTF-8 or a "
                         "component over 255 bytes)"};
        if (e.sparse)
            throw Reject{"entry " + e.path + " is sparse; packages may only hold plain files"};
        const ContentFile* f = m.findArchived(e.path);
        if (!f)
            throw Reject{"entry " + e.path +
                         (m.find(e.path) ? " is in the manifest as taken from the base, not carried by this delta"
                                         : " is not listed in the manifest")};
        if (!seen.insert(e.path).second)
            throw Reject{"entry " + e.path + " appears twice in the archive"};
        if (!checksums_.count(e.path))
            throw Reject{"entry " + e.path + " is not listed in " + kChecksumsName};
        FileCheck& check = checkFor(e.path);
        if (e.size != f->size) {
            check.message = e.path + " is " + std::to_string(e.size) + " bytes, the manifest says " +
                            std::to_string(f->size);
            check.problem = VerifyProblem::FileWrongSize;
            current_ = &check;
            throw Reject{check.message, ErrorCode::BadData, VerifyProblem::FileWrongSize, e.path};
        }
        return *f;
    }

    void readContent()
    {
        const bool concurrent = reader_->compression() == Compression::None &&
                                (!options_.sink || options_.sink->supportsConcurrentFiles()) &&
                                ThreadPool::shared().size() > 1;
        std::set<std::string> seen;
        if (concurrent)
            readContentConcurrently(seen);
        else
            readContentInOrder(seen);
        if (!reader_->onlyZerosFollow())
            throw Reject{"there is data after the end of the archive, which no signature covers"};
        for (const auto& [path, hashHex] : checksums_)
            if (!seen.count(path))
                throw Reject{std::string(kChecksumsName) + " lists " + path + ", which the archive lacks"};
    }

    void fileDone(FileCheck& check)
    {
        std::lock_guard lock(observerMutex_);
        if (observer_)
            observer_->onFile(check);
    }

    void readContentInOrder(std::set<std::string>& seen)
    {
        EntryInfo e;
        Sha256 hash;
        while (nextEntry(e)) {
            const ContentFile& f = admit(e, seen);
            FileCheck& check = checkFor(e.path);
            current_ = &check;
            const ProgressItem named(progress_, e.path, f.size);
            const bool store = options_.sink && options_.sink->beginFile(f);
            const void* data = nullptr;
            std::size_t size = 0;
            std::uint64_t done = 0;
            while (reader_->readBlock(data, size)) {
                cancel_.check();
                hash.update(data, size);
                if (store)
                    options_.sink->write(data, size);
                done += size;
                report_.bytesHashed += size;
                progress_.itemDone(e.path, done);
                progress_.set(reader_->bytesConsumed());
            }
            if (done != f.size) {
                check.message = e.path + " is truncated (" + std::to_string(done) + " of " + std::to_string(f.size) +
                                " bytes)";
                check.problem = VerifyProblem::FileTruncated;
                throw Reject{check.message, ErrorCode::BadData, VerifyProblem::FileTruncated, e.path};
            }
            check.computedSha256 = hash.finishHex();
            if (check.computedSha256 != f.sha256) {
                check.message = e.path + ": SHA-256 does not match the manifest (altered or damaged)";
                check.problem = VerifyProblem::FileAltered;
                throw Reject{check.message, ErrorCode::BadData, VerifyProblem::FileAltered, e.path};
            }
            if (store)
                options_.sink->endFile(f);
            check.state = FileState::Ok;
            current_ = nullptr;
            fileDone(check);
        }
    }

    // Walks the headers in order (every rule applies as in the sequential
    // pass) and hands each entry's byte range to a worker that preads,
    // hashes and, through the sink, stores it.
    void readContentConcurrently(std::set<std::string>& seen)
    {
        std::uint64_t total = 0;
        for (const auto& [path, hashHex] : checksums_)
            total += report_.manifest->findArchived(path)->size;
        progress_.phase(Phase::Verifying, total);

        std::atomic<bool> stop{false};
        std::mutex errorMutex;
        std::optional<Reject> firstError;
        std::atomic<bool> cancelled{false};
        std::deque<std::future<void>> running;
        auto failWith = [&](Reject why) {
            std::lock_guard lock(errorMutex);
            if (!firstError)
                firstError = std::move(why);
            stop = true;
        };
        auto waitAll = [&] {
            while (!running.empty()) {
                running.front().get();
                running.pop_front();
            }
        };
        const int fd = reader_->fd();
        EntryInfo e;
        try {
            while (!stop && nextEntry(e)) {
                const ContentFile& f = admit(e, seen);
                FileCheck& check = checkFor(e.path);
                const std::uint64_t offset = reader_->dataOffset();
                reader_->skipData();
                while (running.size() >= 4 * ThreadPool::shared().size()) {
                    running.front().get();
                    running.pop_front();
                }
                running.push_back(ThreadPool::shared().submit([this, &f, &check, offset, fd, &stop, &failWith, &cancelled] {
                    try {
                        hashRange(f, check, fd, offset, stop);
                    } catch (const Cancelled&) {
                        cancelled = true;
                        failWith({"cancelled", ErrorCode::Cancelled, VerifyProblem::Cancelled});
                    } catch (const std::exception& ex) {
                        check.state = FileState::Failed;
                        if (check.message.empty())
                            check.message = ex.what();
                        if (check.problem == VerifyProblem::None)
                            check.problem = VerifyProblem::Other; // a sink's failure: storing, not the file
                        fileDone(check);
                        // A hash mismatch is BadData; a sink's Failure (no space) keeps its code.
                        const Error e = currentError();
                        failWith({check.message, e.code == ErrorCode::Failed ? ErrorCode::BadData : e.code,
                                  check.problem, check.path});
                    }
                }));
            }
        } catch (...) {
            stop = true;
            waitAll();
            throw;
        }
        waitAll();
        if (cancelled)
            throw Cancelled();
        if (firstError)
            throw *firstError;
        cancel_.check();
    }

    void hashRange(const ContentFile& f, FileCheck& check, int fd, std::uint64_t offset, const std::atomic<bool>& stop)
    {
        thread_local std::vector<char> buf(1 << 20);
        const ProgressItem named(progress_, f.path, f.size);
        std::unique_ptr<FileWriter> writer;
        if (options_.sink)
            writer = options_.sink->openFile(f);
        Sha256 hash;
        std::uint64_t done = 0;
        while (done < f.size) {
            if (stop)
                return;
            cancel_.check();
            const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), f.size - done));
            const ssize_t n = ::pread(fd, buf.data(), want, static_cast<off_t>(offset + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                check.message = f.path + " is truncated (" + std::to_string(done) + " of " + std::to_string(f.size) +
                                " bytes)";
                check.problem = VerifyProblem::FileTruncated;
                throw Failure(ErrorCode::BadData, check.message);
            }
            hash.update(buf.data(), static_cast<std::size_t>(n));
            if (writer)
                writer->write(buf.data(), static_cast<std::size_t>(n));
            done += static_cast<std::uint64_t>(n);
            progress_.itemDone(f.path, done);
            progress_.add(static_cast<std::uint64_t>(n));
        }
        check.computedSha256 = hash.finishHex();
        if (check.computedSha256 != f.sha256) {
            check.message = f.path + ": SHA-256 does not match the manifest (altered or damaged)";
            check.problem = VerifyProblem::FileAltered;
            throw Failure(ErrorCode::BadData, check.message);
        }
        if (writer)
            writer->close();
        bytesHashed_ += f.size;
        check.state = FileState::Ok;
        fileDone(check);
    }

    void finish()
    {
        const Manifest& m = *report_.manifest;
        std::set<std::string> present;
        for (const auto& c : report_.files)
            if (c.state == FileState::Ok)
                present.insert(c.path);
        for (int t : m.tiers) {
            const auto needed = m.archiveFilesForTier(t);
            if (std::all_of(needed.begin(), needed.end(), [&](const ContentFile* f) { return present.count(f->path); }))
                report_.completeTiers.push_back(t);
        }
        // A file the device's tier needs but that no tier this archive is
        // complete for has: the archive is an export of other tiers (a tier_1
        // export on a tier_2 device), not a damaged one. A file missing from
        // the archive's own tiers leaves it complete for none and reads as
        // missing, as before. Which tiers the archive carries comes from what
        // is in it, never from what it claims.
        const auto carried = [&](const ContentFile* f) {
            return std::any_of(report_.completeTiers.begin(), report_.completeTiers.end(),
                               [&](int t) { return f->inTier(t); });
        };
        std::string firstMissing, firstMissingPath, firstNotCarried;
        std::size_t missing = 0, notCarried = 0;
        const std::string exportTiers = tierListText(report_.completeTiers);
        for (auto& c : report_.files) {
            if (c.state != FileState::Pending)
                continue;
            const ContentFile* f = m.findArchived(c.path);
            const bool needed = report_.tier ? f->inTier(*report_.tier) : report_.completeTiers.empty();
            c.state = needed ? FileState::Missing : FileState::NotInArchive;
            if (needed) {
                ++missing;
                c.problem = VerifyProblem::FileMissing;
                if (report_.tier && !report_.completeTiers.empty() && !carried(f)) {
                    ++notCarried;
                    c.problem = VerifyProblem::WrongTierExport;
                    c.message = c.path + " is not in this " + exportTiers + " export (needed for " +
                                tierName(*report_.tier) + ")";
                    if (firstNotCarried.empty())
                        firstNotCarried = c.path;
                } else {
                    c.message = c.path + " is missing" +
                                (report_.tier ? " (needed for " + tierName(*report_.tier) + ")" : std::string());
                }
                if (firstMissing.empty()) {
                    firstMissing = c.message;
                    firstMissingPath = c.path;
                }
            }
            if (observer_)
                observer_->onFile(c);
        }
        if (missing && missing == notCarried) {
            // "this archive is a tier_1 export: it carries only tier_1's
            //  files, not models/x.tensorrt that tier_2 needs"
            report_.tierMismatch = true;
            throw Reject{"this archive is a " + exportTiers + " export: it carries only " + exportTiers +
                         "'s files, not " + firstNotCarried +
                         (missing > 1 ? " and " + std::to_string(missing - 1) + " more" : std::string()) + " that " +
                         tierName(*report_.tier) + " needs",
                         // Not damage: the archive is whole, only made for a smaller tier.
                         ErrorCode::Failed, VerifyProblem::WrongTierExport, firstNotCarried};
        }
        if (!firstMissing.empty())
            throw Reject{firstMissing, ErrorCode::BadData, VerifyProblem::FileMissing, firstMissingPath};
    }

    const VerifyOptions& options_;
    VerifyObserver* observer_;
    const CancelToken& cancel_;
    ProgressReporter progress_;
    VerifyReport report_;
    std::unique_ptr<ArchiveReader> reader_;
    EntryInfo pending_;
    bool havePending_ = false;
    std::string inEntry_, lastEntry_;
    std::mutex observerMutex_;
    std::atomic<std::uint64_t> bytesHashed_{0};
    std::map<std::string, std::string> checksums_;
    FileCheck* current_ = nullptr;
};

} // namespace

VerifyReport verifyPackage(const fs::path& file, const VerifyOptions& options, VerifyObserver* observer,
                           const CancelToken& cancel)
{
    return Verification(file, options, observer, cancel).run();
}

} // namespace atmo
