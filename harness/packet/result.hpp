// Error values for the packet codecs: decoding never throws, it returns a Result that
// holds either the decoded value or a PacketError with a one-line readable message
// such as `tcp: data offset 15 words exceeds segment length 20`.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sp::packet {

using Bytes = std::vector<uint8_t>;

enum class ErrorCode {
  kTruncated,     // the buffer ends before a header or a length field says it should
  kBadLength,     // a length field is impossible (IHL < 5, total length < header, ...)
  kBadField,      // a field has a value this codec does not accept (IP version 6, ...)
  kUnsupported,   // well-formed but not handled here (ARP for other hardware types)
  kBadOption,     // a TCP or IP option overruns its area or has an impossible length
  kTooLong,       // building: a computed length does not fit its field
  kBadChecksum,   // only from checksum_error(): the structure is fine, a checksum is not
};

// Readable name of an error code ("truncated", "bad length", ...).
const char* error_code_name(ErrorCode code);

struct PacketError {
  ErrorCode code = ErrorCode::kBadField;
  std::string message;  // starts with the layer: "ipv4: ...", "tcp: ..."
};

// Either a value or a PacketError; a tiny std::expected for C++20. Value semantics.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}           // NOLINT
  Result(PacketError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition for value(): ok(). For error(): !ok(). Checked by std::get.
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const PacketError& error() const { return std::get<1>(v_); }

  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, PacketError> v_;
};

// Builds an error whose message is `layer: text`.
inline PacketError make_error(ErrorCode code, const char* layer, std::string text) {
  return PacketError{code, std::string(layer) + ": " + std::move(text)};
}

}  // namespace sp::packet
