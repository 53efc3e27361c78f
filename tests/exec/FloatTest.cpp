// Executed corpus: float_rounding.cu and half_math.cu against host references computed under
// the same rounding modes and with _Float16 for halves. The references use x87 extended
// precision: each operation is rounded to 64 bits, then to the target format, in the same
// directed mode, which equals one rounding to the target (directed roundings compose). x87
// arithmetic honours fesetround on every host this runs on, while some virtual machines ignore
// MXCSR's rounding control for SSE (this file is built with -frounding-math).
#include "ExecHarness.h"

#include <cfenv>
#include <cmath>
#include <cstring>
#include <random>

namespace oxptx::exec {
namespace {

template <typename T = float, typename F> T inMode(int mode, F f) {
  std::fesetround(mode);
  volatile long double wide = f();
  volatile T narrow = T(wide);
  std::fesetround(FE_TONEAREST);
  return narrow;
}

template <typename T> bool sameBits(T a, T b) { return std::memcmp(&a, &b, sizeof(T)) == 0; }

TEST(FloatRounding, F32DirectedModes) {
  Harness h;
  auto module = h.load("float_rounding");
  ASSERT_TRUE(module);
  const int n = 96;
  std::mt19937 rng(21);
  std::uniform_real_distribution<float> d(-1000.0f, 1000.0f);
  std::vector<float> a(n), b(n), c(n);
  for (int i = 0; i < n; ++i) {
    a[i] = d(rng) / 7.0f;
    b[i] = d(rng) / 3.0f + 0.25f;
    c[i] = d(rng) * 1e-3f;
  }
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dout = h.zeros<float>(12 * n);
  h.launch(*module, "f32_directed", {1}, {n}, Params().add(da).add(db).add(dc).add(dout).add(n));
  auto out = h.download<float>(dout, 12 * n);
  for (int i = 0; i < n; ++i) {
    volatile long double x = a[i], y = b[i], z = c[i];
    float expected[12] = {
        inMode(FE_TOWARDZERO, [&] { return x + y; }),
        inMode(FE_DOWNWARD, [&] { return x + y; }),
        inMode(FE_UPWARD, [&] { return x + y; }),
        inMode(FE_TOWARDZERO, [&] { return x * y; }),
        inMode(FE_DOWNWARD, [&] { return x * y; }),
        inMode(FE_UPWARD, [&] { return x * y; }),
        inMode(FE_TOWARDZERO, [&] { return x / y; }),
        inMode(FE_UPWARD, [&] { return x / y; }),
        inMode(FE_DOWNWARD, [&] { return sqrtl(fabsl(x)); }),
        inMode(FE_TOWARDZERO, [&] { return fmal(x, y, z); }),
        inMode(FE_UPWARD, [&] { return fmal(x, y, z); }),
        inMode(FE_DOWNWARD, [&] { return x - z; }),
    };
    for (int k = 0; k < 12; ++k)
      EXPECT_TRUE(sameBits(out[12 * i + k], expected[k]))
          << "i = " << i << " op " << k << ": " << out[12 * i + k] << " vs " << expected[k];
  }
}

TEST(FloatRounding, F64DirectedModesAndConversions) {
  Harness h;
  auto module = h.load("float_rounding");
  ASSERT_TRUE(module);
  const int n = 64;
  std::mt19937 rng(22);
  std::uniform_real_distribution<double> d(-1000.0, 1000.0);
  std::vector<double> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    a[i] = d(rng) / 7.0;
    b[i] = std::fabs(d(rng)) / 3.0 + 0.5;
  }
  uint64_t da = h.upload(a), db = h.upload(b), dout = h.zeros<double>(4 * n),
           dnarrow = h.zeros<float>(2 * n), dint = h.zeros<float>(3 * n);
  h.launch(*module, "f64_directed", {1}, {n},
           Params().add(da).add(db).add(dout).add(dnarrow).add(dint).add(n));
  auto out = h.download<double>(dout, 4 * n);
  auto narrow = h.download<float>(dnarrow, 2 * n);
  auto fromInt = h.download<float>(dint, 3 * n);
  for (int i = 0; i < n; ++i) {
    volatile long double x = a[i], y = b[i];
    double e[4] = {inMode<double>(FE_TOWARDZERO, [&] { return x + y; }),
                   inMode<double>(FE_UPWARD, [&] { return x * y; }),
                   inMode<double>(FE_DOWNWARD, [&] { return x / y; }),
                   inMode<double>(FE_TOWARDZERO, [&] { return fmal(x, y, x); })};
    for (int k = 0; k < 4; ++k)
      EXPECT_TRUE(sameBits(out[4 * i + k], e[k])) << "i = " << i << " op " << k;
    // the kernel's own round-to-nearest double operations, then the directed narrowing
    volatile long double product = double(a[i] * b[i]), quotient = double(a[i] / b[i]);
    EXPECT_TRUE(sameBits(narrow[2 * i], inMode(FE_TOWARDZERO, [&] { return product; }))) << i;
    EXPECT_TRUE(sameBits(narrow[2 * i + 1], inMode(FE_UPWARD, [&] { return quotient; }))) << i;
    volatile long double k = (long long)(a[i] * 1e6);
    volatile long double k32 = (int)(a[i] * 1e3);
    volatile long double u = (unsigned)(b[i] * 1e6 + 3.9e9);
    EXPECT_TRUE(sameBits(fromInt[3 * i], inMode(FE_TOWARDZERO, [&] { return k; }))) << i;
    EXPECT_TRUE(sameBits(fromInt[3 * i + 1], inMode(FE_DOWNWARD, [&] { return k32; }))) << i;
    EXPECT_TRUE(sameBits(fromInt[3 * i + 2], inMode(FE_UPWARD, [&] { return u; }))) << i;
  }
}

TEST(HalfMath, PackedHalf2ArithmeticAndConversions) {
  Harness h;
  auto module = h.load("half_math");
  ASSERT_TRUE(module);
  const int n = 100; // half2 elements
  auto a = randomHalves(2 * n, 31, 8.0f), b = randomHalves(2 * n, 32, 8.0f);
  uint64_t da = h.upload(a), db = h.upload(b), dsum = h.zeros<uint16_t>(2 * n),
           dprod = h.zeros<uint16_t>(2 * n), dfma = h.zeros<uint16_t>(2 * n),
           dwide = h.zeros<float>(2 * n);
  h.launch(*module, "half2_ops", {2}, {64},
           Params().add(da).add(db).add(dsum).add(dprod).add(dfma).add(dwide).add(n));
  auto sum = h.download<uint16_t>(dsum, 2 * n), prod = h.download<uint16_t>(dprod, 2 * n),
       fma = h.download<uint16_t>(dfma, 2 * n);
  auto wide = h.download<float>(dwide, 2 * n);
  for (int i = 0; i < 2 * n; ++i) {
    half x = fromBits(a[i]), y = fromBits(b[i]);
    half s = half(float(x) + float(y)), p = half(float(x) * float(y));
    // x*y + s is exact in x87 extended precision: one rounding to half, as fma does
    half f = half((long double)x * (long double)y + (long double)s);
    EXPECT_EQ(sum[i], halfBits(s)) << "element " << i;
    EXPECT_EQ(prod[i], halfBits(p)) << "element " << i;
    EXPECT_EQ(fma[i], halfBits(f)) << "element " << i;
  }
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(wide[2 * i], float(fromBits(a[2 * i])) + float(fromBits(b[2 * i + 1]))) << i;
    EXPECT_EQ(wide[2 * i + 1], float(half(float(fromBits(b[2 * i])) * 3.0f))) << i;
  }
}

TEST(HalfMath, ComparisonsAndMax) {
  Harness h;
  auto module = h.load("half_math");
  ASSERT_TRUE(module);
  const int n = 128;
  auto a = randomHalves(n, 41, 4.0f), b = randomHalves(n, 42, 4.0f);
  for (int i = 0; i < n; i += 7)
    b[i] = a[i]; // some equal pairs
  uint64_t da = h.upload(a), db = h.upload(b), dout = h.zeros<int>(n), dmax = h.zeros<uint16_t>(n);
  h.launch(*module, "half_compare", {2}, {64}, Params().add(da).add(db).add(dout).add(dmax).add(n));
  auto out = h.download<int>(dout, n);
  auto mx = h.download<uint16_t>(dmax, n);
  for (int i = 0; i < n; ++i) {
    half x = fromBits(a[i]), y = fromBits(b[i]);
    EXPECT_EQ(out[i], (x < y ? 1 : 0) | (x == y ? 2 : 0) | (x > y ? 4 : 0)) << i;
    EXPECT_EQ(fromBits(mx[i]), x > y ? x : y) << i;
  }
}

} // namespace
} // namespace oxptx::exec

namespace oxptx::exec {
namespace {

/// The bf16 nearest to x, ties to even, by comparing the two neighbours in double (independent
/// of any bit trick): bf16 values are the f32 values whose low 16 bits are zero.
uint16_t nearestBf16(double x) {
  float f = float(x); // exact for the values used here (products of bf16 need 16 bits, sums fit)
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  uint32_t down = bits & 0xFFFF0000u, up = down + 0x10000u;
  auto value = [](uint32_t b) {
    float v;
    std::memcpy(&v, &b, 4);
    return double(v);
  };
  double dDown = std::fabs(x - value(down)), dUp = std::fabs(x - value(up));
  uint32_t pick = dDown < dUp ? down : dUp < dDown ? up : ((down >> 16) & 1 ? up : down);
  return uint16_t(pick >> 16);
}

double bf16Value(uint16_t h) {
  uint32_t b = uint32_t(h) << 16;
  float v;
  std::memcpy(&v, &b, 4);
  return v;
}

class Bf16 : public BothBackends {};
INSTANTIATE_TEST_SUITE_P(Backends, Bf16, ::testing::Bool(), backendName);

TEST_P(Bf16, ConversionsAndArithmeticRoundOnce) {
  auto module = h.load("bf16_math");
  ASSERT_TRUE(module);
  const int n = 200;
  std::mt19937 rng(81);
  std::uniform_real_distribution<float> d(-50.0f, 50.0f);
  std::vector<float> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    a[i] = d(rng);
    b[i] = d(rng) * 0.37f;
  }
  uint64_t da = h.upload(a), db = h.upload(b), dout = h.zeros<uint16_t>(5 * n), dback = h.zeros<float>(n);
  h.launch(*module, "bf16_ops", {2}, {128}, Params().add(da).add(db).add(dout).add(dback).add(n));
  auto out = h.download<uint16_t>(dout, 5 * n);
  auto back = h.download<float>(dback, n);
  for (int i = 0; i < n; ++i) {
    uint16_t x = nearestBf16(a[i]), y = nearestBf16(b[i]);
    double vx = bf16Value(x), vy = bf16Value(y);
    // exact in double: sums and products of bf16 values (8-bit significands) in this range
    uint16_t e[5] = {x, nearestBf16(vx + vy), nearestBf16(vx * vy), nearestBf16(vx * vy + vx),
                     vx > vy ? x : y};
    for (int k = 0; k < 5; ++k)
      EXPECT_EQ(out[5 * i + k], e[k]) << "i = " << i << " op " << k;
    EXPECT_EQ(back[i], float(bf16Value(nearestBf16(vx - vy)))) << "i = " << i;
  }
}

} // namespace
} // namespace oxptx::exec
