// How long core work tells its caller how far it got: a Progress snapshot
// (phase, bytes, current item), the Observer it is reported to, and a
// ProgressReporter that throttles the reports. Core never calls into Qt; the
// app layer implements Observer and forwards to signals. The phase is an
// enum so no caller compares words: the window translates it
// (app/Format.cpp), the CLI prints phaseName() (app/cli/CliContext.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/base/cancel_token.h"

namespace atmo {

enum class Phase {
    None,
    Scanning,    // looking for files (model library)
    Hashing,     // hashing inputs before writing (package create, library)
    Checking,    // checking what a download already has
    Downloading, // bytes arriving from a peer
    Verifying,   // checking a package or a download against its hashes
    Writing,     // writing a package or an export
    Syncing,     // fsync: bytes to the device
    ReadingBack, // reading an export back from the device
    Installing,  // moving verified files into place
};

// A fixed English word per phase ("reading back") for the CLI's progress bar
// and for logs; never compared by callers.
const char* phaseName(Phase phase);

struct Progress {
    Phase phase = Phase::None;
    std::uint64_t done = 0; // bytes done in this phase
    std::uint64_t total = 0;
    std::string item;       // current file or entry
    // How far `item` itself is, in bytes, when its work reports it (a big
    // file being hashed); 0 of 0 when not known.
    std::uint64_t itemDone = 0;
    std::uint64_t itemTotal = 0;
};

class Observer {
public:
    virtual ~Observer() = default;
    virtual void onProgress(const Progress&) {}
};

// Forwards progress to an Observer at most every `interval` (default 100 ms),
// plus always on a phase change and on finish(). Thread-safe; observer may be null.
class ProgressReporter {
public:
    explicit ProgressReporter(Observer* observer,
                              std::chrono::milliseconds interval = std::chrono::milliseconds(100));
    void phase(Phase phase, std::uint64_t total);
    void item(std::string item);
    // Work on several items at once (files hashed in parallel): each one
    // begins with its size and ends. The item reported is the largest of
    // those in flight, so a long hash stays named while small files come and
    // go beside it; not the one that happened to start last.
    void beginItem(const std::string& item, std::uint64_t size);
    void endItem(const std::string& item);
    // How far an item begun with beginItem is (bytes of it done); reported
    // with the next report. Unknown items are ignored.
    void itemDone(const std::string& item, std::uint64_t done);
    void add(std::uint64_t bytes);  // adds to done, reports when due
    void set(std::uint64_t done);
    void finish();                  // reports the current state unconditionally
    Progress snapshot() const;

private:
    struct InFlight {
        std::string item;
        std::uint64_t size = 0;
        std::uint64_t done = 0;
    };
    void maybeReport(bool force);
    void nameLargest(); // current_.item and its bytes: the largest in flight
    Observer* observer_;
    std::chrono::milliseconds interval_;
    mutable std::mutex mutex_;
    Progress current_;
    std::vector<InFlight> inFlight_;
    std::chrono::steady_clock::time_point last_{};
};

// beginItem for as long as it lives; endItem when it goes (also when the
// work throws).
class ProgressItem {
public:
    ProgressItem(ProgressReporter& reporter, std::string item, std::uint64_t size);
    ~ProgressItem();
    ProgressItem(const ProgressItem&) = delete;
    ProgressItem& operator=(const ProgressItem&) = delete;

private:
    ProgressReporter& reporter_;
    std::string item_;
};

} // namespace atmo
