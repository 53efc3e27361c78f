// Executed corpus: math_approx.cu, the .approx functions against long double references within
// the PTX ISA's error bounds (ex2: 2 ulp relative; lg2: 2^-22 absolute plus 2 ulp; sin/cos:
// 2^-20.5 (0x1.6a09e6p-21) absolute on [-π, π]; tanh: 2^-11 relative), and the fast-math intrinsics built on them.
#include "ExecHarness.h"

#include <cmath>
#include <random>

namespace oxptx::exec {
namespace {

class MathApprox : public BothBackends {
protected:
  void SetUp() override { module = h.load("math_approx"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, MathApprox, ::testing::Bool(), backendName);

double ulp(double v) { return std::ldexp(1.0, std::ilogb(std::max(std::fabs(v), 0x1p-126)) - 23); }

TEST_P(MathApprox, FunctionsWithinThePtxBounds) {
  std::vector<float> in;
  std::mt19937 rng(51);
  std::uniform_real_distribution<float> wide(-120.0f, 120.0f), unit(-3.14159f, 3.14159f),
      small(-0.1f, 0.1f);
  for (int i = 0; i < 320; ++i)
    in.push_back(i % 3 == 0 ? wide(rng) : i % 3 == 1 ? unit(rng) : small(rng));
  for (float special : {0.0f, -0.0f, 1.0f, 2.0f, 0.5f, 1e-40f, 127.9f, 128.0f, -149.5f, -160.0f,
                        INFINITY, -INFINITY, NAN, 3.14159265f, -3.14159265f, 1e-4f, 9.5f, -20.0f})
    in.push_back(special);
  int n = int(in.size());
  uint64_t din = h.upload(in), dout = h.zeros<float>(5 * n);
  h.launch(*module, "approx_f32", {uint32_t(n + 127) / 128}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<float>(dout, 5 * n);
  for (int i = 0; i < n; ++i) {
    long double x = in[i];
    float ex2 = out[5 * i], lg2 = out[5 * i + 1], sn = out[5 * i + 2], cs = out[5 * i + 3], th = out[5 * i + 4];
    long double e = exp2l(x);
    if (std::isnan(in[i])) {
      EXPECT_TRUE(std::isnan(ex2) && std::isnan(lg2) && std::isnan(sn) && std::isnan(cs) && std::isnan(th)) << i;
      continue;
    }
    if (e > 0x1.fffffep127L)
      EXPECT_EQ(ex2, INFINITY) << "ex2 " << in[i];
    else if (e < 0x1p-126L) // subnormal results: absolute error of 2 subnormal steps
      EXPECT_LE(std::fabs(ex2 - e), 0x1p-148L) << "ex2 " << in[i];
    else
      EXPECT_LE(std::fabs(ex2 - e), 2 * ulp(double(e))) << "ex2 " << in[i] << " got " << ex2;
    if (in[i] < 0)
      EXPECT_TRUE(std::isnan(lg2)) << "lg2 " << in[i];
    else if (in[i] == 0)
      EXPECT_EQ(lg2, -INFINITY);
    else if (std::isinf(in[i]))
      EXPECT_EQ(lg2, INFINITY);
    else {
      long double l = log2l(x);
      EXPECT_LE(std::fabs(lg2 - l), 0x1p-22L + 2 * ulp(double(l))) << "lg2 " << in[i] << " got " << lg2;
    }
    if (std::isinf(in[i])) {
      EXPECT_TRUE(std::isnan(sn) && std::isnan(cs)) << in[i];
      EXPECT_EQ(th, std::copysign(1.0f, in[i]));
      continue;
    }
    double trigBound = std::fabs(in[i]) <= 3.1416f ? 0x1.6a09e6p-21 : 0x1p-18;
    EXPECT_LE(std::fabs(sn - sinl(x)), trigBound) << "sin " << in[i] << " got " << sn;
    EXPECT_LE(std::fabs(cs - cosl(x)), trigBound) << "cos " << in[i] << " got " << cs;
    long double t = tanhl(x);
    EXPECT_LE(std::fabs(th - t), std::max<long double>(std::fabs(t) * 0x1p-11L, 0x1p-126L)) << "tanh " << in[i];
  }
}

TEST_P(MathApprox, FastMathIntrinsics) {
  std::vector<float> in;
  std::mt19937 rng(52);
  std::uniform_real_distribution<float> d(-30.0f, 30.0f);
  for (int i = 0; i < 200; ++i)
    in.push_back(d(rng));
  int n = int(in.size());
  uint64_t din = h.upload(in), dout = h.zeros<float>(3 * n);
  h.launch(*module, "fast_intrinsics", {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<float>(dout, 3 * n);
  for (int i = 0; i < n; ++i) {
    long double x = in[i];
    // CUDA documents __expf's error as 2 + floor(|1.173·x|) ulp, __logf's as 2^-21.41 absolute
    // (x in [0.5, 2]) or 3 ulp, __powf's as derived from both: generous relative bounds here
    long double e = expl(x), l = logl(std::fabs(x) + 1e-3L), p = powl(std::fabs(x) + 0.5L, 1.5L);
    EXPECT_LE(std::fabs(out[3 * i] - e), (2 + std::floor(std::fabs(1.173 * in[i]))) * ulp(double(e))) << in[i];
    EXPECT_LE(std::fabs(out[3 * i + 1] - l), 0x1p-21L + 3 * ulp(double(l))) << in[i];
    EXPECT_LE(std::fabs(out[3 * i + 2] - p), p * 0x1p-19L) << in[i];
  }
}

} // namespace
} // namespace oxptx::exec
