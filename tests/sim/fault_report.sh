#!/usr/bin/env bash
# Guest faults stop the program with a structured report on stderr and exit status 125; the
# host process is unharmed and output before the fault is kept.
#  - a store to an unmapped address: kind, pc, disassembled instruction and address;
#  - a runaway loop: the watchdog stops it after --max-instructions;
#  - a vector store with one element out of bounds: the element and its address, nothing stored;
#  - a vector instruction under an unsupported vtype (vill): an illegal-instruction report;
#  - division by zero: RISC-V's -1 by default, a report naming the element with --trap-div0.
# usage: fault_report.sh <oxsim> <fault_out_of_bounds.elf> <runaway_loop.elf>
#                        <fault_vector_bounds.elf> <fault_vector_vill.elf> <fault_vector_divide.elf>
set -u
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
failures=0
"$1" --max-instructions 100000 "$3" >"$tmp/out" 2>"$tmp/err"; status=$?
[ "$status" -eq 125 ] || { echo "FAIL: runaway loop exit status $status, expected 125"; failures=1; }
[ "$(cat "$tmp/out")" = "spinning" ] || { echo "FAIL: runaway loop stdout '$(cat "$tmp/out")'"; failures=1; }
grep -q "watchdog" "$tmp/err" || { echo "FAIL: no watchdog report"; failures=1; }
grep -q "after 100000 instructions" "$tmp/err" || { echo "FAIL: watchdog limit not honoured"; failures=1; }
cat "$tmp/err"
"$1" "$2" >"$tmp/out" 2>"$tmp/err"; status=$?
[ "$status" -eq 125 ] || { echo "FAIL: exit status $status, expected 125"; failures=1; }
[ "$(cat "$tmp/out")" = "before" ] || { echo "FAIL: stdout '$(cat "$tmp/out")', expected 'before'"; failures=1; }
grep -q "out-of-bounds access at pc 0x" "$tmp/err" || { echo "FAIL: no fault kind/pc"; failures=1; }
grep -q "address 0x10" "$tmp/err" || { echo "FAIL: no faulting address"; failures=1; }
grep -q "sd	" "$tmp/err" || { echo "FAIL: no disassembled instruction"; failures=1; }
cat "$tmp/err"
"$1" "$4" >"$tmp/out" 2>"$tmp/err"; status=$?
[ "$status" -eq 125 ] || { echo "FAIL: vector store exit status $status, expected 125"; failures=1; }
[ "$(cat "$tmp/out")" = "before" ] || { echo "FAIL: vector store stdout '$(cat "$tmp/out")'"; failures=1; }
grep -q "out-of-bounds access at pc 0x.*vse32.v	v8, (a1)), address 0x7ffff0000000: element 5" "$tmp/err" ||
  { echo "FAIL: no vector element/address in the report"; failures=1; }
cat "$tmp/err"
"$1" "$5" >"$tmp/out" 2>"$tmp/err"; status=$?
[ "$status" -eq 125 ] || { echo "FAIL: vill exit status $status, expected 125"; failures=1; }
[ "$(cat "$tmp/out")" = "0" ] || { echo "FAIL: vill stdout '$(cat "$tmp/out")', expected vl 0"; failures=1; }
grep -q "illegal instruction at pc 0x.*vadd.vv	v8, v8, v8).*vill" "$tmp/err" ||
  { echo "FAIL: no illegal-instruction report naming vill"; failures=1; }
cat "$tmp/err"
"$1" "$6" >"$tmp/out" 2>"$tmp/err"; status=$?
[ "$status" -eq 0 ] || { echo "FAIL: division without --trap-div0 exit status $status"; failures=1; }
[ "$(tr '\n' ' ' <"$tmp/out")" = "-1 -1 " ] || { echo "FAIL: division results '$(cat "$tmp/out")'"; failures=1; }
"$1" --trap-div0 "$6" >"$tmp/out" 2>"$tmp/err"; status=$?
[ "$status" -eq 125 ] || { echo "FAIL: --trap-div0 exit status $status, expected 125"; failures=1; }
grep -q "integer division by zero at pc 0x.*vdiv.vv	v10, v8, v9): element 1" "$tmp/err" ||
  { echo "FAIL: no division-by-zero report naming the element"; failures=1; }
cat "$tmp/err"
exit "$failures"
