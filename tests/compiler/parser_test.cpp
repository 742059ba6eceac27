// The spec parser: every construct of docs/language.md's grammar and the AST it builds
// (expressions printed as S-expressions to check precedence), literals, source
// positions, and syntax errors with their exact messages and positions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/ast.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/parse/lexer.hpp"
#include "compiler/parse/parser.hpp"

namespace sp {
namespace {

using ast::ExprKind;

// ---------------------------------------------------------------------------------
// Helpers: parse a text, print expressions and statements compactly.

struct Parsed {
  bool ok = false;
  std::string messages;
  ast::Spec spec;
};

Parsed parse(const std::string& text) {
  SourceFile file{"x.sp", text};
  Diagnostics diags(file);
  Parsed p;
  p.ok = parse_spec(diags, p.spec);
  p.messages = diags.format_all();
  // The parser's contract: false exactly when it reported (one) error.
  EXPECT_EQ(p.ok, !diags.has_errors()) << p.messages;
  EXPECT_LE(diags.error_count(), 1) << p.messages;
  return p;
}

std::string hex(int64_t v) {
  std::ostringstream s;
  s << std::hex << v;
  return s.str();
}

std::string show(const ast::Expr& e) {
  auto args = [&](size_t from) {
    std::string s;
    for (size_t i = from; i < e.args.size(); ++i) s += " " + show(e.args[i]);
    return s;
  };
  switch (e.kind) {
    case ExprKind::kInt: return std::to_string(e.int_value);
    case ExprKind::kBool: return e.int_value ? "true" : "false";
    case ExprKind::kDuration: return std::to_string(e.int_value) + "ms";
    case ExprKind::kMac: return "mac:" + hex(e.int_value);
    case ExprKind::kIp4: return "ip:" + hex(e.int_value);
    case ExprKind::kName: return e.name;
    case ExprKind::kField: return "(. " + show(e.args.at(0)) + " " + e.name + ")";
    case ExprKind::kIndex: return "([]" + args(0) + ")";
    case ExprKind::kUnary:
    case ExprKind::kBinary: return "(" + e.op + args(0) + ")";
    case ExprKind::kSet: return "{" + (e.args.empty() ? std::string() : args(0).substr(1)) + "}";
    case ExprKind::kList: return "[" + (e.args.empty() ? std::string() : args(0).substr(1)) + "]";
    case ExprKind::kLet: return "(let " + e.name + args(0) + ")";
    case ExprKind::kForall: return "(forall " + e.name + ":" + e.type_name + args(0) + ")";
    case ExprKind::kExists: return "(exists " + e.name + ":" + e.type_name + args(0) + ")";
    case ExprKind::kCall: return "(call " + e.name + args(0) + ")";
    case ExprKind::kChannelFn: return "(" + e.op + args(0) + ")";
  }
  return "?";
}

std::string show(const std::vector<ast::Stmt>& body);

std::string show(const ast::Stmt& s) {
  switch (s.kind) {
    case ast::StmtKind::kSend: {
      std::string out = "send " + s.name.name + " {";
      for (size_t i = 0; i < s.fields.size(); ++i) {
        out += (i ? ", " : "") + s.fields[i].name.name + "=" + show(s.fields[i].value);
      }
      return out + "}";
    }
    case ast::StmtKind::kAssign: return show(s.exprs.at(0)) + " = " + show(s.exprs.at(1));
    case ast::StmtKind::kRemove: return "remove " + show(s.exprs.at(0));
    case ast::StmtKind::kStart: return "start " + s.name.name;
    case ast::StmtKind::kStop: return "stop " + s.name.name;
    case ast::StmtKind::kAssert: return "assert " + show(s.exprs.at(0));
    case ast::StmtKind::kIf: {
      std::string out = "if " + show(s.exprs.at(0)) + " " + show(s.then_body);
      if (!s.else_body.empty()) out += " else " + show(s.else_body);
      return out;
    }
    case ast::StmtKind::kLet: return "let " + s.name.name + " = " + show(s.exprs.at(0));
    case ast::StmtKind::kChoose:
      return "choose " + s.name.name + " in " + show(s.exprs.at(0)) + ".." + show(s.exprs.at(1)) + " " +
             show(s.then_body);
  }
  return "?";
}

std::string show(const std::vector<ast::Stmt>& body) {
  std::string out = "{";
  for (size_t i = 0; i < body.size(); ++i) out += (i ? "; " : "") + show(body[i]);
  return out + "}";
}

// The expression of `const X = <text>`.
std::string expr(const std::string& text) {
  Parsed p = parse("const X = " + text);
  if (!p.ok) return "error: " + p.messages;
  return show(p.spec.consts.at(0).value);
}

// The statements of a one-transition role whose block is `body`.
std::string stmts(const std::string& body) {
  Parsed p = parse("role R { from A on internal -> A {" + body + "} }");
  if (!p.ok) return "error: " + p.messages;
  return show(p.spec.roles.at(0).transitions.at(0).actions);
}

// The one error message of `text` (format_all output).
std::string error(const std::string& text) {
  Parsed p = parse(text);
  EXPECT_FALSE(p.ok) << text;
  return p.messages;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// ---------------------------------------------------------------------------------
// Declarations.

TEST(ParserDecl, EmptyFileIsAnEmptySpec) {
  for (const char* text : {"", "   \n\t\n", "// only a comment\n", "/* block */", "/**/"}) {
    Parsed p = parse(text);
    EXPECT_TRUE(p.ok) << p.messages;
    EXPECT_TRUE(p.spec.roles.empty());
    EXPECT_TRUE(p.spec.protocols.empty());
  }
}

TEST(ParserDecl, Protocol) {
  Parsed p = parse("protocol tcp \"RFC 9293 \\\"TCP\\\" \\\\ x\"\nprotocol bare");
  ASSERT_TRUE(p.ok) << p.messages;
  ASSERT_EQ(p.spec.protocols.size(), 2u);
  EXPECT_EQ(p.spec.protocols[0].name.name, "tcp");
  EXPECT_EQ(p.spec.protocols[0].description, "RFC 9293 \"TCP\" \\ x");
  EXPECT_EQ(p.spec.protocols[1].name.name, "bare");
  EXPECT_EQ(p.spec.protocols[1].description, "");
}

TEST(ParserDecl, ConstWithAndWithoutType) {
  Parsed p = parse("const MAX_RETX = 2\nconst MSL: duration = 30s\nconst W: int[0..9] = 2 * MAX_RETX");
  ASSERT_TRUE(p.ok) << p.messages;
  ASSERT_EQ(p.spec.consts.size(), 3u);
  EXPECT_EQ(p.spec.consts[0].name.name, "MAX_RETX");
  EXPECT_FALSE(p.spec.consts[0].type.has_value());
  EXPECT_EQ(show(p.spec.consts[0].value), "2");
  ASSERT_TRUE(p.spec.consts[1].type.has_value());
  EXPECT_EQ(p.spec.consts[1].type->kind, ast::TypeKind::kDuration);
  EXPECT_EQ(show(p.spec.consts[1].value), "30000ms");
  EXPECT_EQ(p.spec.consts[2].type->kind, ast::TypeKind::kInt);
  EXPECT_EQ(show(p.spec.consts[2].value), "(* 2 MAX_RETX)");
}

TEST(ParserDecl, EveryTypeForm) {
  Parsed p = parse(R"(
type B = bool
type I = int[0..MAX - 1]
type E = enum { REQUEST = 1, REPLY = 0x2, OTHER }
type F = set<enum { FIN, SYN }>
type S = seq<32>
type M = mac
type P = ip4
type D = duration
type C = map<ip4, mac> capacity 2
type N = Flags
type Nested = map<set<E>, int[-1..1]> capacity N + 1
type SS = set<set<E>>
)");
  ASSERT_TRUE(p.ok) << p.messages;
  const auto& t = p.spec.types;
  ASSERT_EQ(t.size(), 12u);
  EXPECT_EQ(t[11].type.args.at(0).args.at(0).name.name, "E");
  EXPECT_EQ(t[0].name.name, "B");
  EXPECT_EQ(t[0].type.kind, ast::TypeKind::kBool);
  EXPECT_EQ(t[1].type.kind, ast::TypeKind::kInt);
  ASSERT_EQ(t[1].type.bounds.size(), 2u);
  EXPECT_EQ(show(t[1].type.bounds[0]), "0");
  EXPECT_EQ(show(t[1].type.bounds[1]), "(- MAX 1)");
  EXPECT_EQ(t[2].type.kind, ast::TypeKind::kEnum);
  ASSERT_EQ(t[2].type.items.size(), 3u);
  EXPECT_EQ(t[2].type.items[0].name.name, "REQUEST");
  EXPECT_EQ(show(*t[2].type.items[0].code), "1");
  EXPECT_EQ(show(*t[2].type.items[1].code), "2");
  EXPECT_FALSE(t[2].type.items[2].code.has_value());
  EXPECT_EQ(t[3].type.kind, ast::TypeKind::kSet);
  ASSERT_EQ(t[3].type.args.size(), 1u);
  EXPECT_EQ(t[3].type.args[0].kind, ast::TypeKind::kEnum);
  EXPECT_EQ(t[3].type.args[0].items[1].name.name, "SYN");
  EXPECT_EQ(t[4].type.kind, ast::TypeKind::kSeq);
  EXPECT_EQ(t[4].type.bits, 32);
  EXPECT_EQ(t[5].type.kind, ast::TypeKind::kMac);
  EXPECT_EQ(t[6].type.kind, ast::TypeKind::kIp4);
  EXPECT_EQ(t[7].type.kind, ast::TypeKind::kDuration);
  EXPECT_EQ(t[8].type.kind, ast::TypeKind::kMap);
  ASSERT_EQ(t[8].type.args.size(), 2u);
  EXPECT_EQ(t[8].type.args[0].kind, ast::TypeKind::kIp4);
  EXPECT_EQ(t[8].type.args[1].kind, ast::TypeKind::kMac);
  ASSERT_EQ(t[8].type.bounds.size(), 1u);
  EXPECT_EQ(show(t[8].type.bounds[0]), "2");
  EXPECT_EQ(t[9].type.kind, ast::TypeKind::kNamed);
  EXPECT_EQ(t[9].type.name.name, "Flags");
  EXPECT_EQ(t[10].type.args[0].kind, ast::TypeKind::kSet);
  EXPECT_EQ(show(t[10].type.args[1].bounds[0]), "(- 1)");
  EXPECT_EQ(show(t[10].type.bounds[0]), "(+ N 1)");
}

TEST(ParserDecl, MessageWithWireAndOptionalCommas) {
  Parsed p = parse(R"(
message Segment wire tcp {
  flags: Flags
  seq: Seq, ack: Seq,
  len: int[0..1]
}
message Empty {}
message Arp wire arp { op: enum { REQUEST = 1, REPLY = 2 }, sha: mac, spa: ip4 })");
  ASSERT_TRUE(p.ok) << p.messages;
  ASSERT_EQ(p.spec.messages.size(), 3u);
  const ast::Message& m = p.spec.messages[0];
  EXPECT_EQ(m.name.name, "Segment");
  ASSERT_TRUE(m.wire.has_value());
  EXPECT_EQ(m.wire->name, "tcp");
  ASSERT_EQ(m.fields.size(), 4u);
  EXPECT_EQ(m.fields[0].name.name, "flags");
  EXPECT_EQ(m.fields[0].type.name.name, "Flags");
  EXPECT_EQ(m.fields[3].type.kind, ast::TypeKind::kInt);
  EXPECT_FALSE(p.spec.messages[1].wire.has_value());
  EXPECT_TRUE(p.spec.messages[1].fields.empty());
  EXPECT_EQ(p.spec.messages[2].fields.size(), 3u);
  EXPECT_EQ(p.spec.messages[2].fields[0].type.items.size(), 2u);
}

// ---------------------------------------------------------------------------------
// Roles.

TEST(ParserRole, Items) {
  Parsed p = parse(R"(
role Host {
  port eth: Arp
  port ctl: Ctl
  calls listen, connect, resolve(target: ip4), bind(a: int[0..3], b: bool)
  states CLOSED, LISTEN,
         ESTABLISHED
  states EXTRA
  group synchronized = {ESTABLISHED, LISTEN}
  initial CLOSED
  var iss, snd_una: Seq
  var closed_first: bool = false
  var my_ip: ip4, my_mac: mac = 02:00:00:00:00:01
  var cache: map<ip4, mac> capacity 2
  timer rtx = 1s backoff 2 retries MAX_RETX
  timer time_wait = 2 * MSL
  timer plain = 500ms retries 3
}
)");
  ASSERT_TRUE(p.ok) << p.messages;
  ASSERT_EQ(p.spec.roles.size(), 1u);
  const ast::Role& r = p.spec.roles[0];
  EXPECT_EQ(r.name.name, "Host");
  ASSERT_EQ(r.ports.size(), 2u);
  EXPECT_EQ(r.ports[0].name.name, "eth");
  EXPECT_EQ(r.ports[0].message.name, "Arp");
  ASSERT_EQ(r.calls.size(), 4u);
  EXPECT_EQ(r.calls[0].name.name, "listen");
  EXPECT_TRUE(r.calls[0].params.empty());
  ASSERT_EQ(r.calls[2].params.size(), 1u);
  EXPECT_EQ(r.calls[2].params[0].name.name, "target");
  EXPECT_EQ(r.calls[2].params[0].type.kind, ast::TypeKind::kIp4);
  ASSERT_EQ(r.calls[3].params.size(), 2u);
  EXPECT_EQ(r.calls[3].params[1].type.kind, ast::TypeKind::kBool);
  ASSERT_EQ(r.states.size(), 4u);
  EXPECT_EQ(r.states[2].name, "ESTABLISHED");
  EXPECT_EQ(r.states[3].name, "EXTRA");
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].name.name, "synchronized");
  ASSERT_EQ(r.groups[0].states.size(), 2u);
  EXPECT_EQ(r.groups[0].states[1].name, "LISTEN");
  ASSERT_EQ(r.initial.size(), 1u);
  EXPECT_EQ(r.initial[0].name, "CLOSED");
  ASSERT_EQ(r.vars.size(), 5u);
  ASSERT_EQ(r.vars[0].names.size(), 2u);
  EXPECT_EQ(r.vars[0].names[1].name, "snd_una");
  EXPECT_EQ(r.vars[0].type.name.name, "Seq");
  EXPECT_FALSE(r.vars[0].init.has_value());
  EXPECT_EQ(show(*r.vars[1].init), "false");
  // `var a: T, b: U` declares two variables of different types.
  EXPECT_EQ(r.vars[2].names[0].name, "my_ip");
  EXPECT_EQ(r.vars[2].type.kind, ast::TypeKind::kIp4);
  EXPECT_EQ(r.vars[3].names[0].name, "my_mac");
  EXPECT_EQ(show(*r.vars[3].init), "mac:20000000001");
  EXPECT_EQ(r.vars[4].type.kind, ast::TypeKind::kMap);
  ASSERT_EQ(r.timers.size(), 3u);
  EXPECT_EQ(r.timers[0].name.name, "rtx");
  EXPECT_EQ(show(r.timers[0].duration), "1000ms");
  EXPECT_EQ(show(*r.timers[0].backoff), "2");
  EXPECT_EQ(show(*r.timers[0].retries), "MAX_RETX");
  EXPECT_EQ(show(r.timers[1].duration), "(* 2 MSL)");
  EXPECT_FALSE(r.timers[1].backoff.has_value());
  EXPECT_FALSE(r.timers[2].backoff.has_value());
  EXPECT_EQ(show(*r.timers[2].retries), "3");
}

TEST(ParserRole, TransitionForms) {
  Parsed p = parse(R"(
role R {
  passive_open: from CLOSED on call listen -> LISTEN
  from {A, B} on recv net(s) if s.flags == {SYN} -> same cite "RFC 9293 §3.10.7.2"
  from any on timeout rtx -> CLOSED {}
  from any except CLOSED on internal -> CLOSED
  t5: from any except {A, B} on call resolve(t) if t != 0 && ok -> B cite "x" { ok = false }
  from G on call bind(a, b) -> A
}
)");
  ASSERT_TRUE(p.ok) << p.messages;
  const auto& ts = p.spec.roles.at(0).transitions;
  ASSERT_EQ(ts.size(), 6u);

  EXPECT_EQ(ts[0].name->name, "passive_open");
  EXPECT_EQ(ts[0].from.kind, ast::StateSelKind::kNamed);
  ASSERT_EQ(ts[0].from.states.size(), 1u);
  EXPECT_EQ(ts[0].from.states[0].name, "CLOSED");
  EXPECT_EQ(ts[0].event.kind, ast::EventKind::kCall);
  EXPECT_EQ(ts[0].event.name.name, "listen");
  EXPECT_TRUE(ts[0].event.binders.empty());
  EXPECT_FALSE(ts[0].guard.has_value());
  EXPECT_FALSE(ts[0].target_same);
  EXPECT_EQ(ts[0].target.name, "LISTEN");
  EXPECT_FALSE(ts[0].cite.has_value());
  EXPECT_TRUE(ts[0].actions.empty());

  EXPECT_FALSE(ts[1].name.has_value());
  EXPECT_EQ(ts[1].from.kind, ast::StateSelKind::kSet);
  ASSERT_EQ(ts[1].from.states.size(), 2u);
  EXPECT_EQ(ts[1].from.states[1].name, "B");
  EXPECT_EQ(ts[1].event.kind, ast::EventKind::kRecv);
  EXPECT_EQ(ts[1].event.name.name, "net");
  ASSERT_EQ(ts[1].event.binders.size(), 1u);
  EXPECT_EQ(ts[1].event.binders[0].name, "s");
  EXPECT_EQ(show(*ts[1].guard), "(== (. s flags) {SYN})");
  EXPECT_TRUE(ts[1].target_same);
  EXPECT_EQ(*ts[1].cite, "RFC 9293 §3.10.7.2");

  EXPECT_EQ(ts[2].from.kind, ast::StateSelKind::kAny);
  EXPECT_TRUE(ts[2].from.states.empty());
  EXPECT_EQ(ts[2].event.kind, ast::EventKind::kTimeout);
  EXPECT_EQ(ts[2].event.name.name, "rtx");
  EXPECT_TRUE(ts[2].actions.empty());

  EXPECT_EQ(ts[3].from.kind, ast::StateSelKind::kAnyExcept);
  ASSERT_EQ(ts[3].from.states.size(), 1u);
  EXPECT_EQ(ts[3].from.states[0].name, "CLOSED");
  EXPECT_EQ(ts[3].event.kind, ast::EventKind::kInternal);

  EXPECT_EQ(ts[4].from.kind, ast::StateSelKind::kAnyExcept);
  EXPECT_EQ(ts[4].from.states.size(), 2u);
  EXPECT_EQ(ts[4].event.binders.at(0).name, "t");
  EXPECT_EQ(show(*ts[4].guard), "(&& (!= t 0) ok)");
  EXPECT_EQ(show(ts[4].actions), "{ok = false}");

  EXPECT_EQ(ts[5].event.binders.size(), 2u);
}

TEST(ParserRole, FieldNamesMayBeKeywords) {
  Parsed p = parse(R"(
message Segment { seq: Seq, type: int[0..1], map: bool }
role R {
  from A on recv net(s) if s.seq == 1 && s.type == 0 -> A { send net { seq = s.seq, map = true } }
}
system S { instance a: R { seq = 1 } }
)");
  ASSERT_TRUE(p.ok) << p.messages;
  EXPECT_EQ(p.spec.messages[0].fields.at(0).name.name, "seq");
  EXPECT_EQ(p.spec.messages[0].fields.at(2).name.name, "map");
  const ast::Transition& t = p.spec.roles.at(0).transitions.at(0);
  EXPECT_EQ(show(*t.guard), "(&& (== (. s seq) 1) (== (. s type) 0))");
  EXPECT_EQ(show(t.actions), "{send net {seq=(. s seq), map=true}}");
  EXPECT_EQ(p.spec.systems.at(0).instances.at(0).inits.at(0).name.name, "seq");
  // A variable may be a keyword that is not reserved (docs/language.md); a reserved one is
  // not a name.
  EXPECT_TRUE(parse("role R { var seq: bool }").ok);
  EXPECT_EQ(first_line(error("role R { var next: bool }")),
            "x.sp:1:14: error: expected a variable name but found keyword 'next'");
}

TEST(ParserRole, BackoffAndRetriesAreNotReserved) {
  Parsed p = parse(R"(
role R {
  var retries: int[0..3] = 0
  var backoff: bool
  timer t = 1s
  backoff: from A on timeout t if retries < 3 -> A { retries = retries + 1 }
  timer u = 2s retries 3
  retries: from A on internal -> A
}
)");
  ASSERT_TRUE(p.ok) << p.messages;
  const ast::Role& r = p.spec.roles.at(0);
  EXPECT_EQ(r.vars.at(0).names.at(0).name, "retries");
  ASSERT_EQ(r.timers.size(), 2u);
  EXPECT_FALSE(r.timers[0].backoff.has_value());
  EXPECT_FALSE(r.timers[0].retries.has_value());
  EXPECT_EQ(show(*r.timers[1].retries), "3");
  ASSERT_EQ(r.transitions.size(), 2u);
  EXPECT_EQ(r.transitions[0].name->name, "backoff");
  EXPECT_EQ(r.transitions[1].name->name, "retries");
}

TEST(ParserRole, GuardStopsBeforeTheArrow) {
  // The guard is an `or`-level expression: `->` is the transition's arrow. Parenthesize
  // an implication to use one in a guard.
  Parsed p = parse("role R { from A on internal if x || y -> B\n"
                   "from A on internal if (x -> y) -> B }");
  ASSERT_TRUE(p.ok) << p.messages;
  EXPECT_EQ(show(*p.spec.roles[0].transitions[0].guard), "(|| x y)");
  EXPECT_EQ(p.spec.roles[0].transitions[0].target.name, "B");
  EXPECT_EQ(show(*p.spec.roles[0].transitions[1].guard), "(-> x y)");
}

TEST(ParserRole, Statements) {
  EXPECT_EQ(stmts("send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }"),
            "{send net {flags={SYN ACK}, seq=iss, ack=rcv_nxt}}");
  EXPECT_EQ(stmts("send net {}"), "{send net {}}");
  EXPECT_EQ(stmts("start rtx stop time_wait"), "{start rtx; stop time_wait}");
  EXPECT_EQ(stmts("assert retries < MAX"), "{assert (< retries MAX)}");
  EXPECT_EQ(stmts("remove cache[ip]"), "{remove ([] cache ip)}");
  EXPECT_EQ(stmts("x = 1 cache[s.spa] = s.sha"), "{x = 1; ([] cache (. s spa)) = (. s sha)}");
  EXPECT_EQ(stmts("snd_nxt = snd_nxt + 1\nstart rtx"), "{snd_nxt = (+ snd_nxt 1); start rtx}");
  EXPECT_EQ(stmts("if a { x = 1 }"), "{if a {x = 1}}");
  EXPECT_EQ(stmts("if a { x = 1 } else { x = 2 y = 3 }"), "{if a {x = 1} else {x = 2; y = 3}}");
  EXPECT_EQ(stmts("if a {} else if b { x = 2 } else { x = 3 }"),
            "{if a {} else {if b {x = 2} else {x = 3}}}");
  EXPECT_EQ(stmts("if s.flags == {SYN} { if n in m { remove m[n] } }"),
            "{if (== (. s flags) {SYN}) {if (in n m) {remove ([] m n)}}}");
}

// ---------------------------------------------------------------------------------
// Systems and properties.

TEST(ParserSystem, InstancesChannelsEnvironment) {
  Parsed p = parse(R"(
system lan {
  instance a: Host { my_ip = 192.0.2.1, my_mac = 02:00:00:00:00:01 }
  instance b, c: Host
  instance d: Host {}
  channel a.net -> b.net capacity 2 lossy
  channel b.net -> a.net lossy 1 dup 2 bag capacity N + 1
  channel c.net -> a.net dup fifo
  channel eth broadcast lossy capacity 2
  environment calls a.resolve, b.*, {c.listen, c.connect} once, a.close at most 2,
                    a.resolve(192.0.2.2, x) once
}
system s2 {
  environment script { b.listen; a.connect; a.close a.resolve(10.0.0.1) }
}
)");
  ASSERT_TRUE(p.ok) << p.messages;
  ASSERT_EQ(p.spec.systems.size(), 2u);
  const ast::System& s = p.spec.systems[0];
  EXPECT_EQ(s.name.name, "lan");
  ASSERT_EQ(s.instances.size(), 3u);
  EXPECT_EQ(s.instances[0].names.at(0).name, "a");
  EXPECT_EQ(s.instances[0].role.name, "Host");
  ASSERT_EQ(s.instances[0].inits.size(), 2u);
  EXPECT_EQ(s.instances[0].inits[0].name.name, "my_ip");
  EXPECT_EQ(show(s.instances[0].inits[0].value), "ip:c0000201");
  EXPECT_EQ(show(s.instances[0].inits[1].value), "mac:20000000001");
  ASSERT_EQ(s.instances[1].names.size(), 2u);
  EXPECT_EQ(s.instances[1].names[1].name, "c");
  EXPECT_TRUE(s.instances[1].inits.empty());
  EXPECT_TRUE(s.instances[2].inits.empty());

  ASSERT_EQ(s.channels.size(), 4u);
  const ast::Channel& c0 = s.channels[0];
  EXPECT_FALSE(c0.broadcast);
  EXPECT_EQ(c0.from.instance.name, "a");
  EXPECT_EQ(c0.from.port.name, "net");
  EXPECT_EQ(c0.to.instance.name, "b");
  EXPECT_EQ(c0.to.port.name, "net");
  EXPECT_EQ(show(*c0.capacity), "2");
  EXPECT_TRUE(c0.lossy);
  EXPECT_FALSE(c0.loss_budget.has_value());
  EXPECT_FALSE(c0.dup);
  EXPECT_FALSE(c0.bag);
  const ast::Channel& c1 = s.channels[1];
  EXPECT_TRUE(c1.lossy);
  ASSERT_TRUE(c1.loss_budget.has_value());
  EXPECT_EQ(show(*c1.loss_budget), "1");
  EXPECT_TRUE(c1.dup);
  ASSERT_TRUE(c1.dup_budget.has_value());
  EXPECT_EQ(show(*c1.dup_budget), "2");
  EXPECT_TRUE(c1.bag);
  EXPECT_EQ(show(*c1.capacity), "(+ N 1)");
  const ast::Channel& c2 = s.channels[2];
  EXPECT_TRUE(c2.dup);
  EXPECT_FALSE(c2.dup_budget.has_value());
  EXPECT_FALSE(c2.bag);
  EXPECT_FALSE(c2.capacity.has_value());
  const ast::Channel& c3 = s.channels[3];
  EXPECT_TRUE(c3.broadcast);
  EXPECT_EQ(c3.port.name, "eth");
  EXPECT_EQ(c3.port.loc.line, 9u);
  EXPECT_EQ(c3.from.instance.name, "");
  EXPECT_TRUE(c3.lossy);
  EXPECT_EQ(show(*c3.capacity), "2");

  ASSERT_EQ(s.environments.size(), 1u);
  const ast::Environment& env = s.environments[0];
  EXPECT_FALSE(env.script);
  ASSERT_EQ(env.calls.size(), 5u);
  EXPECT_EQ(env.calls[0].alternatives.at(0).instance.name, "a");
  EXPECT_EQ(env.calls[0].alternatives.at(0).call.name, "resolve");
  EXPECT_FALSE(env.calls[0].bound.has_value());
  EXPECT_EQ(env.calls[1].alternatives.at(0).call.name, "*");
  ASSERT_EQ(env.calls[2].alternatives.size(), 2u);
  EXPECT_EQ(env.calls[2].alternatives[1].call.name, "connect");
  EXPECT_EQ(show(*env.calls[2].bound), "1");
  EXPECT_EQ(show(*env.calls[3].bound), "2");
  ASSERT_EQ(env.calls[4].alternatives.at(0).args.size(), 2u);
  EXPECT_EQ(show(env.calls[4].alternatives[0].args[0]), "ip:c0000202");
  EXPECT_EQ(show(*env.calls[4].bound), "1");

  const ast::Environment& script = p.spec.systems[1].environments.at(0);
  EXPECT_TRUE(script.script);
  ASSERT_EQ(script.steps.size(), 4u);
  EXPECT_EQ(script.steps[0].instance.name, "b");
  EXPECT_EQ(script.steps[0].call.name, "listen");
  EXPECT_EQ(script.steps[2].call.name, "close");
  EXPECT_EQ(show(script.steps[3].args.at(0)), "ip:a000001");
}

TEST(ParserProperty, Forms) {
  Parsed p = parse(R"(
property time_wait_only_on_active_closer in pair:
  always forall p: Endpoint . (p in TIME_WAIT -> p.closed_first)
property no_deadlock in pair: deadlock free
property no_deadlock2 in pair: deadlock free except (client in CLOSED && server in {CLOSED, LISTEN})
property close_completes in pair:
  always ((client.closed_first || server.closed_first) -> eventually client in CLOSED)
  under weak fair timeout, strong fair client.rcv_fin, weak fair recv, strong fair channel,
        weak fair server, strong fair call, weak fair internal
lemma inv in pair: always a.n <= MAX
)");
  ASSERT_TRUE(p.ok) << p.messages;
  const auto& ps = p.spec.properties;
  ASSERT_EQ(ps.size(), 5u);
  EXPECT_EQ(ps[0].name.name, "time_wait_only_on_active_closer");
  EXPECT_EQ(ps[0].system.name, "pair");
  EXPECT_FALSE(ps[0].lemma);
  EXPECT_FALSE(ps[0].deadlock);
  EXPECT_EQ(show(*ps[0].formula),
            "(always (forall p:Endpoint (-> (in p TIME_WAIT) (. p closed_first))))");
  EXPECT_TRUE(ps[1].deadlock);
  EXPECT_FALSE(ps[1].except.has_value());
  EXPECT_FALSE(ps[1].formula.has_value());
  EXPECT_TRUE(ps[2].deadlock);
  EXPECT_EQ(show(*ps[2].except), "(&& (in client CLOSED) (in server {CLOSED LISTEN}))");
  const auto& f = ps[3].fairness;
  ASSERT_EQ(f.size(), 7u);
  EXPECT_FALSE(f[0].strong);
  EXPECT_EQ(f[0].selector.name, "timeout");
  EXPECT_FALSE(f[0].member.has_value());
  EXPECT_TRUE(f[1].strong);
  EXPECT_EQ(f[1].selector.name, "client");
  EXPECT_EQ(f[1].member->name, "rcv_fin");
  EXPECT_EQ(f[2].selector.name, "recv");
  EXPECT_EQ(f[3].selector.name, "channel");
  EXPECT_EQ(f[4].selector.name, "server");
  EXPECT_EQ(f[5].selector.name, "call");
  EXPECT_EQ(f[6].selector.name, "internal");
  EXPECT_EQ(show(*ps[3].formula),
            "(always (-> (|| (. client closed_first) (. server closed_first)) "
            "(eventually (in client CLOSED))))");
  EXPECT_TRUE(ps[4].lemma);
  EXPECT_EQ(show(*ps[4].formula), "(always (<= (. a n) MAX))");
}

// ---------------------------------------------------------------------------------
// Expressions.

TEST(ParserExpr, Precedence) {
  EXPECT_EQ(expr("a -> b -> c"), "(-> a (-> b c))");
  EXPECT_EQ(expr("a || b && c"), "(|| a (&& b c))");
  EXPECT_EQ(expr("a && b || c"), "(|| (&& a b) c)");
  EXPECT_EQ(expr("a || b || c"), "(|| (|| a b) c)");
  EXPECT_EQ(expr("always p -> eventually q"), "(-> (always p) (eventually q))");
  EXPECT_EQ(expr("always (p -> eventually q)"), "(always (-> p (eventually q)))");
  EXPECT_EQ(expr("p until q && r"), "(&& (until p q) r)");
  EXPECT_EQ(expr("always p until q"), "(until (always p) q)");
  // Temporal operators bind tighter than && and || (as in LTL tools): parenthesize.
  EXPECT_EQ(expr("always a && b"), "(&& (always a) b)");
  EXPECT_EQ(expr("always a == b"), "(always (== a b))");
  EXPECT_EQ(expr("never next !p"), "(never (next (! p)))");
  EXPECT_EQ(expr("!a == b"), "(! (== a b))");
  EXPECT_EQ(expr("a == !b"), "(== a (! b))");
  EXPECT_EQ(expr("a + b * c - d"), "(- (+ a (* b c)) d)");
  EXPECT_EQ(expr("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(expr("a / b % c * d"), "(* (% (/ a b) c) d)");
  EXPECT_EQ(expr("-a * -b"), "(* (- a) (- b))");
  EXPECT_EQ(expr("- - a"), "(- (- a))");
  EXPECT_EQ(expr("a + 1 < b"), "(< (+ a 1) b)");
  EXPECT_EQ(expr("a <= b && c >= d && e > f && g != h"),
            "(&& (&& (&& (<= a b) (>= c d)) (> e f)) (!= g h))");
  EXPECT_EQ(expr("x in {A, B} || y in m"), "(|| (in x {A B}) (in y m))");
  EXPECT_EQ(expr("s.seq - rcv_nxt < RCV_WND"), "(< (- (. s seq) rcv_nxt) RCV_WND)");
  EXPECT_EQ(expr("a.b.c[d][e + 1].f"), "(. ([] ([] (. (. a b) c) d) (+ e 1)) f)");
  EXPECT_EQ(expr("(a -> b) -> c"), "(-> (-> a b) c)");
  EXPECT_EQ(expr("{}"), "{}");
  EXPECT_EQ(expr("{A}"), "{A}");
  EXPECT_EQ(expr("forall h: Host . exists ip: ip4 . ip in h.cache && true"),
            "(forall h:Host (exists ip:ip4 (&& (in ip (. h cache)) true)))");
  EXPECT_EQ(expr("exists b: bool . b"), "(exists b:bool b)");
  EXPECT_EQ(expr("a->b"), "(-> a b)");
  EXPECT_EQ(expr("a-b"), "(- a b)");
  EXPECT_EQ(expr("a--b"), "(- a (- b))");
}

TEST(ParserExpr, Literals) {
  EXPECT_EQ(expr("42"), "42");
  EXPECT_EQ(expr("0"), "0");
  EXPECT_EQ(expr("0x2a"), "42");
  EXPECT_EQ(expr("0XFF"), "255");
  EXPECT_EQ(expr("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(expr("0x7fffffffffffffff"), "9223372036854775807");
  EXPECT_EQ(expr("500ms"), "500ms");
  EXPECT_EQ(expr("60s"), "60000ms");
  EXPECT_EQ(expr("2min"), "120000ms");
  EXPECT_EQ(expr("0s"), "0ms");
  EXPECT_EQ(expr("02:00:00:00:00:01"), "mac:20000000001");
  EXPECT_EQ(expr("ff:ff:ff:ff:ff:ff"), "mac:ffffffffffff");
  EXPECT_EQ(expr("aB:cD:00:11:22:33"), "mac:abcd00112233");
  EXPECT_EQ(expr("192.0.2.1"), "ip:c0000201");
  EXPECT_EQ(expr("255.255.255.255"), "ip:ffffffff");
  EXPECT_EQ(expr("0.0.0.0"), "ip:0");
  EXPECT_EQ(expr("true"), "true");
  EXPECT_EQ(expr("false"), "false");
  // A word that is not a complete MAC address is a name.
  EXPECT_EQ(expr("ff"), "ff");
  EXPECT_EQ(expr("cafe"), "cafe");
  // Kinds.
  Parsed p = parse("const A = 500ms const B = 1.2.3.4 const C = ab:cd:ef:01:23:45 const D = true");
  ASSERT_TRUE(p.ok) << p.messages;
  EXPECT_EQ(p.spec.consts[0].value.kind, ExprKind::kDuration);
  EXPECT_EQ(p.spec.consts[0].value.int_value, 500);
  EXPECT_EQ(p.spec.consts[1].value.kind, ExprKind::kIp4);
  EXPECT_EQ(p.spec.consts[1].value.int_value, 0x01020304);
  EXPECT_EQ(p.spec.consts[2].value.kind, ExprKind::kMac);
  EXPECT_EQ(p.spec.consts[2].value.int_value, 0xabcdef012345);
  EXPECT_EQ(p.spec.consts[3].value.kind, ExprKind::kBool);
  EXPECT_EQ(p.spec.consts[3].value.int_value, 1);
}

TEST(ParserExpr, CommentsAnywhere) {
  EXPECT_EQ(expr("a /* x */ + // y\n b / c"), "(+ a (/ b c))");
  EXPECT_EQ(expr("a/**/-/**/b"), "(- a b)");
  EXPECT_EQ(expr("/* a ** / b */ c"), "c");
}

// ---------------------------------------------------------------------------------
// Source positions.

TEST(ParserLoc, NodesPointAtWhereTheyStart) {
  const std::string text =
      "role R {\n"                                           // 1
      "  states A, B\n"                                      // 2
      "  t1: from A on recv net(s) if s.x + 1 > 2 -> B\n"    // 3
      "     cite \"RFC 1\" {\n"                              // 4
      "    x = y * 2\n"                                      // 5
      "    if x { send net { f = 1 } }\n"                    // 6
      "  }\n"                                                // 7
      "  from any on internal -> same\n"                     // 8
      "}\n"
      "property p in s:\n"                                   // 10
      "  always a\n"                                         // 11
      "  under weak fair x\n";                               // 12
  Parsed p = parse(text);
  ASSERT_TRUE(p.ok) << p.messages;
  auto at = [](const ast::Loc& l) {
    return std::to_string(l.line) + ":" + std::to_string(l.col);
  };
  const ast::Role& r = p.spec.roles.at(0);
  EXPECT_EQ(at(r.name.loc), "1:6");
  EXPECT_EQ(r.name.loc.offset, 5u);
  EXPECT_EQ(at(r.states[1].loc), "2:13");
  const ast::Transition& t = r.transitions.at(0);
  EXPECT_EQ(at(t.loc), "3:3");  // the name when named
  EXPECT_EQ(at(t.name->loc), "3:3");
  EXPECT_EQ(at(t.from.loc), "3:12");
  EXPECT_EQ(at(t.from.states[0].loc), "3:12");
  EXPECT_EQ(at(t.event.loc), "3:17");
  EXPECT_EQ(at(t.event.name.loc), "3:22");
  EXPECT_EQ(at(t.event.binders[0].loc), "3:26");
  const ast::Expr& g = *t.guard;  // (> (+ (. s x) 1) 2)
  EXPECT_EQ(at(g.loc), "3:32");
  EXPECT_EQ(at(g.op_loc), "3:40");
  EXPECT_EQ(at(g.args[0].loc), "3:32");
  EXPECT_EQ(at(g.args[0].op_loc), "3:36");
  EXPECT_EQ(at(g.args[0].args[0].op_loc), "3:34");  // the field name
  EXPECT_EQ(at(g.args[0].args[1].loc), "3:38");
  EXPECT_EQ(at(g.args[1].loc), "3:42");
  EXPECT_EQ(at(t.target.loc), "3:47");
  EXPECT_EQ(at(t.cite_loc), "4:11");
  ASSERT_EQ(t.actions.size(), 2u);
  EXPECT_EQ(at(t.actions[0].loc), "5:5");
  EXPECT_EQ(at(t.actions[0].exprs[1].loc), "5:9");
  EXPECT_EQ(at(t.actions[0].exprs[1].op_loc), "5:11");
  EXPECT_EQ(at(t.actions[1].loc), "6:5");
  EXPECT_EQ(at(t.actions[1].then_body.at(0).loc), "6:12");
  EXPECT_EQ(at(t.actions[1].then_body.at(0).fields.at(0).value.loc), "6:27");
  const ast::Transition& t2 = r.transitions.at(1);
  EXPECT_EQ(at(t2.loc), "8:3");  // the `from` keyword when unnamed
  EXPECT_TRUE(t2.target_same);
  EXPECT_EQ(at(t2.target.loc), "8:27");
  const ast::Property& prop = p.spec.properties.at(0);
  EXPECT_EQ(at(prop.loc), "10:1");
  EXPECT_EQ(at(prop.formula->loc), "11:3");
  EXPECT_EQ(at(prop.fairness.at(0).loc), "12:9");
}

TEST(ParserLoc, UnaryAndSetAndTypeLocations) {
  Parsed p = parse("const X: set<E> =\n  !{a, -b}");
  ASSERT_TRUE(p.ok) << p.messages;
  const ast::Const& c = p.spec.consts.at(0);
  EXPECT_EQ(c.type->loc.col, 10u);
  EXPECT_EQ(c.type->args.at(0).loc.col, 14u);
  const ast::Expr& e = c.value;
  EXPECT_EQ(e.kind, ExprKind::kUnary);
  EXPECT_EQ(e.loc.line, 2u);
  EXPECT_EQ(e.loc.col, 3u);
  EXPECT_EQ(e.args[0].loc.col, 4u);  // the set literal's '{'
  EXPECT_EQ(e.args[0].args[1].loc.col, 8u);
}

TEST(ParserLoc, SystemLocations) {
  Parsed p = parse("system s {\n  channel a.n -> b.n\n  environment calls a.x,\n {b.y} once\n}");
  ASSERT_TRUE(p.ok) << p.messages;
  const ast::System& s = p.spec.systems.at(0);
  EXPECT_EQ(s.channels.at(0).loc.line, 2u);
  EXPECT_EQ(s.channels.at(0).loc.col, 3u);
  EXPECT_EQ(s.channels[0].to.port.loc.col, 20u);
  const ast::Environment& env = s.environments.at(0);
  EXPECT_EQ(env.loc.line, 3u);
  EXPECT_EQ(env.calls.at(0).loc.col, 21u);
  EXPECT_EQ(env.calls[0].alternatives.at(0).loc.col, 21u);
  EXPECT_EQ(env.calls.at(1).loc.line, 4u);
  EXPECT_EQ(env.calls[1].loc.col, 2u);
  EXPECT_EQ(env.calls[1].bound->loc.col, 8u);
}

TEST(ParserLoc, LineMapAgreesWithDiagnostics) {
  const std::string text = "ab\n\ncd\r\nef\n";
  SourceFile file{"x.sp", text};
  Diagnostics diags(file);
  parse::LineMap lines(text);
  for (uint32_t off = 0; off <= text.size() + 2; ++off) {
    ast::Loc a = lines.locate(off), b = diags.locate(off);
    EXPECT_EQ(a.offset, b.offset);
    EXPECT_EQ(a.line, b.line) << off;
    EXPECT_EQ(a.col, b.col) << off;
  }
}

// ---------------------------------------------------------------------------------
// Syntax errors: one diagnostic, exact message and position.

TEST(ParserError, MissingArrow) {
  EXPECT_EQ(error("role R {\n  states LISTEN\n  from LISTEN on internal LISTN\n}\n"),
            "x.sp:3:27: error: expected '->' but found 'LISTN'\n"
            "    from LISTEN on internal LISTN\n"
            "                            ^\n");
}

TEST(ParserError, ExpectedStateNameAndExpression) {
  EXPECT_EQ(error("role R { from 5 on internal -> A }"),
            "x.sp:1:15: error: expected a state name, '{' or 'any' but found '5'\n"
            "  role R { from 5 on internal -> A }\n"
            "                ^\n");
  EXPECT_EQ(error("role R { from A on internal -> }"),
            "x.sp:1:32: error: expected a state name or 'same' but found '}'\n"
            "  role R { from A on internal -> }\n"
            "                                 ^\n");
  EXPECT_EQ(error("const X = 1 +\n"),
            "x.sp:1:14: error: expected expression at end of input\n"
            "  const X = 1 +\n"
            "               ^\n");
  EXPECT_EQ(error("const X = (1 + 2"),
            "x.sp:1:17: error: expected ')' at end of input\n"
            "  const X = (1 + 2\n"
            "                  ^\n");
  EXPECT_EQ(error("role R { from A on foo -> B }"),
            "x.sp:1:20: error: expected an event (recv, call, timeout or internal) but found "
            "'foo'\n"
            "  role R { from A on foo -> B }\n"
            "                     ^\n");
}

TEST(ParserError, PreambleViaNeedsStates) {
  const std::string e = error("role R { preamble via }");
  EXPECT_NE(e.find("x.sp:1:23: error: expected a state name"), std::string::npos) << e;
  const std::string f = error("role R { preamble via A, }");
  EXPECT_NE(f.find("error: expected a state name"), std::string::npos) << f;
}

TEST(ParserError, KeywordAsIdentifier) {
  EXPECT_EQ(error("role R {\n  var from: bool\n}"),
            "x.sp:2:7: error: expected a variable name but found keyword 'from'\n"
            "    var from: bool\n"
            "        ^\n");
  EXPECT_EQ(error("role R { states A, states }"),
            "x.sp:1:20: error: expected a state name but found keyword 'states'\n"
            "  role R { states A, states }\n"
            "                     ^\n");
  EXPECT_EQ(error("protocol if"),
            "x.sp:1:10: error: expected a protocol name but found keyword 'if'\n"
            "  protocol if\n"
            "           ^\n");
  EXPECT_EQ(error("const true = 1"),
            "x.sp:1:7: error: expected a constant name but found keyword 'true'\n"
            "  const true = 1\n"
            "        ^\n");
}

TEST(ParserError, UnknownItemsAndTrailingInput) {
  EXPECT_EQ(error("role R {\n  stats A\n}"),
            "x.sp:2:3: error: expected a role item or '}' but found 'stats'\n"
            "    stats A\n"
            "    ^\n");
  EXPECT_EQ(error("protocol p\nfoo"),
            "x.sp:2:1: error: expected a declaration but found 'foo'\n"
            "  foo\n"
            "  ^\n");
  EXPECT_EQ(error("role R { }\n}"),
            "x.sp:2:1: error: expected a declaration but found '}'\n"
            "  }\n"
            "  ^\n");
  EXPECT_EQ(error("role R { from A on internal -> B { x + 1 } }"),
            "x.sp:1:38: error: expected '=' but found '+'\n"
            "  role R { from A on internal -> B { x + 1 } }\n"
            "                                       ^\n");
  EXPECT_EQ(error("role R { from A on internal -> B { send net { a = 1 b = 2 } } }"),
            "x.sp:1:53: error: expected a field or '}' but found 'b'\n"
            "  role R { from A on internal -> B { send net { a = 1 b = 2 } } }\n"
            "                                                      ^\n");
  EXPECT_EQ(error("system s { channel a.n b.n }"),
            "x.sp:1:24: error: expected '->' but found 'b'\n"
            "  system s { channel a.n b.n }\n"
            "                         ^\n");
  EXPECT_EQ(error("system s { channel a lossy }"),
            "x.sp:1:22: error: expected '.' or 'broadcast' but found keyword 'lossy'\n"
            "  system s { channel a lossy }\n"
            "                       ^\n");
  EXPECT_EQ(error("system s { environment a.b }"),
            "x.sp:1:24: error: expected 'calls' or 'script' but found 'a'\n"
            "  system s { environment a.b }\n"
            "                         ^\n");
  EXPECT_EQ(error("property p in s: always a under fair x"),
            "x.sp:1:33: error: expected 'weak' or 'strong' but found keyword 'fair'\n"
            "  property p in s: always a under fair x\n"
            "                                  ^\n");
  EXPECT_EQ(error("type T = int[0..3"),
            "x.sp:1:18: error: expected ']' at end of input\n"
            "  type T = int[0..3\n"
            "                   ^\n");
  // `list` is a type only with `<` after it; then the element type must be complete.
  EXPECT_EQ(error("type T = list<int>"),
            "x.sp:1:18: error: expected '[' but found '>'\n"
            "  type T = list<int>\n"
            "                   ^\n");
  EXPECT_EQ(error("type T = lst<int>"),
            "x.sp:1:13: error: expected a declaration but found '<'\n"
            "  type T = lst<int>\n"
            "              ^\n");
  EXPECT_EQ(error("const X = a < b < c"),
            "x.sp:1:17: error: expected a declaration but found '<'\n"
            "  const X = a < b < c\n"
            "                  ^\n");
}

TEST(ParserError, ListsAndChoices) {
  // A comma must be followed by another item.
  EXPECT_EQ(first_line(error("role R { states A, }")),
            "x.sp:1:20: error: expected a state name but found '}'");
  EXPECT_EQ(first_line(error("const X = {a, }")),
            "x.sp:1:15: error: expected expression but found '}'");
  EXPECT_EQ(first_line(error("role R { var a: bool, }")),
            "x.sp:1:23: error: expected a variable name but found '}'");
  EXPECT_EQ(first_line(error("role R { from A on internal -> B { if a {} else x = 1 } }")),
            "x.sp:1:49: error: expected '{' or 'if' but found 'x'");
  EXPECT_EQ(first_line(error("system s { environment calls a.b at 2 }")),
            "x.sp:1:37: error: expected 'most' but found '2'");
  EXPECT_EQ(first_line(error("system s { environment calls a. }")),
            "x.sp:1:33: error: expected a call name or '*' but found '}'");
  EXPECT_EQ(first_line(error("type T = set<>")),
            "x.sp:1:14: error: expected a type but found '>'");
  EXPECT_EQ(first_line(error("type T = seq<x>")),
            "x.sp:1:14: error: expected an integer but found 'x'");
  EXPECT_EQ(first_line(error("const X = forall p T . a")),
            "x.sp:1:20: error: expected ':' but found 'T'");
  EXPECT_EQ(first_line(error("const X = a.")),
            "x.sp:1:13: error: expected a field name at end of input");
  EXPECT_EQ(first_line(error("property p in s: deadlock")),
            "x.sp:1:26: error: expected 'free' at end of input");
  EXPECT_EQ(first_line(error("property p in s: always a under weak fair 5")),
            "x.sp:1:43: error: expected a fairness selector (timeout, recv, call, internal, an "
            "instance or a transition) but found '5'");
}

TEST(ParserError, ErrorPositionSkipsCommentsAndBlanks) {
  EXPECT_EQ(error("role R { from A on internal /* c */\n  // d\n  B }"),
            "x.sp:3:3: error: expected '->' but found 'B'\n"
            "    B }\n"
            "    ^\n");
}

TEST(ParserError, UnterminatedString) {
  EXPECT_EQ(error("protocol p \"RFC 9293\nrole R {}"),
            "x.sp:1:12: error: unterminated string\n"
            "  protocol p \"RFC 9293\n"
            "             ^\n");
  EXPECT_EQ(error("protocol p \"abc"),
            "x.sp:1:12: error: unterminated string\n"
            "  protocol p \"abc\n"
            "             ^\n");
  EXPECT_EQ(error("protocol p \"a\\nb\""),
            "x.sp:1:14: error: invalid escape in string (only \\\" and \\\\ are allowed)\n"
            "  protocol p \"a\\nb\"\n"
            "               ^\n");
}

TEST(ParserError, UnterminatedBlockComment) {
  EXPECT_EQ(error("protocol p\n  /* never closed\nrole R {}"),
            "x.sp:2:3: error: unterminated block comment\n"
            "    /* never closed\n"
            "    ^\n");
  EXPECT_EQ(error("/*"),
            "x.sp:1:1: error: unterminated block comment\n"
            "  /*\n"
            "  ^\n");
  EXPECT_EQ(error("const X = 1 /*/"),
            "x.sp:1:13: error: unterminated block comment\n"
            "  const X = 1 /*/\n"
            "              ^\n");
}

TEST(ParserError, BadLiterals) {
  EXPECT_EQ(error("const A = 300.1.1.1"),
            "x.sp:1:11: error: invalid IPv4 address '300.1.1.1' (expected four numbers 0..255 "
            "like 192.0.2.1)\n"
            "  const A = 300.1.1.1\n"
            "            ^\n");
  EXPECT_EQ(error("const A = 1.2.3"),
            "x.sp:1:11: error: invalid IPv4 address '1.2.3' (expected four numbers 0..255 like "
            "192.0.2.1)\n"
            "  const A = 1.2.3\n"
            "            ^\n");
  EXPECT_NE(error("const A = 1.2.3.4.5").find("invalid IPv4 address '1.2.3.4.5'"),
            std::string::npos);
  EXPECT_NE(error("const A = 1.2.3.4x").find("invalid IPv4 address"), std::string::npos);
  EXPECT_EQ(error("const A = 02:00:00:00:01"),
            "x.sp:1:11: error: invalid MAC address '02:00:00:00:01' (expected six hex pairs "
            "like 02:00:00:00:00:01)\n"
            "  const A = 02:00:00:00:01\n"
            "            ^\n");
  EXPECT_NE(error("const A = 02:00:00:00:00:0g").find("invalid MAC address"),
            std::string::npos);
  EXPECT_NE(error("const A = 02:00:00:00:00:01:02").find("invalid MAC address"),
            std::string::npos);
  EXPECT_EQ(error("const A = 2sec"),
            "x.sp:1:11: error: invalid number '2sec' (durations are written 500ms, 60s, 2min)\n"
            "  const A = 2sec\n"
            "            ^\n");
  EXPECT_NE(error("const A = 0xfg").find("invalid number '0xfg'"), std::string::npos);
  EXPECT_NE(error("const A = 0x").find("invalid number '0x'"), std::string::npos);
  EXPECT_NE(error("const A = 12ab").find("invalid number '12ab'"), std::string::npos);
}

TEST(ParserError, IntegerOverflowIsAnError) {
  EXPECT_EQ(error("const A = 9223372036854775808"),
            "x.sp:1:11: error: number '9223372036854775808' is too large\n"
            "  const A = 9223372036854775808\n"
            "            ^\n");
  EXPECT_NE(error("const A = 99999999999999999999999999").find("is too large"),
            std::string::npos);
  EXPECT_NE(error("const A = 0x8000000000000000").find("is too large"), std::string::npos);
  EXPECT_NE(error("const A = 153722867280912931min").find("is too large"), std::string::npos);
  EXPECT_NE(error("const A = 9223372036854776s").find("is too large"), std::string::npos);
  EXPECT_NE(error("type T = seq<99999999999999999999>").find("is too large"),
            std::string::npos);
}

TEST(ParserError, BinaryJunk) {
  std::string junk("\x00\x01\xff\xfe role \x80", 11);
  EXPECT_EQ(first_line(error(junk)),
            "x.sp:1:1: error: expected a declaration but found '\\x00'");
  EXPECT_EQ(first_line(error("role R { \xc3\xa9t\xc3\xa9 }")),
            "x.sp:1:10: error: expected a role item or '}' but found '\\xc3'");
  // Every byte value in every position of a small spec: one error or success, no crash.
  const std::string base = "role R { from A on recv n(s) if s.x > 0x1 -> B { x = 1.2.3.4 } }";
  for (size_t i = 0; i < base.size(); ++i) {
    for (int b = 0; b < 256; b += 7) {
      std::string t = base;
      t[i] = static_cast<char>(b);
      parse(t);
    }
  }
}

TEST(ParserError, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = "nesting too deep";
  // Parenthesized expressions, 10000 deep.
  EXPECT_NE(error("const X = " + repeat("(", 10000) + "1" + repeat(")", 10000)).find(deep),
            std::string::npos);
  // Unclosed, too.
  EXPECT_NE(error("const X = " + repeat("(", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = " + repeat("{", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = " + repeat("a[", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = " + repeat("!", 100000) + "a").find(deep), std::string::npos);
  EXPECT_NE(error("const X = " + repeat("- ", 100000) + "a").find(deep), std::string::npos);
  EXPECT_NE(error("const X = " + repeat("always ", 100000) + "a").find(deep),
            std::string::npos);
  EXPECT_NE(error("const X = " + repeat("forall x: T . ", 100000) + "a").find(deep),
            std::string::npos);
  // Long operator chains build deep trees: the tree depth is limited too.
  EXPECT_NE(error("const X = a" + repeat(" -> a", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = a" + repeat(" + a", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = a" + repeat(" && a", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = a" + repeat(".b", 100000)).find(deep), std::string::npos);
  EXPECT_NE(error("const X = a" + repeat("[0]", 100000)).find(deep), std::string::npos);
  // Statement blocks and types.
  EXPECT_NE(error("role R { from A on internal -> B " + repeat("{ if x ", 100000)).find(deep),
            std::string::npos);
  EXPECT_NE(error("role R { from A on internal -> B { if a {}" + repeat(" else if a {}", 100000) +
                  "} }")
                .find(deep),
            std::string::npos);
  EXPECT_NE(error("type T = " + repeat("set<", 100000)).find(deep), std::string::npos);
  // The exact message and position: the 201st nested '('.
  EXPECT_EQ(first_line(error("const X = " + repeat("(", 300))),
            "x.sp:1:211: error: nesting too deep");
  // Within the limit is fine.
  Parsed ok = parse("const X = " + repeat("(", 150) + "1" + repeat(")", 150) + " + " +
                    repeat("-", 150) + "a");
  EXPECT_TRUE(ok.ok) << ok.messages.substr(0, 200);
  Parsed chain = parse("const X = a" + repeat(" + a", 150));
  EXPECT_TRUE(chain.ok) << chain.messages.substr(0, 200);
  Parsed wide = parse("const X = {" + repeat("a, ", 5000) + "a}");
  EXPECT_TRUE(wide.ok) << wide.messages.substr(0, 200);
}

TEST(ParserError, OutIsUntouchedOnError) {
  SourceFile file{"x.sp", "role R { states A } role"};
  Diagnostics diags(file);
  ast::Spec spec;
  spec.protocols.push_back({});
  EXPECT_FALSE(parse_spec(diags, spec));
  EXPECT_EQ(spec.protocols.size(), 1u);
  EXPECT_TRUE(spec.roles.empty());
}

// ---------------------------------------------------------------------------------
// A realistic spec: a TCP-like handshake and close, a system and properties.

const char* const kTcpLike = R"(protocol minitcp "RFC 9293 connection management, cut down"

const MAX_RETX = 2
const MSL: duration = 30s
const RCV_WND = 2

type Flags = set<enum { FIN, SYN, RST, ACK }>
type Seq = seq<32>

message Segment wire tcp {
  flags: Flags
  seq: Seq
  ack: Seq
}

role Endpoint {
  port net: Segment
  calls listen, connect, close, abort

  states CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2,
         CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT
  group synchronized = {ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
                        TIME_WAIT}
  initial CLOSED

  var iss, snd_una, snd_nxt, rcv_nxt: Seq
  var closed_first: bool = false
  var retx: int[0..MAX_RETX] = 0
  timer rtx = 1s backoff 2 retries MAX_RETX
  timer time_wait = 2 * MSL

  passive_open: from CLOSED on call listen -> LISTEN cite "RFC 9293 §3.10.1"

  active_open: from CLOSED on call connect -> SYN_SENT cite "RFC 9293 §3.10.1" {
    send net { flags = {SYN}, seq = iss }
    snd_una = iss
    snd_nxt = iss + 1
    retx = 0
    start rtx
  }

  rcv_syn: from LISTEN on recv net(s) if s.flags == {SYN} -> SYN_RCVD
      cite "RFC 9293 §3.10.7.2" {
    rcv_nxt = s.seq + 1
    send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    snd_una = iss
    snd_nxt = iss + 1
    start rtx
  }

  rcv_synack: from SYN_SENT on recv net(s)
      if ACK in s.flags && SYN in s.flags && s.ack == snd_nxt -> ESTABLISHED
      cite "RFC 9293 §3.10.7.3" {
    rcv_nxt = s.seq + 1
    snd_una = s.ack
    stop rtx
    send net { flags = {ACK}, seq = snd_nxt, ack = rcv_nxt }
  }

  rcv_ack: from SYN_RCVD on recv net(s) if s.flags == {ACK} && s.ack == snd_nxt
      -> ESTABLISHED cite "RFC 9293 §3.10.7.4" {
    snd_una = s.ack
    stop rtx
  }

  retransmit: from {SYN_SENT, SYN_RCVD} on timeout rtx if retx < MAX_RETX -> same {
    retx = retx + 1
    if SYN_SENT == SYN_SENT {
      send net { flags = {SYN}, seq = iss }
    } else if retx == 1 {
      send net { flags = {SYN, ACK}, seq = iss, ack = rcv_nxt }
    } else {
      assert retx <= MAX_RETX
    }
    start rtx
  }

  give_up: from {SYN_SENT, SYN_RCVD} on timeout rtx if retx == MAX_RETX -> CLOSED

  active_close: from ESTABLISHED on call close -> FIN_WAIT_1 {
    closed_first = true
    send net { flags = {FIN, ACK}, seq = snd_nxt, ack = rcv_nxt }
    snd_nxt = snd_nxt + 1
    start rtx
  }

  rst_in_window: from synchronized on recv net(s)
      if RST in s.flags && s.seq - rcv_nxt < RCV_WND -> CLOSED cite "RFC 9293 §3.10.7.4" {
    stop rtx
    stop time_wait
  }

  abort_any: from any except {CLOSED, LISTEN} on call abort -> CLOSED {
    send net { flags = {RST}, seq = snd_nxt }
  }

  tw_expire: from TIME_WAIT on timeout time_wait -> CLOSED
}

system pair {
  instance client, server: Endpoint { iss = 6 }
  channel client.net -> server.net capacity 2 lossy 1
  channel server.net -> client.net capacity 2 lossy 1
  environment calls server.listen once, client.connect once, {client.close, server.close} once,
                    client.abort at most 1
}

system scripted {
  instance client, server: Endpoint
  channel client.net -> server.net capacity 2
  channel server.net -> client.net capacity 2 bag
  environment script { server.listen; client.connect; client.close }
}

property time_wait_only_on_active_closer in pair:
  always forall p: Endpoint . (p in TIME_WAIT -> p.closed_first)

property no_deadlock in pair:
  deadlock free except (client in CLOSED && server in {CLOSED, LISTEN})

property close_completes in pair:
  always ((client.closed_first || server.closed_first)
          -> eventually (client in CLOSED && server in {CLOSED, LISTEN}))
  under weak fair timeout, strong fair recv

lemma retx_bounded in pair: always (client.retx <= MAX_RETX && server.retx <= MAX_RETX)
)";

TEST(ParserRealistic, TcpLikeSpec) {
  Parsed p = parse(kTcpLike);
  ASSERT_TRUE(p.ok) << p.messages;
  const ast::Spec& s = p.spec;
  ASSERT_EQ(s.protocols.size(), 1u);
  EXPECT_EQ(s.consts.size(), 3u);
  EXPECT_EQ(s.types.size(), 2u);
  ASSERT_EQ(s.messages.size(), 1u);
  EXPECT_EQ(s.messages[0].fields.size(), 3u);
  ASSERT_EQ(s.roles.size(), 1u);
  const ast::Role& r = s.roles[0];
  EXPECT_EQ(r.states.size(), 11u);
  EXPECT_EQ(r.groups.at(0).states.size(), 7u);
  EXPECT_EQ(r.vars.size(), 3u);
  EXPECT_EQ(r.vars[0].names.size(), 4u);
  EXPECT_EQ(r.timers.size(), 2u);
  ASSERT_EQ(r.transitions.size(), 11u);
  EXPECT_EQ(r.transitions[1].name->name, "active_open");
  EXPECT_EQ(show(r.transitions[1].actions),
            "{send net {flags={SYN}, seq=iss}; snd_una = iss; snd_nxt = (+ iss 1); retx = 0; "
            "start rtx}");
  EXPECT_EQ(show(*r.transitions[3].guard),
            "(&& (&& (in ACK (. s flags)) (in SYN (. s flags))) (== (. s ack) snd_nxt))");
  EXPECT_EQ(*r.transitions[3].cite, "RFC 9293 §3.10.7.3");
  const ast::Transition& retransmit = r.transitions[5];
  EXPECT_TRUE(retransmit.target_same);
  ASSERT_EQ(retransmit.actions.size(), 3u);
  const ast::Stmt& chain = retransmit.actions[1];
  EXPECT_EQ(chain.kind, ast::StmtKind::kIf);
  ASSERT_EQ(chain.else_body.size(), 1u);
  EXPECT_EQ(chain.else_body[0].kind, ast::StmtKind::kIf);
  EXPECT_EQ(chain.else_body[0].else_body.at(0).kind, ast::StmtKind::kAssert);
  EXPECT_EQ(r.transitions[8].from.kind, ast::StateSelKind::kNamed);
  EXPECT_EQ(r.transitions[8].from.states.at(0).name, "synchronized");
  EXPECT_EQ(show(*r.transitions[8].guard),
            "(&& (in RST (. s flags)) (< (- (. s seq) rcv_nxt) RCV_WND))");
  EXPECT_EQ(r.transitions[9].from.kind, ast::StateSelKind::kAnyExcept);
  ASSERT_EQ(s.systems.size(), 2u);
  EXPECT_EQ(s.systems[0].instances.at(0).names.size(), 2u);
  EXPECT_EQ(s.systems[0].instances[0].inits.size(), 1u);
  EXPECT_EQ(s.systems[0].channels.size(), 2u);
  EXPECT_EQ(s.systems[0].environments.at(0).calls.size(), 4u);
  EXPECT_EQ(s.systems[0].environments[0].calls[2].alternatives.size(), 2u);
  EXPECT_TRUE(s.systems[1].environments.at(0).script);
  EXPECT_EQ(s.systems[1].environments[0].steps.size(), 3u);
  EXPECT_TRUE(s.systems[1].channels[1].bag);
  ASSERT_EQ(s.properties.size(), 4u);
  EXPECT_TRUE(s.properties[1].deadlock);
  EXPECT_EQ(s.properties[2].fairness.size(), 2u);
  EXPECT_TRUE(s.properties[3].lemma);
  EXPECT_EQ(show(*s.properties[3].formula),
            "(always (&& (<= (. client retx) MAX_RETX) (<= (. server retx) MAX_RETX)))");
}

// Every error in the realistic spec is found where it is: truncate it anywhere and the
// parser reports one error (or accepts a prefix that is complete), never crashes.
TEST(ParserRealistic, EveryPrefixGivesOneErrorOrSuccess) {
  const std::string text = kTcpLike;
  for (size_t n = 0; n < text.size(); n += 3) parse(text.substr(0, n));
}

// The specs shipped in spec/ parse.
TEST(ParserRealistic, ShippedSpecsParse) {
  namespace fs = std::filesystem;
  fs::path dir = fs::path(STATEPROOF_SOURCE_DIR) / "spec";
  if (!fs::exists(dir)) GTEST_SKIP() << "no spec/ directory";
  int count = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".sp") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    SourceFile file{entry.path().string(), buf.str()};
    Diagnostics diags(file);
    ast::Spec spec;
    EXPECT_TRUE(parse_spec(diags, spec)) << diags.format_all();
    ++count;
  }
  if (count == 0) GTEST_SKIP() << "no .sp files";
}

// ---------------------------------------------------------------------------------
// The lexer on its own.

TEST(ParserLexer, Keywords) {
  for (const char* k : {"protocol", "from", "on", "map", "duration", "lemma", "until", "once",
                        "wire", "strong", "ip4"}) {
    EXPECT_TRUE(parse::is_keyword(k)) << k;
  }
  for (const char* w : {"at", "most", "none", "From", "fromx", "", "ms"}) {
    EXPECT_FALSE(parse::is_keyword(w)) << w;
  }
}

TEST(ParserLexer, ContextualWordsAtAndMostAreNames) {
  Parsed p = parse("const at = most\nsystem s { environment calls at.x at most 2 }");
  ASSERT_TRUE(p.ok) << p.messages;
  EXPECT_EQ(p.spec.consts[0].name.name, "at");
  EXPECT_EQ(p.spec.systems[0].environments[0].calls.at(0).alternatives.at(0).instance.name,
            "at");
}

TEST(ParserLexer, DescribeFound) {
  auto found = [](const std::string& s) {
    return parse::describe_found(s.data(), s.data() + s.size());
  };
  EXPECT_EQ(found("  LISTN x"), "but found 'LISTN'");
  EXPECT_EQ(found("from"), "but found keyword 'from'");
  EXPECT_EQ(found(" // c\n"), "at end of input");
  EXPECT_EQ(found("-> x"), "but found '->'");
  EXPECT_EQ(found("\"abc\" x"), "but found '\"abc\"'");
  EXPECT_EQ(found("192.0.2.1 x"), "but found '192.0.2.1'");
  EXPECT_EQ(found("\x01"), "but found '\\x01'");
  EXPECT_EQ(found(std::string(100, 'a')), "but found '" + std::string(40, 'a') + "...'");
}

}  // namespace
}  // namespace sp
