// Executed corpus: mma.cu — mma.sync on the tensor unit against plain CPU matrix products
// (f32: fused multiply-adds in ascending k, OxCore's normative order, docs/oxcore-isa.md §3.7;
// s8: exact, saturated).
#include "ExecHarness.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <random>

namespace oxptx::exec {
namespace {

class Mma : public BothBackends {
protected:
  void SetUp() override { module = h.load("mma"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Mma, ::testing::Bool(), backendName);

TEST_P(Mma, F16InputsF32Accumulator) {
  std::mt19937 rng(111);
  std::uniform_real_distribution<float> d(-2.0f, 2.0f);
  std::vector<uint16_t> a(16 * 16), b(16 * 8);
  std::vector<float> av(16 * 16), bv(16 * 8), c(16 * 8);
  auto toHalf = [&](float x, float &value) {
    half h = half(x);
    value = float(h);
    return halfBits(h);
  };
  for (int i = 0; i < 16 * 16; ++i)
    a[i] = toHalf(d(rng), av[i]);
  for (int i = 0; i < 16 * 8; ++i)
    b[i] = toHalf(d(rng), bv[i]);
  for (float &x : c)
    x = d(rng);
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<float>(16 * 8);
  h.launch(*module, "mma_f16_f32", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto out = h.download<float>(dd, 16 * 8);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 8; ++n) {
      float acc = c[m * 8 + n];
      for (int k = 0; k < 16; ++k)
        acc = std::fma(av[m * 16 + k], bv[k * 8 + n], acc);
      EXPECT_EQ(out[m * 8 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Mma, S8InputsSaturatingS32Accumulator) {
  std::mt19937 rng(112);
  std::vector<int8_t> a(16 * 32), b(32 * 8);
  std::vector<int> c(16 * 8);
  for (int8_t &x : a)
    x = int8_t(rng());
  for (int8_t &x : b)
    x = int8_t(rng());
  for (int i = 0; i < 16 * 8; ++i) // some accumulators near the limits: saturation happens
    c[i] = i % 5 == 0 ? INT_MAX - 1000 : i % 7 == 0 ? INT_MIN + 1000 : int(rng() % 20001) - 10000;
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<int>(16 * 8);
  h.launch(*module, "mma_s8_s32", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto out = h.download<int>(dd, 16 * 8);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 8; ++n) {
      long long acc = c[m * 8 + n];
      for (int k = 0; k < 32; ++k)
        acc += int(a[m * 32 + k]) * int(b[k * 8 + n]);
      acc = std::min<long long>(std::max<long long>(acc, INT_MIN), INT_MAX);
      EXPECT_EQ(out[m * 8 + n], int(acc)) << "D[" << m << "][" << n << "]";
    }
}

} // namespace
} // namespace oxptx::exec

namespace oxptx::exec {
namespace {

class LdMatrix : public BothBackends {};
INSTANTIATE_TEST_SUITE_P(Backends, LdMatrix, ::testing::Bool(), backendName);

TEST_P(LdMatrix, RowsFromEveryLaneIntoFragments) {
  auto module = h.load("mma");
  ASSERT_TRUE(module);
  std::vector<uint16_t> in(4 * 8 * 12);
  for (size_t i = 0; i < in.size(); ++i)
    in[i] = uint16_t(i * 37 + 5);
  uint64_t din = h.upload(in), dout = h.zeros<uint32_t>(32 * 6);
  h.launch(*module, "ldmatrix_words", {1}, {32}, Params().add(din).add(dout));
  auto out = h.download<uint32_t>(dout, 32 * 6);
  // element (row, col) of matrix q: the row address lane 8q + row gave, plus 2·col bytes
  auto element = [&](int q, int row, int col) { return uint32_t(in[(8 * q + row) * 12 + col]); };
  for (int l = 0; l < 32; ++l) {
    for (int q = 0; q < 4; ++q) // lane l: row l/4, columns 2(l%4) and 2(l%4)+1
      EXPECT_EQ(out[l * 6 + q], element(q, l / 4, 2 * (l % 4)) | element(q, l / 4, 2 * (l % 4) + 1) << 16)
          << "lane " << l << " matrix " << q;
    for (int q = 0; q < 2; ++q) // .trans: rows 2(l%4) and 2(l%4)+1, column l/4
      EXPECT_EQ(out[l * 6 + 4 + q], element(q, 2 * (l % 4), l / 4) | element(q, 2 * (l % 4) + 1, l / 4) << 16)
          << "lane " << l << " transposed matrix " << q;
  }
}

} // namespace
} // namespace oxptx::exec

namespace oxptx::exec {
namespace {

class Wmma : public BothBackends {
protected:
  void SetUp() override { module = h.load("wmma"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Wmma, ::testing::Bool(), backendName);

TEST_P(Wmma, RowMajorAColumnMajorBF32Accumulator) {
  auto a = randomHalves(16 * 24, 121, 2.0f), b = randomHalves(16 * 16, 122, 2.0f); // A: lda 24
  std::vector<float> c(16 * 16);
  std::mt19937 rng(123);
  for (float &x : c)
    x = float(int(rng() % 200) - 100) / 16.0f;
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<float>(256);
  h.launch(*module, "wmma_row_col_f32", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<float>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) {
      float acc = c[m * 16 + n];
      for (int k = 0; k < 16; ++k) // A row-major with lda 24, B column-major with ldb 16
        acc = std::fma(float(fromBits(a[m * 24 + k])), float(fromBits(b[n * 16 + k])), acc);
      EXPECT_EQ(d[m * 16 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, ColumnMajorARowMajorBF16Accumulator) {
  auto a = randomHalves(256, 124, 2.0f), b = randomHalves(256, 125, 2.0f), c = randomHalves(256, 126, 2.0f);
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<uint16_t>(256);
  h.launch(*module, "wmma_col_row_f16", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<uint16_t>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) { // column-major A, C, D; row-major B
      float acc = float(fromBits(c[n * 16 + m]));
      for (int k = 0; k < 16; ++k)
        acc = std::fma(float(fromBits(a[k * 16 + m])), float(fromBits(b[k * 16 + n])), acc);
      EXPECT_EQ(d[n * 16 + m], halfBits(half(acc))) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, TiledGemmOverSeveralKSteps) {
  const int M = 32, N = 48, K = 64;
  auto a = randomHalves(M * K, 127, 2.0f), b = randomHalves(K * N, 128, 2.0f);
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.zeros<float>(M * N);
  const int warps = (M / 16) * (N / 16);
  h.launch(*module, "wmma_gemm", {1}, {uint32_t(warps * 32)}, Params().add(da).add(db).add(dc).add(M).add(N).add(K));
  auto c = h.download<float>(dc, M * N);
  for (int m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      float acc = 0.0f; // mma order: k ascending within each 16-step, steps in order
      for (int k = 0; k < K; ++k)
        acc = std::fma(float(fromBits(a[m * K + k])), float(fromBits(b[k * N + n])), acc);
      EXPECT_EQ(c[m * N + n], acc) << "C[" << m << "][" << n << "]";
    }
}

/// n bf16 values (as bits) that are multiples of 1/8 in [-4, 4]: exact in bf16, and their
/// products and sums are exact in f32, so the order of the tensor unit's sums does not matter.
std::vector<uint16_t> randomBf16(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<uint16_t> v(n);
  for (uint16_t &x : v) {
    float f = float(int(rng() % 65) - 32) / 8.0f;
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    x = uint16_t(bits >> 16); // exact: the low half is zero
  }
  return v;
}

float bf16Value(uint16_t bits) {
  uint32_t word = uint32_t(bits) << 16;
  float f;
  std::memcpy(&f, &word, 4);
  return f;
}

TEST_P(Wmma, Bf16InputsRowMajorAColumnMajorB) {
  auto a = randomBf16(256, 131), b = randomBf16(256, 132);
  std::vector<float> c(256);
  for (int i = 0; i < 256; ++i)
    c[i] = float(i % 13) - 6.0f;
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<float>(256);
  h.launch(*module, "wmma_bf16_row_col", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<float>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) {
      float acc = c[m * 16 + n];
      for (int k = 0; k < 16; ++k) // A[m][k] row-major, B[k][n] column-major
        acc += bf16Value(a[m * 16 + k]) * bf16Value(b[n * 16 + k]);
      EXPECT_EQ(d[m * 16 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, Bf16InputsColumnMajorARowMajorB) {
  auto a = randomBf16(256, 133), b = randomBf16(256, 134);
  uint64_t da = h.upload(a), db = h.upload(b), dd = h.zeros<float>(256);
  h.launch(*module, "wmma_bf16_col_row", {1}, {32}, Params().add(da).add(db).add(dd));
  auto d = h.download<float>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) {
      float acc = 0.0f;
      for (int k = 0; k < 16; ++k) // A[m][k] column-major, B[k][n] row-major
        acc += bf16Value(a[k * 16 + m]) * bf16Value(b[k * 16 + n]);
      EXPECT_EQ(d[n * 16 + m], acc) << "D[" << m << "][" << n << "] (stored column-major)";
    }
}

TEST_P(Wmma, Tf32InputsOverFourKSteps) {
  // multiples of 1/8 in [-4, 4]: exact in tf32, products and sums exact in f32
  std::mt19937 rng(135);
  std::vector<float> a(16 * 32), b(32 * 16);
  for (float &x : a)
    x = float(int(rng() % 65) - 32) / 8.0f;
  for (float &x : b)
    x = float(int(rng() % 65) - 32) / 8.0f;
  uint64_t da = h.upload(a), db = h.upload(b), dd = h.zeros<float>(256);
  h.launch(*module, "wmma_tf32", {1}, {32}, Params().add(da).add(db).add(dd));
  auto d = h.download<float>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) {
      float acc = 0.0f;
      for (int k = 0; k < 32; ++k) // A[m][k] row-major (lda 32), B[k][n] column-major (ldb 32)
        acc += a[m * 32 + k] * b[n * 32 + k];
      EXPECT_EQ(d[m * 16 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, S8InputsSaturatingS32Accumulator) {
  std::vector<int8_t> a(256), b(256);
  std::vector<int32_t> c(256);
  std::mt19937 rng(136);
  for (int8_t &x : a)
    x = int8_t(rng());
  for (int8_t &x : b)
    x = int8_t(rng());
  for (int i = 0; i < 256; ++i) // some accumulators near the limits: the sums saturate
    c[i] = i % 5 == 0 ? INT_MAX - 1000 : i % 5 == 1 ? INT_MIN + 1000 : int(rng() % 2001) - 1000;
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<int32_t>(256);
  h.launch(*module, "wmma_s8_satfinite", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<int32_t>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) {
      int64_t acc = c[m * 16 + n];
      for (int k = 0; k < 16; ++k) // A[m][k] row-major, B[k][n] column-major
        acc += int64_t(a[m * 16 + k]) * b[n * 16 + k];
      int64_t expected = std::clamp<int64_t>(acc, INT_MIN, INT_MAX);
      EXPECT_EQ(d[m * 16 + n], expected) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, U8InputsColumnMajorARowMajorB) {
  std::vector<uint8_t> a(256), b(256);
  std::mt19937 rng(137);
  for (uint8_t &x : a)
    x = uint8_t(rng());
  for (uint8_t &x : b)
    x = uint8_t(rng());
  uint64_t da = h.upload(a), db = h.upload(b), dd = h.zeros<int32_t>(256);
  h.launch(*module, "wmma_u8", {1}, {32}, Params().add(da).add(db).add(dd));
  auto d = h.download<int32_t>(dd, 256);
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 16; ++n) {
      int32_t acc = 0;
      for (int k = 0; k < 16; ++k) // A[m][k] column-major, B[k][n] row-major
        acc += int32_t(a[k * 16 + m]) * b[k * 16 + n];
      EXPECT_EQ(d[n * 16 + m], acc) << "D[" << m << "][" << n << "] (stored column-major)";
    }
}

TEST_P(Wmma, M32N8RowMajorAColumnMajorBF32Accumulator) {
  auto a = randomHalves(32 * 16, 138, 2.0f), b = randomHalves(16 * 8, 139, 2.0f);
  std::vector<float> c(32 * 8);
  for (int i = 0; i < 32 * 8; ++i)
    c[i] = float(i % 9) - 4.0f;
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<float>(32 * 8);
  h.launch(*module, "wmma_m32n8_f32", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<float>(dd, 32 * 8);
  for (int m = 0; m < 32; ++m)
    for (int n = 0; n < 8; ++n) {
      float acc = c[m * 8 + n];
      for (int k = 0; k < 16; ++k) // A row-major (lda 16), B column-major (ldb 16)
        acc = std::fma(float(fromBits(a[m * 16 + k])), float(fromBits(b[n * 16 + k])), acc);
      EXPECT_EQ(d[m * 8 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, M32N8ColumnMajorARowMajorBF16Accumulator) {
  auto a = randomHalves(16 * 32, 140, 2.0f), b = randomHalves(16 * 8, 141, 2.0f);
  uint64_t da = h.upload(a), db = h.upload(b), dd = h.zeros<uint16_t>(32 * 8);
  h.launch(*module, "wmma_m32n8_f16", {1}, {32}, Params().add(da).add(db).add(dd));
  auto d = h.download<uint16_t>(dd, 32 * 8);
  for (int m = 0; m < 32; ++m)
    for (int n = 0; n < 8; ++n) { // A column-major (lda 32), B row-major (ldb 8), D column-major
      float acc = 0.0f;
      for (int k = 0; k < 16; ++k)
        acc = std::fma(float(fromBits(a[k * 32 + m])), float(fromBits(b[k * 8 + n])), acc);
      EXPECT_EQ(d[n * 32 + m], halfBits(half(acc))) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, M8N32RowMajorF32Accumulator) {
  auto a = randomHalves(8 * 16, 142, 2.0f), b = randomHalves(16 * 32, 143, 2.0f);
  std::vector<float> c(8 * 32);
  for (int i = 0; i < 8 * 32; ++i)
    c[i] = float(i % 7) - 3.0f;
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<float>(8 * 32);
  h.launch(*module, "wmma_m8n32_f32", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<float>(dd, 8 * 32);
  for (int m = 0; m < 8; ++m)
    for (int n = 0; n < 32; ++n) {
      float acc = c[m * 32 + n];
      for (int k = 0; k < 16; ++k) // A row-major (lda 16), B row-major (ldb 32)
        acc = std::fma(float(fromBits(a[m * 16 + k])), float(fromBits(b[k * 32 + n])), acc);
      EXPECT_EQ(d[m * 32 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, M8N32U8ColumnMajor) {
  std::vector<uint8_t> a(16 * 8), b(32 * 16);
  std::mt19937 rng(144);
  for (uint8_t &x : a)
    x = uint8_t(rng());
  for (uint8_t &x : b)
    x = uint8_t(rng());
  uint64_t da = h.upload(a), db = h.upload(b), dd = h.zeros<int32_t>(8 * 32);
  h.launch(*module, "wmma_m8n32_u8", {1}, {32}, Params().add(da).add(db).add(dd));
  auto d = h.download<int32_t>(dd, 8 * 32);
  for (int m = 0; m < 8; ++m)
    for (int n = 0; n < 32; ++n) {
      int32_t acc = 7;
      for (int k = 0; k < 16; ++k) // A column-major (lda 8), B column-major (ldb 16), D column-major
        acc += int32_t(a[k * 8 + m]) * b[n * 16 + k];
      EXPECT_EQ(d[n * 8 + m], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, F64OverTwoKSteps) {
  std::mt19937 rng(145);
  std::vector<double> a(64), b(64), c(64);
  for (double &x : a)
    x = double(int(rng() % 65) - 32) / 8.0;
  for (double &x : b)
    x = double(int(rng() % 65) - 32) / 8.0;
  for (double &x : c)
    x = double(int(rng() % 201) - 100);
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.upload(c), dd = h.zeros<double>(64);
  h.launch(*module, "wmma_f64", {1}, {32}, Params().add(da).add(db).add(dc).add(dd));
  auto d = h.download<double>(dd, 64);
  for (int m = 0; m < 8; ++m)
    for (int n = 0; n < 8; ++n) {
      double acc = c[n * 8 + m]; // C column-major
      for (int k = 0; k < 8; ++k) // A row-major, B column-major (both ld 8): exact sums
        acc += a[m * 8 + k] * b[n * 8 + k];
      EXPECT_EQ(d[m * 8 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

TEST_P(Wmma, U4InputsM8N8K32) {
  std::vector<uint32_t> a(8 * 4), b(8 * 4); // 8 rows (columns) of 32 nibbles
  std::mt19937 rng(146);
  for (uint32_t &x : a)
    x = uint32_t(rng());
  for (uint32_t &x : b)
    x = uint32_t(rng());
  auto nibble = [](const std::vector<uint32_t> &m, int line, int k) { // element k of a 32-element line
    return int((m[line * 4 + k / 8] >> (4 * (k % 8))) & 15);
  };
  uint64_t da = h.upload(a), db = h.upload(b), dd = h.zeros<int32_t>(64);
  h.launch(*module, "wmma_u4", {1}, {32}, Params().add(da).add(db).add(dd));
  auto d = h.download<int32_t>(dd, 64);
  for (int m = 0; m < 8; ++m)
    for (int n = 0; n < 8; ++n) {
      int acc = -5;
      for (int k = 0; k < 32; ++k) // A row-major: row m; B column-major: column n
        acc += nibble(a, m, k) * nibble(b, n, k);
      EXPECT_EQ(d[m * 8 + n], acc) << "D[" << m << "][" << n << "]";
    }
}

} // namespace
} // namespace oxptx::exec
