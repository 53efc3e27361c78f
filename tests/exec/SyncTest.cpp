// Executed corpus: sync_ops.cu — barrier reductions, warps exiting before a barrier, named
// barriers with thread counts (producer/consumer), divergent exits, cooperative groups whose
// member masks differ per lane.
#include "ExecHarness.h"

#include <algorithm>
#include <random>

namespace oxptx::exec {
namespace {

class Sync : public BothBackends {
protected:
  void SetUp() override { module = h.load("sync_ops"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Sync, ::testing::Bool(), backendName);

TEST_P(Sync, BarrierCountAndOr) {
  const int blocks = 4, threads = 200; // 7 warps, the last partial
  auto in = randomInts(blocks * threads, -3, 100, 101);
  for (int t = 0; t < threads; ++t)
    in[2 * threads + t] = std::max(in[2 * threads + t], 0); // block 2: all >= 0
  uint64_t din = h.upload(in), dout = h.zeros<int>(3 * blocks);
  h.launch(*module, "barrier_reductions", {blocks}, {threads}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, 3 * blocks);
  for (int b = 0; b < blocks; ++b) {
    int count = 0, all = 1, any = 0;
    for (int t = 0; t < threads; ++t) {
      int v = in[b * threads + t];
      count += v > 10;
      all &= v >= 0;
      any |= v > 95;
    }
    EXPECT_EQ(out[3 * b], count) << "block " << b;
    EXPECT_EQ(out[3 * b + 1] != 0, all != 0) << "block " << b;
    EXPECT_EQ(out[3 * b + 2] != 0, any != 0) << "block " << b;
  }
}

TEST_P(Sync, WarpsThatExitDoNotHoldUpABarrier) {
  const int blocks = 3, threads = 128;
  auto in = randomInts(blocks * threads, 0, 1000, 102);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * threads);
  h.launch(*module, "exit_before_barrier", {blocks}, {threads}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, blocks * threads);
  for (int b = 0; b < blocks; ++b) {
    int sum = 0;
    for (int t = 0; t < 64; ++t)
      sum += in[b * threads + t];
    for (int t = 0; t < threads; ++t)
      EXPECT_EQ(out[b * threads + t], t < 64 ? sum - in[b * threads + t] : 0) << "block " << b << " t " << t;
  }
}

TEST_P(Sync, NamedBarrierProducerConsumer) {
  const int blocks = 5;
  auto in = randomInts(blocks * 64, -1000, 1000, 103);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * 64);
  h.launch(*module, "named_barriers", {blocks}, {128}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, blocks * 64);
  for (int b = 0; b < blocks; ++b)
    for (int t = 64; t < 128; ++t)
      EXPECT_EQ(out[b * 64 + t - 64], in[b * 64 + 127 - t] * 3 + 1) << "block " << b << " t " << t;
}

TEST_P(Sync, DivergentExits) {
  const int n = 500;
  auto in = randomInts(n, 0, 1000, 104);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "divergent_exit", {4}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i) {
    int v = in[i], expected = -7;
    if ((v & 3) != 0) {
      int acc = 0;
      bool exited = false;
      for (int k = 0; k < (v & 15) && !exited; ++k) {
        acc += k * v;
        exited = acc > 1000 && (v & 1);
      }
      if (!exited)
        expected = acc;
    }
    EXPECT_EQ(out[i], expected) << "i = " << i << " v = " << v;
  }
}

TEST_P(Sync, VotesAndReductionsOfGroupsWithPerLaneMemberMasks) {
  const int threads = 64;
  auto in = randomInts(threads, -100, 100, 31);
  uint64_t din = h.upload(in), dout = h.zeros<int>(4 * threads);
  h.launch(*module, "per_group_votes", {1}, {threads}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, 4 * threads);
  for (int i = 0; i < threads; ++i) {
    int tile = i / 8 * 8, warp = i / 32 * 32;
    unsigned ballot = 0;
    bool any = false, all = true;
    for (int k = 0; k < 8; ++k) {
      ballot |= unsigned(in[tile + k] > 0) << k; // bit k: the tile's thread k
      any |= in[tile + k] > 50;
      all &= in[tile + k] > -50;
    }
    int max = in[i];
    for (int k = warp; k < warp + 32; ++k)
      if ((in[k] & 3) == (in[i] & 3))
        max = std::max(max, in[k]);
    EXPECT_EQ(unsigned(out[4 * i]), ballot) << "thread " << i;
    EXPECT_EQ(out[4 * i + 1], int(any)) << "thread " << i;
    EXPECT_EQ(out[4 * i + 2], int(all)) << "thread " << i;
    EXPECT_EQ(out[4 * i + 3], max) << "thread " << i;
  }
}

} // namespace
} // namespace oxptx::exec
