// LTL formulas: NNF, simplification, SPIN syntax, and the direct semantics on lassos.
#include "checker/ltl/formula.hpp"

#include <cctype>
#include <utility>

namespace sp::checker::ltl {

Formula Formula::Unary(Op op, Formula a) {
  Formula f{op, -1, {}};
  f.args.push_back(std::move(a));
  return f;
}

Formula Formula::Binary(Op op, Formula a, Formula b) {
  Formula f{op, -1, {}};
  f.args.reserve(2);
  f.args.push_back(std::move(a));
  f.args.push_back(std::move(b));
  return f;
}

size_t Formula::size() const {
  size_t n = 1;
  for (const Formula& a : args) n += a.size();
  return n;
}

bool operator==(const Formula& a, const Formula& b) {
  if (a.op != b.op || a.atom != b.atom || a.args.size() != b.args.size()) return false;
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!(a.args[i] == b.args[i])) return false;
  }
  return true;
}

bool operator<(const Formula& a, const Formula& b) {
  if (a.op != b.op) return a.op < b.op;
  if (a.atom != b.atom) return a.atom < b.atom;
  if (a.args.size() != b.args.size()) return a.args.size() < b.args.size();
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (a.args[i] < b.args[i]) return true;
    if (b.args[i] < a.args[i]) return false;
  }
  return false;
}

Formula from_ir(const ir::Ltl& f) {
  auto arg = [&](size_t i) { return i < f.args.size() ? from_ir(f.args[i]) : Formula::True(); };
  switch (f.op) {
    case ir::LtlOp::kAtom: return Formula::Atom(f.atom);
    case ir::LtlOp::kTrue: return Formula::True();
    case ir::LtlOp::kNot: {
      Formula a = arg(0);
      if (a.op == Op::kTrue) return Formula::False();
      return Formula::Not(std::move(a));
    }
    case ir::LtlOp::kAnd: return Formula::And(arg(0), arg(1));
    case ir::LtlOp::kOr: return Formula::Or(arg(0), arg(1));
    case ir::LtlOp::kImplies: return Formula::Implies(arg(0), arg(1));
    case ir::LtlOp::kNext: return Formula::Next(arg(0));
    case ir::LtlOp::kEventually: return Formula::Eventually(arg(0));
    case ir::LtlOp::kAlways: return Formula::Always(arg(0));
    case ir::LtlOp::kUntil: return Formula::Until(arg(0), arg(1));
  }
  return Formula::True();
}

// ---------------------------------------------------------------------------------
// Negation normal form.
namespace {

Formula nnf(const Formula& f, bool neg) {
  const auto& a = f.args;
  switch (f.op) {
    case Op::kTrue: return neg ? Formula::False() : Formula::True();
    case Op::kFalse: return neg ? Formula::True() : Formula::False();
    case Op::kAtom: return neg ? Formula::Not(f) : f;
    case Op::kNot: return nnf(a[0], !neg);
    case Op::kAnd:
      return neg ? Formula::Or(nnf(a[0], true), nnf(a[1], true))
                 : Formula::And(nnf(a[0], false), nnf(a[1], false));
    case Op::kOr:
      return neg ? Formula::And(nnf(a[0], true), nnf(a[1], true))
                 : Formula::Or(nnf(a[0], false), nnf(a[1], false));
    case Op::kImplies:
      return neg ? Formula::And(nnf(a[0], false), nnf(a[1], true))
                 : Formula::Or(nnf(a[0], true), nnf(a[1], false));
    case Op::kNext: return Formula::Next(nnf(a[0], neg));
    case Op::kEventually:
      return neg ? Formula::Always(nnf(a[0], true)) : Formula::Eventually(nnf(a[0], false));
    case Op::kAlways:
      return neg ? Formula::Eventually(nnf(a[0], true)) : Formula::Always(nnf(a[0], false));
    case Op::kUntil:
      return neg ? Formula::Release(nnf(a[0], true), nnf(a[1], true))
                 : Formula::Until(nnf(a[0], false), nnf(a[1], false));
    case Op::kRelease:
      return neg ? Formula::Until(nnf(a[0], true), nnf(a[1], true))
                 : Formula::Release(nnf(a[0], false), nnf(a[1], false));
  }
  return f;
}

}  // namespace

Formula to_nnf(const Formula& f) { return nnf(f, false); }
Formula negate(const Formula& f) { return nnf(f, true); }

bool is_nnf(const Formula& f) {
  if (f.op == Op::kImplies) return false;
  if (f.op == Op::kNot) return f.args.size() == 1 && f.args[0].op == Op::kAtom;
  for (const Formula& a : f.args) {
    if (!is_nnf(a)) return false;
  }
  return true;
}

int atom_bound(const Formula& f) {
  int n = f.op == Op::kAtom ? f.atom + 1 : 0;
  for (const Formula& a : f.args) n = std::max(n, atom_bound(a));
  return n;
}

// ---------------------------------------------------------------------------------
// Simplification: smart constructors applied bottom-up on NNF.
namespace {

bool complementary(const Formula& a, const Formula& b) {
  if (a.op == Op::kNot && b.op == Op::kAtom) return a.args[0].atom == b.atom;
  if (b.op == Op::kNot && a.op == Op::kAtom) return b.args[0].atom == a.atom;
  return false;
}

Formula mk_next(Formula a);
Formula mk_f(Formula a);
Formula mk_g(Formula a);

Formula mk_and(Formula a, Formula b) {
  if (a.op == Op::kFalse || b.op == Op::kFalse) return Formula::False();
  if (a.op == Op::kTrue) return b;
  if (b.op == Op::kTrue) return a;
  if (a == b) return a;
  if (complementary(a, b)) return Formula::False();
  if (a.op == Op::kNext && b.op == Op::kNext) return mk_next(mk_and(a.args[0], b.args[0]));
  if (a.op == Op::kAlways && b.op == Op::kAlways) return mk_g(mk_and(a.args[0], b.args[0]));
  // a && (a && c) = a && c, and similar one-level absorptions.
  if (b.op == Op::kAnd && (b.args[0] == a || b.args[1] == a)) return b;
  if (a.op == Op::kAnd && (a.args[0] == b || a.args[1] == b)) return a;
  // a && (a || c) = a
  if (b.op == Op::kOr && (b.args[0] == a || b.args[1] == a)) return a;
  if (a.op == Op::kOr && (a.args[0] == b || a.args[1] == b)) return b;
  if (b < a) std::swap(a, b);
  return Formula::And(std::move(a), std::move(b));
}

Formula mk_or(Formula a, Formula b) {
  if (a.op == Op::kTrue || b.op == Op::kTrue) return Formula::True();
  if (a.op == Op::kFalse) return b;
  if (b.op == Op::kFalse) return a;
  if (a == b) return a;
  if (complementary(a, b)) return Formula::True();
  if (a.op == Op::kNext && b.op == Op::kNext) return mk_next(mk_or(a.args[0], b.args[0]));
  if (a.op == Op::kEventually && b.op == Op::kEventually) {
    return mk_f(mk_or(a.args[0], b.args[0]));
  }
  if (b.op == Op::kOr && (b.args[0] == a || b.args[1] == a)) return b;
  if (a.op == Op::kOr && (a.args[0] == b || a.args[1] == b)) return a;
  if (b.op == Op::kAnd && (b.args[0] == a || b.args[1] == a)) return a;
  if (a.op == Op::kAnd && (a.args[0] == b || a.args[1] == b)) return b;
  if (b < a) std::swap(a, b);
  return Formula::Or(std::move(a), std::move(b));
}

Formula mk_next(Formula a) {
  if (a.op == Op::kTrue || a.op == Op::kFalse) return a;
  return Formula::Next(std::move(a));
}

Formula mk_f(Formula a) {
  switch (a.op) {
    case Op::kTrue:
    case Op::kFalse:
    case Op::kEventually:
      return a;  // F F x = F x
    case Op::kNext: return mk_next(mk_f(std::move(a.args[0])));  // F X x = X F x
    case Op::kUntil: return mk_f(std::move(a.args[1]));          // F (x U y) = F y
    case Op::kAlways:
      if (a.args[0].op == Op::kEventually) return a;              // F G F x = G F x
      break;
    default:
      break;
  }
  return Formula::Eventually(std::move(a));
}

Formula mk_g(Formula a) {
  switch (a.op) {
    case Op::kTrue:
    case Op::kFalse:
    case Op::kAlways:
      return a;  // G G x = G x
    case Op::kNext: return mk_next(mk_g(std::move(a.args[0])));  // G X x = X G x
    case Op::kRelease: return mk_g(std::move(a.args[1]));        // G (x V y) = G y
    case Op::kEventually:
      if (a.args[0].op == Op::kAlways) return a;                  // G F G x = F G x
      break;
    default:
      break;
  }
  return Formula::Always(std::move(a));
}

Formula mk_until(Formula a, Formula b) {
  if (b.op == Op::kTrue || b.op == Op::kFalse) return b;
  if (a.op == Op::kFalse) return b;
  if (a.op == Op::kTrue) return mk_f(std::move(b));
  if (a == b) return a;
  if (b.op == Op::kEventually) return b;  // x U F y = F y
  if (a.op == Op::kNext && b.op == Op::kNext) {
    return mk_next(mk_until(std::move(a.args[0]), std::move(b.args[0])));
  }
  return Formula::Until(std::move(a), std::move(b));
}

Formula mk_release(Formula a, Formula b) {
  if (b.op == Op::kTrue || b.op == Op::kFalse) return b;
  if (a.op == Op::kTrue) return b;
  if (a.op == Op::kFalse) return mk_g(std::move(b));
  if (a == b) return a;
  if (b.op == Op::kAlways) return b;  // x V G y = G y
  if (a.op == Op::kNext && b.op == Op::kNext) {
    return mk_next(mk_release(std::move(a.args[0]), std::move(b.args[0])));
  }
  return Formula::Release(std::move(a), std::move(b));
}

Formula simp(const Formula& f) {
  switch (f.op) {
    case Op::kTrue:
    case Op::kFalse:
    case Op::kAtom:
    case Op::kNot:  // NNF: only above an atom
      return f;
    case Op::kAnd: return mk_and(simp(f.args[0]), simp(f.args[1]));
    case Op::kOr: return mk_or(simp(f.args[0]), simp(f.args[1]));
    case Op::kNext: return mk_next(simp(f.args[0]));
    case Op::kEventually: return mk_f(simp(f.args[0]));
    case Op::kAlways: return mk_g(simp(f.args[0]));
    case Op::kUntil: return mk_until(simp(f.args[0]), simp(f.args[1]));
    case Op::kRelease: return mk_release(simp(f.args[0]), simp(f.args[1]));
    case Op::kImplies: break;  // not in NNF
  }
  return f;
}

}  // namespace

Formula simplify(const Formula& f) {
  Formula cur = simp(to_nnf(f));
  for (int round = 0; round < 8; ++round) {
    Formula next = simp(cur);
    if (next == cur) break;
    cur = std::move(next);
  }
  return cur;
}

// ---------------------------------------------------------------------------------
// Printing.
namespace {

bool is_binary(Op op) {
  return op == Op::kAnd || op == Op::kOr || op == Op::kImplies || op == Op::kUntil ||
         op == Op::kRelease;
}

void print(const Formula& f, const std::function<std::string(int)>& name, std::string& out) {
  auto child = [&](const Formula& c) {
    if (is_binary(c.op)) {
      out += '(';
      print(c, name, out);
      out += ')';
    } else {
      print(c, name, out);
    }
  };
  switch (f.op) {
    case Op::kTrue: out += "true"; return;
    case Op::kFalse: out += "false"; return;
    case Op::kAtom: out += name ? name(f.atom) : "p" + std::to_string(f.atom); return;
    case Op::kNot:  // `!!` is a token of its own in Promela (a channel send)
      out += '!';
      if (f.args[0].op == Op::kNot) {
        out += '(';
        print(f.args[0], name, out);
        out += ')';
      } else {
        child(f.args[0]);
      }
      return;
    case Op::kEventually: out += "<>"; child(f.args[0]); return;
    case Op::kAlways: out += "[]"; child(f.args[0]); return;
    case Op::kNext:
      out += "X";
      if (!is_binary(f.args[0].op)) out += ' ';
      child(f.args[0]);
      return;
    case Op::kAnd:
    case Op::kOr:
    case Op::kImplies:
    case Op::kUntil:
    case Op::kRelease: {
      const char* op = f.op == Op::kAnd       ? " && "
                       : f.op == Op::kOr      ? " || "
                       : f.op == Op::kImplies ? " -> "
                       : f.op == Op::kUntil   ? " U "
                                              : " V ";
      child(f.args[0]);
      out += op;
      child(f.args[1]);
      return;
    }
  }
}

}  // namespace

std::string to_spin(const Formula& f, const std::function<std::string(int)>& atom_name) {
  std::string out;
  print(f, atom_name, out);
  return out;
}

// ---------------------------------------------------------------------------------
// Parsing.
namespace {

class Parser {
 public:
  Parser(std::string_view text, std::vector<std::string>& atoms) : s_(text), atoms_(atoms) {}

  std::optional<Formula> parse(std::string* error) {
    std::optional<Formula> f = implication();
    skip();
    if (f && pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    if (!error_.empty()) {
      if (error != nullptr) *error = error_ + " at offset " + std::to_string(err_pos_);
      return std::nullopt;
    }
    return f;
  }

 private:
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(std::string_view tok) {
    skip();
    if (s_.substr(pos_, tok.size()) != tok) return false;
    // A word operator (U, V, W, X, true, false) must not run into an identifier.
    if (std::isalpha(static_cast<unsigned char>(tok[0]))) {
      size_t end = pos_ + tok.size();
      if (end < s_.size() && ident_char(s_[end])) return false;
    }
    pos_ += tok.size();
    return true;
  }
  static bool ident_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  }
  void fail(std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      err_pos_ = pos_;
    }
  }

  std::optional<Formula> implication() {
    if (++depth_ > kMaxDepth) {
      fail("formula nested too deeply");
      return std::nullopt;
    }
    std::optional<Formula> a = disjunction();
    if (a) {
      if (eat("->")) {
        std::optional<Formula> b = implication();
        if (b) a = Formula::Implies(std::move(*a), std::move(*b));
        else a.reset();
      } else if (eat("<->")) {
        std::optional<Formula> b = implication();
        if (b) {
          Formula l = Formula::Implies(*a, *b);
          Formula r = Formula::Implies(std::move(*b), std::move(*a));
          a = Formula::And(std::move(l), std::move(r));
        } else {
          a.reset();
        }
      }
    }
    --depth_;
    return a;
  }
  std::optional<Formula> disjunction() {
    std::optional<Formula> a = conjunction();
    while (a && (eat("||") || eat("\\/"))) {
      std::optional<Formula> b = conjunction();
      if (!b) return std::nullopt;
      a = Formula::Or(std::move(*a), std::move(*b));
    }
    return a;
  }
  std::optional<Formula> conjunction() {
    std::optional<Formula> a = temporal();
    while (a && (eat("&&") || eat("/\\"))) {
      std::optional<Formula> b = temporal();
      if (!b) return std::nullopt;
      a = Formula::And(std::move(*a), std::move(*b));
    }
    return a;
  }
  std::optional<Formula> temporal() {
    std::optional<Formula> a = unary();
    if (!a) return a;
    Op op;
    bool weak = false;
    if (eat("U")) op = Op::kUntil;
    else if (eat("V")) op = Op::kRelease;
    else if (eat("W")) { op = Op::kUntil; weak = true; }
    else return a;
    std::optional<Formula> b = temporal();
    if (!b) return std::nullopt;
    if (weak) {  // a W b = b V (a || b)
      Formula ab = Formula::Or(*a, *b);
      return Formula::Release(std::move(*b), std::move(ab));
    }
    return Formula::Binary(op, std::move(*a), std::move(*b));
  }
  std::optional<Formula> unary() {
    if (++depth_ > kMaxDepth) {
      fail("formula nested too deeply");
      return std::nullopt;
    }
    std::optional<Formula> r;
    Op op = Op::kTrue;
    if (eat("!")) op = Op::kNot;
    else if (eat("[]")) op = Op::kAlways;
    else if (eat("<>")) op = Op::kEventually;
    else if (eat("X")) op = Op::kNext;
    if (op != Op::kTrue) {
      std::optional<Formula> a = unary();
      if (a) r = Formula::Unary(op, std::move(*a));
    } else {
      r = primary();
    }
    --depth_;
    return r;
  }
  std::optional<Formula> primary() {
    skip();
    if (eat("(")) {
      std::optional<Formula> a = implication();
      if (a && !eat(")")) {
        fail("expected ')'");
        return std::nullopt;
      }
      return a;
    }
    if (eat("true")) return Formula::True();
    if (eat("false")) return Formula::False();
    if (pos_ < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) {
      size_t start = pos_;
      while (pos_ < s_.size() && ident_char(s_[pos_])) ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      if (name == "U" || name == "V" || name == "W" || name == "X") {
        pos_ = start;
        fail("operator '" + name + "' where an operand was expected");
        return std::nullopt;
      }
      for (size_t i = 0; i < atoms_.size(); ++i) {
        if (atoms_[i] == name) return Formula::Atom(static_cast<int>(i));
      }
      atoms_.push_back(name);
      return Formula::Atom(static_cast<int>(atoms_.size()) - 1);
    }
    fail(pos_ < s_.size() ? "unexpected '" + std::string(1, s_[pos_]) + "'" : "unexpected end");
    return std::nullopt;
  }

  static constexpr int kMaxDepth = 1000;
  std::string_view s_;
  std::vector<std::string>& atoms_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::string error_;
  size_t err_pos_ = 0;
};

}  // namespace

std::optional<Formula> parse_spin(std::string_view text, std::vector<std::string>& atoms,
                                  std::string* error) {
  Parser p(text, atoms);
  return p.parse(error);
}

// ---------------------------------------------------------------------------------
// Direct semantics on a lasso.
namespace {

using Truth = std::vector<char>;

// Fixpoint of res[i] = now[i] || (keep[i] && res[succ(i)]) (least: until, start false) or
// res[i] = now[i] && (keep[i] || res[succ(i)]) (greatest: release, start true).
Truth fixpoint(const Truth& keep, const Truth& now, size_t loop, bool least) {
  const size_t n = now.size();
  Truth res(n, least ? 0 : 1);
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t k = n; k-- > 0;) {
      const char next = res[k + 1 < n ? k + 1 : loop];
      const char v = least ? (now[k] || (keep[k] && next)) : (now[k] && (keep[k] || next));
      if (v != res[k]) {
        res[k] = v;
        changed = true;
      }
    }
  }
  return res;
}

Truth eval(const Formula& f, const std::vector<uint64_t>& w, size_t loop) {
  const size_t n = w.size();
  switch (f.op) {
    case Op::kTrue: return Truth(n, 1);
    case Op::kFalse: return Truth(n, 0);
    case Op::kAtom: {
      Truth r(n);
      for (size_t i = 0; i < n; ++i) r[i] = static_cast<char>((w[i] >> f.atom) & 1);
      return r;
    }
    case Op::kNot: {
      Truth r = eval(f.args[0], w, loop);
      for (char& c : r) c = !c;
      return r;
    }
    case Op::kAnd:
    case Op::kOr:
    case Op::kImplies: {
      Truth a = eval(f.args[0], w, loop), b = eval(f.args[1], w, loop);
      for (size_t i = 0; i < n; ++i) {
        a[i] = f.op == Op::kAnd ? (a[i] && b[i]) : f.op == Op::kOr ? (a[i] || b[i]) : (!a[i] || b[i]);
      }
      return a;
    }
    case Op::kNext: {
      Truth a = eval(f.args[0], w, loop), r(n);
      for (size_t i = 0; i < n; ++i) r[i] = a[i + 1 < n ? i + 1 : loop];
      return r;
    }
    case Op::kEventually: return fixpoint(Truth(n, 1), eval(f.args[0], w, loop), loop, true);
    case Op::kAlways: return fixpoint(Truth(n, 0), eval(f.args[0], w, loop), loop, false);
    case Op::kUntil:
      return fixpoint(eval(f.args[0], w, loop), eval(f.args[1], w, loop), loop, true);
    case Op::kRelease:
      return fixpoint(eval(f.args[0], w, loop), eval(f.args[1], w, loop), loop, false);
  }
  return Truth(n, 0);
}

}  // namespace

bool holds_on_lasso(const Formula& f, const std::vector<uint64_t>& letters, size_t loop_start) {
  if (letters.empty() || loop_start >= letters.size()) return false;
  return eval(f, letters, loop_start)[0] != 0;
}

}  // namespace sp::checker::ltl
