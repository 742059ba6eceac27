// A wire-tcp TestCase as a packetdrill script: socket calls for the upper tester,
// `<` / `>` lines with sequence numbers relative to each side's ISN (packetdrill's own
// convention, the same as the `.spt` one), `<...>` for the IUT's SYN options. What
// packetdrill cannot express (state checks, silence, fields left free) becomes comments.
#pragma once

#include <string>

#include "gen/testcase.hpp"

namespace sp::gen {

std::string to_packetdrill(const TestCase& tc);

}  // namespace sp::gen
