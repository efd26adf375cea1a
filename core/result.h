// Errors as values: a Result<T> holds either a T or an Error with a one-line
// message that names the thing and the reason ("manifest.yaml: package.version
// is missing"). Core code may throw atmo::Failure internally; public functions
// convert it to a Result at their boundary with guarded().
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace atmo {

struct Error {
    std::string message;
};

// Thrown inside core and caught at API boundaries.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown when a CancelToken fires; turned into Error{"cancelled"}.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }

    const Error& error() const { return std::get<1>(v_); }
    const std::string& message() const { return error().message; }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : e_(std::move(error)) {}

    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *e_; }
    const std::string& message() const { return e_->message; }

private:
    std::optional<Error> e_;
};

using Status = Result<void>;

inline Error fail(std::string message) { return Error{std::move(message)}; }

// Runs f() and converts Failure / Cancelled / std::exception into an Error.
template <class F>
auto guarded(F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const Cancelled&) {
        return Error{"cancelled"};
    } catch (const std::exception& e) {
        return Error{e.what()};
    }
}

} // namespace atmo
