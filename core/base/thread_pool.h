// The core's own worker threads for CPU-bound work (hashing files in parallel).
// Bounded: never more threads than cores unless asked. Workers can run niced
// (shared() does), so hashing never competes on equal terms with a GUI thread
// or with a download's disk writes on a busy two-core station.
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
    // threads 0 = hardware concurrency; each worker lowers its own priority to
    // at least `nice` (0: unchanged; see lowerThreadPriority).
    explicit ThreadPool(unsigned threads = 0, int nice = 0);
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

    // The process-wide pool core jobs use; its workers run at kHashingNice.
    static ThreadPool& shared();

    // The nice value of background hashing (here and in the app's pools).
    static constexpr int kHashingNice = 10;

private:
    void enqueue(std::function<void()> job);
    void run(int nice);

    std::vector<std::thread> workers_;
    std::deque<std::function<void()>> jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

// Makes the calling thread's nice value at least `nice` (Linux: a per-thread
// setpriority, which unlike a thread priority works for SCHED_OTHER threads).
// Never raises a priority; no effect elsewhere or for nice <= 0.
void lowerThreadPriority(int nice);

// The calling thread's nice value (Linux; 0 elsewhere).
int threadNiceValue();

} // namespace atmo
