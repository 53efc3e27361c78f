#!/usr/bin/env bash
# The command-line contract of oxsim: usage errors and bad configurations exit 2 with a
# sentence, a preset or a configuration file is accepted, the guest's exit status is passed on.
# usage: oxsim_cli_test.sh <oxsim> <program.elf> <configs dir>
set -u
oxsim=$1 program=$2 configs=$3
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
failures=0
expect() { # expect <description> <status> <stderr pattern or -> <command...>
  local what=$1 want=$2 pattern=$3; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  [ "$got" -eq "$want" ] || { echo "FAIL: $what: exit $got, expected $want"; cat "$tmp/err"; failures=$((failures + 1)); }
  if [ "$pattern" != "-" ] && ! grep -q -- "$pattern" "$tmp/err"; then
    echo "FAIL: $what: stderr lacks '$pattern'"; cat "$tmp/err"; failures=$((failures + 1))
  fi
}
expect "--help" 0 - "$oxsim" --help
expect "no program" 2 "no program given" "$oxsim"
expect "missing file" 2 "cannot read" "$oxsim" "$tmp/none.elf"
printf 'not an elf' >"$tmp/bad.elf"
expect "not an ELF" 2 "not an ELF file" "$oxsim" "$tmp/bad.elf"
expect "unknown preset" 2 "neither a preset (datacentre, edge, mid)" "$oxsim" --config tiny "$program"
sed 's/^count = 16/count = 0/' "$configs/mid.toml" >"$tmp/zero.toml"
expect "invalid configuration" 2 "zero.toml:7:9: error: \[core\] count = 0 is out of range" \
  "$oxsim" --config "$tmp/zero.toml" "$program"
expect "configuration file" 0 - "$oxsim" --config "$configs/edge.toml" "$program"
expect "preset" 0 - "$oxsim" --config datacentre "$program"
[ "$failures" -eq 0 ] && echo "oxsim CLI: all checks passed"
exit "$failures"
