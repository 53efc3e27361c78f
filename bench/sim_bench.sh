#!/usr/bin/env bash
# Simulator speed: the same RV64 programs on oxsim and on qemu-riscv64 (user mode, a JIT), wall
# time, simulated instructions per second and vector element operations (lane-operations) per
# second: a scalar workload and an auto-vectorized one (VLEN 1024). Prints ratios; asserts
# nothing.
# usage: bench/sim_bench.sh [build-dir]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
OXSIM="$BUILD/bin/oxsim"
QEMU="$(command -v qemu-riscv64 || true)"
[[ -x "$OXSIM" ]] || { echo "error: $OXSIM not found (build first)" >&2; exit 2; }
[[ -n "$QEMU" ]] || { echo "error: qemu-riscv64 not installed (apt-get install qemu-user)" >&2; exit 2; }

QEMU_CPU=rv64,v=true,vlen=1024,elen=64,vext_spec=v1.0,Zfh=true
mkdir -p "$BUILD/bench"

# Best of 3 wall-clock runs each; both must print the same result.
best() { # best <command...>: prints the best wall time in seconds
  local best="" t
  for _ in 1 2 3; do
    t=$( { /usr/bin/time -f '%e' "$@" >/dev/null; } 2>&1 | tail -n 1 )
    if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
  done
  echo "$best"
}

measure() { # measure <name> <march>
  local name=$1 elf="$BUILD/bench/$1.elf"
  clang-19 --target=riscv64-unknown-elf -march="$2" -mabi=lp64d -O2 -fno-math-errno -nostdlib \
    -static -ffreestanding -fuse-ld=lld -I "$ROOT/tests/sim/programs" "$ROOT/bench/sim/$name.c" \
    -o "$elf"
  [[ "$("$OXSIM" "$elf")" == "$("$QEMU" -cpu "$QEMU_CPU" "$elf")" ]] ||
    { echo "FAIL: $name: outputs differ" >&2; exit 1; }
  local instructions elements ox_s qemu_s stats
  stats=$("$OXSIM" --stats "$elf" 2>&1 >/dev/null)
  instructions=$(awk '/instructions executed/ { print $2 }' <<<"$stats")
  elements=$(awk '/instructions executed/ { print $5 }' <<<"$stats")
  ox_s=$(best "$OXSIM" "$elf")
  qemu_s=$(best "$QEMU" -cpu "$QEMU_CPU" "$elf")
  awk -v name="$name" -v n="$instructions" -v e="$elements" -v o="$ox_s" -v q="$qemu_s" 'BEGIN {
    printf "program: %s (%d instructions, %d vector element operations)\n", name, n, e
    printf "%-8s %8s %12s %16s\n", "tool", "seconds", "MIPS", "M lane-ops/s"
    printf "%-8s %8.2f %12.1f %16.1f\n", "oxsim", o, n / o / 1e6, e / o / 1e6
    printf "%-8s %8.2f %12.1f %16.1f\n", "qemu", q, n / q / 1e6, e / q / 1e6
    printf "oxsim/qemu speed: %.2fx\n\n", q / o
  }'
}

measure scalar_mix rv64imafd_zba_zbb
measure vector_mix rv64imafdv_zba_zbb_zfh_zvl1024b
