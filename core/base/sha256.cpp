#include "core/base/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/base/fs_util.h"

namespace atmo {

namespace {

// OpenSSL registers its exit-time cleanup when it is first used, and frees
// each thread's state as that thread ends. Started here, on the main thread
// before main(), its cleanup runs after every atexit handler and static
// destructor registered later: after the core pool, Qt's thread pools and
// QtConcurrent workers have been joined. Started on a worker (whichever
// thread hashed first), the cleanup ran while other workers were still alive:
// their per-thread state leaked (LeakSanitizer, 904 bytes from ERR_set_mark)
// and a hash still running at exit would use a library already torn down.
[[maybe_unused]] const bool kOpenSslStarted = OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr) == 1;

} // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new())
{
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1)
        throw Failure("SHA-256: OpenSSL could not initialise a digest context");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::update(const void* data, std::size_t size)
{
    if (size)
        EVP_DigestUpdate(ctx_, data, size);
}

Digest Sha256::finish()
{
    Digest out{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, out.data(), &len);
    EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr);
    return out;
}

std::string Sha256::finishHex() { return toHex(finish()); }

std::string toHex(const std::uint8_t* data, std::size_t size)
{
    static const char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0xf];
    }
    return out;
}

std::string sha256Hex(std::string_view data)
{
    Sha256 h;
    h.update(data);
    return h.finishHex();
}

Result<std::string> sha256FileHex(const std::filesystem::path& file, const CancelToken& cancel,
                                  const std::function<void(std::uint64_t)>& onBytes)
{
    return guarded([&]() -> Result<std::string> {
        UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd)
            return fail(file.string() + ": cannot open: " + std::strerror(errno));
        ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
        std::vector<std::uint8_t> buf(1 << 20);
        Sha256 h;
        for (;;) {
            cancel.check();
            const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                return fail(file.string() + ": read failed: " + std::strerror(errno));
            }
            if (n == 0)
                break;
            h.update(buf.data(), static_cast<std::size_t>(n));
            if (onBytes)
                onBytes(static_cast<std::uint64_t>(n));
        }
        return h.finishHex();
    });
}

} // namespace atmo
