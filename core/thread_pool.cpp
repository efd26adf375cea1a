#include "core/thread_pool.h"

#include <openssl/crypto.h>

namespace atmo {

ThreadPool::ThreadPool(unsigned threads)
{
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    workers_.reserve(threads);
    for (unsigned i = 0; i < threads; ++i)
        workers_.emplace_back([this] { run(); });
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
    // The jobs hash with OpenSSL, which registers its atexit cleanup on first
    // use. Were that first use on a worker, the cleanup would run before this
    // pool's destructor joins the workers (atexit order is reverse
    // registration): each worker's OpenSSL thread state leaked, and a job still
    // running at exit would hash with a library already torn down. Initialised
    // here, before the pool exists, OpenSSL is cleaned up after the workers end.
    static const bool crypto = OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr) == 1;
    (void)crypto;
    static ThreadPool pool;
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

void ThreadPool::run()
{
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
