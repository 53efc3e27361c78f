// Guest memory of the simulated OxCore: mapped regions, every access bounds-checked. A bad
// access becomes a Fault value, never a host crash.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace oxptx::sim {

/// Why a guest program stopped abnormally: a structured report, not an exception.
struct Fault {
  enum class Kind : uint8_t {
    IllegalInstruction,
    Unimplemented, // decodes, but the simulator does not execute it yet
    OutOfBounds,
    Misaligned,
    Breakpoint,
    BadSyscall,
    Watchdog,
  };
  Kind kind;
  uint64_t pc = 0;
  uint64_t address = 0;
  uint32_t word = 0;
  std::string detail;
};

std::string describe(const Fault &fault); // one line for users, with the disassembled word

class Memory {
public:
  /// Maps [base, base+size) zero-filled. Regions must not overlap.
  void map(uint64_t base, uint64_t size);
  /// Host pointer to [address, address+size) if it lies in one region, else nullptr.
  uint8_t *translate(uint64_t address, uint64_t size);

  template <typename T> std::optional<T> load(uint64_t address) {
    uint8_t *p = translate(address, sizeof(T));
    if (!p)
      return std::nullopt;
    T value;
    std::memcpy(&value, p, sizeof(T));
    return value;
  }
  template <typename T> bool store(uint64_t address, T value) {
    uint8_t *p = translate(address, sizeof(T));
    if (!p)
      return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }

private:
  struct Region {
    uint64_t base;
    std::vector<uint8_t> bytes;
  };
  std::vector<Region> regions_;
  size_t lastHit_ = 0;
};

} // namespace oxptx::sim
