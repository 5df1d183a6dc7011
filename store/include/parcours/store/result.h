// Error and Result: how every layer of parcours reports an expected failure.
//
// Expected failures (a version conflict, a refused command, a corrupted value)
// are values, never exceptions: callers must look at them. Exceptions are left
// for bugs. The set of codes is closed and small; each maps to one CLI exit
// code and one HTTP status, so users see the same class of error everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace parcours {

enum class ErrorCode : std::uint8_t {
  InvalidInput,   // The request itself is malformed or over a limit.
  NotFound,       // An id names nothing.
  Conflict,       // Optimistic concurrency: the stream moved on.
  RefusedByRule,  // The domain said no (illegal transition, late, wrong kind...).
  Unauthorized,   // The caller's role may not do this.
  Corruption,     // Stored bytes are not what we wrote.
  IoError,        // The disk or the database failed; nothing was acknowledged.
  // A conditional write named a version that is no longer the current one
  // (a draft saved from another tab), or named none where one is needed.
  PreconditionFailed,
  Internal,       // parcours broke one of its own invariants: a bug to report.
};

// A stable lower-case name ("conflict", "io_error"...) for logs and JSON.
std::string_view errorCodeName(ErrorCode code);

// The process exit code for an error class, as documented in the README:
// 2 invalid input, 3 not found, 4 refused by rule, 5 conflict or a failed
// precondition (the version read moved on),
// 6 unauthorised, 7 I/O or corruption, 1 an internal bug. (0 is success.)
int exitCodeFor(ErrorCode code);

// One thing wrong in a request that may have several (a form's answers):
// where, as an RFC 6901 JSON Pointer into the request ("/answers/budget"),
// and what.
struct FieldProblem {
  std::string pointer;
  std::string message;
  bool operator==(const FieldProblem& o) const {
    return pointer == o.pointer && message == o.message;
  }
};

// An expected failure: a code and a message written for the person reading it
// (what happened, with the values involved, and what to do next). `problems`
// lists each field's problem when a request had several, all found at once
// (the message lists them too); HTTP answers them as the problem's `errors`.
struct Error {
  ErrorCode code;
  std::string message;
  std::vector<FieldProblem> problems = {};

  static Error invalidInput(std::string m) { return {ErrorCode::InvalidInput, std::move(m)}; }
  static Error notFound(std::string m) { return {ErrorCode::NotFound, std::move(m)}; }
  static Error conflict(std::string m) { return {ErrorCode::Conflict, std::move(m)}; }
  static Error refused(std::string m) { return {ErrorCode::RefusedByRule, std::move(m)}; }
  static Error unauthorized(std::string m) { return {ErrorCode::Unauthorized, std::move(m)}; }
  static Error corruption(std::string m) { return {ErrorCode::Corruption, std::move(m)}; }
  static Error ioError(std::string m) { return {ErrorCode::IoError, std::move(m)}; }
  static Error preconditionFailed(std::string m) {
    return {ErrorCode::PreconditionFailed, std::move(m)};
  }
  static Error bug(std::string m) { return {ErrorCode::Internal, std::move(m)}; }
};

// Either a value or an Error. Deliberately tiny (g++ 12 has no std::expected).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }
  Error&& takeError() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status okStatus() {
  return Ok{};
}

}  // namespace parcours
