#!/usr/bin/env bash
# Writes the man page of `stateproof [SUBCOMMAND]` in roff from the binary's own --help
# (CLI11's, which every option's text lives in), so the page never lags the flags:
#   scripts/manpage.sh BINARY OUT [SUBCOMMAND]      (OUT: stateproof[-SUBCOMMAND].1)
# Run at build time by packaging.cmake for every subcommand.
set -euo pipefail
bin=$1
out=$2
sub=${3:-}
name=stateproof${sub:+-$sub}
help=$("$bin" ${sub:+"$sub"} --help)
# roff: a backslash is \e; a line may not start with . or '.
esc() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" -e 's/-/\\-/g'; }
# (sed -n 1p, not head -n 1: head may exit before printf has written everything, and the
# SIGPIPE would fail the build under pipefail.)
summary=$(printf '%s\n' "$help" | sed -n 1p)
usage=$(printf '%s\n' "$help" | sed -n 's/^Usage: [^ ]*stateproof/stateproof/p' | sed -n 1p)
rest=$(printf '%s\n' "$help" | sed -e '1,/^Usage:/d')
{
  echo ".TH ${name^^} 1 \"\" \"stateproof\" \"User Commands\""
  echo ".SH NAME"
  printf '%s \\- %s\n' "$name" "$(printf '%s' "$summary" | esc)"
  echo ".SH SYNOPSIS"
  printf '%s\n' "$usage" | esc
  echo ".SH DESCRIPTION"
  printf '%s\n' "$summary" | esc
  echo ".SH OPTIONS"
  echo ".nf"
  printf '%s\n' "$rest" | esc
  echo ".fi"
  echo ".SH SEE ALSO"
  if [[ -n $sub ]]; then
    case $sub in
      run|diff) doc=harness.md ;;
      gen) doc=gen.md ;;
      show) doc=language.md ;;
      *) doc=checker.md ;;
    esac
    echo "stateproof(1); /usr/share/doc/stateproof/$doc"
  else
    for s in show export simulate run gen check replay diff; do printf 'stateproof\\-%s(1), ' "$s"; done
    echo "the documentation in /usr/share/doc/stateproof"
  fi
} > "$out.tmp"
mv "$out.tmp" "$out"
