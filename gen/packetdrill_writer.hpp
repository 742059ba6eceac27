// A wire-tcp TestCase as a packetdrill script: socket calls for the upper tester,
// `<` / `>` lines with sequence numbers relative to each side's ISN (packetdrill's own
// convention, the same as the `.spt` one), `<...>` for the IUT's SYN options. What
// packetdrill cannot express (state checks, silence, fields left free) becomes comments.
#pragma once

#include <string>

#include "gen/testcase.hpp"

namespace sp::gen {

// The script, or "" with *why set when the test cannot run in packetdrill as written:
// a stimulus packetdrill cannot send (a segment without flags, a `*` field, a segment
// before any socket exists), or a call the socket API cannot make (CLOSE of a connection
// still in SYN-RECEIVED: the application has no descriptor for it yet; `connect` on a
// listening socket). Such a script would test something else, so none is written.
std::string to_packetdrill(const TestCase& tc, std::string* why = nullptr);

}  // namespace sp::gen
