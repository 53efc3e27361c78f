#!/usr/bin/env bash
# Simulator speed: the same RV64 program on oxsim and on qemu-riscv64 (user mode, a JIT), wall
# time and simulated instructions per second. Prints a ratio; asserts nothing.
# usage: bench/sim_bench.sh [build-dir]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
OXSIM="$BUILD/bin/oxsim"
QEMU="$(command -v qemu-riscv64 || true)"
[[ -x "$OXSIM" ]] || { echo "error: $OXSIM not found (build first)" >&2; exit 2; }
[[ -n "$QEMU" ]] || { echo "error: qemu-riscv64 not installed (apt-get install qemu-user)" >&2; exit 2; }

ELF="$BUILD/bench/scalar_mix.elf"
mkdir -p "$(dirname "$ELF")"
clang-19 --target=riscv64-unknown-elf -march=rv64imafd_zba_zbb -mabi=lp64d -O2 -nostdlib -static \
  -ffreestanding -fuse-ld=lld -I "$ROOT/tests/sim/programs" "$ROOT/bench/sim/scalar_mix.c" -o "$ELF"

# Best of 3 wall-clock runs each; both must print the same result.
best() { # best <command...>: prints the best wall time in seconds
  local best="" t
  for _ in 1 2 3; do
    t=$( { /usr/bin/time -f '%e' "$@" >/dev/null; } 2>&1 | tail -n 1 )
    if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
  done
  echo "$best"
}
[[ "$("$OXSIM" "$ELF")" == "$("$QEMU" "$ELF")" ]] || { echo "FAIL: outputs differ" >&2; exit 1; }
INSTRUCTIONS=$("$OXSIM" --stats "$ELF" 2>&1 >/dev/null | awk '/instructions executed/ { print $2 }')
OX_S=$(best "$OXSIM" "$ELF")
QEMU_S=$(best "$QEMU" "$ELF")
awk -v n="$INSTRUCTIONS" -v o="$OX_S" -v q="$QEMU_S" 'BEGIN {
  printf "program: scalar_mix (%d instructions)\n", n
  printf "%-8s %8s %12s\n", "tool", "seconds", "MIPS"
  printf "%-8s %8.2f %12.1f\n", "oxsim", o, n / o / 1e6
  printf "%-8s %8.2f %12.1f\n", "qemu", q, n / q / 1e6
  printf "oxsim/qemu speed: %.2fx\n", q / o
}'
