#include "sim/FloatOps.h"

#include "sim/FloatFormat.h"

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
  ToOther, // fcvt between floating-point formats
};

struct Row {
  Insn insn;
  Op op;
  FpFormat format;                    // of the result, or of the operands for compares/moves
  FpFormat source = FpFormat::Single; // ToOther only
};

#define FP_ROWS(S, F)                                                                             \
  {Insn::FADD_##S, Op::Add, F}, {Insn::FSUB_##S, Op::Sub, F}, {Insn::FMUL_##S, Op::Mul, F},       \
      {Insn::FDIV_##S, Op::Div, F}, {Insn::FSQRT_##S, Op::Sqrt, F},                               \
      {Insn::FMADD_##S, Op::Madd, F}, {Insn::FMSUB_##S, Op::Msub, F},                             \
      {Insn::FNMSUB_##S, Op::Nmsub, F}, {Insn::FNMADD_##S, Op::Nmadd, F},                         \
      {Insn::FSGNJ_##S, Op::Sgnj, F}, {Insn::FSGNJN_##S, Op::Sgnjn, F},                           \
      {Insn::FSGNJX_##S, Op::Sgnjx, F}, {Insn::FMIN_##S, Op::Min, F},                             \
      {Insn::FMAX_##S, Op::Max, F}, {Insn::FEQ_##S, Op::Eq, F}, {Insn::FLT_##S, Op::Lt, F},       \
      {Insn::FLE_##S, Op::Le, F}, {Insn::FCLASS_##S, Op::Class, F},                               \
      {Insn::FMV_X_##S, Op::MvToInt, F}, {Insn::FMV_##S##_X, Op::MvFromInt, F},                   \
      {Insn::FCVT_W_##S, Op::ToW, F}, {Insn::FCVT_WU_##S, Op::ToWU, F},                           \
      {Insn::FCVT_L_##S, Op::ToL, F}, {Insn::FCVT_LU_##S, Op::ToLU, F},                           \
      {Insn::FCVT_##S##_W, Op::FromW, F}, {Insn::FCVT_##S##_WU, Op::FromWU, F},                   \
      {Insn::FCVT_##S##_L, Op::FromL, F}, {Insn::FCVT_##S##_LU, Op::FromLU, F}

constexpr Row kRows[] = {
    FP_ROWS(S, FpFormat::Single), FP_ROWS(D, FpFormat::Double), FP_ROWS(H, FpFormat::Half),
    {Insn::FCVT_S_D, Op::ToOther, FpFormat::Single, FpFormat::Double},
    {Insn::FCVT_D_S, Op::ToOther, FpFormat::Double, FpFormat::Single},
    {Insn::FCVT_S_H, Op::ToOther, FpFormat::Single, FpFormat::Half},
    {Insn::FCVT_H_S, Op::ToOther, FpFormat::Half, FpFormat::Single},
    {Insn::FCVT_D_H, Op::ToOther, FpFormat::Double, FpFormat::Half},
    {Insn::FCVT_H_D, Op::ToOther, FpFormat::Half, FpFormat::Double}};
#undef FP_ROWS

const Row *findRow(Insn insn) {
  for (const Row &row : kRows)
    if (row.insn == insn)
      return &row;
  return nullptr;
}

} // namespace

uint8_t hostFloatFlags() {
  int raised = std::fetestexcept(FE_ALL_EXCEPT);
  return uint8_t((raised & FE_INEXACT ? kInexact : 0) | (raised & FE_UNDERFLOW ? kUnderflow : 0) |
                 (raised & FE_OVERFLOW ? kOverflow : 0) |
                 (raised & FE_DIVBYZERO ? kDivByZero : 0) | (raised & FE_INVALID ? kInvalid : 0));
}

int hostRounding(unsigned rm) {
  static constexpr int kModes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
  return kModes[rm];
}

namespace {

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

/// Binary32/64 on the host FPU under rm 0-3.
template <typename T> FpResult execute(Op op, uint64_t ra, uint64_t rb, uint64_t rc, unsigned rm) {
  using Tr = Traits<T>;
  using Bits = typename Tr::Bits;
  T a = Tr::read(ra), b = Tr::read(rb), c = Tr::read(rc);
  FpResult r;
  bool arithmetic = op <= Op::Nmadd || (op >= Op::FromW && op <= Op::FromLU);
  if (arithmetic)
    std::fesetround(hostRounding(rm));
  std::feclearexcept(FE_ALL_EXCEPT);
  switch (op) {
  case Op::Add: r.bits = result<T>(a + b); break;
  case Op::Sub: r.bits = result<T>(a - b); break;
  case Op::Mul: r.bits = result<T>(a * b); break;
  case Op::Div: r.bits = result<T>(a / b); break;
  case Op::Sqrt: r.bits = result<T>(std::sqrt(a)); break;
  case Op::Madd: r.bits = result<T>(fusedMultiplyAdd(a, b, c)); break;
  case Op::Msub: r.bits = result<T>(fusedMultiplyAdd(a, b, -c)); break;
  case Op::Nmsub: r.bits = result<T>(fusedMultiplyAdd(-a, b, c)); break;
  case Op::Nmadd: r.bits = result<T>(fusedMultiplyAdd(-a, b, -c)); break;
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
  case Op::ToOther: break; // executeSoft
  }
  r.flags |= hostFloatFlags();
  return r;
}

/// A register's value in `format`: narrower values must be NaN-boxed (all ones above them),
/// otherwise they read as the canonical NaN.
uint64_t unbox(FpFormat format, uint64_t reg) {
  unsigned width = fpWidth(format);
  if (width == 64)
    return reg;
  uint64_t box = ~uint64_t(0) << width;
  return (reg & box) == box ? reg & ~box : fpCanonicalNaN(format);
}
uint64_t box(FpFormat format, uint64_t bits) {
  unsigned width = fpWidth(format);
  return width == 64 ? bits : (~uint64_t(0) << width) | bits;
}
uint64_t signExtend32(uint64_t v) { return uint64_t(int64_t(int32_t(uint32_t(v)))); }

/// Every operation in every format and rounding mode through FloatFormat's exact rounding:
/// binary16, rmm, and conversions between formats.
FpResult executeSoft(const Row &row, uint64_t ra, uint64_t rb, uint64_t rc, unsigned rm,
                     FpControl control) {
  FpFormat f = row.format;
  FpResult r;
  // ox.fpctl applies to the operands and results of the instructions that interpret values.
  bool moves = row.op == Op::Sgnj || row.op == Op::Sgnjn || row.op == Op::Sgnjx ||
               row.op == Op::Class || row.op == Op::MvToInt || row.op == Op::MvFromInt;
  FpControl ctl = moves ? FpControl{} : control;
  uint64_t a = ctl.operand(f, unbox(f, ra)), b = ctl.operand(f, unbox(f, rb)),
           c = ctl.operand(f, unbox(f, rc));
  auto rounded = [&](auto compute) {
    std::fesetround(FE_TOWARDZERO);
    FpBits x = fpEvaluate(f, rm, compute);
    std::fesetround(FE_TONEAREST);
    r.flags |= x.flags;
    r.bits = box(f, ctl.result(f, x.bits, r.flags));
    return r;
  };
  auto value = [&](uint64_t bits) { return fpOperand(f, bits, r.flags); };
  bool exact = f != FpFormat::Double;
  switch (row.op) {
  case Op::Add: return rounded([&] { return fpSum(value(a), value(b), rm); });
  case Op::Sub: return rounded([&] { return fpSum(value(a), -value(b), rm); });
  case Op::Mul: return rounded([&] { return value(a) * value(b); });
  case Op::Div: return rounded([&] { return value(a) / value(b); });
  case Op::Sqrt: return rounded([&] { return std::sqrt(value(a)); });
  case Op::Madd: return rounded([&] { return fpMultiplyAdd(value(a), value(b), value(c), rm, exact); });
  case Op::Msub: return rounded([&] { return fpMultiplyAdd(value(a), value(b), -value(c), rm, exact); });
  case Op::Nmsub: return rounded([&] { return fpMultiplyAdd(-value(a), value(b), value(c), rm, exact); });
  case Op::Nmadd: return rounded([&] { return fpMultiplyAdd(-value(a), value(b), -value(c), rm, exact); });
  case Op::Sgnj:
  case Op::Sgnjn:
  case Op::Sgnjx: {
    uint64_t sign = uint64_t(1) << (fpWidth(f) - 1);
    uint64_t s = row.op == Op::Sgnj ? b & sign : row.op == Op::Sgnjn ? ~b & sign : (a ^ b) & sign;
    r.bits = box(f, (a & ~sign) | s);
    return r;
  }
  case Op::Min:
  case Op::Max:
    r.bits = box(f, ctl.result(f, fpMinMax(f, row.op == Op::Max, a, b, r.flags), r.flags));
    return r;
  case Op::Eq: r.bits = fpCompare(f, FpCompare::Eq, a, b, r.flags); return r;
  case Op::Lt: r.bits = fpCompare(f, FpCompare::Lt, a, b, r.flags); return r;
  case Op::Le: r.bits = fpCompare(f, FpCompare::Le, a, b, r.flags); return r;
  case Op::Class: r.bits = fpClassify(f, a); return r;
  case Op::MvToInt: { // the register's low bits, sign-extended; no NaN-box check
    unsigned width = fpWidth(f);
    r.bits = width == 64 ? ra : uint64_t(int64_t(ra << (64 - width)) >> (64 - width));
    return r;
  }
  case Op::MvFromInt: r.bits = box(f, fpWidth(f) == 64 ? ra : ra & ~(~uint64_t(0) << fpWidth(f))); return r;
  case Op::ToW: case Op::ToWU: case Op::ToL: case Op::ToLU: {
    bool word = row.op == Op::ToW || row.op == Op::ToWU;
    FpBits x = fpToInteger(f, a, word ? 32 : 64, row.op == Op::ToW || row.op == Op::ToL, rm);
    r.bits = word ? signExtend32(x.bits) : x.bits; // 32-bit results sign-extend, unsigned too
    r.flags = x.flags;
    return r;
  }
  case Op::FromW: return rounded([&] { return static_cast<long double>(int32_t(ra)); });
  case Op::FromWU: return rounded([&] { return static_cast<long double>(uint32_t(ra)); });
  case Op::FromL: return rounded([&] { return static_cast<long double>(int64_t(ra)); });
  case Op::FromLU: return rounded([&] { return static_cast<long double>(ra); });
  case Op::ToOther: {
    uint64_t source = ctl.operand(row.source, unbox(row.source, ra));
    return rounded([&] { return fpOperand(row.source, source, r.flags); });
  }
  }
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

std::optional<FpResult> executeFloat(Insn insn, uint64_t a, uint64_t b, uint64_t c, unsigned rm,
                                     uint64_t fpctl) {
  const Row *row = findRow(insn);
  if (!row)
    return std::nullopt;
  // The host FPU is exact for binary32/64 in the modes it has; FloatFormat does the rest, and
  // everything ox.fpctl changes.
  FpControl control{fpctl};
  if (row->format == FpFormat::Half || row->op == Op::ToOther || rm == kRmm ||
      (control.active() && row->format != FpFormat::Double))
    return executeSoft(*row, a, b, c, rm, control);
  FpResult r = row->format == FpFormat::Double
                                  ? execute<double>(row->op, a, b, c, rm)
                                  : execute<float>(row->op, a, b, c, rm);
  std::fesetround(FE_TONEAREST);
  return r;
}

} // namespace oxptx::sim
