#include "sim/Memory.h"

#include "sim/Decoder.h"

#include <algorithm>
#include <new>

#include <sys/mman.h>

namespace oxptx::sim {
namespace {

/// [offset, offset+size) inside [0, limit)?
bool inside(uint64_t offset, uint64_t size, uint64_t limit) {
  return size <= limit && offset <= limit - size;
}

} // namespace

void Memory::Unmapper::operator()(uint8_t *p) const {
  if (size)
    munmap(p, size);
}

namespace {

uint8_t *anonymousPages(uint64_t size) {
  void *p = mmap(nullptr, std::max<uint64_t>(size, 1), PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t *>(p);
}

} // namespace

void Memory::map(uint64_t base, uint64_t size) {
  uint8_t *p = anonymousPages(size);
  if (!p)
    throw std::bad_alloc();
  regions_.push_back({base, size, {p, Unmapper{std::max<uint64_t>(size, 1)}}});
}

uint64_t Memory::mapAtHostAddress(uint64_t size) {
  uint8_t *p = anonymousPages(size);
  if (!p)
    return 0;
  uint64_t base = reinterpret_cast<uint64_t>(p);
  regions_.push_back({base, size, {p, Unmapper{std::max<uint64_t>(size, 1)}}});
  return base;
}

bool Memory::mapHostRange(uint8_t *host, uint64_t size) {
  uint64_t base = reinterpret_cast<uint64_t>(host);
  for (const Region &r : regions_)
    if (base < r.base + r.size && r.base < base + size)
      return false;
  regions_.push_back({base, size, {host, Unmapper{0}}});
  return true;
}

bool Memory::unmap(uint64_t base) {
  auto it = std::find_if(regions_.begin(), regions_.end(), [&](const Region &r) { return r.base == base; });
  if (it == regions_.end())
    return false;
  regions_.erase(it);
  return true;
}

uint8_t *Memory::translate(uint64_t address, uint64_t size, size_t &hint) const {
  auto host = [&](size_t i) -> uint8_t * {
    const Region &r = regions_[i];
    if (address < r.base || !inside(address - r.base, size, r.size))
      return nullptr;
    return r.bytes.get() + (address - r.base);
  };
  if (hint < regions_.size())
    if (uint8_t *p = host(hint))
      return p;
  for (size_t i = 0; i < regions_.size(); ++i) {
    if (uint8_t *p = host(i)) {
      hint = i;
      return p;
    }
  }
  return nullptr;
}

uint8_t *AddressSpace::window(uint64_t address, uint64_t size, Access access) const {
  const Windows &w = *windows_;
  if (address >= kSharedBase && address < kSharedBase + kSharedWindow) {
    uint64_t offset = address - kSharedBase;
    return inside(offset, size, w.sharedBytes) ? w.shared + offset : nullptr;
  }
  if (address < kSharedBase) { // LOCAL: lane in bits 28:24, offset in bits 23:0
    uint64_t lane = (address - kLocalBase) >> 24, offset = address & (kLocalLaneStride - 1);
    if (lane >= 32 || !inside(offset, size, w.localBytesPerLane))
      return nullptr;
    return w.local + lane * w.localBytesPerLane + offset;
  }
  if (address >= kKernelStackTop - w.stackBytes && address < kKernelStackTop) {
    uint64_t offset = address - (kKernelStackTop - w.stackBytes);
    return inside(offset, size, w.stackBytes) ? w.stack + offset : nullptr;
  }
  if (access == Access::Write) // the banks below are read-only
    return nullptr;
  if (address >= kParamBase && address < kParamBase + kParamWindow) {
    uint64_t offset = address - kParamBase;
    return inside(offset, size, w.paramBytes) ? const_cast<uint8_t *>(w.param) + offset : nullptr;
  }
  if (address >= kConstBase && address < kConstBase + kConstWindow) {
    uint64_t offset = address - kConstBase;
    return inside(offset, size, w.constantBytes) ? const_cast<uint8_t *>(w.constant) + offset
                                                 : nullptr;
  }
  return nullptr;
}

std::string describe(const Fault &fault) {
  static constexpr const char *kKinds[] = {
      "illegal instruction", "instruction not implemented by the simulator",
      "out-of-bounds access", "misaligned access", "breakpoint", "unsupported system call",
      "watchdog: instruction limit reached", "trap", "barrier deadlock",
      "device-side assertion failed", "integer division by zero", "stack overflow"};
  char pc[32], address[32], word[16];
  std::snprintf(pc, sizeof pc, "0x%llx", static_cast<unsigned long long>(fault.pc));
  std::snprintf(address, sizeof address, "0x%llx", static_cast<unsigned long long>(fault.address));
  std::snprintf(word, sizeof word, "%08x", fault.word);
  std::string text = std::string(kKinds[size_t(fault.kind)]) + " at pc " + pc;
  auto decoded = decode(fault.word);
  text += std::string(" (") + word + (decoded ? " " + disassemble(*decoded, fault.pc) : "") + ")";
  if (fault.kind == Fault::Kind::OutOfBounds || fault.kind == Fault::Kind::Misaligned ||
      (fault.kind == Fault::Kind::StackOverflow && fault.address))
    text += std::string(", address ") + address;
  if (!fault.detail.empty())
    text += ": " + fault.detail;
  return text;
}

} // namespace oxptx::sim
