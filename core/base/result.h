// Errors as values: a Result<T> holds either a T or an Error with a one-line
// message that names the thing and the reason ("manifest.yaml: package.version
// is missing"). Core code may throw atmo::Failure internally; public functions
// convert it to a Result at their boundary with guarded().
//
// An Error also carries a code, the kind of failure, so callers decide by
// kind and never by comparing English words: the window translates the kind
// naming the subject (app/ErrorText.cpp), the CLI picks its exit code and
// --json code from it (app/cli/CliContext.cpp). The message stays the
// detailed English line. Error{"msg"} and fail("msg") are ErrorCode::Failed.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace atmo {

enum class ErrorCode {
    Failed,    // anything not below
    Cancelled, // the user or a signal stopped it
    Usage,     // the caller asked for something invalid (bad option, bad name)
    NotFound,  // the named file, key, package, model or peer does not exist
    NoSpace,   // not enough free space for what would be written
    Untrusted, // no signature from a trusted key, or a signature that fails
    BadData,   // corrupt or malformed: bad archive, hash mismatch, bad manifest
    Io,        // reading or writing failed (device error, permission, read-only)
    Busy,      // locked or in use by another process or job
};

// "no_space": the stable name of a code, for --json and logs.
inline const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Failed: return "failed";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Usage: return "usage";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::NoSpace: return "no_space";
    case ErrorCode::Untrusted: return "untrusted";
    case ErrorCode::BadData: return "bad_data";
    case ErrorCode::Io: return "io";
    case ErrorCode::Busy: return "busy";
    }
    return "failed";
}

struct Error {
    Error() = default;
    Error(std::string message, ErrorCode code = ErrorCode::Failed, std::string subject = {})
        : message(std::move(message)), code(code), subject(std::move(subject))
    {
    }
    std::string message;                  // one English line: the thing and the reason
    ErrorCode code = ErrorCode::Failed;
    std::string subject;                  // the thing named (a file, a package, a drive), may be empty
};

// Thrown inside core and caught at API boundaries.
class Failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    Failure(ErrorCode code, const std::string& message, std::string subject = {})
        : std::runtime_error(message), code_(code), subject_(std::move(subject))
    {
    }
    ErrorCode code() const { return code_; }
    const std::string& subject() const { return subject_; }

private:
    ErrorCode code_ = ErrorCode::Failed;
    std::string subject_;
};

// Thrown when a CancelToken fires; turned into an Error with ErrorCode::Cancelled.
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
    ErrorCode code() const { return error().code; }

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
    ErrorCode code() const { return e_->code; }

private:
    std::optional<Error> e_;
};

using Status = Result<void>;

inline Error fail(std::string message) { return Error{std::move(message)}; }
inline Error fail(ErrorCode code, std::string message, std::string subject = {})
{
    return Error{std::move(message), code, std::move(subject)};
}

// Inside a catch block: the exception being handled as an Error. Failure
// keeps its code and subject; Cancelled is ErrorCode::Cancelled; a system
// error (errno) is Io, or NoSpace for ENOSPC; any other std::exception Failed.
inline Error currentError()
{
    try {
        throw;
    } catch (const Cancelled&) {
        return Error{"cancelled", ErrorCode::Cancelled};
    } catch (const Failure& e) {
        return Error{e.what(), e.code(), e.subject()};
    } catch (const std::system_error& e) { // std::filesystem::filesystem_error among them
        const bool full = e.code() == std::errc::no_space_on_device || e.code() == std::errc::file_too_large;
        return Error{e.what(), full ? ErrorCode::NoSpace : ErrorCode::Io};
    } catch (const std::exception& e) {
        return Error{e.what()};
    }
}

// The inverse of guarded() inside core: throws an Error from a call below
// as it was (Cancelled stays Cancelled, the code and subject are kept).
[[noreturn]] inline void raise(const Error& e)
{
    if (e.code == ErrorCode::Cancelled)
        throw Cancelled();
    throw Failure(e.code, e.message, e.subject);
}

// Runs f() and converts Failure / Cancelled / std::exception into an Error
// (see currentError()).
template <class F>
auto guarded(F&& f) -> decltype(f())
{
    try {
        return f();
    } catch (const std::exception&) {
        return currentError();
    }
}

} // namespace atmo
