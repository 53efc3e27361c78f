#include "sim/DeviceHeap.h"

#include <iterator>

namespace oxptx::sim {

DeviceHeap::DeviceHeap(uint64_t base, uint64_t bytes) : base_(base), bytes_(bytes) {
  if (bytes)
    free_[base] = bytes;
}

std::optional<uint64_t> DeviceHeap::allocate(uint64_t bytes) {
  uint64_t size = (std::max<uint64_t>(bytes, 1) + 15) & ~uint64_t(15);
  if (size < bytes) // overflowed
    return std::nullopt;
  std::lock_guard lock(mutex_);
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    if (it->second < size)
      continue;
    uint64_t start = it->first, left = it->second - size;
    free_.erase(it);
    if (left)
      free_[start + size] = left;
    used_[start] = size;
    return start;
  }
  return std::nullopt;
}

bool DeviceHeap::inUse() {
  std::lock_guard lock(mutex_);
  return !used_.empty();
}

bool DeviceHeap::release(uint64_t address) {
  std::lock_guard lock(mutex_);
  auto used = used_.find(address);
  if (used == used_.end())
    return false;
  uint64_t start = address, size = used->second;
  used_.erase(used);
  // Coalesce with the free neighbours.
  auto next = free_.lower_bound(start);
  if (next != free_.end() && start + size == next->first) {
    size += next->second;
    next = free_.erase(next);
  }
  if (next != free_.begin()) {
    auto previous = std::prev(next);
    if (previous->first + previous->second == start) {
      start = previous->first;
      size += previous->second;
      free_.erase(previous);
    }
  }
  free_[start] = size;
  return true;
}

} // namespace oxptx::sim
