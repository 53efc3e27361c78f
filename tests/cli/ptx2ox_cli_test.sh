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

# the backend: images, assembly, resource reports, machine configurations
kernels="$corpus/exec/ptx/basics.ptx"
expect "--emit=image" 0 "$ptx2ox" -O2 --emit=image -o "$tmp/k.img" "$kernels"
head -c 4 "$tmp/k.img" | grep -q "ELF" || { echo "FAIL: the image is not an ELF file"; failures=$((failures + 1)); }
expect "-v --emit=obj" 0 "$ptx2ox" -v --emit=obj -o "$tmp/k.o" "$kernels"
grep -q "^ptx2ox: OxCore kernel 'block_reduce': [0-9]* instructions, 20 bytes param, 1024 bytes static shared, 0 bytes local per thread, 64 KiB stack per warp$" "$tmp/err" ||
  { echo "FAIL: -v resource report"; cat "$tmp/err"; failures=$((failures + 1)); }
expect "--emit=asm" 0 "$ptx2ox" --emit=asm "$kernels"
grep -q "^vector_add:" "$tmp/out" || { echo "FAIL: no vector_add in the assembly"; failures=$((failures + 1)); }
grep -q "vle32.v" "$tmp/out" || { echo "FAIL: no unit-stride vector load in the assembly"; failures=$((failures + 1)); }
expect "--config preset" 0 "$ptx2ox" --config edge --emit=asm "$kernels"
expect "--config unknown" 2 "$ptx2ox" --config no-such-machine --emit=asm "$kernels"
printf '.version 9.0\n.target sm_80\n.address_size 64\n.extern .func (.param .b32 r) ext(.param .b32 a);\n.entry k(.param .u64 out)\n{\n\t.reg .b32 x;\n\t.reg .b64 p;\n\t{\n\t.param .b32 a0;\n\tst.param.b32 [a0], 5;\n\t.param .b32 r0;\n\tcall (r0), ext, (a0);\n\tld.param.b32 x, [r0];\n\t}\n\tld.param.u64 p, [out];\n\tst.global.u32 [p], x;\n\tret;\n}\n' >"$tmp/extern.ptx"
expect "unsupported in the backend" 1 "$ptx2ox" --emit=obj -o "$tmp/r.o" "$tmp/extern.ptx"
grep -q "error: unsupported: call of ext in kernel k " "$tmp/err" || { echo "FAIL: no diagnostic for the undefined function"; cat "$tmp/err"; failures=$((failures + 1)); }
# recursion left after -O0: built, with a call stack (local memory) and a larger warp stack
printf '.version 9.0\n.target sm_80\n.address_size 64\n.func (.reg .b32 r) f(.reg .b32 a)\n{\n\t.reg .pred %%p1;\n\tsetp.eq.s32 %%p1, a, 0;\n\t@%%p1 bra Z;\n\tsub.s32 a, a, 1;\n\t{\n\t.reg .b32 t;\n\tcall (t), f, (a);\n\tmov.b32 r, t;\n\t}\n\tret;\nZ:\n\tmov.b32 r, 0;\n\tret;\n}\n.entry k()\n{\n\t.reg .b32 x;\n\tcall (x), f, (5);\n\tret;\n}\n' >"$tmp/recursive.ptx"
expect "recursion" 0 "$ptx2ox" -v -O0 --emit=obj -o "$tmp/r.o" "$tmp/recursive.ptx"
grep -q "^ptx2ox: OxCore kernel 'k': [0-9]* instructions, 0 bytes param, 0 bytes static shared, 0 bytes local per thread + call stack, 1024 KiB stack per warp$" "$tmp/err" ||
  { echo "FAIL: -v report of a recursive kernel"; cat "$tmp/err"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "ptx2ox CLI: all checks passed"
exit "$failures"
