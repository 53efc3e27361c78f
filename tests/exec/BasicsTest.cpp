// Executed corpus: tests/ptx_corpus/exec/cuda/basics.cu, each kernel against a CPU reference
// written here from the CUDA source's meaning (never from oxptx output).
#include "ExecHarness.h"

#include <bit>
#include <cstdint>
#include <random>

namespace oxptx::exec {
namespace {

std::vector<float> randomFloats(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-100.0f, 100.0f);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

class Basics : public BothBackends {
protected:
  void SetUp() override { module = h.load("basics"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Basics, ::testing::Bool(), backendName);

TEST_P(Basics, VectorAddWithPartialLastBlock) {
  const int n = 1000;
  auto a = randomFloats(n, 1), b = randomFloats(n, 2);
  uint64_t da = h.upload(a), db = h.upload(b), dc = h.zeros<float>(n);
  h.launch(*module, "vector_add", {4}, {256}, Params().add(da).add(db).add(dc).add(n));
  auto c = h.download<float>(dc, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(c[i], a[i] + b[i]) << "i = " << i;
}

TEST_P(Basics, Saxpy) {
  const int n = 777;
  auto x = randomFloats(n, 3), y = randomFloats(n, 4);
  uint64_t dx = h.upload(x), dy = h.upload(y);
  h.launch(*module, "saxpy", {7}, {128}, Params().add(n).add(2.5f).add(dx).add(dy));
  auto out = h.download<float>(dy, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], std::fma(2.5f, x[i], y[i])) << "i = " << i; // nvcc contracts to fma
}

TEST_P(Basics, DivergentIfElse) {
  const int n = 517;
  auto in = randomInts(n, -1000, 1000, 5);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "divergent_if_else", {5}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i) {
    int v = in[i], r;
    if (v % 3 == 0) {
      r = v * 2;
      if (v & 1)
        r += 100;
    } else if (v % 3 == 1) {
      r = v + 7;
    } else {
      r = -v;
      for (int k = 0; k < (v & 7); ++k)
        r += k * v;
    }
    ASSERT_EQ(out[i], r) << "i = " << i << ", v = " << v;
  }
}

TEST_P(Basics, DivergentLoopBreak) {
  const int n = 640;
  auto in = randomInts(n, 0, 100000, 6);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "divergent_loop_break", {5}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i) {
    int v = in[i], acc = 0;
    for (int j = 0; j < (v & 63); ++j) {
      acc += j ^ v;
      if (acc > 5000)
        break;
      if ((acc & 3) == 1)
        continue;
      acc += 3;
    }
    ASSERT_EQ(out[i], acc) << "i = " << i;
  }
}

TEST_P(Basics, NestedLoopsWithEarlyReturn) {
  const int n = 300;
  auto in = randomInts(n, -50, 5000, 7);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "nested_loops", {3}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i) {
    int v = in[i];
    int expected;
    if (v < 0) {
      expected = -1;
    } else {
      unsigned hsh = 2166136261u;
      bool stop = false;
      for (int a = 0; a < 4 && !stop; ++a)
        for (int b = 0; b < (v >> a) % 9; ++b) {
          hsh = (hsh ^ unsigned(a * 31 + b)) * 16777619u;
          if (hsh % 97 == 0) {
            stop = true;
            break;
          }
        }
      expected = int(hsh);
    }
    ASSERT_EQ(out[i], expected) << "i = " << i << " v = " << v;
  }
}

TEST_P(Basics, BlockReduceWithBarriersInALoop) {
  const int n = 1000, blocks = 4;
  std::vector<float> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = float(i % 17) - 3.0f; // small integers: every summation order is exact
  uint64_t din = h.upload(in), dout = h.zeros<float>(blocks);
  h.launch(*module, "block_reduce", {blocks}, {256}, Params().add(din).add(dout).add(n));
  auto out = h.download<float>(dout, blocks);
  for (int blk = 0; blk < blocks; ++blk) {
    float sum = 0;
    for (int i = blk * 256; i < std::min(n, (blk + 1) * 256); ++i)
      sum += in[i];
    ASSERT_EQ(out[blk], sum) << "block " << blk;
  }
}

TEST_P(Basics, WarpShufflesVotesAndBallots) {
  const int n = 256;
  auto in = randomInts(n, 0, 100, 8);
  uint64_t din = h.upload(in), sums = h.zeros<int>(8), ballots = h.zeros<unsigned>(8),
           votes = h.zeros<int>(8), xors = h.zeros<int>(n);
  h.launch(*module, "warp_ops", {2}, {128},
           Params().add(din).add(sums).add(ballots).add(votes).add(xors));
  auto s = h.download<int>(sums, 8);
  auto b = h.download<unsigned>(ballots, 8);
  auto v = h.download<int>(votes, 8);
  auto x = h.download<int>(xors, n);
  for (int w = 0; w < 8; ++w) {
    int sum = 0, x0 = 0, any = 0, all = 1;
    unsigned ballot = 0;
    for (int l = 0; l < 32; ++l) {
      int e = in[w * 32 + l];
      sum += e;
      x0 ^= e;
      ballot |= unsigned(e > 50) << l;
      any |= e > 95;
      all &= e >= 0;
    }
    // shfl_down with full lanes: lane 0 sums all 32 values
    EXPECT_EQ(s[w], sum) << "warp " << w;
    EXPECT_EQ(b[w], ballot) << "warp " << w;
    EXPECT_EQ(v[w], any * 2 + all) << "warp " << w;
    for (int l = 0; l < 32; ++l) {
      int idx = (l * 7) & 31, up = l >= 3 ? l - 3 : l; // shfl_up below lane 3 keeps its own
      EXPECT_EQ(x[w * 32 + l], x0 + in[w * 32 + idx] + in[w * 32 + up]) << "warp " << w << " lane " << l;
    }
  }
}

TEST_P(Basics, HistogramAtomicsUnderContention) {
  const int n = 3000, nbins = 7;
  std::vector<unsigned> in(n);
  std::mt19937 rng(9);
  for (unsigned &x : in)
    x = rng();
  uint64_t din = h.upload(in), dbins = h.zeros<unsigned>(nbins);
  h.launch(*module, "histogram", {12}, {256}, Params().add(din).add(dbins).add(n).add(nbins));
  auto bins = h.download<unsigned>(dbins, nbins);
  std::vector<unsigned> expected(nbins);
  for (unsigned x : in)
    expected[x % nbins]++;
  EXPECT_EQ(bins, expected);
}

TEST_P(Basics, LocalArrayWithDynamicIndex) {
  const int n = 200;
  auto in = randomInts(n, -10000, 10000, 10);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "local_array", {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i) {
    int table[24];
    for (int k = 0; k < 24; ++k)
      table[k] = in[i] * (k + 1) - k;
    int idx = in[i] & 15, r = 0;
    for (int k = 0; k < 8; ++k)
      r += table[(idx + k * 5) % 24];
    ASSERT_EQ(out[i], r) << "i = " << i;
  }
}

TEST_P(Basics, SixtyFourBitIntegersAndDoubles) {
  const int n = 150;
  std::vector<long long> in(n);
  std::mt19937_64 rng(11);
  for (long long &x : in)
    x = (long long)(rng() >> 3) * ((rng() & 1) ? 1 : -1);
  uint64_t din = h.upload(in), dq = h.zeros<long long>(n), dd = h.zeros<double>(n);
  h.launch(*module, "wide_math", {2}, {96}, Params().add(din).add(dq).add(dd).add(n));
  auto q = h.download<long long>(dq, n);
  auto d = h.download<double>(dd, n);
  for (int i = 0; i < n; ++i) {
    long long v = in[i], divisor = (v % 13) + 14;
    EXPECT_EQ(q[i], v / divisor + (v % divisor) * 1000003LL) << "i = " << i;
    double x = double(v) * 1e-3;
    // nvcc contracts x*x*0.5 - x/3.0 + 1.0 into fmas: compare with the same contraction
    double expected = std::fma(x * x, 0.5, -(x / 3.0)) + 1.0;
    double alt = std::fma(x * x, 0.5, -(x / 3.0) + 1.0);
    double plain = x * x * 0.5 - x / 3.0 + 1.0;
    EXPECT_TRUE(d[i] == expected || d[i] == alt || d[i] == plain) << "i = " << i << ": " << d[i];
  }
}

TEST_P(Basics, ThreadIdsIn3DBlocksOfPartialWarps) {
  sim::Dim3 grid{3, 2, 1}, block{5, 3, 7}; // 105 threads: 3 full warps and one of 9 lanes
  unsigned threads = 105, blocks = 6;
  uint64_t dout = h.zeros<unsigned>(threads * blocks);
  h.launch(*module, "thread_ids_3d", grid, block, Params().add(dout));
  auto out = h.download<unsigned>(dout, threads * blocks);
  for (unsigned bz = 0, blk = 0; bz < 1; ++bz)
    for (unsigned by = 0; by < 2; ++by)
      for (unsigned bx = 0; bx < 3; ++bx, ++blk)
        for (unsigned z = 0; z < 7; ++z)
          for (unsigned y = 0; y < 3; ++y)
            for (unsigned x = 0; x < 5; ++x) {
              unsigned t = x + 5 * (y + 3 * z);
              ASSERT_EQ(out[blk * threads + t], (x << 20) | (y << 10) | z | (blk << 26))
                  << "block " << blk << " thread " << x << "," << y << "," << z;
            }
}

TEST_P(Basics, UniformLoopAroundADivergentSumFromMemory) {
  const int blocks = 2, threads = 256;
  auto in = randomInts(blocks * threads, -1000, 1000, 17);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * threads);
  h.launch(*module, "uniform_loop_divergent_sum", {blocks}, {threads}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, blocks * threads);
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t) {
      int v = t * 3 + 1;
      for (int s = threads / 2; s > 32; s >>= 1)
        if (t < s)
          v += in[b * threads + t + s] + in[t + s];
      ASSERT_EQ(out[b * threads + t], v) << "block " << b << " thread " << t;
    }
}

TEST_P(Basics, SharedScanReadsBelowTheArrayOnlyInInactiveLanes) {
  for (int threads : {256, 96}) { // ntid.x a multiple of 32 or not: both bodies
    const int blocks = 3;
    auto in = randomInts(blocks * threads, -1000, 1000, 23);
    uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * threads);
    h.launch(*module, "shared_scan", {blocks}, {unsigned(threads)}, Params().add(din).add(dout));
    auto out = h.download<int>(dout, blocks * threads);
    for (int b = 0; b < blocks; ++b)
      for (int t = 0, sum = 0; t < threads; ++t) {
        sum += in[b * threads + t];
        ASSERT_EQ(out[b * threads + t], sum) << threads << " threads, block " << b << " thread " << t;
      }
  }
}

TEST_P(Basics, PerformanceCounterCountsTheLoop) {
  const int n = 200;
  uint64_t dout = h.zeros<unsigned>(64);
  h.launch(*module, "perf_counter", {1}, {32}, Params().add(dout).add(n));
  auto out = h.download<unsigned>(dout, 64);
  for (int t = 0; t < 32; ++t) {
    int acc = 0;
    for (int i = 0; i < n; ++i)
      acc += int(uint32_t(i) * uint32_t(t)) ^ acc;
    EXPECT_EQ(out[32 + t], unsigned(acc)) << "thread " << t;
    // every step retires at least one instruction, and the count is the warp's: the same in every lane
    EXPECT_GE(out[t], unsigned(n)) << "thread " << t;
    EXPECT_EQ(out[t], out[0]) << "thread " << t;
  }
}

} // namespace
} // namespace oxptx::exec
