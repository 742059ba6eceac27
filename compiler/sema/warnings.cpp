// Warnings that do not stop compilation: unreachable control states, unused variables.
#include <deque>

#include "compiler/sema/lowerer.hpp"

namespace sp::sema {

// A state no transition path reaches from the initial state (ignoring guards: a
// warning, not a proof) is almost always a typo in a `->` target.
void Lowerer::warn_unreachable_states() {
  for (size_t r = 0; r < m_.roles.size(); ++r) {
    const ir::Role& role = m_.roles[r];
    std::vector<bool> seen(role.states.size(), false);
    std::deque<int> work = {role.initial};
    seen[role.initial] = true;
    while (!work.empty()) {
      int s = work.front();
      work.pop_front();
      for (const ir::Transition& t : role.transitions) {
        if (!t.from[s] || t.target < 0 || seen[t.target]) continue;
        seen[t.target] = true;
        work.push_back(t.target);
      }
    }
    for (size_t s = 0; s < role.states.size(); ++s) {
      if (seen[s]) continue;
      ast::Loc loc;
      for (const ast::Ident& id : ast_roles_[r]->states) {
        if (id.name == role.states[s]) loc = id.loc;
      }
      diags_.warning(loc, "state " + role.states[s] + " of role " + role.name +
                              " is unreachable from its initial state " +
                              role.states[role.initial]);
    }
  }
}

void Lowerer::warn_unused_vars() {
  for (size_t r = 0; r < m_.roles.size(); ++r) {
    const ir::Role& role = m_.roles[r];
    for (size_t v = 0; v < role.vars.size(); ++v) {
      bool read = var_reads_.count({static_cast<int>(r), static_cast<int>(v)}) > 0;
      bool written = var_writes_.count({static_cast<int>(r), static_cast<int>(v)}) > 0;
      const ast::Loc& loc = var_locs_[r][v];
      if (!read && !written) {
        diags_.warning(loc, "variable " + role.vars[v].name + " of role " + role.name +
                                " is never used");
      } else if (!read) {
        diags_.warning(loc, "variable " + role.vars[v].name + " of role " + role.name +
                                " is assigned but never read");
      }
    }
  }
}

}  // namespace sp::sema
