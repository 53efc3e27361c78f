#!/usr/bin/env bash
# The command-line contract of ptx2ox: exit codes, compiler-style diagnostics, stdin, -o.
# usage: ptx2ox_cli_test.sh <ptx2ox> <corpus dir>
set -u
ptx2ox=$1 corpus=$2
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
failures=0
expect() { # expect <description> <expected exit> <command...>
  local what=$1 want=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; cat "$tmp/err"; failures=$((failures + 1))
  fi
}
valid=$(ls "$corpus"/handwritten/*.ptx | head -n 1)

expect "--help" 0 "$ptx2ox" --help
grep -q "Usage: ptx2ox" "$tmp/out" || { echo "FAIL: --help prints usage"; failures=$((failures + 1)); }
expect "--version" 0 "$ptx2ox" --version
expect "no input" 2 "$ptx2ox"
expect "unknown flag" 2 "$ptx2ox" --frobnicate "$valid"
expect "unknown --emit" 2 "$ptx2ox" --emit=sass "$valid"
expect "missing file" 3 "$ptx2ox" --check "$tmp/does-not-exist.ptx"
expect "valid file" 0 "$ptx2ox" --check "$valid"
[ -s "$tmp/err" ] && { echo "FAIL: valid file printed diagnostics"; failures=$((failures + 1)); }
expect "stdin" 0 "$ptx2ox" --check - <"$valid"

printf '.version 9.0\n.target sm_80\n.address_size 64\n.entry k()\n{\n\tadd.s32 %%r1, %%r2;\n}\n' >"$tmp/bad.ptx"
expect "invalid file" 1 "$ptx2ox" --check "$tmp/bad.ptx"
grep -q "^$tmp/bad.ptx:6:2: error: " "$tmp/err" ||
  { echo "FAIL: diagnostic is not file:line:col: error:"; cat "$tmp/err"; failures=$((failures + 1)); }
grep -q "^	\^$" "$tmp/err" || { echo "FAIL: no caret line"; cat "$tmp/err"; failures=$((failures + 1)); }

expect "--emit=ptx -o" 0 "$ptx2ox" --emit=ptx -o "$tmp/out.ptx" "$valid"
expect "emitted PTX re-checks" 0 "$ptx2ox" --check "$tmp/out.ptx"
expect "unwritable -o" 3 "$ptx2ox" --emit=ptx -o "$tmp/no/such/dir/x.ptx" "$valid"

[ "$failures" -eq 0 ] && echo "ptx2ox CLI: all checks passed"
exit "$failures"
