// A growable byte buffer whose storage is aligned for direct I/O (O_DIRECT
// wants the memory, the file offset and the length aligned to the device's
// block; 4 KiB covers the devices and filesystems in use). Unlike
// std::string or std::vector it never zero-fills what it reserves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

namespace atmo {

class AlignedBuffer {
public:
    static constexpr std::size_t kAlign = 4096;

    AlignedBuffer() = default;
    AlignedBuffer(AlignedBuffer&& o) noexcept
        : p_(std::move(o.p_)), size_(std::exchange(o.size_, 0)), cap_(std::exchange(o.cap_, 0))
    {
    }
    AlignedBuffer& operator=(AlignedBuffer&& o) noexcept
    {
        p_ = std::move(o.p_);
        size_ = std::exchange(o.size_, 0);
        cap_ = std::exchange(o.cap_, 0);
        return *this;
    }

    const char* data() const { return p_.get(); }
    char* data() { return p_.get(); }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return cap_; }
    bool empty() const { return size_ == 0; }
    void clear() { size_ = 0; }

    // Keeps the contents.
    void reserve(std::size_t n)
    {
        if (n <= cap_)
            return;
        const std::size_t cap = (n + kAlign - 1) / kAlign * kAlign;
        std::unique_ptr<char, Free> p(static_cast<char*>(std::aligned_alloc(kAlign, cap)));
        if (!p)
            throw std::bad_alloc();
        if (size_)
            std::memcpy(p.get(), p_.get(), size_);
        p_ = std::move(p);
        cap_ = cap;
    }
    // Sets the size; bytes past the old size are uninitialised until the
    // caller writes them (e.g. a socket read straight into data() + old size).
    void resize(std::size_t n)
    {
        reserve(n);
        size_ = n;
    }
    void append(const void* data, std::size_t n)
    {
        if (n == 0)
            return;
        if (size_ + n > cap_)
            reserve(std::max(size_ + n, cap_ * 2));
        std::memcpy(p_.get() + size_, data, n);
        size_ += n;
    }

private:
    struct Free {
        void operator()(char* p) const { std::free(p); }
    };
    std::unique_ptr<char, Free> p_;
    std::size_t size_ = 0, cap_ = 0;
};

} // namespace atmo
