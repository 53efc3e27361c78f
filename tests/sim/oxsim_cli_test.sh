#!/usr/bin/env bash
# The command-line contract of oxsim: usage errors and bad configurations exit 2 with a
# sentence, a preset or a configuration file is accepted, the guest's exit status is passed on.
# Kernel mode: a launch dumps global data and writes counters as JSON; a faulting kernel exits
# 125 naming the CTA and warp; a missing kernel or a bad grid is a usage error.
# usage: oxsim_cli_test.sh <oxsim> <program.elf> <configs dir> <launch_kernels.elf>
set -u
oxsim=$1 program=$2 configs=$3 kernels=$4
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
expect "unknown kernel" 2 "no function 'nope'" "$oxsim" --kernel nope "$kernels"
expect "bad grid" 2 "X\[,Y\[,Z\]\]" "$oxsim" --kernel read_ids --grid 0 "$kernels"
expect "too large a CTA" 2 "hardware threads" "$oxsim" --config edge --kernel read_ids --block 1024 "$kernels"
expect "faulting kernel" 125 "CTA (2,0,0) warp 1 (exec mask 0xffffffff): trap" \
  "$oxsim" --kernel trap_in_cta2 --grid 4 --block 64 "$kernels"
expect "kernel launch" 0 - "$oxsim" --config edge --kernel read_ids --grid 3 --block 40 \
  --dump out_ids:u32:13 --counters "$tmp/counters.json" "$kernels"
# out_ids[0..12] of CTA 0 warp 0: ctaid 0, warpid 0, 2 warps, 40 threads, all lanes valid, ...
if [ "$(tr '\n' ' ' <"$tmp/out")" != "0 0 2 40 4294967295 0 0 0 4294967295 3 1024 4294967295 4294967295 " ]; then
  echo "FAIL: kernel dump: $(tr '\n' ' ' <"$tmp/out")"; failures=$((failures + 1))
fi
for key in '"machine": "edge"' '"lane_utilization"' '"shared_bank_conflicts"' '"cycles"' '"bound"'; do
  grep -q "$key" "$tmp/counters.json" || { echo "FAIL: counters lack $key"; failures=$((failures + 1)); }
done
[ "$failures" -eq 0 ] && echo "oxsim CLI: all checks passed"
exit "$failures"
