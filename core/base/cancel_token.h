// A copyable handle onto one shared cancel flag: whoever starts core work
// keeps one copy, the work polls another and stops with atmo::Cancelled.
#pragma once

#include <atomic>
#include <memory>

namespace atmo {

class CancelToken {
public:
    CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { flag_->store(true, std::memory_order_relaxed); }
    bool cancelled() const { return flag_->load(std::memory_order_relaxed); }
    // Throws atmo::Cancelled when cancelled.
    void check() const;

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

} // namespace atmo
