// Shared by the libFuzzer targets (tests/fuzz/README.md): a private temporary
// directory per fuzzing process, whole-file writes, and the fixture key the
// seed packages are signed with.
//
// The fixture key is derived from a fixed seed, not generated, so the seed
// corpus (written by make_seeds.cpp with the same key) verifies and the
// fuzzer starts from packages that get past the signature check.
#pragma once

#include <sodium.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/package/minisign.h"

namespace fuzz {

namespace fs = std::filesystem;

// Removed when the process exits normally; a crash leaves it in $TMPDIR
// (named atmo-fuzz-*) for a look.
inline const fs::path& tempDir()
{
    static const fs::path dir = [] {
        const char* base = std::getenv("TMPDIR");
        std::string tmpl = std::string(base && *base ? base : "/tmp") + "/atmo-fuzz-XXXXXX";
        if (!::mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            std::abort();
        }
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(tempDir(), ec);
        });
        return fs::path(tmpl);
    }();
    return dir;
}

inline void writeFile(const fs::path& path, std::string_view data)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) {
        std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
        std::abort();
    }
}

// Fixed filler bytes (an LCG from `seed`): the contents the journal and
// delta targets and their seeds agree on.
inline std::string fixedBytes(std::size_t size, std::uint32_t seed)
{
    std::string s(size, '\0');
    std::uint32_t x = seed;
    for (auto& c : s) {
        x = x * 1103515245u + 12345u;
        c = static_cast<char>(x >> 24);
    }
    return s;
}

// The mesh authority key every seed package is signed with.
inline const atmo::SecretKey& fixtureKey()
{
    static const atmo::SecretKey key = [] {
        if (sodium_init() < 0)
            std::abort();
        atmo::SecretKey k;
        for (std::size_t i = 0; i < k.keyNum.size(); ++i)
            k.keyNum[i] = static_cast<std::uint8_t>(0xA0 + i);
        unsigned char seed[crypto_sign_SEEDBYTES];
        for (std::size_t i = 0; i < sizeof seed; ++i)
            seed[i] = static_cast<unsigned char>(i * 7 + 1);
        unsigned char pk[crypto_sign_PUBLICKEYBYTES];
        crypto_sign_seed_keypair(pk, k.sk.data(), seed);
        return k;
    }();
    return key;
}

// A finding the sanitizers would not see: a broken invariant. Aborts, so
// libFuzzer saves the input as a crash.
#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                  \
        }                                                                                  \
    } while (0)

} // namespace fuzz
