// What an export compares a drive's read-back with: a Poly1305 tag under a
// random key made for that one export and never written anywhere.
//
// Why not SHA-256 of the read-back: the comparison only has to tell whether
// the bytes read back are the bytes written. With a secret random key,
// Poly1305 is a universal hash: for any two different byte strings of up to
// L bytes, however chosen (a drive that returns stale sectors, a fake-
// capacity stick that wraps around, a malicious controller), the tags
// collide with probability at most 8*ceil(L/16)/2^106 (2^-77 for 1 GiB), because
// whatever produced the wrong bytes never saw the key. That is all a
// cryptographic hash buys here, at 5 GB/s instead of SHA-256's 0.4 GB/s on a
// CPU without SHA extensions, which makes the read-back as fast as the
// drive. The SHA-256 of the exported file is still taken once, while
// writing, for the record (TargetResult::sha256), and the signed manifest's
// per-file SHA-256 sums travel inside the package for whoever imports it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

struct evp_mac_ctx_st;

namespace atmo {

using ReadBackKey = std::array<std::uint8_t, 32>;
using ReadBackDigest = std::array<std::uint8_t, 16>;

ReadBackKey randomReadBackKey(); // from OpenSSL's CSPRNG; throws Failure if it fails

class ReadBackTag {
public:
    explicit ReadBackTag(const ReadBackKey& key);
    ~ReadBackTag();
    ReadBackTag(const ReadBackTag&) = delete;
    ReadBackTag& operator=(const ReadBackTag&) = delete;

    void update(const void* data, std::size_t size);
    ReadBackDigest finish();

private:
    evp_mac_ctx_st* ctx_ = nullptr;
};

} // namespace atmo
