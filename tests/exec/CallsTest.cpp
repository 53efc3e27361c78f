// Executed corpus: tests/ptx_corpus/exec/cuda/calls.cu (recursion, function pointers, virtual
// functions), each kernel against a CPU reference written here from the CUDA source's meaning.
#include "ExecHarness.h"

#include <algorithm>
#include <cstdint>
#include <functional>

namespace oxptx::exec {
namespace {

class Calls : public BothBackends {
protected:
  void SetUp() override { module = h.load("calls"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Calls, ::testing::Bool(), backendName);

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

TEST_P(Calls, RecursionWithDivergentDepth) {
  const int n = 300;
  auto in = randomInts(n, 0, 17, 1);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "fib_recursive", {3}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], fib(in[i])) << "i = " << i << ", n = " << in[i];
}

uint64_t binomial(int n, int k) { return k == 0 || k == n ? 1 : binomial(n - 1, k - 1) + binomial(n - 1, k); }

TEST_P(Calls, RecursionWith64BitResults) {
  const int n = 200;
  auto ns = randomInts(n, 0, 14, 2), ks = randomInts(n, 0, 14, 3);
  std::vector<int> pairs;
  for (int i = 0; i < n; ++i) {
    pairs.push_back(ns[i]);
    pairs.push_back(ks[i] % (ns[i] + 1));
  }
  uint64_t din = h.upload(pairs), dout = h.zeros<uint64_t>(n);
  h.launch(*module, "binomial_recursive", {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<uint64_t>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], binomial(pairs[2 * i], pairs[2 * i + 1])) << "i = " << i;
}

float collatzOdd(int v, int depth);
float collatzEven(int v, int depth) {
  if (v <= 1 || depth > 60)
    return float(depth);
  return (v & 1) ? collatzOdd(v, depth + 1) : collatzEven(v >> 1, depth + 1) + 0.5f;
}
float collatzOdd(int v, int depth) { return depth > 60 ? -1.0f : collatzEven(3 * v + 1, depth + 1) * 1.25f; }

TEST_P(Calls, MutualRecursion) {
  const int n = 256;
  auto in = randomInts(n, 1, 1000, 4);
  uint64_t din = h.upload(in), dout = h.zeros<float>(n);
  h.launch(*module, "mutual_recursion", {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<float>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], collatzEven(in[i], 0)) << "i = " << i << ", v = " << in[i];
}

struct Node {
  int value, left, right;
};

int treeDepthSum(const std::vector<Node> &nodes, int at, int depth) {
  if (at < 0)
    return 0;
  const Node &node = nodes[at];
  return node.value * depth + treeDepthSum(nodes, node.left, depth + 1) +
         treeDepthSum(nodes, node.right, depth + 1);
}

TEST_P(Calls, RecursiveTreeWalk) {
  // a heap-shaped tree of 1023 nodes with a fifth of the links cut: per-thread roots give trees of
  // different shapes and depths up to 10
  const int nodes = 1023, n = 160;
  std::mt19937 rng(5);
  std::vector<Node> tree(nodes);
  for (int i = 0; i < nodes; ++i) {
    auto child = [&](int c) { return c < nodes && rng() % 5 != 0 ? c : -1; };
    tree[i] = {int(rng() % 100) - 50, child(2 * i + 1), child(2 * i + 2)};
  }
  auto roots = randomInts(n, 0, 200, 6);
  uint64_t dtree = h.upload(tree), droots = h.upload(roots), dout = h.zeros<int>(n);
  h.launch(*module, "tree_walk", {5}, {32}, Params().add(dtree).add(droots).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], treeDepthSum(tree, roots[i], 1)) << "i = " << i << ", root = " << roots[i];
}

TEST_P(Calls, RecursiveSortOfALocalArray) {
  const int n = 100, length = 24;
  auto in = randomInts(n * length, -50, 50, 7);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n * length);
  h.launch(*module, "local_quicksort", {4}, {32}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n * length);
  for (int i = 0; i < n; ++i) {
    std::vector<int> expected(in.begin() + i * length, in.begin() + (i + 1) * length);
    std::sort(expected.begin(), expected.end());
    for (int k = 0; k < length; ++k)
      ASSERT_EQ(out[i * length + k], expected[k]) << "thread " << i << ", element " << k;
  }
}

int digitFrames(uint32_t v, uint32_t base, int depth) {
  int digits[4];
  for (int &d : digits) {
    d = int(v % base);
    v /= base;
  }
  uint32_t sum = uint32_t(v ? digitFrames(v, base, depth + 1) : 0) * 3;
  for (int k = 3; k >= 0; --k)
    sum = sum * 7 + uint32_t(digits[k] * (depth + k + 1));
  return int(sum);
}

TEST_P(Calls, LocalArrayInEveryFrame) {
  const int n = 200;
  std::mt19937 rng(8);
  std::vector<uint32_t> in(n);
  for (uint32_t &v : in)
    v = rng() >> (rng() % 32);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "local_frames", {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], digitFrames(in[i], 2 + i % 9, 0)) << "i = " << i << ", v = " << in[i];
}

int32_t applyOp(int which, int32_t a, int32_t b) {
  switch (which & 3) {
  case 0: return int32_t(uint32_t(a) + uint32_t(b));
  case 1: return int32_t(uint32_t(a) - uint32_t(b));
  case 2: return int32_t(uint32_t(a) * uint32_t(b));
  default: return std::max(a, b);
  }
}

TEST_P(Calls, FunctionPointersFromATable) {
  const int n = 333;
  auto a = randomInts(n, -100000, 100000, 9), b = randomInts(n, -100000, 100000, 10);
  auto which = randomInts(n, 0, 1000, 11);
  uint64_t da = h.upload(a), db = h.upload(b), dw = h.upload(which), dout = h.zeros<int>(n);
  h.launch(*module, "pointer_table", {3}, {128}, Params().add(da).add(db).add(dw).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], applyOp(which[i], a[i], b[i])) << "i = " << i << ", op " << (which[i] & 3);
}

TEST_P(Calls, FunctionPointerInALoop) {
  const int n = 150, length = 9;
  auto data = randomInts(n * length, -1000, 1000, 12);
  uint64_t dd = h.upload(data), dout = h.zeros<int>(n);
  h.launch(*module, "pointer_fold", {2}, {96}, Params().add(dd).add(dout).add(n).add(length));
  auto out = h.download<int>(dout, n);
  const int ops[3] = {0, 3, 1}; // add, max, sub by i % 3
  for (int i = 0; i < n; ++i) {
    int acc = data[i * length];
    for (int k = 1; k < length; ++k)
      acc = applyOp(ops[i % 3], acc, data[i * length + k]);
    ASSERT_EQ(out[i], acc) << "i = " << i;
  }
}

int digitSum(int v) { return v < 10 ? v : v % 10 + digitSum(v / 10); }
int popcountRec(int v) { return v == 0 ? 0 : (v & 1) + popcountRec(int(uint32_t(v) >> 1)); }

TEST_P(Calls, PointerToARecursiveFunction) {
  const int n = 256;
  auto in = randomInts(n, 0, 1 << 30, 13);
  uint64_t din = h.upload(in), dout = h.zeros<int>(n);
  h.launch(*module, "pointer_to_recursive", {2}, {128}, Params().add(din).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i)
    ASSERT_EQ(out[i], (in[i] & 1) ? digitSum(in[i]) : popcountRec(in[i])) << "i = " << i;
}

TEST_P(Calls, IndirectCalleesRunOnlyForTheirLanes) {
  const int n = 300;
  auto in = randomInts(n, 0, 10000, 20);
  uint64_t din = h.upload(in), dcounts = h.zeros<int>(3), dout = h.zeros<int>(n);
  h.launch(*module, "pointer_side_effects", {3}, {128}, Params().add(din).add(dcounts).add(dout).add(n));
  auto out = h.download<int>(dout, n), counts = h.download<int>(dcounts, 3);
  int expectedCounts[3] = {0, 0, 0};
  for (int i = 0; i < n; ++i) {
    int v = in[i], expected = 0;
    if (v % 5 != 0) {
      switch (v % 3) {
      case 0: expected = v / 2, ++expectedCounts[0]; break;
      case 1: expected = 3 * v + 1, ++expectedCounts[1]; break;
      default: expected = -v, expectedCounts[2] += v; break;
      }
    }
    ASSERT_EQ(out[i], expected) << "i = " << i << ", v = " << v;
  }
  for (int k = 0; k < 3; ++k)
    EXPECT_EQ(counts[k], expectedCounts[k]) << "counter " << k;
}

TEST_P(Calls, VirtualFunctions) {
  const int n = 200;
  std::mt19937 rng(14);
  std::uniform_real_distribution<float> d(0.1f, 20.0f);
  std::vector<float> x(n);
  for (float &v : x)
    v = d(rng);
  uint64_t dx = h.upload(x), dout = h.zeros<float>(n);
  h.launch(*module, "virtual_calls", {2}, {128}, Params().add(dx).add(dout).add(n));
  auto out = h.download<float>(dout, n);
  for (int i = 0; i < n; ++i) {
    float expected;
    if (i % 3 == 1) { // Circle: scaled(k) = k * k * area()
      float area = 3.0f * x[i] * x[i];
      expected = 1.5f * 1.5f * area + area;
    } else { // Rect(x, 2): scaled(k) = k * area()
      float area = x[i] * 2.0f;
      expected = 1.5f * area + area;
    }
    ASSERT_EQ(out[i], expected) << "i = " << i << ", x = " << x[i];
  }
}

TEST_P(Calls, RecursionBetweenBarriers) {
  const int blocks = 2, threads = 128;
  auto in = randomInts(blocks * threads * 3, 0, 1000, 15);
  uint64_t din = h.upload(in), dout = h.zeros<int>(blocks);
  h.launch(*module, "recursion_with_barriers", {blocks}, {threads}, Params().add(din).add(dout));
  auto out = h.download<int>(dout, blocks);
  for (int b = 0; b < blocks; ++b) {
    int total = 0;
    for (int k = 0; k < threads * 3; ++k)
      total += fib(in[b * threads * 3 + k] & 15);
    ASSERT_EQ(out[b], total) << "block " << b;
  }
}

long long deepSum(const std::vector<int> &data, int k) {
  return k < 0 ? 0 : data[k] + 3 * deepSum(data, k - 1) % 1000003;
}

TEST_P(Calls, DeepRecursion) {
  const int depth = 40, threads = 64;
  auto data = randomInts(depth + 8, 0, 1 << 20, 16);
  uint64_t dd = h.upload(data), dout = h.zeros<long long>(2 * threads);
  h.launch(*module, "deep_recursion", {2}, {threads}, Params().add(dd).add(dout).add(depth));
  auto out = h.download<long long>(dout, 2 * threads);
  for (int t = 0; t < 2 * threads; ++t)
    ASSERT_EQ(out[t], deepSum(data, depth + (t % threads & 7))) << "thread " << t;
}

int chainedFrames(const int *outer, int k) { // 32-bit arithmetic that wraps, as on the device
  int buf[16];
  for (int j = 0; j < 16; ++j)
    buf[j] = int(uint32_t(outer[(j + k) & 15]) * 3 + uint32_t(j));
  return k <= 0 ? int(uint32_t(buf[0]) + uint32_t(buf[15])) : chainedFrames(buf, k - 1) ^ buf[k & 15];
}

/// frame_chain's result of each thread: its first frame is the seed plus the thread's index.
void expectFrameChains(const std::vector<int> &out, const std::vector<int> &seed, int depth) {
  for (int t = 0; t < int(out.size()); ++t) {
    int first[16];
    for (int j = 0; j < 16; ++j)
      first[j] = seed[j] + t;
    ASSERT_EQ(out[t], chainedFrames(first, depth + (t & 3))) << "thread " << t;
  }
}

TEST_P(Calls, LocalFramesChainedThroughPointers) {
  auto seed = randomInts(16, 0, 100, 17);
  const int threads = 64, depth = 6; // at most 10 frames of 64 bytes: within the call stack
  uint64_t ds = h.upload(seed), dout = h.zeros<int>(threads);
  h.launch(*module, "frame_chain", {1}, {threads}, Params().add(ds).add(dout).add(depth));
  expectFrameChains(h.download<int>(dout, threads), seed, depth);
}

TEST_P(Calls, CallStackOverflowIsAFault) {
  // 64-byte frames 100 deep need 6.4 KiB per thread: more than the 1 KiB call stack
  auto seed = randomInts(16, 0, 100, 18);
  uint64_t ds = h.upload(seed), dout = h.zeros<int>(32);
  sim::LaunchResult r = h.run(*module, "frame_chain", {1}, {32}, Params().add(ds).add(dout).add(100));
  ASSERT_TRUE(r.fault) << "the launch completed";
  EXPECT_EQ(r.fault->fault.kind, sim::Fault::Kind::StackOverflow) << r.fault->describe();
  EXPECT_NE(r.fault->describe().find("per-thread call stack"), std::string::npos) << r.fault->describe();
}

TEST_P(Calls, TheLaunchChoosesTheCallStackSize) {
  // the same 100 frames fit in 8 KiB per thread (cudaDeviceSetLimit(cudaLimitStackSize, 8192))
  auto seed = randomInts(16, 0, 100, 18);
  const int threads = 32, depth = 100;
  uint64_t ds = h.upload(seed), dout = h.zeros<int>(threads);
  h.callStackBytes = 8192;
  h.launch(*module, "frame_chain", {1}, {threads}, Params().add(ds).add(dout).add(depth));
  expectFrameChains(h.download<int>(dout, threads), seed, depth);
}

TEST_P(Calls, WarpStackOverflowIsAFault) {
  // no local frames, but every level keeps its live vectors on the warp's stack: 100 000 levels
  // need far more than its 1 MiB
  const int depth = 100000;
  auto data = randomInts(depth + 8, 0, 100, 19);
  uint64_t dd = h.upload(data), dout = h.zeros<long long>(32);
  sim::LaunchResult r = h.run(*module, "deep_recursion", {1}, {32}, Params().add(dd).add(dout).add(depth));
  ASSERT_TRUE(r.fault) << "the launch completed";
  EXPECT_EQ(r.fault->fault.kind, sim::Fault::Kind::StackOverflow) << r.fault->describe();
}

} // namespace
} // namespace oxptx::exec
