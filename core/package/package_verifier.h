// Verifies a .atmo in one streaming pass, by DESIGN.md's rules:
//  1. manifest.yaml must be the first entry; its signature(s) follow and are
//     checked on the raw bytes against the trust store BEFORE the YAML parser
//     sees them;
//  2. checksums.sha256 must agree with the manifest; custody.jsonl is checked;
//  3. every content entry is hashed as it streams; anything unlisted,
//     duplicated, a link or device, absolute, with "..", of the wrong size or
//     hash, or a listed file missing for the device's tier rejects the whole
//     package with a message naming the entry and the reason.
// An optional EntrySink receives each content entry's bytes as they stream
// (the installer writes them to staging) and is told to abort on failure.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/package/archive_writer.h"
#include "core/package/custody.h"
#include "core/base/progress.h"
#include "core/package/manifest.h"
#include "core/base/result.h"

namespace atmo {

class TrustStore;

enum class SignatureState { Valid, Invalid, Missing, Untrusted };
std::string_view signatureStateName(SignatureState s); // "valid", "invalid", "missing", "untrusted"

struct SignatureCheck {
    std::string role;            // kRoleMesh / kRoleFounder
    SignatureState state = SignatureState::Missing;
    std::string keyId;           // from the signature file
    bool trusted = false;
    std::string trustedName;     // the trust store's name for the key
    std::string trustedComment;  // verified trusted comment (only when Valid)
    std::string message;         // reason when not Valid
};

// Why a package was refused, as a kind a caller words in its own language
// (the window translates it; the CLI prints the English reason). The
// reason's English line always says more (which entry, which rule).
enum class VerifyProblem {
    None,
    Unreadable,              // the file cannot be opened or read (the code says how)
    NotAPackage,             // not an archive, empty, or not starting with manifest.yaml
    Damaged,                 // the archive breaks off or is damaged inside (problemPath: the entry, if known)
    NoMeshSignature,
    UntrustedSigner,         // problemKeyId: the key that signed it
    BadMeshSignature,        // present but does not verify
    BadFounderSignature,
    FounderSignatureMissing, // the manifest names a founder signature the archive lacks
    SignerMismatch,          // a signature's key is not the one the manifest names (problemKeyId)
    FileAltered,             // problemPath: its SHA-256 differs from the manifest's
    FileWrongSize,           // problemPath
    FileTruncated,           // problemPath
    FileMissing,             // problemPath: needed and not in the archive
    WrongTierExport,         // an export of other tiers (tierMismatch; tier, completeTiers)
    NoTierFits,              // the package is built for tiers none of which suits the device
    Malformed,               // another rule of the format broken (the reason says which)
    Cancelled,
    Other,                   // not about the package: storing it failed, or a program error (the code says)
};
std::string_view verifyProblemName(VerifyProblem p); // "file-altered", ... (for JSON and logs)

enum class FileState { Pending, Ok, Failed, Missing, NotInArchive };
// NotInArchive: listed, absent, and not needed for the tier being checked.
std::string_view fileStateName(FileState s);

struct FileCheck {
    std::string path;
    ContentKind kind = ContentKind::Config;
    std::uint64_t size = 0;
    std::vector<int> tiers;
    std::string expectedSha256;
    std::string computedSha256;
    FileState state = FileState::Pending;
    std::string message;         // reason when Failed / Missing
    // Its kind when Failed / Missing: FileAltered, FileWrongSize,
    // FileTruncated, FileMissing, WrongTierExport (not in this export), or
    // the package's own problem when the check stopped inside this file.
    VerifyProblem problem = VerifyProblem::None;
};

struct VerifyReport {
    bool ok = false;
    std::string reason;                       // one sentence when !ok
    ErrorCode code = ErrorCode::Failed;       // its kind when !ok
    VerifyProblem problem = VerifyProblem::None; // what was wrong when !ok
    std::string problemPath;                  // the entry it is about, when one is
    std::string problemKeyId;                 // the signing key it is about, when one is
    std::filesystem::path file;
    std::uint64_t archiveBytes = 0;
    Compression compression = Compression::None;
    std::optional<Manifest> manifest;         // set once the signature checked out
    std::string manifestSha256;
    std::vector<SignatureCheck> signatures;   // mesh authority first, then founder
    std::vector<FileCheck> files;             // manifest order
    std::vector<CustodyCheck> custody;
    std::optional<int> tier;                  // the tier required, if any
    std::vector<int> completeTiers;           // tiers whose every file is present and good
    // The device's tier (`tier`) needs files that no tier in completeTiers
    // has: an export of other tiers, refused, but not damaged.
    bool tierMismatch = false;
    std::uint64_t bytesHashed = 0;
};

class VerifyObserver : public Observer {
public:
    // Called once the signatures are checked (manifest set if the mesh one is
    // valid; then files lists every file the archive must hold, pending).
    virtual void onSignatures(const VerifyReport&) {}
    // Called for each file as soon as its state is known.
    virtual void onFile(const FileCheck&) {}
};

// One content file being stored by a sink in concurrent mode.
class FileWriter {
public:
    virtual ~FileWriter() = default;
    virtual void write(const void* data, std::size_t size) = 0;
    virtual void close() = 0; // all bytes written and their hash checked out
};

// Receives content during verification. Any method may throw Failure to stop.
// Sequential mode: beginFile/write/endFile, one file at a time, in archive order.
// Concurrent mode (supportsConcurrentFiles(), uncompressed archives): openFile
// is called from worker threads, several files at once, in any order.
class EntrySink {
public:
    virtual ~EntrySink() = default;
    // Each metadata entry (manifest.yaml, signatures, checksums.sha256,
    // custody.jsonl) as it is read, raw; before onManifest.
    virtual void onMetadata(const std::string& name, const std::string& bytes) {}
    // After the signature and checksums checked out, before any content.
    virtual void onManifest(const Manifest& manifest, std::optional<int> tier) {}
    // Return false to skip storing this entry (it is still verified).
    virtual bool beginFile(const ContentFile& file) { return false; }
    virtual void write(const void* data, std::size_t size) {}
    virtual void endFile(const ContentFile& file) {}
    // Verification failed or was cancelled: remove everything written.
    virtual void abort() {}
    virtual bool supportsConcurrentFiles() const { return false; }
    // Thread-safe; nullptr = verify this file but do not store it.
    virtual std::unique_ptr<FileWriter> openFile(const ContentFile& file) { return nullptr; }
};

struct VerifyOptions {
    const TrustStore* trust = nullptr;  // required
    // The device's tier: every file of it must be present. Without a tier,
    // the package passes when it is complete for at least one of its tiers
    // (completeTiers tells which).
    std::optional<int> tier;
    // Without `tier`: decides the device's tier once the signed manifest is
    // read, before any content (the installer: by the package's own
    // requirements). Called at most once, on the verifying thread.
    std::function<int(const Manifest&)> deviceTier;
    EntrySink* sink = nullptr;
    std::uint64_t maxManifestBytes = 16u << 20;
};

// Uncompressed archives are hashed in parallel on the core thread pool: the
// headers are walked in order (every rule above still applies, in order), and
// each entry's bytes are read with pread and hashed by a worker, so a package
// of many files verifies at the speed of all cores, not one. Observer
// callbacks may then come from worker threads, one at a time. zstd archives
// and sinks without concurrent support are read in one sequential stream.
//
// Never throws; cancellation gives ok=false, code ErrorCode::Cancelled.
VerifyReport verifyPackage(const std::filesystem::path& file, const VerifyOptions& options,
                           VerifyObserver* observer, const CancelToken& cancel);

} // namespace atmo
