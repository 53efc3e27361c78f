// Executed corpus: warp_partial.cu (widths, varying sources, partial member masks, reductions),
// atomics_more.cu (every atomic operation under contention, CAS loops, shared-memory counters)
// and shared_dynamic.cu (dynamic scratchpad with and without static variables), against CPU
// references of the CUDA semantics (partial masks: the lanes that took the branch).
#include "ExecHarness.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <random>

namespace oxptx::exec {
namespace {

class WarpPartial : public BothBackends {
protected:
  void SetUp() override { module = h.load("warp_partial"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, WarpPartial, ::testing::Bool(), backendName);

TEST_P(WarpPartial, ShufflesWithWidthsAndVaryingSources) {
  const int n = 128;
  auto in = randomInts(n, 0, 1000, 61);
  uint64_t din = h.upload(in), dout = h.zeros<int>(6 * n);
  h.launch(*module, "shuffle_widths", {1}, {n}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, 6 * n);
  for (int i = 0; i < n; ++i) {
    int warp = i / 32 * 32, l = i % 32, v = in[i];
    auto at = [&](int lane) { return in[warp + lane]; };
    int base8 = l & ~7, base16 = l & ~15;
    int e[6] = {l + 1 < base8 + 8 ? at(l + 1) : v,
                l - 2 >= base16 ? at(l - 2) : v,
                at(l ^ 5),
                at(base8 + ((l * 3 + v) & 7)),
                at(v & 31),
                l + 4 < 32 ? at(l + 4) : v};
    for (int k = 0; k < 6; ++k)
      EXPECT_EQ(out[6 * i + k], e[k]) << "thread " << i << " case " << k;
  }
}

TEST_P(WarpPartial, VotesBallotsAndMatchUnderPartialMasks) {
  const int n = 96;
  auto in = randomInts(n, 0, 100, 62);
  uint64_t din = h.upload(in), dout = h.zeros<unsigned>(4 * n);
  h.launch(*module, "partial_masks", {1}, {n}, Params().add(din).add(dout));
  auto out = h.download<unsigned>(dout, 4 * n);
  for (int w = 0; w < n / 32; ++w) {
    unsigned active = 0, ballot = 0, odd = 0;
    bool any = false, all = true;
    for (int l = 0; l < 32; ++l) {
      int v = in[w * 32 + l];
      if (v % 3 != 0) {
        active |= 1u << l;
        ballot |= unsigned(v > 50) << l;
        any |= v > 90;
        all &= v > 5;
      }
      if (l < 20)
        odd += v & 1;
    }
    for (int l = 0; l < 32; ++l) {
      int i = w * 32 + l, v = in[i];
      unsigned match = 0;
      for (int k = 0; k < 32; ++k)
        if ((active >> k & 1) && (in[w * 32 + k] & 3) == (v & 3))
          match |= 1u << k;
      bool in_subset = v % 3 != 0;
      unsigned e[4] = {in_subset ? active : 0xdeadbeefu, in_subset ? ballot : 0xdeadbeefu,
                       in_subset ? unsigned(any * 2 + all) : 0xdeadbeefu, in_subset ? match : 0xdeadbeefu};
      if (l < 20)
        e[3] += odd;
      for (int k = 0; k < 4; ++k)
        EXPECT_EQ(out[4 * i + k], e[k]) << "warp " << w << " lane " << l << " case " << k;
    }
  }
}

TEST_P(WarpPartial, ReductionsAndMatchAll) {
  const int n = 128;
  std::vector<unsigned> in(n);
  std::mt19937 rng(63);
  for (int i = 0; i < n; ++i) // warps 0 and 2: every value has the same top two bits
    in[i] = (i / 32) % 2 == 0 ? (rng() >> 2) | 0x40000000u : unsigned(rng());
  uint64_t din = h.upload(in), dout = h.zeros<unsigned>(4 * n);
  h.launch(*module, "warp_reductions", {1}, {n}, Params().add(din).add(dout));
  auto out = h.download<unsigned>(dout, 4 * n);
  for (int w = 0; w < n / 32; ++w) {
    unsigned sum = 0, mx = 0, mn = ~0u;
    bool same = true;
    for (int l = 0; l < 32; ++l) {
      unsigned v = in[w * 32 + l];
      sum += v;
      mx = std::max(mx, v);
      mn = std::min(mn, v);
      same &= (v >> 30) == (in[w * 32] >> 30);
    }
    for (int l = 0; l < 32; ++l) {
      int i = w * 32 + l;
      EXPECT_EQ(out[4 * i], sum);
      EXPECT_EQ(out[4 * i + 1], mx);
      EXPECT_EQ(out[4 * i + 2], mn);
      EXPECT_EQ(out[4 * i + 3], same ? 0xfffffffeu : 0u) << "warp " << w;
    }
  }
}

TEST_P(WarpPartial, Match64BitValues) {
  const int n = 128;
  std::mt19937_64 rng(31);
  std::vector<unsigned long long> in(n);
  for (int i = 0; i < n; ++i) // warp 1: one value of the top 24 bits; the others: two
    in[i] = (rng() & 0x000000ff00000007ull) | (uint64_t((i / 32) == 1 ? 5 : rng() % 2) << 40) |
            (uint64_t(rng() % 2) << 33);
  uint64_t din = h.upload(in), dout = h.zeros<unsigned>(2 * n);
  h.launch(*module, "match_64", {1}, {n}, Params().add(din).add(dout));
  auto out = h.download<unsigned>(dout, 2 * n);
  for (int w = 0; w < n / 32; ++w) {
    unsigned active = 0;
    for (int l = 0; l < 32; ++l)
      active |= (in[w * 32 + l] & 4) ? 1u << l : 0;
    for (int l = 0; l < 32; ++l) {
      int i = w * 32 + l;
      if (!(active >> l & 1)) {
        EXPECT_EQ(out[2 * i], 0xdeadbeefu);
        continue;
      }
      unsigned same = 0, agree = 1;
      for (int k = 0; k < 32; ++k)
        if (active >> k & 1) {
          same |= (in[w * 32 + k] & 0x300000003ull) == (in[i] & 0x300000003ull) ? 1u << k : 0;
          agree &= (in[w * 32 + k] >> 40) == (in[i] >> 40);
        }
      EXPECT_EQ(out[2 * i], same) << "thread " << i;
      EXPECT_EQ(out[2 * i + 1], agree ? active ^ 1u : 0u) << "thread " << i;
    }
  }
}

class Atomics : public BothBackends {
protected:
  void SetUp() override { module = h.load("atomics_more"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Atomics, ::testing::Bool(), backendName);

TEST_P(Atomics, EveryOperationUnderContention) {
  const int n = 2000;
  auto in = randomInts(n, -100000, 100000, 64);
  uint64_t din = h.upload(in);
  uint64_t ints = h.upload(std::vector<int>{INT_MAX, INT_MIN, 0, 0});
  uint64_t uints = h.upload(std::vector<unsigned>{~0u, 0, 0, 0, 0});
  uint64_t wide = h.upload(std::vector<unsigned long long>{0, 0});
  uint64_t floats = h.upload(std::vector<float>{0});
  h.launch(*module, "atomic_mix", {8}, {256},
           Params().add(din).add(ints).add(uints).add(wide).add(floats).add(n));
  int emin = INT_MAX, emax = INT_MIN, esum = 0, esub = 0;
  unsigned eand = ~0u, eor = 0, exor = 0, einc = 0, edec = 0;
  unsigned long long ewide = 0, ewmax = 0;
  float ef = 0;
  for (int v : in) {
    emin = std::min(emin, v);
    emax = std::max(emax, v);
    esum += v;
    esub -= v & 7;
    eand &= ~(1u << (v & 31));
    eor |= 1u << (v & 31);
    exor ^= unsigned(v);
    einc = einc >= 100 ? 0 : einc + 1;
    edec = (edec == 0 || edec > 50) ? 50 : edec - 1;
    ewide += (unsigned long long)v * 1000003ull;
    ewmax = std::max(ewmax, (unsigned long long)v << 33);
    ef += 0.25f * (v & 15);
  }
  EXPECT_EQ(h.download<int>(ints, 4), (std::vector<int>{emin, emax, esum, esub}));
  EXPECT_EQ(h.download<unsigned>(uints, 5), (std::vector<unsigned>{eand, eor, exor, einc, edec}));
  EXPECT_EQ(h.download<unsigned long long>(wide, 2), (std::vector<unsigned long long>{ewide, ewmax}));
  EXPECT_EQ(h.download<float>(floats, 1)[0], ef);
}

TEST_P(Atomics, CompareAndSwapLoopsFinishInLockStep) {
  const int n = 700;
  std::vector<float> in(n);
  std::mt19937 rng(65);
  std::uniform_real_distribution<float> d(-1e6f, 1e6f);
  for (float &x : in)
    x = d(rng);
  uint64_t din = h.upload(in), best = h.upload(std::vector<float>{-1e30f});
  h.launch(*module, "cas_float_max", {3}, {256}, Params().add(din).add(best).add(n));
  EXPECT_EQ(h.download<float>(best, 1)[0], *std::max_element(in.begin(), in.end()));
}

TEST_P(Atomics, SharedMemoryCountersAndExchange) {
  const int blocks = 6, threads = 160;
  auto in = randomInts(blocks * threads, 0, 1000, 66);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * 5), last = h.zeros<unsigned>(1);
  h.launch(*module, "shared_counters", {blocks}, {threads}, Params().add(din).add(dout).add(last));
  auto out = h.download<int>(dout, blocks * 5);
  for (int b = 0; b < blocks; ++b) {
    int counts[4] = {}, total = 0;
    for (int t = 0; t < threads; ++t) {
      counts[in[b * threads + t] & 3]++;
      total += in[b * threads + t];
    }
    for (int k = 0; k < 4; ++k)
      EXPECT_EQ(out[b * 5 + k], counts[k]) << "block " << b;
    EXPECT_EQ(out[b * 5 + 4], total) << "block " << b;
  }
  unsigned l = h.download<unsigned>(last, 1)[0];
  EXPECT_GE(l, 1000u);
  EXPECT_LT(l, 1000u + blocks);
}

class SharedDynamic : public BothBackends {
protected:
  void SetUp() override { module = h.load("shared_dynamic"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, SharedDynamic, ::testing::Bool(), backendName);

TEST_P(SharedDynamic, ReverseThroughDynamicSharedMemory) {
  const int n = 1000, threads = 128, blocks = (n + threads - 1) / threads;
  std::vector<float> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = float(i) * 0.5f;
  uint64_t din = h.upload(in), dout = h.zeros<float>(n);
  h.launch(*module, "reverse_dynamic", {blocks}, {threads}, Params().add(din).add(dout).add(n),
           threads * sizeof(float));
  auto out = h.download<float>(dout, n);
  std::vector<float> expected(n, 0.0f);
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t) {
      int i = b * threads + t, j = b * threads + threads - 1 - t;
      if (j < n)
        expected[j] = i < n ? in[i] : -1.0f;
    }
  EXPECT_EQ(out, expected);
}

TEST_P(SharedDynamic, StaticVariablesBeforeTheDynamicArea) {
  const int threads = 64, blocks = 3;
  auto in = randomInts(threads * blocks, -500, 500, 67);
  uint64_t din = h.upload(in), dout = h.zeros<int>(threads * blocks);
  h.launch(*module, "static_and_dynamic", {blocks}, {threads}, Params().add(din).add(dout),
           threads * sizeof(int));
  auto out = h.download<int>(dout, threads * blocks);
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t) {
      const int *rows = &in[b * threads];
      int a = rows[(2 * t) % threads], c = rows[(t % 16) * (threads / 16) + t / 16];
      EXPECT_EQ(out[b * threads + t], a + 3 * c + (t % 3 + 1) * 100) << "block " << b << " thread " << t;
    }
}

} // namespace
} // namespace oxptx::exec

namespace oxptx::exec {
namespace {

class Spaces : public BothBackends {};
INSTANTIATE_TEST_SUITE_P(Backends, Spaces, ::testing::Bool(), backendName);

TEST_P(Spaces, GenericPointersKnowTheirStateSpace) {
  auto module = h.load("shared_dynamic");
  ASSERT_TRUE(module);
  std::vector<int> g(32);
  for (int t = 0; t < 32; ++t)
    g[t] = t * 7 % 5;
  uint64_t dg = h.upload(g), dout = h.zeros<unsigned>(32);
  h.launch(*module, "pointer_spaces", {1}, {32}, Params().add(dg).add(dout));
  auto out = h.download<unsigned>(dout, 32);
  for (int t = 0; t < 32; ++t) { // pointer k: global 1, shared 2, local 4
    unsigned k = unsigned(t + g[t]) % 3;
    EXPECT_EQ(out[t], 1u << k) << "thread " << t;
  }
}

} // namespace
} // namespace oxptx::exec
