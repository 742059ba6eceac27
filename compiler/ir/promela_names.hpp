// Names in the Promela export (promela.cpp): every identifier of the generated model is
// claimed here, so that none clashes with another, with a Promela or LTL keyword, with
// SPIN's predefined names, or with the C names of the verifier SPIN writes (pan.c): a
// model's variables and message fields become C struct members there, its typedefs C
// types, and pan.h #defines many plain words. A clash is resolved with a suffix (`_2`).
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace sp::ir::promela {

// [A-Za-z_][A-Za-z0-9_]*
bool Identifier(const std::string& s);

// Never handed out: keywords, SPIN's and pan.c's names, the writer's own names.
bool Reserved(const std::string& name);

// Hands out unique names. A name starting with `sp_` is the writer's own (its scratch
// variables and monitor): never handed out either.
class NameTable {
 public:
  std::string Claim(const std::string& want) { return ClaimFamily(want, {}); }

  // A name `base` free together with the names derived from it (a queue's `base_len`,
  // `recv_base`...): the writer prints the derived names by concatenation, so each must
  // be as unique as the base. Returns the base; every derived name is claimed too.
  std::string ClaimFamily(std::string want, const std::vector<std::pair<std::string, std::string>>& affixes);

 private:
  bool Free(const std::string& n) const;
  std::set<std::string> used_;
};

}  // namespace sp::ir::promela
