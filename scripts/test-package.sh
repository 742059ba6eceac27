#!/usr/bin/env bash
# The Debian package as a user gets it: `cpack -G DEB` from the build directory BUILD,
# unpacked with `dpkg-deb -x` into a scratch root (nothing is installed on this host);
# the binary runs from there on an installed spec, and every subcommand has a man page.
# Exit 77 (ctest: skipped) without cpack or dpkg-deb. Prints the package's size.
#   scripts/test-package.sh BUILD
set -euo pipefail
build=$(cd "$1" && pwd)
for tool in cpack dpkg-deb; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (apt-get install cmake dpkg)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" > "$tmp/cpack.log" 2>&1) ||
  { cat "$tmp/cpack.log"; exit 1; }
deb=$(ls "$tmp"/out/stateproof_*.deb)
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"
dpkg-deb -I "$deb" | sed -n 's/^ \(Depends\|Installed-Size\):/  \1:/p'
root=$tmp/root
dpkg-deb -x "$deb" "$root"
fail() { echo "FAIL: $*"; exit 1; }
for f in usr/bin/stateproof usr/bin/stateproof-linux-agent usr/share/stateproof/spec/tcp.sp \
         usr/share/stateproof/spec/arp.sp usr/share/doc/stateproof/harness.md usr/share/doc/stateproof/README.md \
         usr/share/man/man1/stateproof.1; do
  [[ -e $root/$f ]] || fail "$f is not in the package"
done
for sub in show export simulate run gen check replay diff monitor; do
  page=$root/usr/share/man/man1/stateproof-$sub.1
  [[ -s $page ]] || fail "no man page for $sub"
  grep -q "^\.TH STATEPROOF-${sub^^} 1" "$page" || fail "stateproof-$sub.1 has no .TH line"
  grep -q '^\.SH OPTIONS' "$page" || fail "stateproof-$sub.1 has no OPTIONS"
done
if command -v man >/dev/null; then
  man -l "$root/usr/share/man/man1/stateproof-gen.1" 2>/dev/null | grep -q -- '--role' || fail "man cannot render stateproof-gen.1"
fi
out=$("$root/usr/bin/stateproof" show "$root/usr/share/stateproof/spec/tcp.sp") || fail "stateproof show failed: $out"
grep -q 'Endpoint' <<<"$out" || fail "stateproof show printed no role Endpoint: $out"
echo "ok: stateproof show from the unpacked package; $(ls "$root/usr/share/man/man1" | wc -l) man pages"
