#include "compiler/ir/promela_names.hpp"

#include <algorithm>
#include <cctype>

namespace sp::ir::promela {

namespace {

// Promela and LTL keywords, SPIN's predefined names, C keywords and pan.c's names.
const std::set<std::string>& Words() {
  static const std::set<std::string> k = {
      "active", "assert", "atomic", "bit", "bool", "break", "byte", "chan", "d_step", "D_proctype", "do",
      "else", "empty", "enabled", "eval", "false", "fi", "for", "full", "goto", "hidden", "if", "in", "init",
      "inline", "int", "len", "local", "ltl", "mtype", "nempty", "never", "nfull", "np_", "od", "of",
      "pc_value", "pid", "printf", "printm", "priority", "proctype", "provided", "run", "select", "short",
      "skip", "timeout", "true", "typedef", "unless", "unsigned", "xr", "xs", "c_code", "c_decl", "c_expr",
      "c_state", "c_track", "show", "trace", "notrace", "accept", "end", "progress", "always", "eventually",
      "until", "weak", "strong", "stronguntil", "weakuntil", "implies", "equivalent", "release", "X", "U",
      "V", "W", "_", "_pid", "_nr_pr", "_last", "_priority", "monitor", "LIVENESS", "SAFETY", "NOREDUCE",
      "map_find", "map_put", "map_remove", "now", "Pptr", "Qptr", "depth", "errors", "trpt", "this",
      "get_priority", "set_priority", "return", "np", "_np",
      // pan.c is C: names (typedef fields above all) become C identifiers there.
      "auto", "case", "char", "const", "continue", "default", "double", "enum", "extern", "float", "long",
      "register", "restrict", "signed", "sizeof", "static", "struct", "switch", "union", "void", "volatile",
      "while",
      // pan.c's own types: a typedef (a message) of the same name would redefine them.
      "State", "Trans", "Stack", "Svtack", "Trail", "H_el", "uchar", "uint", "ushort", "ulong", "Stack_Tree",
      "TRIX_v6", "BFS_Slot", "BFS_State", "BFS_T_Hold", "BFS_Trail", "BFS_data", "BFS_saves", "BFS_shared",
      "EV_Hold", "SV_Hold", "S_F_MAP", "Edge", "IntChunks", "SM_frame", "SM_results", "Vertex", "Vr_Ptr",
      "sh_Allocater",
      // pan.c's macros (SPIN 6.5.2, safety and -DLIVENESS builds): a variable or a field
      // of the same name would be rewritten in pan.c.
      "ACCEPT_LAB", "ALL_P", "ALPHA_F", "ASYNC", "AUTO_RESIZE", "A_V", "Addproc",
      "BACKWARD_MOVES", "BAD", "BASE", "BFS",
      "BFS_DSK_LIMIT", "BFS_GEN", "BFS_GLOB", "BFS_ID", "BFS_INQ", "BFS_LIMIT", "BFS_MASK", "BFS_MAXLOCKS",
      "BFS_MAXPROCS", "BFS_MEM", "BFS_NORECYCLE", "BFS_ORD", "BFS_PRINT", "BFS_RESERVE", "BFS_STAGGER",
      "BFS_STATE", "BFS_W", "BYTESIZE", "B_FORCED", "B_PHASE1", "B_PHASE2", "CACHE_NR", "CHECK", "CHUNK",
      "CNTRSTACK", "CNT_P", "COLLAPSE", "CONSERVATIVE", "CONTINUE", "CONTINUE0", "CS_ID", "CS_N", "CS_NR",
      "DEBUG", "DELTA", "ETIM", "FORWARD_MOVES", "FREQ", "FROM_P", "FULLSTACK", "GLOBAL", "GLOBAL_LOCK",
      "GN_FRAMES", "GQ_RD", "GQ_WR", "G_int", "G_long", "HASH", "HAS_CODE", "HAS_HIDDEN", "HAS_LAST",
      "HAS_LTL", "HAS_NP", "HAS_TRACK", "HC", "HC4", "INI_P", "INLINE_REV", "INRANGE", "IfNotBlocked",
      "Index", "LC", "LN_FRAMES", "LOCAL", "LONG_T", "L_BOUND", "MA", "MAXPROC", "MAXQ", "MAX_DSK_FILE",
      "MEMLIM", "MERGED", "MORE_P", "Max", "NCLAIMS", "NCORE", "NDONE_P", "NFAIR", "NOCOMP", "NOFAIR",
      "NOT_AGAIN", "NO_LAST", "NQS", "NRUNS", "NR_QS", "NTRANS", "OFFT", "ONESECOND", "ONE_L", "Offsetof",
      "PAN_H", "PERMUTED", "PMAX", "PROG_LAB", "PUTPID", "P_REVERSE", "P__Q", "PanSource", "QLOCK", "QMAX",
      "QUERY", "QUERY_F", "QUIT", "Q_EMPT_F", "Q_EMPT_T", "Q_FULL_F", "Q_FULL_T", "Q_PROVISO", "RANDSTOR",
      "RFLAGS", "RWFLAGS", "SAFETY", "SEP_HEAP", "SEP_STATE", "SHORT_T", "STORE_CTX", "SYNC", "S_A",
      "S_IREAD", "S_IWRITE", "SpinVersion", "StackSize", "TIMEOUT_F", "TRANSITIONS", "TRY_AGAIN", "TWIDTH",
      "T_FREE", "T_HC", "T_ID", "T_RAND", "T_ROW", "T_ROW_MASK", "T_ROW_SIZE", "T_STAT", "T_VSZ",
      "TargetQ_Full", "TargetQ_NotFull", "UPTO_P", "USE_TDH", "UnBlock", "VECTORSZ", "VERI", "VMAX",
      "VVERBOSE", "V_A", "V_PROVISO", "WAIT_MAX", "WFLAGS", "WS", "W_XPT", "XUSAFE", "bfs_do_store", "cas",
      "continue", "enter_critical", "final", "get16bits", "get_permuted", "getframe", "grab_state",
      "iam_alive", "leave_critical", "long", "max", "mix", "onstack_now", "onstack_put", "onstack_zap",
      "pptr", "pthread_equal", "q_sz", "qptr", "rand", "rot", "uchar", "uint", "ulong", "ushort", "wasnew"};
  return k;
}

bool Digits(const std::string& s, size_t from) {
  return s.size() > from &&
         std::all_of(s.begin() + static_cast<long>(from), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// pan.c's names that follow a pattern: every name starting with `_` (`_nstates0`,
// `_this`...), the structs of processes and queues (`P0`, `Q1`), per-process macros
// (`minseq0`, `maxseq0`, `Air0`).
bool PanPattern(const std::string& n) {
  if (!n.empty() && n[0] == '_') return true;
  if ((n[0] == 'P' || n[0] == 'Q') && Digits(n, 1)) return true;
  for (const char* prefix : {"minseq", "maxseq", "Air"}) {
    const std::string p = prefix;
    if (n.compare(0, p.size(), p) == 0 && Digits(n, p.size())) return true;
  }
  return false;
}

}  // namespace

bool Identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool Reserved(const std::string& name) { return Words().count(name) > 0 || PanPattern(name); }

bool NameTable::Free(const std::string& n) const {
  return !Reserved(n) && !used_.count(n) && n.rfind("sp_", 0) != 0;
}

std::string NameTable::ClaimFamily(std::string want, const std::vector<std::pair<std::string, std::string>>& affixes) {
  if (!Identifier(want)) {
    want = "n_" + want;
  } else if (want[0] == '_') {
    want = "n" + want;
  }
  for (char& c : want) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  std::string base = want;
  for (int k = 2;; ++k) {
    bool ok = Free(base);
    for (const auto& [pre, suf] : affixes) ok = ok && Free(pre + base + suf);
    if (ok) break;
    base = want + "_" + std::to_string(k);
  }
  used_.insert(base);
  for (const auto& [pre, suf] : affixes) used_.insert(pre + base + suf);
  return base;
}

}  // namespace sp::ir::promela
