// A mission source directory (core/package/mission.h scanMission): the input is
// written as config/mission.yaml in a fixed small mission (a config, two
// models, an agent, a tool, knowledge). A mission that scans is saved back
// the way the wizard saves it (saveMissionYaml), and must scan again to the
// same id, name, tiers and form; in the mesh's form, a model moved to
// other tiers must scan back in those tiers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/package/mission.h"
#include "fuzz_util.h"

namespace {

const fuzz::fs::path& missionDir()
{
    static const fuzz::fs::path dir = [] {
        const fuzz::fs::path d = fuzz::tempDir() / "mission";
        for (const char* sub : {"config", "models", "agents", "tools", "knowledge"})
            fuzz::fs::create_directories(d / sub);
        fuzz::writeFile(d / "config" / "llamafarm.yaml", "version: v1\nruntime:\n  provider: ollama\n");
        fuzz::writeFile(d / "models" / "tinyyolo-defects-1.3.onnx", std::string(300, 'o'));
        fuzz::writeFile(d / "models" / "llama-edge-2.0.gguf", std::string(500, 'g'));
        fuzz::writeFile(d / "agents" / "inspector-1.0.yaml", "name: inspector\nmodel: tinyyolo-defects\n");
        fuzz::writeFile(d / "tools" / "camera-0.4.yaml", "name: camera\n");
        fuzz::writeFile(d / "knowledge" / "defects.chunks.jsonl", "{\"id\":1,\"text\":\"scratch\"}\n");
        return d;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const fuzz::fs::path& dir = missionDir();
    fuzz::writeFile(dir / "config" / "mission.yaml", std::string_view(reinterpret_cast<const char*>(data), size));
    auto m = atmo::scanMission(dir);
    if (!m)
        return 0;
    FUZZ_CHECK(!m->tiers.empty());
    for (int t : m->tiers)
        (void)m->sizeForTier(t);
    auto saved = atmo::saveMissionYaml(*m);
    FUZZ_CHECK(saved.ok());
    auto again = atmo::scanMission(dir);
    if (!again)
        std::fprintf(stderr, "rescan failed: %s\n", again.message().c_str());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->id == m->id);
    if (again->name != m->name)
        std::fprintf(stderr, "name \"%s\" came back as \"%s\"\n", m->name.c_str(), again->name.c_str());
    FUZZ_CHECK(again->name == m->name);
    FUZZ_CHECK(again->tiers == m->tiers);
    FUZZ_CHECK(again->format == m->format);

    // The mesh's form: a model moved to other tiers is written into
    // hardware_tiers, and scans back in exactly those tiers.
    if (again->format != atmo::MissionFormat::Mesh)
        return 0;
    for (auto& f : again->files) {
        if (f.entry.kind != atmo::ContentKind::Model)
            continue;
        const std::vector<int> moved = f.entry.tiers == std::vector<int>{again->tiers.front()}
                                           ? again->tiers
                                           : std::vector<int>{again->tiers.front()};
        f.entry.tiers = moved;
        FUZZ_CHECK(atmo::saveMissionYaml(*again).ok());
        auto third = atmo::scanMission(dir);
        if (!third)
            std::fprintf(stderr, "rescan after a tier change failed: %s\n", third.message().c_str());
        FUZZ_CHECK(third.ok());
        FUZZ_CHECK(third->tiers == again->tiers);
        bool found = false;
        for (const auto& g : third->files)
            if (g.entry.path == f.entry.path) {
                found = true;
                FUZZ_CHECK(g.entry.tiers == moved);
            }
        FUZZ_CHECK(found);
        break;
    }
    return 0;
}
