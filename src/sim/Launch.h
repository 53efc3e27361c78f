// Kernel launches on a simulated OxCore machine (docs/oxcore-isa.md §6, §7): a grid of CTAs, each
// CTA a set of warps (one hart each), placed whole on cores by a CTA scheduler that respects the
// cores' hardware threads and scratchpad; named CTA barriers; per-warp windows; the kernel ABI's
// entry state; faults reported with the CTA, warp and lanes. With one host thread, execution is
// deterministic: warps run in a fixed round-robin of instruction slices, so every run is
// bit-identical; several host threads simulate disjoint sets of cores in parallel.
#pragma once

#include "sim/Counters.h"
#include "sim/Executor.h"
#include "sim/MachineConfig.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace oxptx::sim {

struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
  uint64_t count() const { return uint64_t(x) * y * z; }
};

/// What the runtime (or a test) asks to run. The code is already loaded into global memory and
/// decoded; the windows' contents are given here.
struct KernelLaunch {
  uint64_t entry = 0;
  Dim3 grid, block;
  uint32_t staticSharedBytes = 0, dynamicSharedBytes = 0;
  uint32_t localBytesPerLane = 0;
  uint32_t stackBytes = 64 * 1024;
  std::vector<uint8_t> parameters; // the .param buffer, laid out as PTX declares it
  const uint8_t *constant = nullptr;
  uint64_t constantBytes = 0;
  uint64_t globalPointer = 0; // gp at entry (__global_pointer$ of the image), 0 if none
  uint64_t maxInstructionsPerWarp = 1ull << 32;
  uint64_t sliceInstructions = 256; // instructions a warp runs before the next one's turn
  uint64_t gridId = 1;
  /// Host threads simulating the cores (each takes every n-th core). 1: deterministic, every
  /// run bit-identical; more: faster, with the interleaving of a real machine (atomics stay
  /// atomic; plain racing accesses race as they would on hardware).
  unsigned hostThreads = 1;
  DeviceHeap *heap = nullptr; // device malloc/free; its range must be mapped in global memory
  bool trapOnDivideByZero = false; // trap_on_div0: report integer divisions by zero
  /// The launch environment words (%envreg0..31, CSRs 0xCE0..0xCFF): a cooperative launch's
  /// grid-barrier workspace address is in words 1 (high) and 2 (low), as CUDA's driver puts it.
  std::array<uint32_t, 32> environment{};
};

/// A fault with where it happened.
struct LaunchFault {
  Fault fault;
  Dim3 cta;             // CTA index
  uint32_t warp = 0;    // warp index within the CTA
  uint32_t execMask = 0; // v0[31:0] at the fault
  std::string describe() const;
};

struct LaunchResult {
  std::string error;                // the launch could not start (a sentence), else empty
  std::optional<LaunchFault> fault; // the launch stopped at a fault
  Counters counters;                // the whole launch
  std::vector<Counters> perCore;
  TimingEstimate timing;
  std::string output; // device printf and assertion text, in the order it was produced
  bool ok() const { return error.empty() && !fault; }
};

/// Bytes of scratchpad the runtime reserves at the end of every CTA's (docs §3.3).
constexpr uint32_t kReservedSharedBytes = 1024;

LaunchResult launchKernel(const MachineConfig &machine, Memory &global,
                          const DecodedProgram &code, const KernelLaunch &launch);

} // namespace oxptx::sim
