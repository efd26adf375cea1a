#include "core/base/progress.h"

#include <algorithm>

namespace atmo {

const char* phaseName(Phase phase)
{
    switch (phase) {
    case Phase::None: return "working";
    case Phase::Scanning: return "scanning";
    case Phase::Hashing: return "hashing";
    case Phase::Checking: return "checking";
    case Phase::Downloading: return "downloading";
    case Phase::Verifying: return "verifying";
    case Phase::Writing: return "writing";
    case Phase::Syncing: return "syncing";
    case Phase::ReadingBack: return "reading back";
    case Phase::Installing: return "installing";
    }
    return "working";
}

ProgressReporter::ProgressReporter(Observer* observer, std::chrono::milliseconds interval)
    : observer_(observer), interval_(interval)
{
}

void ProgressReporter::phase(Phase phase, std::uint64_t total)
{
    std::lock_guard lock(mutex_);
    current_.phase = phase;
    current_.total = total;
    current_.done = 0;
    maybeReport(true);
}

void ProgressReporter::item(std::string item)
{
    std::lock_guard lock(mutex_);
    current_.item = std::move(item);
    current_.itemDone = current_.itemTotal = 0;
    maybeReport(false);
}

void ProgressReporter::nameLargest()
{
    const auto largest = std::max_element(inFlight_.begin(), inFlight_.end(),
                                          [](const InFlight& a, const InFlight& b) { return a.size < b.size; });
    current_.item = largest->item;
    current_.itemDone = largest->done;
    current_.itemTotal = largest->size;
}

void ProgressReporter::beginItem(const std::string& item, std::uint64_t size)
{
    std::lock_guard lock(mutex_);
    inFlight_.push_back(InFlight{item, size, 0});
    nameLargest();
    maybeReport(false);
}

void ProgressReporter::endItem(const std::string& item)
{
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(inFlight_.begin(), inFlight_.end(), [&](const InFlight& f) { return f.item == item; });
    if (it != inFlight_.end())
        inFlight_.erase(it);
    if (inFlight_.empty()) {
        // The last one stays named until something else starts, as done.
        current_.itemDone = current_.itemTotal;
        return;
    }
    nameLargest();
}

void ProgressReporter::itemDone(const std::string& item, std::uint64_t done)
{
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(inFlight_.begin(), inFlight_.end(), [&](const InFlight& f) { return f.item == item; });
    if (it == inFlight_.end())
        return;
    it->done = std::min(done, it->size);
    if (current_.item == item)
        current_.itemDone = it->done;
}

ProgressItem::ProgressItem(ProgressReporter& reporter, std::string item, std::uint64_t size)
    : reporter_(reporter), item_(std::move(item))
{
    reporter_.beginItem(item_, size);
}

ProgressItem::~ProgressItem() { reporter_.endItem(item_); }

void ProgressReporter::add(std::uint64_t bytes)
{
    std::lock_guard lock(mutex_);
    current_.done += bytes;
    maybeReport(false);
}

void ProgressReporter::set(std::uint64_t done)
{
    std::lock_guard lock(mutex_);
    current_.done = done;
    maybeReport(false);
}

void ProgressReporter::finish()
{
    std::lock_guard lock(mutex_);
    maybeReport(true);
}

Progress ProgressReporter::snapshot() const
{
    std::lock_guard lock(mutex_);
    return current_;
}

void ProgressReporter::maybeReport(bool force)
{
    if (!observer_)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (!force && now - last_ < interval_)
        return;
    last_ = now;
    observer_->onProgress(current_);
}

} // namespace atmo
