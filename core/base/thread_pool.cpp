#include "core/base/thread_pool.h"

#ifdef __linux__
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace atmo {

void lowerThreadPriority(int nice)
{
#ifdef __linux__
    if (nice <= 0)
        return;
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0 && now >= nice)
        return;
    ::setpriority(PRIO_PROCESS, tid, nice);
#else
    (void)nice;
#endif
}

int threadNiceValue()
{
#ifdef __linux__
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)));
    return errno == 0 ? now : 0;
#else
    return 0;
#endif
}

ThreadPool::ThreadPool(unsigned threads, int nice)
{
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i)
        workers_.emplace_back([this, nice] { run(nice); });
}

ThreadPool::~ThreadPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_)
        t.join();
}

ThreadPool& ThreadPool::shared()
{
    // OpenSSL, which the jobs hash with, is started before main() (see
    // core/base/sha256.cpp), so its exit cleanup runs after this pool is joined.
    // Niced: it hashes packages and models, which app/JobRunner.h promises
    // never makes the window stutter.
    static ThreadPool pool(0, kHashingNice);
    return pool;
}

void ThreadPool::enqueue(std::function<void()> job)
{
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void ThreadPool::run(int nice)
{
    lowerThreadPriority(nice);
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty())
                return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();
    }
}

} // namespace atmo
