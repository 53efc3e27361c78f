// Kernel launches on the simulated machine: the CTA scheduler, warps with the kernel ABI's entry
// state, the per-warp windows, CTA barriers and their reductions, lane exits, and faults
// reported with their CTA and warp. The kernels (tests/sim/kernels/launch_kernels.c) are built
// with clang 19; expected values are computed here on the CPU.
#include "sim/ElfLoader.h"
#include "sim/Launch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

using namespace oxptx::sim;

namespace {

class LaunchTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::ifstream in(OXPTX_LAUNCH_KERNELS, std::ios::binary);
    ASSERT_TRUE(in) << "cannot read " << OXPTX_LAUNCH_KERNELS;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    auto loaded = loadElf(bytes.str(), memory_);
    ASSERT_TRUE(std::holds_alternative<LoadedProgram>(loaded)) << std::get<std::string>(loaded);
    program_ = std::get<LoadedProgram>(loaded);
    code_ = std::make_unique<DecodedProgram>(memory_, program_.codeBase, program_.codeSize);
  }

  MachineConfig machine(const std::string &preset) {
    auto config = loadMachineConfig(preset);
    EXPECT_TRUE(std::holds_alternative<MachineConfig>(config));
    return std::get<MachineConfig>(config);
  }

  /// Host view of a global symbol's data.
  template <typename T> T *data(const std::string &name) {
    auto it = program_.symbols.find(name);
    EXPECT_NE(it, program_.symbols.end()) << name;
    return reinterpret_cast<T *>(memory_.translate(it->second.address, it->second.size));
  }
  uint64_t address(const std::string &name) { return program_.symbols.at(name).address; }

  KernelLaunch launch(const std::string &kernel, Dim3 grid, Dim3 block) {
    KernelLaunch k;
    k.entry = address(kernel);
    k.grid = grid;
    k.block = block;
    return k;
  }
  template <typename T> static void setParameters(KernelLaunch &k, const T &params) {
    k.parameters.resize(sizeof params);
    std::memcpy(k.parameters.data(), &params, sizeof params);
  }

  Memory memory_;
  LoadedProgram program_;
  std::unique_ptr<DecodedProgram> code_;
};

TEST_F(LaunchTest, VectorAddCoversEveryThreadOfPartialWarpsAndCtas) {
  const uint32_t n = 1000; // 11 CTAs of 96 threads: the last CTA and the n boundary are partial
  float *a = data<float>("in_a"), *b = data<float>("in_b"), *c = data<float>("out_c");
  for (uint32_t i = 0; i < 4096; ++i) {
    a[i] = float(i) * 0.5f;
    b[i] = 1000.0f - float(i);
    c[i] = -1.0f;
  }
  struct {
    uint64_t a, b, c;
    uint32_t n;
  } params{address("in_a"), address("in_b"), address("out_c"), n};
  KernelLaunch k = launch("vector_add", {11, 1, 1}, {96, 1, 1});
  setParameters(k, params);
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint32_t i = 0; i < 4096; ++i)
    ASSERT_EQ(c[i], i < n ? a[i] + b[i] : -1.0f) << "element " << i;
  // 33 warps each load a and b and store c with one indexed access.
  EXPECT_EQ(r.counters.indexedAccesses, 33u * 3);
  EXPECT_EQ(r.counters.vectorLoadBytes + r.counters.vectorStoreBytes, 3u * 4 * n);
  // Cold caches: every distinct line of the three arrays comes from DRAM exactly once (lines
  // shared by warps on other cores come from the shared L2), and every line touched is served.
  uint64_t line = machine("edge").memory.lineBytes, lines = 0;
  for (const char *array : {"in_a", "in_b", "out_c"})
    lines += (address(array) + 4 * n - 1) / line - address(array) / line + 1;
  EXPECT_EQ(r.counters.dramLines, lines);
  EXPECT_EQ(r.counters.l1Hits + r.counters.l2Hits + r.counters.dramLines, r.counters.memoryLines);
}

TEST_F(LaunchTest, BlockReductionThroughSharedMemoryAndBarriers) {
  int32_t *values = data<int32_t>("in_values");
  int32_t *sums = data<int32_t>("out_sums"), *counts = data<int32_t>("out_counts");
  const uint32_t block = 100, grid = 7; // 4 warps, the last with 4 valid lanes
  for (uint32_t i = 0; i < 4096; ++i)
    values[i] = int32_t((i * 7919u) % 201u) - 100;
  KernelLaunch k = launch("block_reduce", {grid, 1, 1}, {block, 1, 1});
  LaunchResult r = launchKernel(machine("mid"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint32_t cta = 0; cta < grid; ++cta) {
    int32_t sum = 0, positive = 0;
    for (uint32_t t = 0; t < block; ++t) {
      sum += values[cta * block + t];
      positive += values[cta * block + t] > 0;
    }
    EXPECT_EQ(sums[cta], sum) << "CTA " << cta;
    EXPECT_EQ(counts[cta], positive) << "CTA " << cta;
  }
  EXPECT_EQ(r.counters.barrierArrivals, uint64_t(grid) * 4 * 2);
}

TEST_F(LaunchTest, WarpsReadTheirIdsFromCsrsAndEntryRegisters) {
  uint32_t *ids = data<uint32_t>("out_ids");
  std::memset(ids, 0xff, 4096 * 4);
  const uint32_t grid = 5, block = 70; // 3 warps; the third has 6 valid lanes
  KernelLaunch k = launch("read_ids", {grid, 1, 1}, {block, 1, 1});
  k.dynamicSharedBytes = 200;
  MachineConfig edge = machine("edge");
  LaunchResult r = launchKernel(edge, memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint32_t cta = 0; cta < grid; ++cta) {
    for (uint32_t w = 0; w < 3; ++w) {
      const uint32_t *o = ids + 16 * (cta * 3 + w);
      uint32_t valid = w < 2 ? 0xffffffffu : (1u << (block - 64)) - 1;
      EXPECT_EQ(o[0], cta);
      EXPECT_EQ(o[1], w);
      EXPECT_EQ(o[2], 3u);
      EXPECT_EQ(o[3], block);
      EXPECT_EQ(o[4], valid);
      EXPECT_LT(o[5], edge.core.hardwareThreads);
      EXPECT_LT(o[6], edge.core.count);
      EXPECT_EQ(o[7], w) << "a5 holds the warp id";
      EXPECT_EQ(o[8], valid) << "a6 holds the valid mask";
      EXPECT_EQ(o[9], grid);
      EXPECT_EQ(o[10], 200u + 1024u) << "static (0) + dynamic + reserved scratchpad";
      EXPECT_EQ(o[11], 0xffffffffu) << "a1 is the SHARED window";
      EXPECT_EQ(o[12], 0xffffffffu) << "a0 is the PARAM window";
    }
  }
}

TEST_F(LaunchTest, StoresAreServedButTheWarpDoesNotWaitForThem) {
  // Stores are posted: their lines go through the caches and count against DRAM bandwidth, but
  // no warp waits for them; loads wait for their slowest line.
  for (const char *kernel : {"read_ids", "store_lanes"}) { // scalar stores, vector stores
    LaunchResult r = launchKernel(machine("mid"), memory_, *code_, launch(kernel, {4, 1, 1}, {64, 1, 1}));
    ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
    EXPECT_GT(r.counters.dramLines, 0u) << kernel;
    EXPECT_EQ(r.counters.memoryStall, 0u) << kernel;
  }
  for (uint32_t i = 0; i < 8 * 32; i += 32) // store_lanes: 8 warps
    EXPECT_EQ(data<uint32_t>("out_ids")[i + 5], 5u);
  struct {
    uint64_t a, b, c;
    uint32_t n;
  } params{address("in_a"), address("in_b"), address("out_c"), 256};
  KernelLaunch k = launch("vector_add", {4, 1, 1}, {64, 1, 1});
  setParameters(k, params);
  LaunchResult loads = launchKernel(machine("mid"), memory_, *code_, k);
  ASSERT_TRUE(loads.ok());
  const MachineConfig mid = machine("mid");
  // every line of a and b comes cold from DRAM: each warp's two loads wait at least that long
  EXPECT_GE(loads.counters.memoryStall, 8u * 2 * (mid.latency.dram - mid.latency.l1Hit));
}

TEST_F(LaunchTest, LocalMemoryIsPrivatePerLane) {
  int32_t *out = data<int32_t>("out_local");
  const uint32_t grid = 3, block = 64;
  KernelLaunch k = launch("local_memory", {grid, 1, 1}, {block, 1, 1});
  k.localBytesPerLane = 64;
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint32_t cta = 0; cta < grid; ++cta)
    for (uint32_t t = 0; t < block; ++t) {
      uint32_t lane = t % 32;
      EXPECT_EQ(out[cta * block + t], int32_t(lane * 100 + (lane + cta) % 8));
    }
}

TEST_F(LaunchTest, LocalAccessBeyondTheLaunchsLocalSizeFaults) {
  KernelLaunch k = launch("local_memory", {1, 1, 1}, {32, 1, 1});
  k.localBytesPerLane = 16; // the kernel uses 32 bytes per lane
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, Fault::Kind::OutOfBounds);
  EXPECT_EQ(r.fault->fault.address, kLocalBase + 16);
}

TEST_F(LaunchTest, BarrierWaitCountsTheCoresWorkWhileWarpsWait) {
  KernelLaunch k = launch("barrier_wait", {1, 1, 1}, {128, 1, 1}); // warps 1-3 wait for warp 0
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  // Each waiting warp waits at least as long as warp 0's loop: 1000 iterations of at least a
  // store and a branch issued by the core.
  EXPECT_GE(r.counters.barrierWait, 3u * 2000);
  EXPECT_LT(r.counters.barrierWait, 3u * r.counters.instructions());
}

TEST_F(LaunchTest, BarrierDeadlockIsReportedWithTheWaitingWarp) {
  KernelLaunch k = launch("barrier_deadlock", {1, 1, 1}, {64, 1, 1});
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, Fault::Kind::BarrierDeadlock);
  EXPECT_NE(r.fault->describe().find("warp 0 at barrier 1"), std::string::npos)
      << r.fault->describe();
}

TEST_F(LaunchTest, TrapNamesCtaWarpAndCode) {
  KernelLaunch k = launch("trap_in_cta2", {4, 1, 1}, {64, 1, 1});
  LaunchResult r = launchKernel(machine("mid"), memory_, *code_, k);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, Fault::Kind::Trap);
  EXPECT_EQ(r.fault->cta.x, 2u);
  EXPECT_EQ(r.fault->warp, 1u);
  EXPECT_NE(r.fault->describe().find("trap code 0x1234"), std::string::npos)
      << r.fault->describe();
}

TEST_F(LaunchTest, SharedMemoryBankConflictsFollowTheStride) {
  // 32 banks of 4 bytes: stride 1 word touches 32 banks once; stride 2 words two words per bank
  // in 16 banks; stride 32 all 32 words in bank 0.
  const struct {
    uint32_t stride;
    uint64_t conflicts;
  } cases[] = {{1, 0}, {2, 1}, {32, 31}, {33, 0}};
  for (auto [stride, conflicts] : cases) {
    KernelLaunch k = launch("shared_stride", {1, 1, 1}, {32, 1, 1});
    k.staticSharedBytes = 32 * 33 * 4;
    setParameters(k, stride);
    LaunchResult r = launchKernel(machine("mid"), memory_, *code_, k);
    ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
    EXPECT_EQ(r.counters.sharedBankConflicts, conflicts) << "stride " << stride;
  }
}

TEST_F(LaunchTest, LaneExitsShrinkTheLiveMask) {
  uint32_t *ids = data<uint32_t>("out_ids");
  KernelLaunch k = launch("partial_exit", {1, 1, 1}, {64, 1, 1});
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  EXPECT_EQ(ids[0], 0xffff0000u);
  EXPECT_EQ(ids[1], 0xffff0000u);
}

TEST_F(LaunchTest, ResourcesThatNoCoreHasAreALaunchError) {
  KernelLaunch k = launch("vector_add", {1, 1, 1}, {1024, 1, 1}); // 32 warps; edge cores have 8
  EXPECT_NE(launchKernel(machine("edge"), memory_, *code_, k).error.find("hardware threads"),
            std::string::npos);
  k = launch("vector_add", {1, 1, 1}, {32, 1, 1});
  k.dynamicSharedBytes = 1 << 20;
  EXPECT_NE(launchKernel(machine("edge"), memory_, *code_, k).error.find("scratchpad"),
            std::string::npos);
}

TEST_F(LaunchTest, RunsAreDeterministic) {
  int32_t *values = data<int32_t>("in_values");
  for (uint32_t i = 0; i < 4096; ++i)
    values[i] = int32_t(i % 13) - 6;
  KernelLaunch k = launch("block_reduce", {9, 1, 1}, {128, 1, 1});
  LaunchResult first = launchKernel(machine("edge"), memory_, *code_, k);
  LaunchResult second = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first.timing.cycles, second.timing.cycles);
  EXPECT_EQ(countersJson(machine("edge"), first.counters, first.perCore, first.timing),
            countersJson(machine("edge"), second.counters, second.perCore, second.timing));
}

class AtomicContention : public LaunchTest, public ::testing::WithParamInterface<unsigned> {};

TEST_P(AtomicContention, CountsEveryThread) {
  int32_t *values = data<int32_t>("in_values");
  uint32_t *bins = data<uint32_t>("bins"), *tickets = data<uint32_t>("tickets");
  const uint32_t grid = 13, block = 150, n = grid * block; // partial last warp in every CTA
  uint32_t expected[16] = {};
  for (uint32_t i = 0; i < 4096; ++i)
    values[i] = int32_t(i * 2654435761u >> 7);
  for (uint32_t i = 0; i < n; ++i)
    ++expected[uint32_t(values[i]) & 15];
  KernelLaunch k = launch("atomic_histogram", {grid, 1, 1}, {block, 1, 1});
  k.hostThreads = GetParam(); // several host threads: atomics must stay atomic
  k.sliceInstructions = 16;   // and interleave finely
  LaunchResult r = launchKernel(machine("mid"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (unsigned b = 0; b < 16; ++b)
    EXPECT_EQ(bins[b], expected[b]) << "bin " << b;
  // Every thread got a distinct ticket: the old values are a permutation of 0..n-1.
  std::vector<bool> seen(n);
  for (uint32_t i = 0; i < n; ++i) {
    ASSERT_LT(tickets[i], n);
    EXPECT_FALSE(seen[tickets[i]]) << "ticket " << tickets[i] << " twice";
    seen[tickets[i]] = true;
  }
  EXPECT_EQ(*data<uint32_t>("ticket_counter"), n);
}
INSTANTIATE_TEST_SUITE_P(HostThreads, AtomicContention, ::testing::Values(1u, 2u, 4u));

TEST_F(LaunchTest, ParallelHostThreadsComputeWhatOneThreadComputes) {
  int32_t *values = data<int32_t>("in_values");
  int32_t *sums = data<int32_t>("out_sums"), *counts = data<int32_t>("out_counts");
  for (uint32_t i = 0; i < 4096; ++i)
    values[i] = int32_t((i * 40503u) % 999u) - 499;
  KernelLaunch k = launch("block_reduce", {32, 1, 1}, {128, 1, 1});
  k.hostThreads = 4;
  LaunchResult r = launchKernel(machine("mid"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint32_t cta = 0; cta < 32; ++cta) {
    int32_t sum = 0, positive = 0;
    for (uint32_t t = 0; t < 128; ++t) {
      sum += values[cta * 128 + t];
      positive += values[cta * 128 + t] > 0;
    }
    EXPECT_EQ(sums[cta], sum) << "CTA " << cta;
    EXPECT_EQ(counts[cta], positive) << "CTA " << cta;
  }
  EXPECT_EQ(r.counters.barrierArrivals, 32u * 4 * 2);
}

TEST_F(LaunchTest, AFaultStopsEveryHostThread) {
  KernelLaunch k = launch("trap_in_cta2", {64, 1, 1}, {64, 1, 1});
  k.hostThreads = 3;
  LaunchResult r = launchKernel(machine("mid"), memory_, *code_, k);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, Fault::Kind::Trap);
  EXPECT_EQ(r.fault->cta.x, 2u);
}

TEST_F(LaunchTest, AtomicLanesActInAscendingOrder) {
  float *a = data<float>("in_a");
  float expected = 0.5f;
  for (uint32_t l = 0; l < 32; ++l) {
    a[l] = l == 5 ? 1e-40f : float(l) * 2.0f; // lane 5: a subnormal, flushed by atom.add.f32
    expected += l == 5 ? 0.0f : a[l];
  }
  *data<float>("float_sum") = 0.5f;
  KernelLaunch k = launch("atomic_lane_order", {1, 1, 1}, {32, 1, 1});
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  const uint32_t *results = data<uint32_t>("lane_results");
  EXPECT_EQ(results[0], 0u) << "lane 0's cas finds 0 and wins";
  for (uint32_t l = 1; l < 32; ++l)
    EXPECT_EQ(results[l], 1u) << "lane " << l << " sees lane 0's value";
  EXPECT_EQ(*data<uint32_t>("cas_word"), 1u);
  for (uint32_t l = 0; l < 32; ++l)
    EXPECT_EQ(results[32 + l], l % 10) << "inc with bound 9 wraps every 10 lanes";
  EXPECT_EQ(*data<uint32_t>("inc_word"), 32u % 10);
  EXPECT_EQ(*data<float>("float_sum"), expected);
}

TEST_F(LaunchTest, SharedMemoryAtomicsArePerCta) {
  int32_t *values = data<int32_t>("in_values");
  int32_t *sums = data<int32_t>("out_sums");
  const uint32_t grid = 6, block = 90;
  for (uint32_t i = 0; i < 4096; ++i)
    values[i] = int32_t(i % 37) - 18;
  KernelLaunch k = launch("shared_atomic_sum", {grid, 1, 1}, {block, 1, 1});
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint32_t cta = 0; cta < grid; ++cta) {
    int32_t sum = 0;
    for (uint32_t t = 0; t < block; ++t)
      sum += values[cta * block + t];
    EXPECT_EQ(sums[cta], sum) << "CTA " << cta;
  }
}

TEST_F(LaunchTest, DevicePrintfFormatsEachActiveLaneInOrder) {
  const uint32_t grid = 3, block = 40; // 2 warps; the second has 8 valid lanes
  KernelLaunch k = launch("printf_lanes", {grid, 1, 1}, {block, 1, 1});
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  // The reference: the host's printf on the same values. Lines of one warp come in lane order;
  // warps and CTAs may interleave, as on a GPU.
  std::vector<std::string> lines;
  std::istringstream stream(r.output);
  for (std::string line; std::getline(stream, line);)
    lines.push_back(line);
  std::vector<std::string> expected;
  for (uint32_t cta = 0; cta < grid; ++cta)
    for (uint32_t t = 0; t < block; ++t) {
      uint32_t l = t % 32;
      char text[160];
      std::snprintf(text, sizeof text, "cta %d lane %d: %.2f %s|%5x|%-3c|%%|%lld", int(cta),
                    int(t), l * 0.5, l & 1 ? "odd" : "even", 0xabc + l, 'a' + int(l),
                    -(long long)l * 1000000000000LL);
      expected.push_back(text);
    }
  std::vector<std::string> sorted = lines, sortedExpected = expected;
  std::sort(sorted.begin(), sorted.end());
  std::sort(sortedExpected.begin(), sortedExpected.end());
  EXPECT_EQ(sorted, sortedExpected);
  for (size_t i = 1; i < lines.size(); ++i) { // within a warp (same CTA, same 32-block): ascending
    int cta0, lane0, cta1, lane1;
    std::sscanf(lines[i - 1].c_str(), "cta %d lane %d", &cta0, &lane0);
    std::sscanf(lines[i].c_str(), "cta %d lane %d", &cta1, &lane1);
    if (cta0 == cta1 && lane0 / 32 == lane1 / 32) {
      EXPECT_LT(lane0, lane1) << lines[i - 1] << " / " << lines[i];
    }
  }
  const int32_t *results = data<int32_t>("printf_results");
  EXPECT_EQ(results[0], 7) << "printf returns the number of arguments it consumed";
}

TEST_F(LaunchTest, DeviceAssertPrintsCudasMessageAndStopsTheLaunch) {
  KernelLaunch k = launch("assert_lane3", {2, 1, 1}, {32, 1, 1});
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, Fault::Kind::AssertFailed);
  EXPECT_EQ(r.fault->cta.x, 1u);
  EXPECT_NE(r.output.find("before the assertion\n"), std::string::npos);
  EXPECT_NE(r.output.find("kernel.cu:42: check: block: [1,0,0], thread: [3,0,0] Assertion "
                          "`value < limit` failed.\n"),
            std::string::npos)
      << r.output;
}

TEST_F(LaunchTest, DeviceMallocGivesDisjointBlocksThatFreeReturns) {
  const uint64_t heapBase = 0x500000000000ull, heapBytes = 64 * 1024;
  memory_.map(heapBase, heapBytes);
  DeviceHeap heap(heapBase, heapBytes);
  uint64_t *blocks = data<uint64_t>("heap_blocks");
  uint32_t *checks = data<uint32_t>("heap_checks");
  const uint32_t grid = 2, block = 50; // threads 0..99, the second warp of each CTA partial
  KernelLaunch k = launch("heap_roundtrip", {grid, 1, 1}, {block, 1, 1});
  k.heap = &heap;
  setParameters(k, uint32_t(1)); // keep the blocks
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (uint32_t cta = 0; cta < grid; ++cta)
    for (uint32_t t = 0; t < block; ++t) {
      uint32_t slot = cta * block + t, lane = t % 32; // heap_blocks is indexed by thread
      ASSERT_NE(blocks[slot], 0u) << "thread " << slot;
      EXPECT_EQ(blocks[slot] % 16, 0u);
      EXPECT_GE(blocks[slot], heapBase);
      EXPECT_LE(blocks[slot] + 8 * (lane + 1), heapBase + heapBytes);
      EXPECT_EQ(checks[slot], 1u);
      ranges.emplace_back(blocks[slot], blocks[slot] + 8 * (lane + 1));
    }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    EXPECT_LE(ranges[i - 1].second, ranges[i].first) << "blocks overlap";
  // A launch that frees its blocks leaves the heap as it found it; once the first launch's
  // blocks are freed too, the heap serves one block of its whole size again.
  k.parameters.clear();
  setParameters(k, uint32_t(0));
  std::vector<uint64_t> kept(blocks, blocks + grid * block);
  r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.ok()) << r.error << (r.fault ? r.fault->describe() : "");
  for (uint64_t b : kept)
    EXPECT_TRUE(heap.release(b));
  EXPECT_EQ(heap.allocate(heapBytes), std::optional<uint64_t>(heapBase));
}

TEST_F(LaunchTest, FreeingAnAddressMallocDidNotReturnFaults) {
  const uint64_t heapBase = 0x500000000000ull;
  memory_.map(heapBase, 4096);
  DeviceHeap heap(heapBase, 4096);
  KernelLaunch k = launch("heap_bad_free", {1, 1, 1}, {32, 1, 1});
  k.heap = &heap;
  LaunchResult r = launchKernel(machine("edge"), memory_, *code_, k);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, Fault::Kind::OutOfBounds);
  EXPECT_NE(r.fault->describe().find("device malloc did not return"), std::string::npos);
}

} // namespace
