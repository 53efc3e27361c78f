#include "sim/Memory.h"

#include "sim/Decoder.h"

namespace oxptx::sim {

void Memory::map(uint64_t base, uint64_t size) { regions_.push_back({base, std::vector<uint8_t>(size)}); }

uint8_t *Memory::translate(uint64_t address, uint64_t size) {
  auto inside = [&](const Region &r) {
    return address >= r.base && size <= r.bytes.size() && address - r.base <= r.bytes.size() - size;
  };
  if (lastHit_ < regions_.size() && inside(regions_[lastHit_]))
    return regions_[lastHit_].bytes.data() + (address - regions_[lastHit_].base);
  for (size_t i = 0; i < regions_.size(); ++i) {
    if (inside(regions_[i])) {
      lastHit_ = i;
      return regions_[i].bytes.data() + (address - regions_[i].base);
    }
  }
  return nullptr;
}

std::string describe(const Fault &fault) {
  static constexpr const char *kKinds[] = {
      "illegal instruction", "instruction not implemented by the simulator",
      "out-of-bounds access", "misaligned access", "breakpoint", "unsupported system call",
      "watchdog: instruction limit reached"};
  char pc[32], address[32], word[16];
  std::snprintf(pc, sizeof pc, "0x%llx", static_cast<unsigned long long>(fault.pc));
  std::snprintf(address, sizeof address, "0x%llx", static_cast<unsigned long long>(fault.address));
  std::snprintf(word, sizeof word, "%08x", fault.word);
  std::string text = std::string(kKinds[size_t(fault.kind)]) + " at pc " + pc;
  auto decoded = decode(fault.word);
  text += std::string(" (") + word + (decoded ? " " + disassemble(*decoded, fault.pc) : "") + ")";
  if (fault.kind == Fault::Kind::OutOfBounds || fault.kind == Fault::Kind::Misaligned)
    text += std::string(", address ") + address;
  if (!fault.detail.empty())
    text += ": " + fault.detail;
  return text;
}

} // namespace oxptx::sim
