#include "compiler/sema/compile.hpp"

#include <algorithm>

#include "compiler/parse/parser.hpp"
#include "compiler/sema/lowerer.hpp"

namespace sp {

namespace sema {

Lowerer::Lowerer(const ast::Spec& spec, Diagnostics& diags, const CompileOptions& options,
                 ir::Model& out)
    : spec_(spec), diags_(diags), options_(options), m_(out) {}

bool Lowerer::run() {
  int before = diags_.error_count();
  m_ = ir::Model{};
  m_.source_path = diags_.file().path;
  if (!spec_.protocols.empty()) {
    m_.protocol = spec_.protocols[0].name.name;
    m_.description = spec_.protocols[0].description;
    if (spec_.protocols.size() > 1) {
      diags_.error(spec_.protocols[1].name.loc, "a spec declares one protocol");
    }
  }
  if (options_.seq_bits && (*options_.seq_bits < 2 || *options_.seq_bits > 32)) {
    diags_.error(ast::Loc{}, "--seq-bits must be 2..32, not " + std::to_string(*options_.seq_bits));
    return false;
  }
  init_builtin_types();
  collect_addresses();
  // Constants and type declarations may refer to each other in source order.
  std::vector<std::pair<uint32_t, int>> order;  // (offset, index: >=0 const, <0 type)
  for (size_t i = 0; i < spec_.consts.size(); ++i) {
    order.emplace_back(spec_.consts[i].name.loc.offset, static_cast<int>(i));
  }
  for (size_t i = 0; i < spec_.types.size(); ++i) {
    order.emplace_back(spec_.types[i].name.loc.offset, -1 - static_cast<int>(i));
  }
  std::sort(order.begin(), order.end());
  for (const auto& [offset, index] : order) {
    (void)offset;
    if (index >= 0) {
      lower_const(spec_.consts[index]);
    } else {
      lower_type_decl(spec_.types[-1 - index]);
    }
  }
  check_const_overrides();
  lower_messages();
  declare_roles();
  lower_funcs();
  lower_transitions();
  lower_systems();
  lower_properties();
  if (diags_.error_count() == before && options_.warnings) {
    warn_unreachable_states();
    warn_unused_vars();
  }
  return diags_.error_count() == before;
}

}  // namespace sema

bool lower_spec(const ast::Spec& spec, Diagnostics& diags, const CompileOptions& options,
                ir::Model& out) {
  sema::Lowerer lowerer(spec, diags, options, out);
  return lowerer.run();
}

bool compile_spec(Diagnostics& diags, const CompileOptions& options, ir::Model& out) {
  ast::Spec spec;
  if (!parse_spec(diags, spec)) return false;
  return lower_spec(spec, diags, options, out);
}

}  // namespace sp
