// Shared by tst_model_library.cpp and tst_model_library_hashing.cpp: sha256sum
// as an independent check, and scanLibrary wrapped with lookups of its result.
#pragma once

#include <QProcess>
#include <QtTest>

#include <string>
#include <vector>

#include "core/mesh/model_library.h"
#include "testutil.h"

namespace model_library_fixture {

using namespace atmo;

inline std::string sha256sum(const fs::path& file)
{
    QProcess p;
    p.start("sha256sum", {QString::fromStdString(file.string())});
    if (!p.waitForFinished(60000) || p.exitCode() != 0)
        qFatal("sha256sum %s failed", file.c_str());
    return p.readAllStandardOutput().left(64).toStdString();
}

inline const LocalModel* find(const LibraryScan& scan, const std::string& id)
{
    for (const auto& m : scan.models)
        if (m.entry.modelId == id)
            return &m;
    return nullptr;
}

inline std::string ids(const LibraryScan& scan)
{
    std::string s;
    for (const auto& m : scan.models)
        s += (s.empty() ? "" : " ") + m.entry.modelId;
    return s;
}

inline std::string problems(const LibraryScan& scan)
{
    std::string s;
    for (const auto& p : scan.problems)
        s += p + "\n";
    return s;
}

// The problem line about `path` (or containing it), "" if none.
inline std::string problemAbout(const LibraryScan& scan, const std::string& needle)
{
    for (const auto& p : scan.problems)
        if (p.find(needle) != std::string::npos)
            return p;
    return {};
}

inline LibraryScan scan(const std::vector<LibraryRoot>& roots, HashCache& cache, Observer* observer = nullptr,
                        const CancelToken& cancel = CancelToken())
{
    auto r = scanLibrary(roots, cache, observer, cancel);
    if (!r)
        qFatal("scanLibrary failed: %s", r.message().c_str());
    return std::move(*r);
}

} // namespace model_library_fixture
