#include "sim/CacheModel.h"

#include <new>

namespace oxptx::sim {

Cache::Cache(uint64_t bytes, uint64_t lineBytes, unsigned ways) {
  uint64_t lines = lineBytes ? bytes / lineBytes : 0;
  ways_ = lines ? unsigned(std::min<uint64_t>(ways, lines)) : 0;
  sets_ = ways_ ? lines / ways_ : 0;
  if (sets_) {
    table_.reset(static_cast<Way *>(std::calloc(sets_ * ways_, sizeof(Way))));
    if (!table_)
      throw std::bad_alloc();
  }
}

bool Cache::access(uint64_t line) {
  if (!sets_)
    return false;
  size_t base = size_t(line % sets_) * ways_, victim = base;
  ++clock_;
  Way *table = table_.get();
  for (size_t w = base; w < base + ways_; ++w) {
    if (table[w].stamp && table[w].tag == line) {
      table[w].stamp = clock_;
      return true;
    }
    if (table[w].stamp < table[victim].stamp)
      victim = w;
  }
  table[victim] = {line, clock_};
  return false;
}

MemoryHierarchy::MemoryHierarchy(const MachineConfig &m)
    : l2_(m.memory.l2Bytes, m.memory.lineBytes, 16), l1Latency_(m.latency.l1Hit),
      l2Latency_(m.latency.l2Hit), dramLatency_(m.latency.dram) {
  for (uint64_t c = 0; c < m.core.count; ++c)
    l1_.emplace_back(m.memory.l1BytesPerCore, m.memory.lineBytes, 4);
}

uint64_t MemoryHierarchy::access(unsigned core, uint64_t line, Counters &counters) {
  if (l1_[core].access(line)) {
    ++counters.l1Hits;
    return l1Latency_;
  }
  std::lock_guard lock(l2Mutex_);
  if (l2_.access(line)) {
    ++counters.l2Hits;
    return l2Latency_;
  }
  ++counters.dramLines;
  return dramLatency_;
}

} // namespace oxptx::sim
