#!/usr/bin/env bash
# Installs every Debian package oxptx needs to build and test. Idempotent: packages that are
# already present are skipped, so `make demo` / `make test` can call it on every run cheaply.
set -euo pipefail

packages=(
  cmake ninja-build g++ make pkg-config
  default-jre-headless antlr4 libantlr4-runtime-dev   # grammar/PTX.g4 -> C++ at build time
  llvm-19-dev llvm-19-tools                           # LLVM C++ API (shared libLLVM), FileCheck
  clang-19 libclang-rt-19-dev lld-19                  # libFuzzer; RISC-V test programs
  qemu-user                                           # qemu-riscv64: the simulator's oracle
  libgtest-dev libgmock-dev
  libboost-program-options-dev
  libtomlplusplus-dev                                 # OxQuilt machine configuration files
  nlohmann-json3-dev                                  # counters and reports as JSON
  libzstd-dev liblz4-dev                              # compressed PTX in CUDA fatbinaries (shim)
  nettle-dev                                          # MD2/HMAC of cudart's integrity check (shim)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
