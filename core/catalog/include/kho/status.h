// Status and Result<T>: how every kho call reports failure.
//
// Callers branch on the code (Status::code() or the is_*() helpers), never on the message text.
// The message is for people: it names the file or record and the reason.
// Status and Result are cheap to move; an OK Status allocates nothing.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kho {

class Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kNotFound,         // the key, file or record does not exist
    kCorruption,       // stored or read bytes fail validation (checksum, bounds, encoding)
    kInvalidArgument,  // the caller's input is unusable (bad path, malformed query, not an image)
    kIOError,          // the operating system refused a read or write
    kUnsupported,      // a valid input that this build cannot handle (format, archive version)
    kAborted,          // the user interrupted the work (Ctrl-C); committed work stays
    kBusy,             // a resource is held by another process or thread
  };

  Status() = default;  // OK
  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg) { return Status(Code::kNotFound, msg); }
  static Status Corruption(std::string_view msg) { return Status(Code::kCorruption, msg); }
  static Status InvalidArgument(std::string_view msg) { return Status(Code::kInvalidArgument, msg); }
  static Status IOError(std::string_view msg) { return Status(Code::kIOError, msg); }
  static Status Unsupported(std::string_view msg) { return Status(Code::kUnsupported, msg); }
  static Status Aborted(std::string_view msg) { return Status(Code::kAborted, msg); }
  static Status Busy(std::string_view msg) { return Status(Code::kBusy, msg); }

  bool ok() const { return code_ == Code::kOk; }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  bool is_corruption() const { return code_ == Code::kCorruption; }
  bool is_invalid_argument() const { return code_ == Code::kInvalidArgument; }
  bool is_io_error() const { return code_ == Code::kIOError; }
  bool is_unsupported() const { return code_ == Code::kUnsupported; }
  bool is_aborted() const { return code_ == Code::kAborted; }

  Code code() const { return code_; }
  // The human-readable reason, without the kind prefix. Empty for OK.
  const std::string& message() const;
  // "Corruption: photos/ab12…: checksum mismatch", or "OK".
  std::string to_string() const;
  // Returns a copy whose message is "context: message"; OK stays OK.
  Status with_context(std::string_view context) const;

 private:
  Status(Code code, std::string_view msg) : code_(code), msg_(std::make_shared<std::string>(msg)) {}
  Code code_ = Code::kOk;
  std::shared_ptr<const std::string> msg_;  // null when OK
};

const char* code_name(Status::Code code);

// Result<T> holds either a value or a non-OK Status. value(), * and -> on a Result that holds a Status
// are a programming error (std::bad_variant_access): check ok() first.
template <typename T>
class Result {
 public:
  Result(T&& value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(const T& value) : v_(value) {}       // NOLINT(google-explicit-constructor)
  // Holds a value-initialised T to be filled in place: a decoder writes into it and the Result is
  // returned by NRVO, so a large record is never moved.
  explicit Result(std::in_place_t) : v_(std::in_place_index<0>) {}
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  // OK when the result holds a value.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace kho

// Returns early, with the error, from a function returning Status or Result<T> when `expr` (a Status;
// for a Result, pass its .status()) is not OK.
#define KHO_CONCAT_INNER_(a, b) a##b
#define KHO_CONCAT_(a, b) KHO_CONCAT_INNER_(a, b)
#define KHO_RETURN_IF_ERROR(expr) KHO_RETURN_IF_ERROR_IMPL_(KHO_CONCAT_(kho_status_, __COUNTER__), expr)
#define KHO_RETURN_IF_ERROR_IMPL_(var, expr) \
  do {                                       \
    ::kho::Status var = (expr);              \
    if (!var.ok()) return var;               \
  } while (0)
