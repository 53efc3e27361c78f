#include "sim/FloatOps.h"

#include <bit>
#include <cfenv>
#include <cmath>
#include <cstring>
#include <limits>

namespace oxptx::sim {
namespace {

constexpr uint32_t kCanonicalNaN32 = 0x7fc00000u;
constexpr uint64_t kCanonicalNaN64 = 0x7ff8000000000000ull;
constexpr uint64_t kBox = 0xffffffff00000000ull;

enum class Op : uint8_t {
  Add, Sub, Mul, Div, Sqrt, Madd, Msub, Nmsub, Nmadd, Sgnj, Sgnjn, Sgnjx, Min, Max,
  Eq, Lt, Le, Class, MvToInt, MvFromInt, ToW, ToWU, ToL, ToLU, FromW, FromWU, FromL, FromLU,
  ToOther, // fcvt.s.d / fcvt.d.s
};

struct Row {
  Insn insn;
  Op op;
  bool isDouble;
};

#define FP_ROWS(S, isD)                                                                           \
  {Insn::FADD_##S, Op::Add, isD}, {Insn::FSUB_##S, Op::Sub, isD},                                 \
      {Insn::FMUL_##S, Op::Mul, isD}, {Insn::FDIV_##S, Op::Div, isD},                             \
      {Insn::FSQRT_##S, Op::Sqrt, isD}, {Insn::FMADD_##S, Op::Madd, isD},                         \
      {Insn::FMSUB_##S, Op::Msub, isD}, {Insn::FNMSUB_##S, Op::Nmsub, isD},                       \
      {Insn::FNMADD_##S, Op::Nmadd, isD}, {Insn::FSGNJ_##S, Op::Sgnj, isD},                       \
      {Insn::FSGNJN_##S, Op::Sgnjn, isD}, {Insn::FSGNJX_##S, Op::Sgnjx, isD},                     \
      {Insn::FMIN_##S, Op::Min, isD}, {Insn::FMAX_##S, Op::Max, isD},                             \
      {Insn::FEQ_##S, Op::Eq, isD}, {Insn::FLT_##S, Op::Lt, isD}, {Insn::FLE_##S, Op::Le, isD},   \
      {Insn::FCLASS_##S, Op::Class, isD}, {Insn::FMV_X_##S, Op::MvToInt, isD},                    \
      {Insn::FMV_##S##_X, Op::MvFromInt, isD}, {Insn::FCVT_W_##S, Op::ToW, isD},                  \
      {Insn::FCVT_WU_##S, Op::ToWU, isD}, {Insn::FCVT_L_##S, Op::ToL, isD},                       \
      {Insn::FCVT_LU_##S, Op::ToLU, isD}, {Insn::FCVT_##S##_W, Op::FromW, isD},                   \
      {Insn::FCVT_##S##_WU, Op::FromWU, isD}, {Insn::FCVT_##S##_L, Op::FromL, isD},               \
      {Insn::FCVT_##S##_LU, Op::FromLU, isD}

constexpr Row kRows[] = {FP_ROWS(S, false), FP_ROWS(D, true),
                         {Insn::FCVT_S_D, Op::ToOther, false},
                         {Insn::FCVT_D_S, Op::ToOther, true}};
#undef FP_ROWS

const Row *findRow(Insn insn) {
  for (const Row &row : kRows)
    if (row.insn == insn)
      return &row;
  return nullptr;
}

uint8_t hostFlags() {
  int raised = std::fetestexcept(FE_ALL_EXCEPT);
  return uint8_t((raised & FE_INEXACT ? kInexact : 0) | (raised & FE_UNDERFLOW ? kUnderflow : 0) |
                 (raised & FE_OVERFLOW ? kOverflow : 0) |
                 (raised & FE_DIVBYZERO ? kDivByZero : 0) | (raised & FE_INVALID ? kInvalid : 0));
}

/// Host rounding mode for rm 0-3; rmm (4) has no host equivalent.
int hostRounding(unsigned rm) {
  static constexpr int kModes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
  return rm < 4 ? kModes[rm] : -1;
}

template <typename T> struct Traits;
template <> struct Traits<float> {
  using Bits = uint32_t;
  static float read(uint64_t reg) { // NaN-boxing: an improperly boxed value reads as the NaN
    return std::bit_cast<float>((reg & kBox) == kBox ? uint32_t(reg) : kCanonicalNaN32);
  }
  static uint64_t write(float v) { return kBox | std::bit_cast<uint32_t>(v); }
  static uint64_t writeBits(uint32_t bits) { return kBox | bits; }
  static uint32_t rawBits(uint64_t reg) { return std::bit_cast<uint32_t>(read(reg)); }
  static constexpr uint64_t canonical = kBox | kCanonicalNaN32;
  static constexpr uint32_t sign = 0x80000000u;
  static constexpr uint32_t quietBit = 0x00400000u;
};
template <> struct Traits<double> {
  using Bits = uint64_t;
  static double read(uint64_t reg) { return std::bit_cast<double>(reg); }
  static uint64_t write(double v) { return std::bit_cast<uint64_t>(v); }
  static uint64_t writeBits(uint64_t bits) { return bits; }
  static uint64_t rawBits(uint64_t reg) { return reg; }
  static constexpr uint64_t canonical = kCanonicalNaN64;
  static constexpr uint64_t sign = 0x8000000000000000ull;
  static constexpr uint64_t quietBit = 0x0008000000000000ull;
};

template <typename T> bool isSignalingNaN(T v) {
  return std::isnan(v) && !(std::bit_cast<typename Traits<T>::Bits>(v) & Traits<T>::quietBit);
}

/// Arithmetic results: NaNs become RISC-V's canonical NaN.
template <typename T> uint64_t result(T v) {
  return std::isnan(v) ? Traits<T>::canonical : Traits<T>::write(v);
}

template <typename T> uint64_t classify(T v) {
  bool negative = std::signbit(v);
  switch (std::fpclassify(v)) {
  case FP_INFINITE: return negative ? 1u << 0 : 1u << 7;
  case FP_NORMAL: return negative ? 1u << 1 : 1u << 6;
  case FP_SUBNORMAL: return negative ? 1u << 2 : 1u << 5;
  case FP_ZERO: return negative ? 1u << 3 : 1u << 4;
  default: return isSignalingNaN(v) ? 1u << 8 : 1u << 9;
  }
}

/// fcvt to an integer type: round per rm, saturate, NaN gives the maximum (RISC-V rules).
template <typename I, typename T> FpResult toInteger(T v, unsigned rm) {
  FpResult r;
  long double rounded;
  if (std::isnan(v)) {
    rounded = std::numeric_limits<long double>::infinity();
  } else if (rm == 4) {
    rounded = std::round(static_cast<long double>(v)); // ties away from zero
  } else {
    std::fesetround(hostRounding(rm));
    rounded = std::nearbyint(static_cast<long double>(v));
  }
  constexpr long double lo = static_cast<long double>(std::numeric_limits<I>::min());
  constexpr long double hi = static_cast<long double>(std::numeric_limits<I>::max());
  I value;
  if (std::isnan(v) || rounded > hi) {
    value = std::numeric_limits<I>::max();
    r.flags = kInvalid;
  } else if (rounded < lo) {
    value = std::numeric_limits<I>::min();
    r.flags = kInvalid;
  } else {
    value = static_cast<I>(rounded);
    r.flags = rounded != static_cast<long double>(v) ? kInexact : 0;
  }
  // 32-bit results are sign-extended into the 64-bit register, unsigned ones too.
  if constexpr (sizeof(I) == 4)
    r.bits = uint64_t(int64_t(int32_t(uint32_t(value))));
  else
    r.bits = uint64_t(value);
  return r;
}

template <typename T> std::optional<FpResult> execute(Op op, uint64_t ra, uint64_t rb, uint64_t rc,
                                                      unsigned rm) {
  using Tr = Traits<T>;
  using Bits = typename Tr::Bits;
  T a = Tr::read(ra), b = Tr::read(rb), c = Tr::read(rc);
  FpResult r;
  bool arithmetic = op <= Op::Nmadd || (op >= Op::FromW && op <= Op::FromLU) ||
                    op == Op::ToOther;
  if (arithmetic) {
    int mode = hostRounding(rm);
    if (mode < 0)
      return std::nullopt; // rmm arithmetic: no host rounding mode for it
    std::fesetround(mode);
  }
  std::feclearexcept(FE_ALL_EXCEPT);
  switch (op) {
  case Op::Add: r.bits = result<T>(a + b); break;
  case Op::Sub: r.bits = result<T>(a - b); break;
  case Op::Mul: r.bits = result<T>(a * b); break;
  case Op::Div: r.bits = result<T>(a / b); break;
  case Op::Sqrt: r.bits = result<T>(std::sqrt(a)); break;
  case Op::Madd: r.bits = result<T>(std::fma(a, b, c)); break;
  case Op::Msub: r.bits = result<T>(std::fma(a, b, -c)); break;
  case Op::Nmsub: r.bits = result<T>(std::fma(-a, b, c)); break;
  case Op::Nmadd: r.bits = result<T>(std::fma(-a, b, -c)); break;
  case Op::Sgnj:
  case Op::Sgnjn:
  case Op::Sgnjx: {
    Bits x = Tr::rawBits(ra), y = Tr::rawBits(rb);
    Bits sign = op == Op::Sgnj ? (y & Tr::sign)
                : op == Op::Sgnjn ? (~y & Tr::sign)
                                  : ((x ^ y) & Tr::sign);
    r.bits = Tr::writeBits(Bits((x & ~Tr::sign) | sign));
    return r; // no flags, no canonicalization
  }
  case Op::Min:
  case Op::Max: {
    r.flags = isSignalingNaN(a) || isSignalingNaN(b) ? kInvalid : 0;
    if (std::isnan(a) && std::isnan(b))
      r.bits = Tr::canonical;
    else if (std::isnan(a) || std::isnan(b))
      r.bits = Tr::write(std::isnan(a) ? b : a);
    else if (a == b) // ±0: -0 is the smaller
      r.bits = Tr::write(op == Op::Min ? (std::signbit(a) ? a : b) : (std::signbit(a) ? b : a));
    else
      r.bits = Tr::write(op == Op::Min ? (a < b ? a : b) : (a > b ? a : b));
    return r;
  }
  case Op::Eq:
    r.flags = isSignalingNaN(a) || isSignalingNaN(b) ? kInvalid : 0;
    r.bits = a == b;
    return r;
  case Op::Lt:
  case Op::Le:
    r.flags = std::isnan(a) || std::isnan(b) ? kInvalid : 0;
    r.bits = op == Op::Lt ? a < b : a <= b;
    return r;
  case Op::Class: r.bits = classify(a); return r;
  case Op::MvToInt:
    r.bits = sizeof(T) == 4 ? uint64_t(int64_t(int32_t(uint32_t(ra)))) : ra;
    return r;
  case Op::MvFromInt: r.bits = Tr::writeBits(Bits(ra)); return r;
  case Op::ToW: return toInteger<int32_t>(a, rm);
  case Op::ToWU: return toInteger<uint32_t>(a, rm);
  case Op::ToL: return toInteger<int64_t>(a, rm);
  case Op::ToLU: return toInteger<uint64_t>(a, rm);
  case Op::FromW: r.bits = result<T>(static_cast<T>(int32_t(ra))); break;
  case Op::FromWU: r.bits = result<T>(static_cast<T>(uint32_t(ra))); break;
  case Op::FromL: r.bits = result<T>(static_cast<T>(int64_t(ra))); break;
  case Op::FromLU: r.bits = result<T>(static_cast<T>(ra)); break;
  case Op::ToOther:
    // T is the destination type; the source is the other precision.
    if constexpr (sizeof(T) == 4) {
      r.bits = result<float>(static_cast<float>(Traits<double>::read(ra)));
    } else {
      float source = Traits<float>::read(ra);
      r.flags = isSignalingNaN(source) ? kInvalid : 0;
      r.bits = result<double>(static_cast<double>(source));
      return r;
    }
    break;
  }
  r.flags |= hostFlags();
  return r;
}

} // namespace

FloatShape floatShape(Insn insn) {
  const Row *row = findRow(insn);
  if (!row)
    return {};
  FloatShape shape;
  shape.handled = true;
  shape.readsIntA = row->op == Op::MvFromInt || (row->op >= Op::FromW && row->op <= Op::FromLU);
  shape.writesInt = row->op == Op::Eq || row->op == Op::Lt || row->op == Op::Le ||
                    row->op == Op::Class || row->op == Op::MvToInt ||
                    (row->op >= Op::ToW && row->op <= Op::ToLU);
  return shape;
}

std::optional<FpResult> executeFloat(Insn insn, uint64_t a, uint64_t b, uint64_t c, unsigned rm) {
  const Row *row = findRow(insn);
  if (!row)
    return std::nullopt;
  std::optional<FpResult> r = row->isDouble ? execute<double>(row->op, a, b, c, rm)
                                            : execute<float>(row->op, a, b, c, rm);
  std::fesetround(FE_TONEAREST);
  return r;
}

} // namespace oxptx::sim
