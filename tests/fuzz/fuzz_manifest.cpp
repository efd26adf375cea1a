// manifest.yaml as it comes out of any .atmo (core/package/manifest.h). A manifest
// that parses must serialise deterministically and parse back to the same
// bytes: the verifier signs and compares exactly those.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/package/manifest.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto m = atmo::Manifest::parse(text);
    if (!m) {
        FUZZ_CHECK(!m.message().empty());
        return 0;
    }
    const std::string yaml = m->toYaml();
    auto again = atmo::Manifest::parse(yaml);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->toYaml() == yaml);
    for (int tier : m->tiers) {
        (void)m->filesForTier(tier);
        (void)m->sizeForTier(tier);
    }
    (void)m->totalSize();
    for (const auto& f : m->files) {
        FUZZ_CHECK(atmo::isSafeRelativePath(f.path));
        FUZZ_CHECK(m->find(f.path) != nullptr);
    }
    (void)atmo::Manifest::checksumsText(m->filesForTier(m->tiers.empty() ? 1 : m->tiers.front()));
    // What an archive of it may hold: every such file found again, and for a
    // delta package each .delta named by exactly one change.
    for (const atmo::ContentFile* f : m->archiveFiles()) {
        FUZZ_CHECK(m->findArchived(f->path) == f);
        if (m->delta && !m->find(f->path))
            FUZZ_CHECK(m->delta->changeByDelta(f->path) != nullptr);
    }
    if (m->delta) {
        FUZZ_CHECK(m->delta->targetVersion == m->version);
        (void)m->delta->summary();
        for (int tier : m->tiers)
            (void)m->archiveFilesForTier(tier);
    }
    // The version comparisons a manifest's version goes through.
    (void)atmo::compareVersions(m->version, "1.10");
    (void)atmo::compareVersions(text.substr(0, 64), m->version);
    return 0;
}
