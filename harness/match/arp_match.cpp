// ARP expectations and injections (wire arp), and the address book behind the symbols.
#include "harness/match/match.hpp"
#include "harness/packet/arp.hpp"
#include "harness/packet/ethernet.hpp"

namespace sp::harness {

using packet::Ipv4Address;
using packet::MacAddress;

std::optional<Ipv4Address> AddressBook::ip(std::string_view text) const {
  if (text == "iut.ip") return iut_ip;
  if (text == "tester.ip") return tester_ip;
  if (text == "other.ip") return other_ip;
  if (text == "broadcast") return Ipv4Address{0xffffffffu};
  if (text == "zero") return Ipv4Address{0};
  return Ipv4Address::parse(text);
}

std::optional<MacAddress> AddressBook::mac(std::string_view text) const {
  if (text == "iut.mac") return iut_mac;
  if (text == "tester.mac") return tester_mac;
  if (text == "other.mac") return other_mac;
  if (text == "broadcast") return MacAddress::broadcast();
  if (text == "zero") return MacAddress{};
  return MacAddress::parse(text);
}

std::string AddressBook::describe(Ipv4Address a) const {
  std::string s = a.to_string();
  if (a == iut_ip) return s + " (iut.ip)";
  if (a == tester_ip) return s + " (tester.ip)";
  if (a == other_ip) return s + " (other.ip)";
  return s;
}

std::string AddressBook::describe(const MacAddress& a) const {
  std::string s = a.to_string();
  if (a == iut_mac) return s + " (iut.mac)";
  if (a == tester_mac) return s + " (tester.mac)";
  if (a == other_mac) return s + " (other.mac)";
  if (a == MacAddress::broadcast()) return s + " (broadcast)";
  if (a == MacAddress{}) return s + " (zero)";
  return s;
}

namespace {

std::string op_text(uint16_t op) {
  if (op == packet::kArpRequest) return "request";
  if (op == packet::kArpReply) return "reply";
  return std::to_string(op);
}

const Field* find_field(const std::vector<Field>& fields, const char* name) {
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

std::string arp_notation(const packet::ArpPacket& arp, const AddressBook& book) {
  auto mac = [&](const MacAddress& m) {
    if (m == book.iut_mac) return std::string("iut.mac");
    if (m == book.tester_mac) return std::string("tester.mac");
    if (m == book.other_mac) return std::string("other.mac");
    if (m == MacAddress{}) return std::string("zero");
    return m.to_string();
  };
  auto ip = [&](Ipv4Address a) {
    if (a == book.iut_ip) return std::string("iut.ip");
    if (a == book.tester_ip) return std::string("tester.ip");
    if (a == book.other_ip) return std::string("other.ip");
    return a.to_string();
  };
  return "op=" + op_text(arp.operation) + " sha=" + mac(arp.sender_mac) + " spa=" + ip(arp.sender_ip) +
         " tha=" + mac(arp.target_mac) + " tpa=" + ip(arp.target_ip);
}

MatchOutcome match_arp(const std::vector<Field>& fields, const packet::EthernetHeader& ethernet,
                       const packet::ArpPacket& arp, const AddressBook& book) {
  MatchOutcome out;
  out.match = true;
  for (const Field& f : fields) {
    FieldDiff d;
    d.field = f.name;
    d.expected = f.value.text;
    const Value& v = f.value;
    auto mac_field = [&](const MacAddress& actual) {
      d.actual = book.describe(actual);
      if (v.kind == Value::Kind::kAny) return true;
      std::optional<MacAddress> want = book.mac(v.text);
      if (want) d.expected = book.describe(*want);
      return want && *want == actual;
    };
    auto ip_field = [&](Ipv4Address actual) {
      d.actual = book.describe(actual);
      if (v.kind == Value::Kind::kAny) return true;
      std::optional<Ipv4Address> want = book.ip(v.text);
      if (want) d.expected = book.describe(*want);
      return want && *want == actual;
    };
    if (f.name == "op") {
      d.actual = op_text(arp.operation);
      d.ok = v.kind == Value::Kind::kAny ||
             (v.kind == Value::Kind::kNumber && arp.operation == v.low) ||
             (v.kind == Value::Kind::kRange && arp.operation >= v.low && arp.operation <= v.high);
    } else if (f.name == "sha") {
      d.ok = mac_field(arp.sender_mac);
    } else if (f.name == "tha") {
      d.ok = mac_field(arp.target_mac);
    } else if (f.name == "src") {
      d.ok = mac_field(ethernet.src);
    } else if (f.name == "dst") {
      d.ok = mac_field(ethernet.dst);
    } else if (f.name == "spa") {
      d.ok = ip_field(arp.sender_ip);
    } else if (f.name == "tpa") {
      d.ok = ip_field(arp.target_ip);
    } else {
      d.actual = "?";
      out.harness_error = "field " + f.name + " cannot be matched on wire arp";
    }
    out.match = out.match && d.ok;
    out.fields.push_back(std::move(d));
  }
  if (!out.harness_error.empty()) out.match = false;
  return out;
}

packet::Result<packet::Bytes> build_arp_injection(const std::vector<Field>& fields,
                                                  const AddressBook& book) {
  packet::ArpPacket arp;
  arp.operation = packet::kArpRequest;
  if (const Field* f = find_field(fields, "op"); f && f->value.kind == Value::Kind::kNumber) {
    arp.operation = static_cast<uint16_t>(f->value.low);
  }
  bool reply = arp.operation == packet::kArpReply;
  packet::EthernetHeader eth;
  eth.ether_type = packet::kEtherTypeArp;
  eth.src = book.tester_mac;
  eth.dst = reply ? book.iut_mac : MacAddress::broadcast();
  arp.sender_mac = book.tester_mac;
  arp.sender_ip = book.tester_ip;
  arp.target_mac = reply ? book.iut_mac : MacAddress{};
  arp.target_ip = book.iut_ip;
  for (const Field& f : fields) {
    if (f.name == "op") continue;
    const std::string& text = f.value.text;
    bool is_ip = f.name == "spa" || f.name == "tpa";
    std::optional<MacAddress> mac = is_ip ? std::nullopt : book.mac(text);
    std::optional<Ipv4Address> ip = is_ip ? book.ip(text) : std::nullopt;
    if ((is_ip && !ip) || (!is_ip && !mac)) {
      return packet::PacketError{packet::ErrorCode::kBadField,
                                 "inject " + f.text + ": not an address this field can carry"};
    }
    if (f.name == "sha") arp.sender_mac = *mac;
    if (f.name == "tha") arp.target_mac = *mac;
    if (f.name == "src") eth.src = *mac;
    if (f.name == "dst") eth.dst = *mac;
    if (f.name == "spa") arp.sender_ip = *ip;
    if (f.name == "tpa") arp.target_ip = *ip;
  }
  // A sender address given but no Ethernet source: keep them consistent.
  if (find_field(fields, "sha") && !find_field(fields, "src")) eth.src = arp.sender_mac;
  return packet::build_frame_arp(eth, arp, {true});
}

}  // namespace sp::harness
