// How spec values appear on the wire and in `.spt` files: TCP flag letters and bits,
// address names (`iut.ip`, `tester.mac`, `broadcast`), ARP opcodes.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/ir/model.hpp"

namespace sp::gen {

// TCP header bit of a flag item name (`SYN` -> 0x02); 0 for unknown names.
uint8_t tcp_flag_bit(const std::string& item);
// The `.spt` letters of a set value over the flags enum (`SA`, `FA`, `.` for none).
std::string flag_letters(const ir::Model& m, ir::TypeId set_type, uint64_t value);
uint8_t flag_bits(const ir::Model& m, ir::TypeId set_type, uint64_t value);
// `iut.ip`, `tester.ip`, `other.ip`, `zero`, else dotted quad.
std::string ip_name(uint64_t ip);
// `iut.mac`, `tester.mac`, `other.mac`, `broadcast`, `zero`, else colon hex.
std::string mac_name(uint64_t mac);
std::string ip_text(uint64_t ip);
std::string mac_text(uint64_t mac);
// A field value for the `.spt` file, by type (sets as letters only for TCP `flags`).
std::string value_text(const ir::Model& m, ir::TypeId type, uint64_t value);

}  // namespace sp::gen
