// The tag/length/value wire format under record_codec (see record_codec.h). Private to core.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kho::wire {

enum WireType : std::uint8_t { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

class Writer {
 public:
  void varint(std::uint32_t field, std::uint64_t v) {
    tag(field, kVarint);
    put_varint(v);
  }
  void sint(std::uint32_t field, std::int64_t v) {  // zig-zag, for values that may be negative
    varint(field, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void fixed64(std::uint32_t field, std::uint64_t v) {
    tag(field, kFixed64);
    put_fixed(v, 8);
  }
  void f64(std::uint32_t field, double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, 8);
    fixed64(field, bits);
  }
  void f32(std::uint32_t field, float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    tag(field, kFixed32);
    put_fixed(bits, 4);
  }
  void bytes(std::uint32_t field, std::string_view b) {
    tag(field, kBytes);
    put_varint(b.size());
    buf_.append(b);
  }
  void opt_bytes(std::uint32_t field, const std::optional<std::string>& b) {
    if (b) bytes(field, *b);
  }
  void opt_sint(std::uint32_t field, const std::optional<std::int64_t>& v) {
    if (v) sint(field, *v);
  }
  void opt_f64(std::uint32_t field, const std::optional<double>& v) {
    if (v) f64(field, *v);
  }
  void repeated(std::uint32_t field, const std::vector<std::string>& items) {
    for (const auto& s : items) bytes(field, s);
  }
  const std::string& data() const { return buf_; }
  std::string& mutable_data() { return buf_; }

 private:
  void tag(std::uint32_t field, WireType t) { put_varint((std::uint64_t{field} << 3) | t); }
  void put_varint(std::uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    buf_.push_back(static_cast<char>(v));
  }
  void put_fixed(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) buf_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string buf_;
};

struct Field {
  std::uint32_t number = 0;
  WireType type = kVarint;
  std::uint64_t num = 0;   // varint, fixed32, fixed64
  std::string_view bytes;  // kBytes

  std::int64_t as_sint() const {
    return static_cast<std::int64_t>((num >> 1) ^ (~(num & 1) + 1));
  }
  double as_f64() const {
    double d;
    std::memcpy(&d, &num, 8);
    return d;
  }
  float as_f32() const {
    std::uint32_t bits = static_cast<std::uint32_t>(num);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
};

// Reads fields one at a time. next() returns false at the end or on malformed input (then error() is set).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool next(Field* f) {
    if (in_.empty() || error_) return false;
    std::uint64_t tag;
    if (!get_varint(&tag) || (tag >> 3) == 0 || (tag >> 3) > 0xffffffffu) return fail();
    f->number = static_cast<std::uint32_t>(tag >> 3);
    f->type = static_cast<WireType>(tag & 7);
    switch (f->type) {
      case kVarint: return get_varint(&f->num) || fail();
      case kFixed64: return get_fixed(8, &f->num) || fail();
      case kFixed32: return get_fixed(4, &f->num) || fail();
      case kBytes: {
        std::uint64_t n;
        if (!get_varint(&n) || n > in_.size()) return fail();
        f->bytes = in_.substr(0, n);
        in_.remove_prefix(n);
        return true;
      }
    }
    return fail();
  }
  bool error() const { return error_; }

 private:
  bool fail() {
    error_ = true;
    return false;
  }
  bool get_varint(std::uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      auto b = static_cast<std::uint8_t>(in_.front());
      in_.remove_prefix(1);
      *v |= std::uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool get_fixed(int n, std::uint64_t* v) {
    if (in_.size() < static_cast<size_t>(n)) return false;
    *v = 0;
    for (int i = 0; i < n; ++i) *v |= std::uint64_t{static_cast<std::uint8_t>(in_[i])} << (8 * i);
    in_.remove_prefix(n);
    return true;
  }
  std::string_view in_;
  bool error_ = false;
};

}  // namespace kho::wire
