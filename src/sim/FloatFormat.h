// IEEE 754 binary16/32/64 arithmetic for the vector engine under every RISC-V rounding mode,
// including round-to-nearest-ties-to-max-magnitude (rmm) and round-to-odd, which the host FPU
// lacks, and binary16, which it has no arithmetic for.
//
// How: an operation is computed on the host in x87 extended precision (64-bit significand)
// under round-toward-zero, and the host's inexact flag is kept as a sticky bit. That value is
// the exact result rounded to odd at 64 bits, and 64 >= 53 + 2, so rounding it once more to the
// target format (roundToFormat, in software) gives the correctly rounded result in every mode
// (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms using
// rounding to odd", 2008). Tininess is detected after rounding, as RISC-V specifies.
#pragma once

#include "sim/FloatOps.h"

#include <cfenv>
#include <cfloat>
#include <cmath>
#include <cstdint>

#if !defined(__x86_64__) || LDBL_MANT_DIG != 64
#error "FloatFormat computes in x87 extended precision: an x86-64 host is required"
#endif

namespace oxptx::sim {

enum class FpFormat : uint8_t { Half, Single, Double, BFloat16 };

/// Rounding modes as encoded in frm, plus round-to-odd (vfncvt.rod).
enum FpRounding : unsigned { kRne = 0, kRtz = 1, kRdn = 2, kRup = 3, kRmm = 4, kRod = 5 };

struct FpBits {
  uint64_t bits = 0;
  uint8_t flags = 0; // FpFlag bits
};

/// The format of a SEW-bit element (16, 32 or 64).
FpFormat fpFormatOfWidth(unsigned bits);
unsigned fpWidth(FpFormat format);
uint64_t fpCanonicalNaN(FpFormat format);
bool fpIsNaN(FpFormat format, uint64_t bits);
bool fpIsSignalingNaN(FpFormat format, uint64_t bits);

/// The exact value of `bits` (NaNs become a quiet NaN with the sign kept; use fpIsNaN first
/// where NaN payloads matter).
long double fpToLongDouble(FpFormat format, uint64_t bits);

/// Rounds `value` (with `sticky`: whether nonzero bits were lost below it, as after a
/// round-toward-zero host operation) to `format` under `rm`. NaN inputs give the canonical NaN.
FpBits fpRound(FpFormat format, long double value, bool sticky, unsigned rm);

/// vfrec7 / vfrsqrt7 (RVV 1.0 §13.10, §13.9): 7-bit estimates of 1/x and 1/sqrt(x), with the
/// special cases, subnormal inputs and outputs, and overflow (rm picks infinity or the largest
/// finite value) of the specification.
FpBits fpReciprocalEstimate(FpFormat format, uint64_t bits, unsigned rm);
FpBits fpReciprocalSqrtEstimate(FpFormat format, uint64_t bits);

/// The RISC-V fclass mask of a value.
uint64_t fpClassify(FpFormat format, uint64_t bits);

/// Rounds to an integer of `bits` width (signed or not) with RISC-V's saturation: NaN and
/// too-large values give the maximum, too-small values the minimum, both with `invalid`.
FpBits fpToInteger(FpFormat format, uint64_t value, unsigned bits, bool isSigned, unsigned rm);

/// fmin/fmax (IEEE 754-2019 minimumNumber/maximumNumber, -0 < +0): a NaN operand yields the
/// other one, two NaNs the canonical NaN; signaling NaNs raise invalid.
uint64_t fpMinMax(FpFormat format, bool isMax, uint64_t a, uint64_t b, uint8_t &flags);

/// Comparisons: Eq/Ne are quiet (invalid only for signaling NaNs), the others signal on any NaN.
enum class FpCompare : uint8_t { Eq, Ne, Lt, Le, Gt, Ge };
bool fpCompare(FpFormat format, FpCompare kind, uint64_t a, uint64_t b, uint8_t &flags);

/// x + y as computed under round-toward-zero, with the sign IEEE 754 gives an exact zero sum
/// under rm: -0 when rounding down unless both addends are +0 (the host, rounding toward zero,
/// follows the other modes' rule: +0 unless both addends are -0).
inline long double fpSum(long double x, long double y, unsigned rm) {
  long double sum = x + y;
  if (sum != 0 || rm != kRdn)
    return sum;
  bool bothPositiveZeros = x == 0 && y == 0 && !std::signbit(x) && !std::signbit(y);
  return bothPositiveZeros ? sum : -0.0L;
}

/// p * x + c for fpEvaluate, with an exact zero signed as fpSum does. `productExact`: p * x
/// fits x87 precision (binary32 or narrower operands); otherwise fmal rounds it once.
inline long double fpMultiplyAdd(long double p, long double x, long double c, unsigned rm,
                                 bool productExact) {
  long double product = p * x; // raises invalid for infinity * 0, which fmal may not
  if (productExact || std::isnan(product))
    return fpSum(product, c, rm);
  long double result = fmal(p, x, c);
  return result != 0 ? result : fpSum(product == 0 ? product : -c, c, rm);
}

/// ox.fpctl (docs/oxcore-isa.md §5): flush-to-zero for binary32 (bit 0) and binary16 (bit 1)
/// operands and results, and NVIDIA's canonical NaNs (bit 2). Applied by the instructions that
/// interpret values (arithmetic, min/max, compares, conversions), not by moves, sign injection
/// or classification.
struct FpControl {
  uint64_t bits = 0;
  bool active() const { return bits & 7; }
  /// An operand as the instruction sees it: a subnormal becomes a zero of the same sign.
  uint64_t operand(FpFormat format, uint64_t value) const;
  /// A result as written: a subnormal becomes a zero of the same sign (raising underflow and
  /// inexact); RISC-V's canonical NaN becomes NVIDIA's (0x7fffffff, 0x7fff).
  uint64_t result(FpFormat format, uint64_t value, uint8_t &flags) const;
};

/// The exact value of an operand, with `invalid` added to `flags` for a signaling NaN.
long double fpOperand(FpFormat format, uint64_t bits, uint8_t &flags);

/// Makes `value` opaque to the optimizer at this point: it must be re-read afterwards.
template <typename T> inline void fpOpaque(T &value) { asm volatile("" : "+m"(value)); }

/// Evaluates `compute` (a host long double expression) and rounds it into `format` under rm.
/// Precondition: the host rounds toward zero (std::fesetround(FE_TOWARDZERO)) and the calling
/// file is built with -frounding-math; the x87 inexact flag becomes the sticky bit. The x87
/// status word is cleared and read directly (fnclex/fnstsw): feclearexcept/fetestexcept also
/// save and restore the whole x87 environment, which made them most of the simulator's time.
/// `operands` are the values `compute` reads that were computed before the call: they are made
/// opaque after the status is cleared, so that the compiler cannot perform the operation (and
/// raise its flags) before that.
template <typename Compute, typename... Operands>
FpBits fpEvaluate(FpFormat format, unsigned rm, Compute &&compute, Operands &...operands) {
  asm volatile("fnclex");
  (fpOpaque(operands), ...);
  // Through a volatile: the compiler must finish the computation before the status is read
  // (without it, GCC sinks the x87 operation past the read).
  volatile long double result = compute();
  long double value = result;
  uint16_t status;
  asm volatile("fnstsw %0" : "=am"(status));
  constexpr uint16_t kX87Invalid = 0x01, kX87DivByZero = 0x04, kX87Inexact = 0x20;
  FpBits out = fpRound(format, value, status & kX87Inexact, rm);
  out.flags |= (status & kX87Invalid ? kInvalid : 0) | (status & kX87DivByZero ? kDivByZero : 0);
  return out;
}

} // namespace oxptx::sim
