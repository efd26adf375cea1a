#include "app/Executors.h"

#include <QCoreApplication>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <cstdlib>
#include <mutex>

namespace {

struct Pools {
    QThreadPool* hashing = nullptr;
    QThreadPool* smallIo = nullptr;
    QThreadPool* journal = nullptr;
};

std::mutex& poolsMutex()
{
    static std::mutex m;
    return m;
}

Pools& pools()
{
    static Pools p;
    return p;
}

QThreadPool* make(const char* name, int threads)
{
    auto* pool = new QThreadPool;
    pool->setObjectName(QString::fromLatin1(name));
    pool->setMaxThreadCount(threads);
    return pool;
}

QThreadPool* get(QThreadPool* Pools::*which)
{
    std::lock_guard lock(poolsMutex());
    Pools& p = pools();
    if (!p.hashing) {
        p.hashing = make("atmosphere-hashing", std::max(2, QThread::idealThreadCount()));
        p.smallIo = make("atmosphere-small-io", 2);
        p.journal = make("atmosphere-journal", 4);
        static bool atExit = false;
        if (!atExit) {
            atExit = true;
            std::atexit(&Executors::shutdown);
        }
        if (QCoreApplication::instance())
            qAddPostRoutine(&Executors::shutdown);
    }
    return p.*which;
}

} // namespace

namespace Executors {

QThreadPool* hashingPool() { return get(&Pools::hashing); }
QThreadPool* smallIoPool() { return get(&Pools::smallIo); }
QThreadPool* journalPool() { return get(&Pools::journal); }

void shutdown()
{
    Pools taken;
    {
        std::lock_guard lock(poolsMutex());
        std::swap(taken, pools());
    }
    // The journal last: a hashing or listing task never waits for it, and a
    // closing journal may still be queued behind a commit.
    for (QThreadPool* pool : {taken.hashing, taken.smallIo, taken.journal}) {
        if (!pool)
            continue;
        pool->waitForDone();
        delete pool;
    }
}

} // namespace Executors
