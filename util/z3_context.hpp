// Making a Z3 context without crashing when Z3 cannot: Z3_mk_context_rc returns null when
// its allocations fail (a low `ulimit -v`), and z3::context's constructor then passes
// that null on and dies of SIGSEGV. A context is made and freed first; only when that
// worked is the z3::context made. Header-only: the checker and the generator use it.
#pragma once

#include <z3++.h>

#include <memory>
#include <new>
#include <string>

namespace sp {

// A context, or nullptr with *error set ("Z3 cannot create a context (out of memory)").
inline std::unique_ptr<z3::context> make_z3_context(std::string* error) {
  *error = "Z3 cannot create a context (out of memory)";
  Z3_config config = Z3_mk_config();
  if (config == nullptr) return nullptr;
  Z3_context probe = Z3_mk_context_rc(config);
  Z3_del_config(config);
  if (probe == nullptr) return nullptr;
  Z3_del_context(probe);
  try {
    auto ctx = std::make_unique<z3::context>();
    error->clear();
    return ctx;
  } catch (const std::bad_alloc&) {
    return nullptr;
  } catch (const z3::exception& e) {
    *error = std::string("Z3 cannot create a context: ") + e.msg();
    return nullptr;
  }
}

// Keeps SIGINT for the program: a Z3 query otherwise installs its own handler for its
// duration, which turns the first Ctrl-C into "interrupted from keyboard" and swallows it.
inline void leave_sigint_alone(z3::solver& s) {
  z3::params p(s.ctx());
  p.set("ctrl_c", false);
  s.set(p);
}

}  // namespace sp
