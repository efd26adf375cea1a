// A .atmo as it arrives from a USB stick or a peer, read entry by entry
// (core/package/archive_reader.h) the way the verifier walks it: headers, data
// blocks, what follows the end-of-archive marker. The input is written to a
// file (the reader works on a descriptor, like the verifier).
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/package/archive_reader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const fuzz::fs::path file = fuzz::tempDir() / "reader.atmo";
    fuzz::writeFile(file, std::string_view(reinterpret_cast<const char*>(data), size));
    auto reader = atmo::ArchiveReader::open(file);
    if (!reader)
        return 0;
    atmo::ArchiveReader& r = **reader;
    FUZZ_CHECK(r.fileSize() == size);
    try {
        atmo::EntryInfo e;
        int entries = 0;
        while (r.next(e) && ++entries < 4096) {
            if (r.compression() == atmo::Compression::None && (entries & 1)) {
                FUZZ_CHECK(r.dataOffset() <= size);
                r.skipData();
                continue;
            }
            const void* block = nullptr;
            std::size_t n = 0;
            std::uint64_t total = 0;
            while (r.readBlock(block, n)) {
                total += n;
                if (n > 0)
                    (void)static_cast<const volatile char*>(block)[n - 1];
            }
            (void)total;
            FUZZ_CHECK(r.bytesConsumed() <= size);
        }
        if (entries < 4096)
            (void)r.onlyZerosFollow();
    } catch (const atmo::ArchiveDamaged&) {
    }
    return 0;
}
