#!/usr/bin/env bash
# Regenerate and validate the PTX test corpus under tests/ptx_corpus/.
#
#   1. Compile every tests/ptx_corpus/cuda/*.cu with `nvcc -ptx` for sm_75, sm_80 and sm_90
#      (skipping archs below the file's `// min-arch: sm_XX` first line) into
#      tests/ptx_corpus/nvcc/<arch>/<name>.ptx.
#   2. Validate every generated PTX file and every tests/ptx_corpus/handwritten/*.ptx with ptxas.
#   3. Check that every tests/ptx_corpus/negative/*.ptx is REJECTED by ptxas, that each carries
#      `// expected-error: <phrase>` annotations with a known phrase, that every line ptxas reports
#      is annotated and (unless ptxas stopped at a fatal parse error) every annotated line is reported.
#
# Idempotent and deterministic: sources are compiled from a fixed staging directory so that the
# absolute paths embedded by -lineinfo / -G (.file directives, DWARF comp_dir) do not depend on
# where the repository is checked out.
#
# Usage: scripts/gen-corpus.sh [--check-only]     (--check-only: skip nvcc, only run ptxas checks)
# Env:   CUDA_HOME (default /usr/local/cuda)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="$ROOT/tests/ptx_corpus"
CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
NVCC="$CUDA_HOME/bin/nvcc"
PTXAS="$CUDA_HOME/bin/ptxas"
ARCHS=(sm_75 sm_80 sm_90)
DEFAULT_MIN_ARCH=sm_75

# Extra nvcc flags for selected files (basename without .cu).
LINEINFO_FILES=(int_arith functions_calls warp_shuffle async_copy)   # -> .file / .loc
DEBUG_FILES=(local_memory)                                           # -G -> DWARF .section blocks
RDC_FILES=(rdc_extern)                                               # -rdc=true -> .extern .func
FASTMATH_FILES=(library_fastmath)                                    # -use_fast_math -> .ftz, .approx

# Allowed phrases for `// expected-error:` annotations in negative/*.ptx.
PHRASES=("syntax error" "undeclared" "redeclared" "unknown instruction" "unknown modifier"
         "not allowed" "operand count" "type mismatch" "requires PTX ISA" "requires sm_")

STAGE=/tmp/oxptx-corpus-build   # fixed path on purpose (see header)
CHECK_ONLY=0
[[ "${1:-}" == "--check-only" ]] && CHECK_ONLY=1

die() { echo "gen-corpus: ERROR: $*" >&2; exit 1; }
in_list() { local x="$1"; shift; local e; for e in "$@"; do [[ "$e" == "$x" ]] && return 0; done; return 1; }
arch_num() { local a="${1#sm_}"; echo "${a%%[!0-9]*}"; }

[[ -x "$NVCC" ]] || die "nvcc not found at $NVCC"
[[ -x "$PTXAS" ]] || die "ptxas not found at $PTXAS"
shopt -s nullglob

# ptxas needs -c (relocatable) when a module references functions defined elsewhere.
ptxas_check() { # <arch> <file>  -> prints diagnostics, returns ptxas status
    local arch="$1" file="$2" extra=()
    if grep -Eq '^[[:space:]]*\.extern[[:space:]]+\.func' "$file"; then extra=(-c); fi
    "$PTXAS" -arch="$arch" "${extra[@]}" "$file" -o /dev/null 2>&1
}

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# ---------------------------------------------------------------- 1. nvcc -> PTX
if [[ $CHECK_ONLY -eq 0 ]]; then
    exec 9>"$STAGE.lock"
    flock 9
    rm -rf "$STAGE"
    mkdir -p "$STAGE/cuda"
    for arch in "${ARCHS[@]}"; do
        rm -rf "$CORPUS/nvcc/$arch"
        mkdir -p "$CORPUS/nvcc/$arch"
    done
    ngen=0
    for src in "$CORPUS"/cuda/*.cu; do
        name="$(basename "$src" .cu)"
        cp "$src" "$STAGE/cuda/$name.cu"
        min_arch="$(head -n1 "$src" | sed -n 's|^//[[:space:]]*min-arch:[[:space:]]*\(sm_[0-9a-z]*\).*|\1|p')"
        min_arch="${min_arch:-$DEFAULT_MIN_ARCH}"
        flags=()
        in_list "$name" "${LINEINFO_FILES[@]}" && flags+=(-lineinfo)
        in_list "$name" "${DEBUG_FILES[@]}" && flags+=(-G)
        in_list "$name" "${RDC_FILES[@]}" && flags+=(-rdc=true)
        in_list "$name" "${FASTMATH_FILES[@]}" && flags+=(-use_fast_math)
        for arch in "${ARCHS[@]}"; do
            (( $(arch_num "$arch") >= $(arch_num "$min_arch") )) || continue
            out="$CORPUS/nvcc/$arch/$name.ptx"
            echo "nvcc  $arch ${flags[*]:-} $name.cu"
            (cd "$STAGE/cuda" && "$NVCC" -arch="$arch" -ptx "${flags[@]}" "$name.cu" -o "$out") ||
                die "nvcc failed on $name.cu for $arch"
            ngen=$((ngen + 1))
        done
    done
    # the executed corpus (tests/ptx_corpus/exec): one optimized sm_80 build per source, plus
    # the flags of a first line `// nvcc-flags: ...`
    mkdir -p "$STAGE/exec" "$CORPUS/exec/ptx"
    rm -f "$CORPUS/exec/ptx"/*.ptx
    cp "$CORPUS"/exec/cuda/*.inc "$STAGE/exec/" 2>/dev/null || true
    for src in "$CORPUS"/exec/cuda/*.cu; do
        name="$(basename "$src" .cu)"
        cp "$src" "$STAGE/exec/$name.cu"
        read -r -a extra <<<"$(head -n1 "$src" | sed -n 's|^//[[:space:]]*nvcc-flags:[[:space:]]*||p')"
        echo "nvcc  sm_80 -O3 ${extra[*]:-} exec/$name.cu"
        (cd "$STAGE/exec" && "$NVCC" -arch=sm_80 -O3 "${extra[@]}" -ptx "$name.cu" -o "$CORPUS/exec/ptx/$name.ptx") ||
            die "nvcc failed on exec/$name.cu"
        ngen=$((ngen + 1))
    done
    rm -rf "$STAGE"
    echo "generated $ngen PTX files"
fi

# ---------------------------------------------------------------- 2. ptxas accepts positives
for arch in "${ARCHS[@]}"; do
    for f in "$CORPUS/nvcc/$arch"/*.ptx; do
        if ! msg="$(ptxas_check "$arch" "$f")"; then fail "ptxas rejected $f:"$'\n'"$msg"; fi
    done
done

target_arch() { # first sm_XX named on the .target line
    sed -n 's/^[[:space:]]*\.target[[:space:]]\+\(sm_[0-9a-z]*\).*/\1/p' "$1" | head -n1
}

for f in "$CORPUS"/exec/ptx/*.ptx; do
    if ! msg="$(ptxas_check sm_80 "$f")"; then fail "ptxas rejected $f:"$'\n'"$msg"; fi
done

for f in "$CORPUS"/handwritten/*.ptx; do
    arch="$(target_arch "$f")"
    [[ -n "$arch" ]] || { fail "$f has no .target sm_XX line"; continue; }
    if ! msg="$(ptxas_check "$arch" "$f")"; then fail "ptxas rejected handwritten $f:"$'\n'"$msg"; fi
done

# ---------------------------------------------------------------- 3. ptxas rejects negatives
for f in "$CORPUS"/negative/*.ptx; do
    arch="$(target_arch "$f")"
    arch="${arch:-sm_75}"
    # annotation sanity
    mapfile -t ann < <(grep -n 'expected-error:' "$f" | cut -d: -f1)
    [[ ${#ann[@]} -gt 0 ]] || { fail "$f has no // expected-error: annotation"; continue; }
    while IFS= read -r phrase; do
        in_list "$phrase" "${PHRASES[@]}" || fail "$f: unknown expected-error phrase '$phrase'"
    done < <(sed -n 's|.*//[[:space:]]*expected-error:[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$|\1|p' "$f")
    if msg="$(ptxas_check "$arch" "$f")"; then
        fail "ptxas ACCEPTED negative test $f"
        continue
    fi
    # every line ptxas complains about must be annotated; unless ptxas hit a fatal parse error (which
    # stops it early), every annotated line must also be reported.
    mapfile -t reported < <(printf '%s\n' "$msg" | sed -n 's/.*, line \([0-9]*\); \(error\|fatal\).*/\1/p' | sort -un)
    if [[ ${#reported[@]} -eq 0 ]]; then
        fail "$f: ptxas gave no line-numbered error:"$'\n'"$msg"
        continue
    fi
    for l in "${reported[@]}"; do
        in_list "$l" "${ann[@]}" || fail "$f: ptxas reports an error on line $l, which has no expected-error annotation:"$'\n'"$msg"
    done
    if ! printf '%s\n' "$msg" | grep -q 'Parsing error'; then
        for l in "${ann[@]}"; do
            in_list "$l" "${reported[@]}" || fail "$f: line $l is annotated but ptxas reports no error there:"$'\n'"$msg"
        done
    fi
done

npos=$(ls "$CORPUS"/nvcc/*/*.ptx "$CORPUS"/handwritten/*.ptx 2>/dev/null | wc -l)
nneg=$(ls "$CORPUS"/negative/*.ptx 2>/dev/null | wc -l)
if [[ $failures -ne 0 ]]; then
    die "$failures check(s) failed"
fi
echo "gen-corpus: OK ($npos PTX files accepted by ptxas, $nneg negative files rejected)"
