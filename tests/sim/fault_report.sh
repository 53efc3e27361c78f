#!/usr/bin/env bash
# A guest store to an unmapped address stops the program with a structured report on stderr and
# exit status 125; the host process is unharmed and output before the fault is kept.
# usage: fault_report.sh <oxsim> <fault_out_of_bounds.elf>
set -u
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
"$1" "$2" >"$tmp/out" 2>"$tmp/err"; status=$?
failures=0
[ "$status" -eq 125 ] || { echo "FAIL: exit status $status, expected 125"; failures=1; }
[ "$(cat "$tmp/out")" = "before" ] || { echo "FAIL: stdout '$(cat "$tmp/out")', expected 'before'"; failures=1; }
grep -q "out-of-bounds access at pc 0x" "$tmp/err" || { echo "FAIL: no fault kind/pc"; failures=1; }
grep -q "address 0x10" "$tmp/err" || { echo "FAIL: no faulting address"; failures=1; }
grep -q "sd	" "$tmp/err" || { echo "FAIL: no disassembled instruction"; failures=1; }
cat "$tmp/err"
exit "$failures"
