// How an observed TCP segment becomes a value of the spec's `message ... wire tcp`: each
// field of the message is read from the header field of the same name (the names the
// generator and the harness use: flags, seq, ack, win, len, urg, sport, dport). Fields the
// spec does not declare are not modelled; a segment that needs one to be represented
// (data, without a `len` field) is reported, not mapped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/model.hpp"
#include "harness/packet/tcp.hpp"

namespace sp::monitor {

class TcpWireMap {
 public:
  // The map for message `message` of `model`, or nullopt with *error naming a field that
  // has no wire tcp meaning or a type that cannot hold it.
  static std::optional<TcpWireMap> build(const ir::Model& model, int message, std::string* error);

  // The message's field values for `header` carrying `payload_len` bytes of data; false
  // with *why set when the message cannot represent the segment ("payload not modelled by
  // the spec", "win 70000 outside int[0..65535]"). Control bits the spec's flag type does
  // not name (ECE, CWR, AE when absent from it) are left out.
  bool fields(const packet::TcpHeader& header, size_t payload_len, std::vector<int64_t>* out,
              std::string* why) const;

  // The segment's header flags of a message value (for printing what the spec expected).
  uint16_t header_flags(const std::vector<int64_t>& fields) const;
  // Whether the value carries the ACK bit (when the message has flags), or true.
  bool has_ack(const std::vector<int64_t>& fields) const;
  // The index of field `name`, or -1.
  int field(const std::string& name) const;

  // A message value in the tests' notation: `flags=SA seq=#1000 ack=#2001`.
  std::string text(const std::vector<int64_t>& fields) const;

 private:
  enum class Source { kFlags, kSeq, kAck, kWin, kLen, kUrg, kSport, kDport };
  struct Entry {
    Source source;
    std::string name;
    int64_t lo = 0, hi = 0;                 // the field type's range (ints)
    std::vector<uint16_t> flag_bits;        // kFlags: header bit of each enum item
  };
  std::vector<Entry> entries_;
  int flags_ = -1, ack_ = -1;
};

}  // namespace sp::monitor
