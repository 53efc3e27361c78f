// Executed corpus: tests/ptx_corpus/exec/cuda/mbarrier.cu (cuda::barrier, arrive/wait split,
// arrive_and_drop, memcpy_async completing on a barrier, raw PTX mbarrier), each kernel against a
// CPU reference written here from the CUDA source's meaning.
#include "ExecHarness.h"

#include <cmath>

namespace oxptx::exec {
namespace {

class Mbarrier : public BothBackends {
protected:
  void SetUp() override { module = h.load("mbarrier"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Mbarrier, ::testing::Bool(), backendName);

TEST_P(Mbarrier, PhasesOfOneBarrier) {
  const int blocks = 2, n = 128;
  auto in = randomInts(blocks * n, -100, 100, 1);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * n);
  h.launch(*module, "barrier_phases", {blocks}, {n}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, blocks * n);
  for (int b = 0; b < blocks; ++b) {
    std::vector<int> v(in.begin() + b * n, in.begin() + (b + 1) * n);
    for (int round = 0; round < 4; ++round) {
      std::vector<int> s = v;
      for (int t = 0; t < n; ++t)
        v[t] += s[(t + 1 + round) % n] * (round + 1);
    }
    for (int t = 0; t < n; ++t)
      ASSERT_EQ(out[b * n + t], v[t]) << "block " << b << ", thread " << t;
  }
}

TEST_P(Mbarrier, SplitArriveAndWait) {
  const int blocks = 2, n = 128;
  auto in = randomInts(blocks * n, -1000, 1000, 2);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks * n);
  h.launch(*module, "split_arrive_wait", {blocks}, {n}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, blocks * n);
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < n; ++t) {
      int own = 0;
      for (int k = 0; k < 20 + t % 7; ++k)
        own += (k * t) % 5;
      ASSERT_EQ(out[b * n + t], own + in[b * n + n - 1 - t] * 3) << "block " << b << ", thread " << t;
    }
}

TEST_P(Mbarrier, ArriveAndDropShrinksLaterPhases) {
  const int n = 128;
  auto in = randomInts(n, -1000, 1000, 3);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "arrive_and_drop", {1}, {n}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, n);
  int arrivals[4] = {};
  for (int t = 0; t < n; ++t)
    for (int r = 0; r < 1 + t / 32 % 4; ++r)
      ++arrivals[r];
  for (int t = 0; t < n; ++t) {
    int v = in[t];
    for (int r = 0; r < 1 + t / 32 % 4; ++r)
      v += arrivals[r] * (r + 1);
    ASSERT_EQ(out[t], v) << "thread " << t;
  }
}

TEST_P(Mbarrier, MemcpyAsyncCompletesOnTheBarrier) {
  const int blocks = 3, threads = 128, chunk = 256;
  std::mt19937 rng(4);
  std::uniform_real_distribution<float> d(-2.0f, 2.0f);
  std::vector<float> in(blocks * 2 * chunk);
  for (float &x : in)
    x = d(rng);
  uint64_t din = h.upload(in), dout = h.zeros<float>(blocks * threads);
  h.launch(*module, "memcpy_async_stages", {blocks}, {threads}, Params().add(din).add(dout).add(chunk),
           2 * chunk * sizeof(float));
  auto out = h.download<float>(dout, blocks * threads);
  for (int b = 0; b < blocks; ++b)
    for (int r = 0; r < threads; ++r) {
      const float *tile = in.data() + b * 2 * chunk;
      float sum = 0;
      for (int k = r; k < 2 * chunk; k += threads)
        sum = std::fma(tile[k], tile[2 * chunk - 1 - k], sum); // nvcc contracts to fma
      ASSERT_EQ(out[b * threads + r], sum) << "block " << b << ", thread " << r;
    }
}

TEST_P(Mbarrier, RawPtxParityWaits) {
  const int n = 64;
  uint64_t dout = h.zeros<unsigned>(n);
  h.launch(*module, "raw_mbarrier", {1}, {n}, Params().add(dout));
  auto out = h.download<unsigned>(dout, n);
  for (int t = 0; t < n; ++t)
    ASSERT_EQ(out[t], 3001u) << "thread " << t; // three completed phases, a plausible count
}

} // namespace
} // namespace oxptx::exec
