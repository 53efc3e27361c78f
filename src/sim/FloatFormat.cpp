#include "sim/FloatFormat.h"

#include "sim/FloatOps.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace oxptx::sim {
namespace {

struct FormatInfo {
  unsigned width, fractionBits;
  int bias;
};
constexpr FormatInfo kFormats[] = {{16, 10, 15}, {32, 23, 127}, {64, 52, 1023}, {16, 7, 127}};

const FormatInfo &info(FpFormat format) { return kFormats[size_t(format)]; }

uint64_t exponentField(const FormatInfo &f, uint64_t bits) {
  return bits >> f.fractionBits & ((uint64_t(1) << (f.width - f.fractionBits - 1)) - 1);
}
uint64_t fractionField(const FormatInfo &f, uint64_t bits) {
  return bits & ((uint64_t(1) << f.fractionBits) - 1);
}
uint64_t maxExponentField(const FormatInfo &f) { return (uint64_t(1) << (f.width - f.fractionBits - 1)) - 1; }
bool signOf(const FormatInfo &f, uint64_t bits) { return bits >> (f.width - 1) & 1; }

/// A finite nonzero x87 value as significand * 2^exponent with the significand's top bit set.
struct Unpacked {
  uint64_t significand;
  int exponent; // of the significand's lowest bit
};

Unpacked unpack(long double value) {
  uint64_t significand;
  uint16_t signExponent;
  std::memcpy(&significand, &value, 8);
  std::memcpy(&signExponent, reinterpret_cast<const char *>(&value) + 8, 2);
  int biased = signExponent & 0x7fff;
  int exponent = (biased ? biased : 1) - 16383 - 63;
  int shift = std::countl_zero(significand); // nonzero for x87 denormals only
  return {significand << shift, exponent - shift};
}

/// significand * 2^exponent rounded to an integer multiple of 2^ulpExponent under rm.
struct Quantized {
  uint64_t quotient;
  bool inexact;
};
Quantized quantize(const Unpacked &u, int ulpExponent, bool sticky, bool negative, unsigned rm) {
  int shift = ulpExponent - u.exponent;
  unsigned __int128 significand = u.significand, q, rem, half;
  if (shift <= 0) {
    return {u.significand << -shift, sticky};
  } else if (shift >= 127) {
    q = 0, rem = 1, half = 2; // far below half an ulp, nonzero
  } else {
    q = significand >> shift;
    rem = significand & ((static_cast<unsigned __int128>(1) << shift) - 1);
    half = static_cast<unsigned __int128>(1) << (shift - 1);
  }
  bool inexact = rem != 0 || sticky;
  bool up = false;
  switch (rm) {
  case kRne: up = rem > half || (rem == half && (sticky || (q & 1))); break;
  case kRtz: break;
  case kRdn: up = inexact && negative; break;
  case kRup: up = inexact && !negative; break;
  case kRmm: up = rem >= half; break;
  case kRod: q |= inexact ? 1 : 0; break;
  }
  return {uint64_t(q + (up ? 1 : 0)), inexact};
}

} // namespace

FpFormat fpFormatOfWidth(unsigned bits) {
  return bits == 16 ? FpFormat::Half : bits == 32 ? FpFormat::Single : FpFormat::Double;
}
unsigned fpWidth(FpFormat format) { return info(format).width; }

uint64_t fpCanonicalNaN(FpFormat format) {
  const FormatInfo &f = info(format);
  return maxExponentField(f) << f.fractionBits | uint64_t(1) << (f.fractionBits - 1);
}

bool fpIsNaN(FpFormat format, uint64_t bits) {
  const FormatInfo &f = info(format);
  return exponentField(f, bits) == maxExponentField(f) && fractionField(f, bits) != 0;
}

bool fpIsSignalingNaN(FpFormat format, uint64_t bits) {
  const FormatInfo &f = info(format);
  return fpIsNaN(format, bits) && !(bits >> (f.fractionBits - 1) & 1);
}

long double fpToLongDouble(FpFormat format, uint64_t bits) {
  switch (format) {
  case FpFormat::Single: return std::bit_cast<float>(uint32_t(bits));
  case FpFormat::Double: return std::bit_cast<double>(bits);
  case FpFormat::Half:
  case FpFormat::BFloat16: break;
  }
  const FormatInfo &f = info(format);
  uint64_t exponent = exponentField(f, bits), fraction = fractionField(f, bits);
  long double magnitude;
  if (exponent == maxExponentField(f))
    magnitude = fraction ? std::numeric_limits<long double>::quiet_NaN()
                         : std::numeric_limits<long double>::infinity();
  else if (exponent == 0)
    magnitude = std::ldexp(static_cast<long double>(fraction), 1 - f.bias - int(f.fractionBits));
  else
    magnitude = std::ldexp(static_cast<long double>(fraction | uint64_t(1) << f.fractionBits),
                           int(exponent) - f.bias - int(f.fractionBits));
  return signOf(f, bits) ? -magnitude : magnitude;
}

namespace {
bool flushes(uint64_t control, FpFormat format) {
  return (format == FpFormat::Single && (control & 1)) || (format == FpFormat::Half && (control & 2));
}
bool isSubnormal(FpFormat format, uint64_t bits) {
  const FormatInfo &f = info(format);
  return exponentField(f, bits) == 0 && fractionField(f, bits) != 0;
}
} // namespace

uint64_t FpControl::operand(FpFormat format, uint64_t value) const {
  if (flushes(bits, format) && isSubnormal(format, value))
    return value & (uint64_t(1) << (info(format).width - 1));
  return value;
}

uint64_t FpControl::result(FpFormat format, uint64_t value, uint8_t &flags) const {
  if (flushes(bits, format) && isSubnormal(format, value)) {
    flags |= kUnderflow | kInexact;
    return value & (uint64_t(1) << (info(format).width - 1));
  }
  if ((bits & 4) && value == fpCanonicalNaN(format) &&
      (format == FpFormat::Single || format == FpFormat::Half))
    return format == FpFormat::Single ? 0x7fffffff : 0x7fff;
  return value;
}

long double fpOperand(FpFormat format, uint64_t bits, uint8_t &flags) {
  if (fpIsSignalingNaN(format, bits))
    flags |= kInvalid;
  return fpToLongDouble(format, bits);
}

FpBits fpRound(FpFormat format, long double value, bool sticky, unsigned rm) {
  const FormatInfo &f = info(format);
  if (std::isnan(value))
    return {fpCanonicalNaN(format), 0};
  bool negative = std::signbit(value);
  uint64_t sign = uint64_t(negative) << (f.width - 1);
  uint64_t infinity = maxExponentField(f) << f.fractionBits;
  if (std::isinf(value))
    return {sign | infinity, 0};
  if (value == 0)
    return {sign, uint8_t(sticky ? kInexact : 0)};

  Unpacked u = unpack(value);
  int p = int(f.fractionBits) + 1;
  int emin = 1 - f.bias, emax = f.bias;
  int lead = u.exponent + 63; // exponent of the leading bit
  int ulpExponent = std::max(lead, emin) - int(f.fractionBits);
  Quantized r = quantize(u, ulpExponent, sticky, negative, rm);
  if (r.quotient >> p) { // rounding carried into a new binade
    r.quotient >>= 1;
    ++ulpExponent;
  }
  FpBits out;
  out.flags = r.inexact ? kInexact : 0;
  if (lead < emin) {
    // Tiny after rounding: the result, rounded with an unbounded exponent range, is below the
    // smallest normal.
    Quantized unbounded = quantize(u, lead - int(f.fractionBits), sticky, negative, rm);
    bool tiny = !(unbounded.quotient >> p) || lead + 1 < emin;
    if (tiny && r.inexact)
      out.flags |= kUnderflow;
  }
  uint64_t hidden = uint64_t(1) << f.fractionBits;
  if (r.quotient & hidden) {
    int resultLead = ulpExponent + int(f.fractionBits);
    if (resultLead > emax) {
      bool toInfinity = rm == kRne || rm == kRmm || (rm == kRdn && negative) ||
                        (rm == kRup && !negative);
      out.bits = sign | (toInfinity ? infinity : infinity - 1);
      out.flags |= kOverflow | kInexact;
      return out;
    }
    out.bits = sign | uint64_t(resultLead + f.bias) << f.fractionBits | (r.quotient - hidden);
  } else {
    out.bits = sign | r.quotient; // subnormal or zero
  }
  return out;
}

uint64_t fpMinMax(FpFormat f, bool isMax, uint64_t a, uint64_t b, uint8_t &flags) {
  if (fpIsSignalingNaN(f, a) || fpIsSignalingNaN(f, b))
    flags |= kInvalid;
  bool nanA = fpIsNaN(f, a), nanB = fpIsNaN(f, b);
  if (nanA && nanB)
    return fpCanonicalNaN(f);
  if (nanA || nanB)
    return nanA ? b : a;
  long double x = fpToLongDouble(f, a), y = fpToLongDouble(f, b);
  if (x == y) { // equal values, possibly zeros of different signs
    bool aNegative = std::signbit(x);
    return isMax ? (aNegative ? b : a) : (aNegative ? a : b);
  }
  return (isMax ? x > y : x < y) ? a : b;
}

bool fpCompare(FpFormat f, FpCompare kind, uint64_t a, uint64_t b, uint8_t &flags) {
  bool unordered = fpIsNaN(f, a) || fpIsNaN(f, b);
  bool quiet = kind == FpCompare::Eq || kind == FpCompare::Ne;
  if (quiet ? fpIsSignalingNaN(f, a) || fpIsSignalingNaN(f, b) : unordered)
    flags |= kInvalid;
  if (unordered)
    return kind == FpCompare::Ne;
  long double x = fpToLongDouble(f, a), y = fpToLongDouble(f, b);
  switch (kind) {
  case FpCompare::Eq: return x == y;
  case FpCompare::Ne: return x != y;
  case FpCompare::Lt: return x < y;
  case FpCompare::Le: return x <= y;
  case FpCompare::Gt: return x > y;
  case FpCompare::Ge: return x >= y;
  }
  return false;
}

namespace {

/// The estimate tables, from the rule they follow: each entry is the estimate at the midpoint
/// of its input interval, rounded to 7 fraction bits. For 1/x the index is the 7 leading
/// fraction bits; for 1/sqrt(x), the exponent's parity and the 6 leading fraction bits.
/// (Checked entry by entry against qemu-riscv64's tables by tests/sim/programs/vector_ops.c.)
struct EstimateTables {
  std::array<uint8_t, 128> reciprocal{}, reciprocalSqrt{};
  EstimateTables() {
    for (unsigned i = 0; i < 128; ++i) {
      double mid = 1 + (i + 0.5) / 128;
      reciprocal[i] = uint8_t(std::min(127.0, std::round((2 / mid - 1) * 128)));
      double midSqrt = (1 + ((i & 63) + 0.5) / 64) * (i & 64 ? 1 : 2);
      reciprocalSqrt[i] = uint8_t(std::min(127.0, std::round((2 / std::sqrt(midSqrt) - 1) * 128)));
    }
  }
};
const EstimateTables &estimateTables() {
  static const EstimateTables tables;
  return tables;
}

/// A nonzero finite value as a normalized fraction (leading 1 dropped) and a biased exponent that
/// may be 0 or negative for subnormals.
void normalize(const FormatInfo &f, uint64_t bits, uint64_t &fraction, int64_t &exponent) {
  fraction = fractionField(f, bits);
  exponent = int64_t(exponentField(f, bits));
  if (exponent == 0) {
    while (!(fraction >> (f.fractionBits - 1) & 1)) {
      fraction <<= 1;
      --exponent;
    }
    fraction = (fraction << 1) & ((uint64_t(1) << f.fractionBits) - 1);
  }
}

} // namespace

FpBits fpReciprocalEstimate(FpFormat format, uint64_t bits, unsigned rm) {
  const FormatInfo &f = info(format);
  uint64_t sign = bits & (uint64_t(1) << (f.width - 1));
  uint64_t infinity = maxExponentField(f) << f.fractionBits;
  if (fpIsNaN(format, bits))
    return {fpCanonicalNaN(format), uint8_t(fpIsSignalingNaN(format, bits) ? kInvalid : 0)};
  if ((bits & ~sign) == infinity)
    return {sign, 0};
  if ((bits & ~sign) == 0)
    return {sign | infinity, kDivByZero};
  uint64_t fraction;
  int64_t exponent;
  normalize(f, bits, fraction, exponent);
  int64_t outExponent = 2 * f.bias - 1 - exponent;
  if (outExponent > 2 * f.bias) { // 1/x overflows: infinity or the largest finite value
    bool toInfinity = rm == kRne || rm == kRmm || (rm == kRup && !sign) || (rm == kRdn && sign);
    return {sign | (toInfinity ? infinity : infinity - 1), uint8_t(kOverflow | kInexact)};
  }
  uint64_t estimate = estimateTables().reciprocal[fraction >> (f.fractionBits - 7)];
  uint64_t outFraction = estimate << (f.fractionBits - 7);
  if (outExponent <= 0) { // a subnormal result: the leading 1 moves into the fraction
    outFraction = (outFraction | uint64_t(1) << f.fractionBits) >> (1 - outExponent);
    outExponent = 0;
  }
  return {sign | uint64_t(outExponent) << f.fractionBits | outFraction, 0};
}

FpBits fpReciprocalSqrtEstimate(FpFormat format, uint64_t bits) {
  const FormatInfo &f = info(format);
  uint64_t sign = bits & (uint64_t(1) << (f.width - 1));
  uint64_t infinity = maxExponentField(f) << f.fractionBits;
  if ((bits & ~sign) == 0)
    return {sign | infinity, kDivByZero};
  if (fpIsNaN(format, bits) || sign) // NaNs and negative numbers, -infinity included
    return {fpCanonicalNaN(format),
            uint8_t(fpIsNaN(format, bits) && !fpIsSignalingNaN(format, bits) ? 0 : kInvalid)};
  if (bits == infinity)
    return {0, 0};
  uint64_t fraction;
  int64_t exponent;
  normalize(f, bits, fraction, exponent);
  unsigned index = unsigned((exponent & 1) << 6 | fraction >> (f.fractionBits - 6));
  int64_t outExponent = (3 * f.bias - 1 - exponent) / 2;
  uint64_t estimate = estimateTables().reciprocalSqrt[index];
  return {uint64_t(outExponent) << f.fractionBits | estimate << (f.fractionBits - 7), 0};
}

uint64_t fpClassify(FpFormat format, uint64_t bits) {
  const FormatInfo &f = info(format);
  bool negative = signOf(f, bits);
  uint64_t exponent = exponentField(f, bits), fraction = fractionField(f, bits);
  if (exponent == maxExponentField(f)) {
    if (fraction == 0)
      return negative ? 1u << 0 : 1u << 7;
    return fpIsSignalingNaN(format, bits) ? 1u << 8 : 1u << 9;
  }
  if (exponent == 0)
    return fraction == 0 ? (negative ? 1u << 3 : 1u << 4) : (negative ? 1u << 2 : 1u << 5);
  return negative ? 1u << 1 : 1u << 6;
}

FpBits fpToInteger(FpFormat format, uint64_t value, unsigned bits, bool isSigned, unsigned rm) {
  long double lo = isSigned ? -std::ldexp(1.0L, int(bits) - 1) : 0.0L;
  long double hi = isSigned ? std::ldexp(1.0L, int(bits) - 1) - 1 : std::ldexp(1.0L, int(bits)) - 1;
  uint64_t widthMask = bits == 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  auto saturated = [&](bool high) {
    long double limit = high ? hi : lo;
    uint64_t raw = isSigned ? uint64_t(static_cast<int64_t>(limit)) : static_cast<uint64_t>(limit);
    return FpBits{raw & widthMask, kInvalid};
  };
  if (fpIsNaN(format, value))
    return saturated(true);
  long double v = fpToLongDouble(format, value);
  if (std::isinf(v))
    return saturated(v > 0);
  // Round to an integer in software: truncation and the remainder are exact in x87 precision.
  long double whole = std::trunc(v), fraction = v - whole;
  bool odd = std::fmod(whole, 2.0L) != 0;
  long double step = 0;
  switch (rm) {
  case kRne:
    if (std::fabs(fraction) > 0.5L || (std::fabs(fraction) == 0.5L && odd))
      step = fraction > 0 ? 1 : -1;
    break;
  case kRtz: break;
  case kRdn: step = fraction < 0 ? -1 : 0; break;
  case kRup: step = fraction > 0 ? 1 : 0; break;
  case kRmm:
    if (std::fabs(fraction) >= 0.5L)
      step = fraction > 0 ? 1 : -1;
    break;
  }
  long double rounded = whole + step;
  if (rounded > hi || rounded < lo)
    return saturated(rounded > hi);
  uint64_t raw = isSigned ? uint64_t(static_cast<int64_t>(rounded)) : static_cast<uint64_t>(rounded);
  return {raw & widthMask, uint8_t(fraction != 0 ? kInexact : 0)};
}

} // namespace oxptx::sim
