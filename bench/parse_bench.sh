#!/usr/bin/env bash
# Parse benchmark: time `ptx2ox --check` on a large nvcc-generated PTX module, with ptxas as the
# baseline.  Reported targets (not asserted): >= 20 MB/s and peak RSS < 10x the input size.
#
# Usage: bench/parse_bench.sh [build-dir]        (default: <repo>/build)
# Env:   CUDA_HOME (default /usr/local/cuda)
# Exits non-zero if ptx2ox rejects the module: the parser must accept real nvcc output.
set -euo pipefail

BUILD_ARG="${1:-}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# (b) ptx2ox: any diagnostic on this module is a parser bug, so fail loudly.
if ! measure 3 "$TMP/ptx2ox.log" "$PTX2OX" --check "$PTX"; then
    echo "FAIL: ptx2ox rejected $PTX; first diagnostics:" >&2
    head -n 40 "$TMP/ptx2ox.log" >&2
    exit 1
fi
P_S=$BEST_S P_KB=$PEAK_KB

# (c) ptxas baseline (full compile to SASS, so it does far more than parse).
measure 3 "$TMP/ptxas.log" "$CUDA_HOME/bin/ptxas" -arch=sm_80 -o /dev/null "$PTX" ||
    { echo "warning: ptxas failed:" >&2; head -n 20 "$TMP/ptxas.log" >&2; }
X_S=$BEST_S X_KB=$PEAK_KB

# (d) Report.  Formatting in awk because bash has no floating point.
awk -v mb="$SIZE_MB" -v ps="$P_S" -v pk="$P_KB" -v xs="$X_S" -v xk="$X_KB" '
function rate(s)  { return s > 0 ? sprintf("%.1f", mb / s) : "inf" }
function rss(kb)  { return kb == "" ? "n/a" : sprintf("%.0f", kb / 1024) }
function ratio(kb){ return kb == "" ? "n/a" : sprintf("%.1fx", kb / 1024 / mb) }
BEGIN {
    printf "\n%-8s %10s %10s %10s %14s\n", "tool", "seconds", "MB/s", "peak MB", "RSS/input"
    printf "%-8s %10.2f %10s %10s %14s\n", "ptx2ox", ps, rate(ps), rss(pk), ratio(pk)
    if (xs != "") printf "%-8s %10.2f %10s %10s %14s\n", "ptxas", xs, rate(xs), rss(xk), ratio(xk)
    printf "\ninput %.1f MB; ptx2ox/ptxas speed: %s\n", mb, (xs != "" && ps > 0) ? sprintf("%.1fx", xs / ps) : "n/a"
    printf "targets (not asserted): >= 20 MB/s, RSS/input < 10x\n"
}'
