// RISC-V F, D and Zfh semantics as pure functions over register bit patterns: IEEE 754 results
// under an explicit rounding mode, RISC-V's canonical NaNs and NaN boxing, the saturating
// integer conversions, and the accrued exception flags. binary32/binary64 in the host's rounding
// modes are computed on the host FPU (this file is built with -frounding-math); binary16, rmm
// and conversions between formats go through FloatFormat's exact rounding.
#pragma once

#include "sim/Decoder.h"

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <optional>

namespace oxptx::sim {

/// fflags bits.
enum FpFlag : uint8_t { kInexact = 1, kUnderflow = 2, kOverflow = 4, kDivByZero = 8, kInvalid = 16 };

struct FpResult {
  uint64_t bits = 0;   // destination register value (f register bits, or x register value)
  uint8_t flags = 0;   // exceptions raised
};

/// Executes an F, D or Zfh instruction on register values (f registers as raw 64-bit, x
/// registers as values). `rm` is the resolved rounding mode (dyn already replaced by frm);
/// `fpctl` is ox.fpctl (flush-to-zero, NVIDIA NaNs). nullopt for an instruction this function
/// does not cover.
std::optional<FpResult> executeFloat(Insn insn, uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                                     uint64_t fpctl = 0);

/// The host's accrued floating-point exceptions as fflags bits.
uint8_t hostFloatFlags();
/// The host rounding mode (<cfenv>) for RISC-V rm 0-3; rmm (4) has none.
int hostRounding(unsigned rm);

/// a * b + c, raising invalid for infinity * 0 even when c is a quiet NaN (RISC-V requires it;
/// the C library's fma does not).
template <typename T> T fusedMultiplyAdd(T a, T b, T c) {
  if ((std::isinf(a) && b == 0) || (a == 0 && std::isinf(b)))
    std::feraiseexcept(FE_INVALID);
  return std::fma(a, b, c);
}

/// Whether `insn` is one executeFloat handles and what its operands/destination are.
struct FloatShape {
  bool handled = false;
  bool readsIntA = false;  // first source from an x register
  bool writesInt = false;  // destination is an x register
};
FloatShape floatShape(Insn insn);

} // namespace oxptx::sim
