// The Xox tensor engine (docs/oxcore-isa.md §3.7): ox.mma, D = A x B + D over fragments in
// vector register groups, for f16/bf16/tf32/f64 and s8/u8/s4/u4/b1 inputs with f32/f16/f64/s32
// accumulators. All 32 lanes take part (v0 and vl are ignored); the arithmetic is the document's
// bit-exact sequence (fma in ascending k, exact integer sums).
#pragma once

#include "sim/Decoder.h"
#include "sim/VectorUnit.h"

#include <optional>

namespace oxptx::sim {

struct Hart;

bool isMmaInstruction(Insn insn);

/// The shape and register groups of an ox.mma row.
struct MmaKind {
  unsigned mmaClass; // 0 f16, 1 bf16, 2 tf32, 3 f64, 4 int8, 5 int4, 6 b1
  bool accumulator16; // f16 C/D
  unsigned m, n, k;
  unsigned aRegs, bRegs, cdRegs;
};
MmaKind mmaKind(Insn insn);

std::optional<VectorTrap> executeMma(Hart &hart, const Decoded &d);

} // namespace oxptx::sim
