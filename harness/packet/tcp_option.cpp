#include "harness/packet/tcp_option.hpp"

#include <cstdio>

#include "harness/packet/byte_order.hpp"

namespace sp::packet {
namespace {

using namespace tcp_option;

std::string n(size_t value) { return std::to_string(value); }

// The option a well-formed (kind, data) pair stands for, or Raw when the length is
// not the one the kind's RFC gives.
TcpOption decode_known(uint8_t kind, std::span<const uint8_t> data) {
  const uint8_t* p = data.data();
  switch (kind) {
    case kTcpOptionMss:
      if (data.size() == 2) return Mss{load_be16(p)};
      break;
    case kTcpOptionWindowScale:
      if (data.size() == 1) return WindowScale{p[0]};
      break;
    case kTcpOptionSackPermitted:
      if (data.empty()) return SackPermitted{};
      break;
    case kTcpOptionSack:
      if (!data.empty() && data.size() % 8 == 0) {
        Sack sack;
        for (size_t i = 0; i < data.size(); i += 8) {
          sack.blocks.push_back({load_be32(p + i), load_be32(p + i + 4)});
        }
        return sack;
      }
      break;
    case kTcpOptionTimestamps:
      if (data.size() == 8) return Timestamps{load_be32(p), load_be32(p + 4)};
      break;
    default:
      break;
  }
  return Raw{kind, Bytes(data.begin(), data.end()), std::nullopt};
}

const char* known_kind_name(uint8_t kind) {
  switch (kind) {
    case kTcpOptionEnd: return "eol";
    case kTcpOptionNop: return "nop";
    case kTcpOptionMss: return "mss";
    case kTcpOptionWindowScale: return "wscale";
    case kTcpOptionSackPermitted: return "sackOK";
    case kTcpOptionSack: return "sack";
    case kTcpOptionTimestamps: return "TS";
    default: return nullptr;
  }
}

std::string hex(std::span<const uint8_t> data) {
  std::string out = "0x";
  char buf[3];
  for (uint8_t b : data) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

struct Writer {
  Bytes& out;
  void operator()(const End& o) {
    out.push_back(kTcpOptionEnd);
    out.insert(out.end(), o.padding.begin(), o.padding.end());
  }
  void operator()(const Nop&) { out.push_back(kTcpOptionNop); }
  void operator()(const Mss& o) {
    out.push_back(kTcpOptionMss);
    out.push_back(4);
    append_be16(out, o.value);
  }
  void operator()(const WindowScale& o) {
    out.push_back(kTcpOptionWindowScale);
    out.push_back(3);
    out.push_back(o.shift);
  }
  void operator()(const SackPermitted&) {
    out.push_back(kTcpOptionSackPermitted);
    out.push_back(2);
  }
  void operator()(const Sack& o) {
    out.push_back(kTcpOptionSack);
    // More than 31 blocks cannot be described by one length byte; the header cannot
    // hold more than 4 anyway and build_tcp reports the overflow.
    out.push_back(static_cast<uint8_t>(2 + 8 * o.blocks.size()));
    for (const SackBlock& b : o.blocks) {
      append_be32(out, b.left);
      append_be32(out, b.right);
    }
  }
  void operator()(const Timestamps& o) {
    out.push_back(kTcpOptionTimestamps);
    out.push_back(10);
    append_be32(out, o.value);
    append_be32(out, o.echo_reply);
  }
  void operator()(const Raw& o) {
    out.push_back(o.kind);
    out.push_back(o.length ? *o.length : static_cast<uint8_t>(o.data.size() + 2));
    out.insert(out.end(), o.data.begin(), o.data.end());
  }
};

struct Formatter {
  std::string operator()(const End&) const { return "eol"; }
  std::string operator()(const Nop&) const { return "nop"; }
  std::string operator()(const Mss& o) const { return "mss " + n(o.value); }
  std::string operator()(const WindowScale& o) const { return "wscale " + n(o.shift); }
  std::string operator()(const SackPermitted&) const { return "sackOK"; }
  std::string operator()(const Sack& o) const {
    std::string s = "sack " + n(o.blocks.size()) + " ";
    for (const SackBlock& b : o.blocks) s += "{" + n(b.left) + ":" + n(b.right) + "}";
    return s;
  }
  std::string operator()(const Timestamps& o) const {
    return "TS val " + n(o.value) + " ecr " + n(o.echo_reply);
  }
  std::string operator()(const Raw& o) const {
    const size_t length = o.length ? *o.length : o.data.size() + 2;
    std::string s;
    if (const char* name = known_kind_name(o.kind)) {
      s = std::string(name) + " [bad length " + n(length) + "]";
    } else {
      s = "unknown-" + n(o.kind);
      if (o.length) s += " [length " + n(length) + "]";
    }
    if (!o.data.empty()) s += " " + hex(o.data);
    return s;
  }
};

}  // namespace

Result<TcpOptions> parse_tcp_options(std::span<const uint8_t> area) {
  TcpOptions options;
  size_t i = 0;
  while (i < area.size()) {
    const uint8_t kind = area[i];
    if (kind == kTcpOptionEnd) {
      options.push_back(End{Bytes(area.begin() + i + 1, area.end())});
      return options;
    }
    if (kind == kTcpOptionNop) {
      options.push_back(Nop{});
      ++i;
      continue;
    }
    if (i + 1 >= area.size()) {
      return make_error(ErrorCode::kBadOption, "tcp",
                        "option kind " + n(kind) + " at offset " + n(i) +
                            " has no length byte (options area is " + n(area.size()) +
                            " bytes)");
    }
    const uint8_t length = area[i + 1];
    if (length < 2) {
      return make_error(ErrorCode::kBadOption, "tcp",
                        "option kind " + n(kind) + " at offset " + n(i) + " has length " +
                            n(length) + " (minimum 2)");
    }
    if (i + length > area.size()) {
      return make_error(ErrorCode::kBadOption, "tcp",
                        "option kind " + n(kind) + " at offset " + n(i) + " has length " +
                            n(length) + ", overrunning the " + n(area.size()) +
                            "-byte options area");
    }
    options.push_back(decode_known(kind, area.subspan(i + 2, length - 2)));
    i += length;
  }
  return options;
}

Bytes build_tcp_options(const TcpOptions& options) {
  Bytes out;
  Writer writer{out};
  for (const TcpOption& o : options) std::visit(writer, o);
  return out;
}

std::string format_tcp_option(const TcpOption& option) {
  return std::visit(Formatter{}, option);
}

std::string format_tcp_options(const TcpOptions& options) {
  std::string s;
  for (const TcpOption& o : options) {
    if (!s.empty()) s += ",";
    s += format_tcp_option(o);
  }
  return s;
}

}  // namespace sp::packet
