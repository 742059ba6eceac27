#!/usr/bin/env bash
# Fuzzes the spec parser with libFuzzer for $1 seconds (default 600).
#
# Builds compiler/parse/fuzz_parser.cpp with clang++ and ASan+UBSan in build-fuzz/ (or
# $BUILD_DIR), seeds a corpus from spec/**/*.sp and the spec snippets in
# tests/compiler/*_test.cpp, and runs one fuzzing process with a dictionary of the
# language's keywords and punctuation. Prints executions, exec/s and findings; crashing,
# hanging or memory-hungry inputs are left in build-fuzz/fuzz-artifacts/ (reproduce one
# with `build-fuzz/compiler/fuzz_parser <file>`). Exit status 1 when there are findings.
# FUZZ_BINARY=path runs an already-built fuzzer instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
build=${BUILD_DIR:-build-fuzz}

fuzzer=${FUZZ_BINARY:-}  # an already-built fuzz_parser: skip the build
if [[ -z "$fuzzer" ]]; then
  if ! command -v clang++ >/dev/null; then
    STATEPROOF_FUZZ=1 scripts/install-deps.sh
  fi
  # fuzzer-no-link everywhere: the libraries (the parser) need coverage instrumentation,
  # not only the fuzz target's own file.
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link \
    -DSTATEPROOF_FUZZ=ON -DSTATEPROOF_TESTS=OFF -DSTATEPROOF_SANITIZE=ON >/dev/null
  cmake --build "$build" --target fuzz_parser -j "${JOBS:-2}"
  fuzzer=$build/compiler/fuzz_parser
fi

corpus=$build/fuzz-corpus
artifacts=$build/fuzz-artifacts
mkdir -p "$corpus" "$artifacts"

# Seeds: every spec file, every raw-string snippet of the compiler tests, a few one-liners.
python3 - "$corpus" <<'EOF'
import glob, hashlib, os, re, sys
out = sys.argv[1]
seeds = []
for path in glob.glob("spec/**/*.sp", recursive=True):
    seeds.append(open(path, "rb").read())
for path in glob.glob("tests/compiler/*_test.cpp"):
    text = open(path, encoding="utf-8", errors="replace").read()
    for m in re.finditer(r'R"\((.*?)\)"', text, re.S):
        seeds.append(m.group(1).encode())
seeds += [s.encode() for s in [
    "const X = a -> b -> c || d && !e until always f",
    "const X = {02:00:00:00:00:01, 192.0.2.1, 0x2a, 500ms, 2min, ff:ff:ff:ff:ff:ff}",
    "role R { from any except {A, B} on call c(x, y) if x in m -> same cite \"c\" "
    "{ if a { m[k] = 1 } else if b { remove m[k] } else { send p { f = 1 } start t } } }",
    "system s { channel a.p -> b.q capacity 2 lossy 1 dup bag channel e broadcast fifo "
    "environment calls a.*, {b.x, b.y} once, c.z(1) at most 2 }",
    "property p in s: always (a -> eventually b) under weak fair timeout, strong fair a.t",
    "lemma l in s: deadlock free except forall p: R . p in {A}",
]]
for s in seeds:
    name = hashlib.sha1(s).hexdigest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(s)
print(f"fuzz: {len(seeds)} seeds", file=sys.stderr)
EOF

# Dictionary: the keywords (the lexer's table), contextual words and the punctuation.
dict=$build/fuzz.dict
{
  sed -n '/kKeywords\[\] = {/,/^};/p' compiler/parse/lexer.cpp | grep -o '"[a-z0-9]*"'
  for p in backoff retries at most preamble via def let choose max list head tail mod consecutive blocking redeliver '->' '..' '==' '!=' '<=' '>=' '&&' '||' '{' '}' '(' ')' '[' ']' '<' '>' ':' \
           ',' ';' '.' '=' '+' '-' '*' '/' '%' '!' '//' '/*' '*/' '\"' 'at most' \
           '02:00:00:00:00:01' '192.0.2.1' '0x' 'ms' 'min' '60s'; do
    printf '"%s"\n' "${p//\"/\\\"}"
  done
} >"$dict"

log=$build/fuzz.log
echo "fuzz: running fuzz_parser for ${seconds}s (log: $log)" >&2
status=0
start=$SECONDS
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=8192 -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
  "$corpus" >"$log" 2>&1 || status=$?

elapsed=$((SECONDS - start))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
  -o -name 'leak-*' -o -name 'slow-unit-*' \) | wc -l)
echo "fuzz: ${execs:-?} executions in ${elapsed}s, ${rate:-?} exec/s, ${cov:-cov: ?}," \
  "corpus $(ls "$corpus" | wc -l) inputs"
if [[ $findings -gt 0 || $status -ne 0 ]]; then
  echo "fuzz: FINDINGS ($findings, libFuzzer exit status $status):"
  find "$artifacts" -type f | sed 's/^/  /'
  grep -E 'ERROR|SUMMARY|deadly signal|timeout after' "$log" | head -20 | sed 's/^/  /'
  exit 1
fi
echo "fuzz: no findings"
