# Shared by the benchmarks of the large nvcc module (parse_bench.sh, translate_bench.sh):
# paths, generation of the module, and best-of-N timing with peak RSS. Sourced, not run.
# Env: CUDA_HOME (default /usr/local/cuda). The sourcing script sets BUILD_ARG (its optional
# build-directory argument).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_ARG:-$ROOT/build}"
CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
SRC="$ROOT/bench/large_module.cu"
PTX="$BUILD/bench/large_module.ptx"
PTX2OX="$BUILD/bin/ptx2ox"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

[[ -x "$PTX2OX" ]] || { echo "error: $PTX2OX not found (build first)" >&2; exit 2; }

# (a) Generate the module only when missing or stale: nvcc takes about a minute.
if [[ ! -f "$PTX" || "$SRC" -nt "$PTX" ]]; then
    mkdir -p "$(dirname "$PTX")"
    echo "generating $PTX ..."
    # Write to a temporary name so that an interrupted run leaves no truncated module behind.
    TIMEFORMAT='nvcc: %R s'
    time "$CUDA_HOME/bin/nvcc" -arch=sm_80 -ptx -o "$PTX.tmp" "$SRC"
    mv "$PTX.tmp" "$PTX"
fi

# GNU time gives peak RSS; without it (Debian package `time`) fall back to bash's `time`.
if [[ -x /usr/bin/time ]]; then
    HAVE_GNU_TIME=1
else
    HAVE_GNU_TIME=0
    echo "note: /usr/bin/time missing (apt-get install time); peak RSS will not be measured" >&2
fi

# lt A B: true if A < B (floating point).
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# measure RUNS LOG CMD...: run CMD up to RUNS times, keeping the best wall time (BEST_S) and the
# largest peak RSS in KB (PEAK_KB, empty without GNU time).  Stops at, and returns, the first
# non-zero exit status; the command's output goes to LOG.  Best-of-N filters out noise from
# other processes; peak RSS hardly varies between runs.
measure() {
    local runs=$1 log=$2; shift 2
    local i rc s kb
    BEST_S="" PEAK_KB=""
    for ((i = 0; i < runs; i++)); do
        rc=0
        if ((HAVE_GNU_TIME)); then
            /usr/bin/time -o "$TMP/time" -f '%e %M' "$@" >"$log" 2>&1 || rc=$?
            read -r s kb < <(tail -n 1 "$TMP/time")   # last line: GNU time may prepend a status line
        else
            TIMEFORMAT=%R
            { time "$@" >"$log" 2>&1 || rc=$?; } 2>"$TMP/time"
            s=$(<"$TMP/time") kb=""
        fi
        ((rc == 0)) || return $rc
        if [[ -z "$BEST_S" ]] || lt "$s" "$BEST_S"; then BEST_S=$s; fi
        if [[ -n "$kb" ]] && ((kb > ${PEAK_KB:-0})); then PEAK_KB=$kb; fi
        # A run over 20 s (e.g. ptxas) is long enough to be stable: don't repeat it.
        if lt 20 "$BEST_S"; then break; fi
    done
    return 0
}

SIZE_MB=$(awk -v b="$(stat -c %s "$PTX")" 'BEGIN { printf "%.3f", b / 1048576 }')
echo "input: $PTX ($SIZE_MB MB, $(grep -c '^\.visible \.entry' "$PTX") kernels)"
