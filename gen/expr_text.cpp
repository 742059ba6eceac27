#include "gen/expr_text.hpp"

namespace sp::gen {

namespace {

const char* OpText(ir::Op op) {
  switch (op) {
    case ir::Op::kAdd: case ir::Op::kSetUnion: return " + ";
    case ir::Op::kSetDiff: return " - ";
    case ir::Op::kSetInter: return " * ";
    case ir::Op::kSub: return " - ";
    case ir::Op::kMul: return " * ";
    case ir::Op::kDiv: return " / ";
    case ir::Op::kMod: return " % ";
    case ir::Op::kEq: return " == ";
    case ir::Op::kNe: return " != ";
    case ir::Op::kLt: return " < ";
    case ir::Op::kLe: return " <= ";
    case ir::Op::kGt: return " > ";
    case ir::Op::kGe: return " >= ";
    case ir::Op::kAnd: return " && ";
    case ir::Op::kOr: return " || ";
    case ir::Op::kImplies: return " -> ";
    default: return " ? ";
  }
}

bool Binary(ir::Op op) {
  switch (op) {
    case ir::Op::kAdd: case ir::Op::kSub: case ir::Op::kMul: case ir::Op::kDiv:
    case ir::Op::kMod: case ir::Op::kEq: case ir::Op::kNe: case ir::Op::kLt:
    case ir::Op::kLe: case ir::Op::kGt: case ir::Op::kGe: case ir::Op::kAnd:
    case ir::Op::kOr: case ir::Op::kImplies:
    case ir::Op::kSetUnion: case ir::Op::kSetInter: case ir::Op::kSetDiff:
      return true;
    default:
      return false;
  }
}

thread_local const ir::Transition* g_tr = nullptr;  // names of fields and arguments

std::string FieldName(const ir::Model& m, const ir::Role& r, int i, bool arg) {
  if (g_tr && !arg && g_tr->event == ir::EventKind::kRecv) {
    const ir::Message& msg = m.messages[r.ports[g_tr->event_index].message];
    if (i >= 0 && i < static_cast<int>(msg.fields.size())) return "s." + msg.fields[i].name;
  }
  if (g_tr && arg && g_tr->event == ir::EventKind::kCall) {
    const ir::Call& c = r.calls[g_tr->event_index];
    if (i >= 0 && i < static_cast<int>(c.params.size())) return c.params[i].name;
  }
  return (arg ? "arg" : "s.f") + std::to_string(i);
}

std::string Text(const ir::Model& m, const ir::Role& r, const ir::Expr& e, bool top);

std::string Sub(const ir::Model& m, const ir::Role& r, const ir::Expr& e) {
  return Text(m, r, e, false);
}

std::string Text(const ir::Model& m, const ir::Role& r, const ir::Expr& e, bool top) {
  switch (e.op) {
    case ir::Op::kConst:
      return ir::format_value(m, e.type, e.value);
    case ir::Op::kVar:
      return e.index >= 0 && e.index < static_cast<int>(r.vars.size()) ? r.vars[e.index].name
                                                                        : "?";
    case ir::Op::kState:
      return "state";
    case ir::Op::kMsgField:
      return FieldName(m, r, e.index, false);
    case ir::Op::kCallArg:
      return FieldName(m, r, e.index, true);
    case ir::Op::kTimerArmed:
      return e.index >= 0 && e.index < static_cast<int>(r.timers.size()) ? r.timers[e.index].name
                                                                          : "?";
    case ir::Op::kNot:
      return "!" + Sub(m, r, e.args[0]);
    case ir::Op::kNeg:
      return "-" + Sub(m, r, e.args[0]);
    case ir::Op::kSetHas:
      return (top ? "" : "(") + Sub(m, r, e.args[0]) + " in " + Sub(m, r, e.args[1]) +
             (top ? "" : ")");
    case ir::Op::kSetLit: {
      std::string s = "{";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + Sub(m, r, e.args[i]);
      return s + "}";
    }
    case ir::Op::kMapHas:
      return Sub(m, r, e.args[0]) + " in " + r.vars[e.index].name;
    case ir::Op::kMapGet:
      return r.vars[e.index].name + "[" + Text(m, r, e.args[0], true) + "]";
    case ir::Op::kMin:
    case ir::Op::kMax:
      return std::string(e.op == ir::Op::kMin ? "min(" : "max(") + Text(m, r, e.args[0], true) +
             ", " + Text(m, r, e.args[1], true) + ")";
    case ir::Op::kListLit: {
      std::string s = "[";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + Text(m, r, e.args[i], true);
      return s + "]";
    }
    case ir::Op::kListCat:
      return (top ? "" : "(") + Sub(m, r, e.args[0]) + " + " + Sub(m, r, e.args[1]) + (top ? "" : ")");
    case ir::Op::kListGet:
      return Sub(m, r, e.args[0]) + "[" + Text(m, r, e.args[1], true) + "]";
    case ir::Op::kListLen:
    case ir::Op::kListHead:
    case ir::Op::kListTail:
      return std::string(e.op == ir::Op::kListLen ? "len(" : e.op == ir::Op::kListHead ? "head(" : "tail(") +
             Text(m, r, e.args[0], true) + ")";
    case ir::Op::kPortLen:
    case ir::Op::kPortFull: {
      const std::string port = e.index >= 0 && e.index < static_cast<int>(r.ports.size()) ? r.ports[e.index].name : "?";
      return std::string(e.op == ir::Op::kPortLen ? "len(" : "full(") + port + ")";
    }
    default:
      if (Binary(e.op) && e.args.size() == 2) {
        std::string s = Sub(m, r, e.args[0]) + OpText(e.op) + Sub(m, r, e.args[1]);
        return top ? s : "(" + s + ")";
      }
      return "?";
  }
}

}  // namespace

std::string expr_text(const ir::Model& model, const ir::Role& role, const ir::Expr& e,
                      const ir::Transition* t) {
  const ir::Transition* saved = g_tr;
  g_tr = t;
  std::string s = Text(model, role, e, true);
  g_tr = saved;
  return s;
}

}  // namespace sp::gen
