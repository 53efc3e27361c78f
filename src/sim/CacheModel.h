// Tag-only caches for the timing model: which level of the memory hierarchy serves each line a
// global access touches. Each core has an L1, the machine one shared L2 (OxQuilt sizes and line
// size; 4-way and 16-way set-associative, LRU, as the configuration does not give
// associativity yet). Contents are not stored: the functional simulator reads memory directly.
#pragma once

#include "sim/Counters.h"
#include "sim/MachineConfig.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace oxptx::sim {

class Cache {
public:
  Cache(uint64_t bytes, uint64_t lineBytes, unsigned ways);
  /// Looks `line` (an address divided by the line size) up; true on a hit. A miss fills it,
  /// evicting the least recently used line of its set.
  bool access(uint64_t line);

private:
  struct Way {
    uint64_t tag, stamp; // stamp 0 = empty
  };
  struct Free {
    void operator()(Way *p) const { std::free(p); }
  };
  uint64_t sets_ = 0;
  unsigned ways_ = 0;
  // Zeroed by calloc: a large table comes as fresh zero pages, touched only where a launch
  // accesses it, so a cold cache costs nothing up front (launches start with cold caches).
  std::unique_ptr<Way[], Free> table_;
  uint64_t clock_ = 0;
};

class MemoryHierarchy {
public:
  MemoryHierarchy(const MachineConfig &machine);
  /// Serves `line` for `core`: counts the level in `counters` and returns its latency.
  uint64_t access(unsigned core, uint64_t line, Counters &counters);
  uint64_t l1Latency() const { return l1Latency_; }

private:
  std::vector<Cache> l1_;
  Cache l2_;
  std::mutex l2Mutex_; // cores may run on several host threads
  uint64_t l1Latency_, l2Latency_, dramLatency_;
};

} // namespace oxptx::sim
