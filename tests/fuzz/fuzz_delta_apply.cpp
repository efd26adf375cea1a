// A .delta file from anywhere (core/delta/delta_apply.h): the input is
// written as a delta and applied to a fixed 96 KiB base; whatever it says,
// the apply must fail cleanly or rebuild exactly the target it names, write
// no more than that target's size and leave no output on failure.
//
// The trailer (SHA-256 of everything before it) fails almost every
// mutation at the end, but only after the ops ran, so the ops' parsing,
// bounds and decompression are explored anyway. With bit 0 of the first
// input byte set the harness writes the right trailer for the rest, so the
// target-hash check and what lies past the trailer are explored too.
//   bit 1: the base is one byte shorter (a wrong base)
//   bit 2: checkBase off (the caller verified the base itself)
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/sha256.h"
#include "core/delta/delta_apply.h"
#include "fuzz_util.h"

namespace {

const std::string& base()
{
    static const std::string bytes = fuzz::fixedBytes(96 * 1024, 777);
    return bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t flags = data[0];
    std::string delta(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((flags & 1) && delta.size() >= 32) {
        const atmo::Digest d = [&] {
            atmo::Sha256 sha;
            sha.update(delta.data(), delta.size() - 32);
            return sha.finish();
        }();
        delta.replace(delta.size() - 32, 32, reinterpret_cast<const char*>(d.data()), 32);
    }
    const fuzz::fs::path dir = fuzz::tempDir();
    fuzz::writeFile(dir / "base", (flags & 2) ? base().substr(1) : base());
    fuzz::writeFile(dir / "in.delta", delta);
    std::error_code ec;
    fuzz::fs::remove(dir / "out", ec);
    atmo::delta::ApplyOptions options;
    options.checkBase = !(flags & 4);
    const auto applied = atmo::delta::applyDelta(dir / "base", dir / "in.delta", dir / "out", options);
    if (applied) {
        // It rebuilt what it names: the size and the hash it promised.
        const auto size = fuzz::fs::file_size(dir / "out");
        if (size != applied->header.targetSize || applied->bytesWritten != size)
            __builtin_trap();
        const auto sha = atmo::sha256FileHex(dir / "out", {});
        if (!sha || *sha != atmo::toHex(applied->header.targetSha256))
            __builtin_trap();
    } else if (fuzz::fs::exists(dir / "out")) {
        __builtin_trap(); // a failed apply left its output
    }
    return 0;
}
