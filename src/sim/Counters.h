// Event counters of a launch and the first timing model (docs/simulator.md, "Counters and
// timing"). The engines count per warp; a launch sums them per core and in total, and estimates
// cycles from the OxQuilt configuration.
#pragma once

#include "sim/Decoder.h"
#include "sim/MachineConfig.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace oxptx::sim {

/// What an instruction occupies, for issue limits and latencies.
enum class InsnClass : uint8_t {
  ScalarAlu, ScalarMul, ScalarDiv, ScalarFloat, ScalarFloatDiv, ScalarMemory, Branch,
  VectorAlu, VectorMul, VectorDiv, VectorFloat, VectorFloatDiv, VectorMemory,
  Tensor,  // Xox MMA
  Control, // Xox control: exits, barriers, fences
  Count
};
InsnClass insnClass(Insn insn);
const char *insnClassName(InsnClass c);

struct Counters {
  std::array<uint64_t, size_t(InsnClass::Count)> byClass{};
  uint64_t vectorElementSlots = 0;   // sum of vl over vector instructions
  uint64_t vectorActiveElements = 0; // elements that were not masked off
  uint64_t vectorBeats = 0;          // sum of ceil(vl * SEW / VLEN): vector-unit occupancy
  uint64_t scalarLoadBytes = 0, scalarStoreBytes = 0;
  uint64_t vectorLoadBytes = 0, vectorStoreBytes = 0;
  uint64_t unitStrideAccesses = 0, stridedAccesses = 0, indexedAccesses = 0;
  uint64_t memoryLines = 0;          // distinct lines touched per access, summed (global only)
  /// Memory-pipe cycles beyond the first of each vector access: a unit-stride access takes one
  /// cycle per global line it touches, a strided or indexed one a cycle per element (one
  /// address per cycle), except in the banked scratchpad, which serves any 32 addresses at once
  /// (bank conflicts are counted apart).
  uint64_t memoryPipeExtra = 0;
  uint64_t l1Hits = 0, l2Hits = 0, dramLines = 0; // where those lines were served (launches)
  uint64_t memoryStall = 0;          // cycles beyond an L1 hit, per access its slowest line
  uint64_t sharedAccesses = 0, sharedBankConflicts = 0; // conflicts: extra scratchpad cycles
  uint64_t barrierArrivals = 0;
  uint64_t barrierWait = 0; // core issue slots (functional clock) warps spent waiting at barriers

  uint64_t instructions() const;
  Counters &operator+=(const Counters &other);
};

/// A launch's estimate: cycles per core and in total, with the bound that decided them.
struct TimingEstimate {
  uint64_t cycles = 0;
  std::string bound; // "issue", "latency", "dram"
  std::vector<uint64_t> coreCycles;
  double seconds = 0;
};

/// Latency in cycles of one instruction of class c under the configuration.
uint64_t latencyOf(const MachineConfig &machine, InsnClass c);
/// The latencies of all the counted instructions, as if each waited for the previous one.
uint64_t serialLatency(const MachineConfig &machine, const Counters &c);

/// The first timing model: per core, the larger of the issue bound (instructions per engine
/// over its issue width, vector beats for the vector unit) and the latency bound (the warps'
/// serial latencies, memory stalls from the cache model included, overlapped across the core's
/// hardware threads, but never less than the slowest warp); the launch takes the slowest core,
/// or the DRAM bandwidth bound (lines served by DRAM) if larger.
TimingEstimate estimateTiming(const MachineConfig &machine, const std::vector<Counters> &perCore,
                              const std::vector<uint64_t> &slowestWarpLatency);

/// The counters and the estimate as a JSON document.
std::string countersJson(const MachineConfig &machine, const Counters &total,
                         const std::vector<Counters> &perCore, const TimingEstimate &timing);

} // namespace oxptx::sim
