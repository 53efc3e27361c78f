#!/usr/bin/env bash
# Differential test: a RISC-V program must print the same and exit the same on oxsim as on
# qemu-riscv64 (Debian qemu-user), the independent oracle for the standard ISA.
# usage: qemu_diff.sh <oxsim> <qemu-riscv64 or empty> <program.elf>
set -u
oxsim=$1 qemu=$2 program=$3
if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
  echo "qemu-riscv64 not installed: skipped"; exit 77
fi
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
# OxCore's configuration: V with VLEN 1024 and ELEN 64, Zfh (qemu 7.2 has no Zvfh).
cpu=rv64,v=true,vlen=1024,elen=64,vext_spec=v1.0,Zfh=true
"$qemu" -cpu "$cpu" "$program" >"$tmp/qemu.out"; qemu_status=$?
"$oxsim" "$program" >"$tmp/oxsim.out"; oxsim_status=$?
if [ "$qemu_status" -ne "$oxsim_status" ]; then
  echo "FAIL: exit status qemu $qemu_status, oxsim $oxsim_status"; exit 1
fi
if ! cmp -s "$tmp/qemu.out" "$tmp/oxsim.out"; then
  echo "FAIL: output differs (< qemu, > oxsim)"; diff "$tmp/qemu.out" "$tmp/oxsim.out" | head -20
  exit 1
fi
echo "same output ($(wc -c <"$tmp/qemu.out") bytes) and exit status $qemu_status"
