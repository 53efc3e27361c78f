// Executed corpus: ops_table.cu — one kernel per operation and type, every kernel against the
// same expression evaluated on the CPU (the table ops_table.inc is shared), bit-exact (nvcc
// builds it with -fmad=false, so float expressions are not contracted).
#include "ExecHarness.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <type_traits>
#include <bit>
#include <algorithm>

namespace oxptx::exec {
namespace {

template <typename T> std::vector<T> inputs(size_t n, unsigned seed, bool second) {
  std::mt19937_64 rng(seed);
  std::vector<T> v(n);
  for (size_t i = 0; i < n; ++i) {
    if constexpr (std::is_floating_point_v<T>) {
      std::uniform_real_distribution<double> d(-1000.0, 1000.0);
      v[i] = T(d(rng));
      if (i % 17 == 3)
        v[i] = T(0);
      if (i % 19 == 5)
        v[i] = -T(0);
      if (i % 23 == 7)
        v[i] = T(std::ldexp(d(rng), -40)); // tiny values
    } else {
      const T edges[] = {T(0), T(1), T(-1), std::numeric_limits<T>::min(), std::numeric_limits<T>::max(),
                         T(2), T(31), T(63)};
      v[i] = i % 5 == 0 ? edges[(i / 5 + second) % 8] : T(rng());
      if (i % 7 == 3 && second)
        v[i] = T(rng() % 64); // small shift counts and divisors
    }
  }
  return v;
}

template <typename T> bool same(T a, T b) {
  if constexpr (std::is_floating_point_v<T>)
    if (std::isnan(a) && std::isnan(b))
      return true;
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <typename T>
void runBinary(Harness &h, const runtime::Module &m, const char *kernel, std::function<T(T, T)> reference) {
  const int n = 300;
  auto a = inputs<T>(n, 91, false), b = inputs<T>(n, 92, true);
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.zeros<T>(n);
  h.launch(m, kernel, {3}, {128}, Params().add(da).add(db).add(dc).add(n));
  auto c = h.download<T>(dc, n);
  int wrong = 0;
  for (int i = 0; i < n && wrong < 5; ++i) {
    T e = reference(a[i], b[i]);
    if (!same(c[i], e)) {
      ++wrong;
      ADD_FAILURE() << kernel << " i = " << i << ": " << +a[i] << ", " << +b[i] << " gave " << +c[i]
                    << ", expected " << +e;
    }
  }
}

struct Case {
  const char *name;
  void (*run)(Harness &, const runtime::Module &);
};

#define BINARY(name, T, expr)                                                                      \
  {#name, [](Harness &h, const runtime::Module &m) {                                               \
     runBinary<T>(h, m, #name, [](T x, T y) -> T { return (expr); });                              \
   }},
const Case kCases[] = {
#include "ops_table.inc"
};
#undef BINARY

// Host versions of the CUDA intrinsics the conversion table uses (CUDA Math API definitions).
float __uint_as_float(uint32_t x) {
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}
int __popc(uint32_t x) { return std::popcount(x); }
int __popcll(uint64_t x) { return std::popcount(x); }
int __clz(int32_t x) { return std::countl_zero(uint32_t(x)); }
int __clzll(int64_t x) { return std::countl_zero(uint64_t(x)); }
uint32_t __brev(uint32_t x) {
  uint32_t r = 0;
  for (int i = 0; i < 32; ++i)
    r |= ((x >> i) & 1u) << (31 - i);
  return r;
}
int __ffs(int32_t x) { return x ? std::countr_zero(uint32_t(x)) + 1 : 0; }
uint32_t __byte_perm(uint32_t x, uint32_t y, uint32_t s) {
  uint64_t pool = uint64_t(y) << 32 | x;
  uint32_t r = 0;
  for (int n = 0; n < 4; ++n)
    r |= uint32_t((pool >> (8 * ((s >> (4 * n)) & 7))) & 0xff) << (8 * n);
  return r;
}
uint32_t __funnelshift_l(uint32_t lo, uint32_t hi, uint32_t shift) {
  return uint32_t(((uint64_t(hi) << 32 | lo) << (shift & 31)) >> 32);
}
uint32_t __funnelshift_rc(uint32_t lo, uint32_t hi, uint32_t shift) {
  return uint32_t((uint64_t(hi) << 32 | lo) >> std::min(shift, 32u));
}
int32_t __mul24(int32_t x, int32_t y) {
  auto s24 = [](int32_t v) { return int64_t(int32_t(uint32_t(v) << 8) >> 8); };
  return int32_t(uint32_t(uint64_t(s24(x) * s24(y))));
}
uint32_t __umul24(uint32_t x, uint32_t y) { return uint32_t(uint64_t(x & 0xffffff) * (y & 0xffffff)); }
uint32_t __umulhi(uint32_t x, uint32_t y) { return uint32_t((uint64_t(x) * y) >> 32); }
uint32_t __usad(uint32_t x, uint32_t y, uint32_t z) { return (x > y ? x - y : y - x) + z; }
int64_t __mul64hi(int64_t x, int64_t y) { return int64_t((__int128(x) * __int128(y)) >> 64); }
uint64_t __umul64hi(uint64_t x, uint64_t y) {
  return uint64_t((static_cast<unsigned __int128>(x) * y) >> 64);
}
uint32_t __urhadd(uint32_t x, uint32_t y) { return uint32_t((uint64_t(x) + y + 1) >> 1); }
uint32_t __uhadd(uint32_t x, uint32_t y) { return uint32_t((uint64_t(x) + y) >> 1); }
int32_t __rhadd(int32_t x, int32_t y) { return int32_t((int64_t(x) + y + 1) >> 1); }
int32_t __hadd(int32_t x, int32_t y) { return int32_t((int64_t(x) + y) >> 1); }
int32_t __mulhi(int32_t x, int32_t y) { return int32_t((int64_t(x) * y) >> 32); }
uint64_t __brevll(uint64_t x) { return uint64_t(__brev(uint32_t(x))) << 32 | __brev(uint32_t(x >> 32)); }
int __ffsll(int64_t x) { return x ? std::countr_zero(uint64_t(x)) + 1 : 0; }
uint32_t __sad(int32_t x, int32_t y, uint32_t z) { return uint32_t(x > y ? int64_t(x) - y : int64_t(y) - x) + z; }
float __saturatef(float x) { return std::isnan(x) || x <= 0.0f ? 0.0f : std::min(x, 1.0f); } // [+0, 1]
using std::isfinite;
using std::max;
using std::min;
using std::signbit;

template <typename From, typename To>
void runConvert(Harness &h, const runtime::Module &m, const char *kernel, std::function<To(From)> reference) {
  const int n = 300;
  auto in = inputs<From>(n, 93, false);
  uint64_t din = h.upload(in), dout = h.zeros<To>(n);
  h.launch(m, kernel, {3}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<To>(dout, n);
  int wrong = 0;
  for (int i = 0; i < n && wrong < 5; ++i) {
    To e = reference(in[i]);
    if (!same(out[i], e)) {
      ++wrong;
      ADD_FAILURE() << kernel << " i = " << i << ": " << +in[i] << " gave " << +out[i] << ", expected " << +e;
    }
  }
}

#define CONVERT(name, From, To, expr)                                                              \
  {#name, [](Harness &h, const runtime::Module &m) {                                               \
     runConvert<From, To>(h, m, #name, [](From x) -> To { return (expr); });                       \
   }},
const Case kConversions[] = {
#include "conversions_table.inc"
};
#undef CONVERT

/// |got − exact| in units of the last place of T at the exact value.
template <typename T> long double ulpsOff(T got, long double exact) {
  int exponent = std::ilogb(std::max(std::fabs(exact), (long double)std::numeric_limits<T>::min()));
  long double ulp = std::ldexp(1.0L, exponent - (std::numeric_limits<T>::digits - 1));
  return std::fabs((long double)got - exact) / ulp;
}

template <typename T>
void runMath(Harness &h, const runtime::Module &m, const char *kernel, std::function<T(T)>,
             std::function<long double(long double)> reference, double ulps, double lo, double hi) {
  const int n = 256;
  std::mt19937_64 rng(94);
  std::vector<T> in(n);
  bool logScale = lo > 0 && hi / lo > 1e3;
  for (int i = 0; i < n; ++i) {
    double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    in[i] = T(logScale ? lo * std::pow(hi / lo, u) : lo + (hi - lo) * u);
  }
  uint64_t din = h.upload(in), dout = h.zeros<T>(n);
  h.launch(m, kernel, {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<T>(dout, n);
  int wrong = 0;
  for (int i = 0; i < n && wrong < 5; ++i) {
    long double exact = reference(in[i]);
    if (std::isinf(exact) || std::fabs(exact) > std::numeric_limits<T>::max())
      continue; // overflow at the range's edge
    long double off = ulpsOff(out[i], exact);
    // results below the smallest normal: absolute error of ulps·(smallest subnormal step)
    if (!(off <= ulps + 0.5) &&
        !(std::fabs(exact) < std::numeric_limits<T>::min() &&
          std::fabs(out[i] - exact) <= (ulps + 1) * std::numeric_limits<T>::denorm_min())) {
      ++wrong;
      ADD_FAILURE() << kernel << "(" << in[i] << ") = " << out[i] << ", exact " << (double)exact << ": "
                    << (double)off << " ulp, documented bound " << ulps;
    }
  }
}

// The documented maximum is the error of the correctly rounded result plus the bound; the
// check allows the bound plus half an ulp (the exact value vs. its nearest representable).
#define MATH(name, T, expr, reference, ulps, lo, hi)                                               \
  {#name, [](Harness &h, const runtime::Module &m) {                                               \
     runMath<T>(h, m, #name, nullptr, [](long double x) -> long double { return (reference); }, ulps, lo, hi); \
   }},
const Case kMathFunctions[] = {
#include "math_table.inc"
};
#undef MATH

class OpsTable : public BothBackends {};
INSTANTIATE_TEST_SUITE_P(Backends, OpsTable, ::testing::Bool(), backendName);

TEST_P(OpsTable, MathLibraryWithinItsDocumentedUlpBounds) {
  auto module = h.load("math_table");
  ASSERT_TRUE(module);
  for (const Case &c : kMathFunctions) {
    SCOPED_TRACE(c.name);
    c.run(h, *module);
  }
}

TEST_P(OpsTable, EveryConversionMatchesTheCpu) {
  auto module = h.load("conversions_table");
  ASSERT_TRUE(module);
  for (const Case &c : kConversions) {
    SCOPED_TRACE(c.name);
    c.run(h, *module);
  }
}

TEST_P(OpsTable, EveryOperationMatchesTheCpu) {
  auto module = h.load("ops_table");
  ASSERT_TRUE(module);
  for (const Case &c : kCases) {
    SCOPED_TRACE(c.name);
    c.run(h, *module);
  }
}

} // namespace
} // namespace oxptx::exec

namespace oxptx::exec {
namespace {

class SimdVideo : public BothBackends {};
INSTANTIATE_TEST_SUITE_P(Backends, SimdVideo, ::testing::Bool(), backendName);

TEST_P(SimdVideo, ByteAndHalfWordIntrinsics) {
  auto module = h.load("simd_video");
  ASSERT_TRUE(module);
  const int n = 256;
  std::mt19937 rng(131);
  std::vector<uint32_t> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    a[i] = uint32_t(rng());
    b[i] = i % 9 == 0 ? a[i] : uint32_t(rng());
  }
  uint64_t da = h.upload(a), db = h.upload(b), dout = h.zeros<uint32_t>(4 * n);
  h.launch(*module, "simd_bytes", {2}, {128}, Params().add(da).add(db).add(dout).add(n));
  auto out = h.download<uint32_t>(dout, 4 * n);
  for (int i = 0; i < n; ++i) {
    uint32_t absdiff = 0, sad = 0, add = 0, max2 = 0;
    for (int k = 0; k < 4; ++k) {
      int x = (a[i] >> (8 * k)) & 0xff, y = (b[i] >> (8 * k)) & 0xff;
      absdiff |= uint32_t(std::abs(x - y)) << (8 * k);
      sad += uint32_t(std::abs(x - y));
      add |= uint32_t((x + y) & 0xff) << (8 * k);
    }
    for (int k = 0; k < 2; ++k) {
      int x = int16_t(a[i] >> (16 * k)), y = int16_t(b[i] >> (16 * k));
      max2 |= uint32_t(std::max(x, y) & 0xffff) << (16 * k);
    }
    EXPECT_EQ(out[4 * i], absdiff) << i;
    EXPECT_EQ(out[4 * i + 1], sad) << i;
    EXPECT_EQ(out[4 * i + 2], add) << i;
    EXPECT_EQ(out[4 * i + 3], max2) << i;
  }
}

} // namespace
} // namespace oxptx::exec
