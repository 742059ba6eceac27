#include "harness/packet/result.hpp"

namespace sp::packet {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kBadLength: return "bad length";
    case ErrorCode::kBadField: return "bad field";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kBadOption: return "bad option";
    case ErrorCode::kTooLong: return "too long";
    case ErrorCode::kBadChecksum: return "bad checksum";
  }
  return "unknown";
}

}  // namespace sp::packet
