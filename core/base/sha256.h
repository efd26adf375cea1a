// Streaming SHA-256 on OpenSSL's EVP interface, which uses the CPU's SHA
// extensions (~1.4 GB/s here against ~0.34 GB/s for libsodium's portable code).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "core/base/cancel_token.h"
#include "core/base/result.h"

struct evp_md_ctx_st;

namespace atmo {

using Digest = std::array<std::uint8_t, 32>;

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    Digest finish();          // resets the context for reuse
    std::string finishHex();

private:
    evp_md_ctx_st* ctx_;
};

std::string toHex(const std::uint8_t* data, std::size_t size);
inline std::string toHex(const Digest& d) { return toHex(d.data(), d.size()); }
std::string sha256Hex(std::string_view data);

// Hashes a file in large blocks; onBytes (if set) is called after each block.
Result<std::string> sha256FileHex(const std::filesystem::path& file, const CancelToken& cancel,
                                  const std::function<void(std::uint64_t)>& onBytes = {});

} // namespace atmo
