// The core's own worker threads for CPU-bound work (hashing files in parallel).
// Bounded: never more threads than cores unless asked.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace atmo {

class ThreadPool {
public:
    explicit ThreadPool(unsigned threads = 0); // 0 = hardware concurrency
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    unsigned size() const { return static_cast<unsigned>(workers_.size()); }

    template <class F>
    auto submit(F&& f) -> std::future<std::invoke_result_t<F>>
    {
        using R = std::invoke_result_t<F>;
        auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
        auto future = task->get_future();
        enqueue([task] { (*task)(); });
        return future;
    }

    // The process-wide pool core jobs use.
    static ThreadPool& shared();

private:
    void enqueue(std::function<void()> job);
    void run();

    std::vector<std::thread> workers_;
    std::deque<std::function<void()>> jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

} // namespace atmo
