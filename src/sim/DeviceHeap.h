// The device heap behind device-side malloc/free (docs/oxcore-isa.md §3.8): a range of global
// memory the caller maps, carved into 16-byte-aligned blocks first-fit. It outlives launches,
// as CUDA's heap does, and is safe to use from several host threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>

namespace oxptx::sim {

class DeviceHeap {
public:
  DeviceHeap(uint64_t base, uint64_t bytes);
  /// A block of at least `bytes` bytes, or nullopt when the heap has no room (malloc's NULL).
  std::optional<uint64_t> allocate(uint64_t bytes);
  /// Frees a block allocate() returned; false for any other address.
  bool release(uint64_t address);
  uint64_t base() const { return base_; }
  uint64_t bytes() const { return bytes_; }
  bool inUse();

private:
  uint64_t base_, bytes_;
  std::map<uint64_t, uint64_t> free_; // start -> size, coalesced
  std::map<uint64_t, uint64_t> used_; // start -> size
  std::mutex mutex_;
};

} // namespace oxptx::sim
