// The app's named, bounded thread pools, used instead of Qt's one global pool
// so unrelated work cannot queue behind each other:
//
//   hashing  SHA-256 over models and packages: the peer server's chunk hashes,
//            re-hashing a file already at its final name, the library scan,
//            package listing with hashes. Niced (ThreadPool::kHashingNice), as
//            many threads as cores: it may use the whole machine, but the
//            scheduler prefers the GUI thread and the journal's writes.
//   smallIo  short, latency-sensitive I/O a user waits for: the drive poll,
//            the package listing without hashes, reading an export plan. Two
//            threads at normal priority, so a scan never freezes the drive list.
//   journal  a download's disk side (JournalWorker: open, chunk commits,
//            reserve, the final check). Four threads at normal priority, so a
//            library scan never starves the writes and the stall timer never
//            drops a healthy peer for our own slow disk.
//
// Owner: the QCoreApplication. The pools are made on first use and, when the
// application object goes, shutdown() (a Qt post routine) waits for what
// still runs (a download's journal closing in the background) and deletes
// them; tests under ASan/TSan end with no thread and no leak. Without an
// application object they are shut down at exit.
#pragma once

#include <QtConcurrent/QtConcurrentRun>

#include <utility>

#include "core/base/thread_pool.h"

class QThreadPool;

namespace Executors {

QThreadPool* hashingPool();
QThreadPool* smallIoPool();
QThreadPool* journalPool();

// Waits for every task of every pool and deletes them; a later use makes
// them again. Idempotent.
void shutdown();

// QtConcurrent::run on the pool; hashing tasks lower their thread's priority first.
template <class F>
auto hashing(F&& f)
{
    return QtConcurrent::run(hashingPool(), [f = std::forward<F>(f)]() mutable {
        atmo::lowerThreadPriority(atmo::ThreadPool::kHashingNice);
        return f();
    });
}

template <class F, class... Args>
auto smallIo(F&& f, Args&&... args)
{
    return QtConcurrent::run(smallIoPool(), std::forward<F>(f), std::forward<Args>(args)...);
}

template <class F, class... Args>
auto journal(F&& f, Args&&... args)
{
    return QtConcurrent::run(journalPool(), std::forward<F>(f), std::forward<Args>(args)...);
}

} // namespace Executors
