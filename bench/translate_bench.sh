#!/usr/bin/env bash
# Translation benchmark: time `ptx2ox --emit=llvm` (PTX to LLVM IR, at -O0 and -O2) on the large
# nvcc-generated module of the parse benchmark, with `ptxas -arch=sm_80` (PTX to SASS, its
# default -O3) on the same file as the baseline, and print where ptx2ox's time goes.
#
# Usage: bench/translate_bench.sh [build-dir]        (default: <repo>/build)
# Env:   CUDA_HOME (default /usr/local/cuda)
# Exits non-zero if ptx2ox does not translate every function of the module.
set -euo pipefail

BUILD_ARG="${1:-}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

for level in 0 2; do
    if ! measure 3 "$TMP/o$level.log" "$PTX2OX" --emit=llvm -O$level -o /dev/null "$PTX"; then
        echo "FAIL: ptx2ox -O$level did not translate $PTX; first diagnostics:" >&2
        head -n 20 "$TMP/o$level.log" >&2
        exit 1
    fi
    declare "S$level=$BEST_S" "KB$level=$PEAK_KB"
done

measure 1 "$TMP/ptxas.log" "$CUDA_HOME/bin/ptxas" -arch=sm_80 -o /dev/null "$PTX" ||
    { echo "warning: ptxas failed:" >&2; head -n 20 "$TMP/ptxas.log" >&2; }
X_S=$BEST_S X_KB=$PEAK_KB

awk -v mb="$SIZE_MB" -v s0="$S0" -v k0="$KB0" -v s2="$S2" -v k2="$KB2" -v xs="$X_S" -v xk="$X_KB" '
function rss(kb) { return kb == "" ? "n/a" : sprintf("%.0f", kb / 1024) }
function row(name, s, kb) { printf("%-22s %10.2f %10.1f %10s\n", name, s, (s > 0 ? mb / s : 0), rss(kb)) }
BEGIN {
    printf "\n%-22s %10s %10s %10s\n", "tool", "seconds", "MB/s", "peak MB"
    row("ptx2ox --emit=llvm -O0", s0, k0)
    row("ptx2ox --emit=llvm -O2", s2, k2)
    if (xs != "") row("ptxas -arch=sm_80", xs, xk)
    if (xs != "" && s0 > 0)
        printf "\nptxas / ptx2ox time: %.1fx at -O0, %.1fx at -O2\n", xs / s0, xs / s2
}'

echo
echo "ptx2ox -O0 stages (--time-passes, one run):"
"$PTX2OX" --emit=llvm -O0 --time-passes -o /dev/null "$PTX" 2>&1 |
    sed -n '/PTX to LLVM IR translation/,$p' | grep -E '^ +[0-9]' | awk '{ print "  " $0 }'
