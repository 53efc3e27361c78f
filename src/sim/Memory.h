// Guest memory of the simulated OxCore: global regions and the per-warp windows of the top
// 2 GiB (docs/oxcore-isa.md §4), every access bounds-checked. A bad access becomes a Fault value,
// never a host crash.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
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
    Trap,            // ox.trap
    BarrierDeadlock, // every live warp of a CTA waits at a barrier that cannot complete
    AssertFailed,    // ox.assert (a device-side assert)
    DivideByZero,    // integer division by zero, when trap_on_div0 asks for a report
    StackOverflow,   // past the STACK window's valid part, or a device-function call stack (trap 3)
  };
  Kind kind;
  uint64_t pc = 0;
  uint64_t address = 0;
  uint32_t word = 0;
  std::string detail;
};

std::string describe(const Fault &fault); // one line for users, with the disassembled word

enum class Access : uint8_t { Read, Write };

/// The window layout of the top 2 GiB (docs/oxcore-isa.md §4, §9).
constexpr uint64_t kWindowsBase = 0xFFFFFFFF80000000ull;
constexpr uint64_t kLocalBase = 0xFFFFFFFF80000000ull, kLocalLaneStride = 1ull << 24;
constexpr uint64_t kSharedBase = 0xFFFFFFFFA0000000ull, kSharedWindow = 1ull << 24;
constexpr uint64_t kConstBase = 0xFFFFFFFFC0000000ull, kConstWindow = 1ull << 24;
constexpr uint64_t kParamBase = 0xFFFFFFFFD0000000ull, kParamWindow = 1ull << 16;
constexpr uint64_t kKernelStackTop = 0xFFFFFFFFE1000000ull, kStackWindow = 1ull << 24;
constexpr uint64_t kExitPc = 0xFFFFFFFFF0000000ull;

/// What the windows of the issuing warp map to. Local memory is stored per lane, contiguously
/// (the 4-byte interleaving of §4.3 is a placement for the timing model, invisible to software).
struct Windows {
  uint8_t *shared = nullptr;
  uint64_t sharedBytes = 0;
  uint8_t *local = nullptr; // lane l's space at local + l * localBytesPerLane
  uint64_t localBytesPerLane = 0;
  uint8_t *stack = nullptr; // [kKernelStackTop - stackBytes, kKernelStackTop)
  uint64_t stackBytes = 0;
  const uint8_t *param = nullptr;
  uint64_t paramBytes = 0;
  const uint8_t *constant = nullptr;
  uint64_t constantBytes = 0;
};

/// Global memory: mapped regions. Regions do not move once mapped, so host pointers into them
/// stay valid until the region is unmapped. Storage comes from the host's anonymous mappings,
/// so untouched pages cost nothing.
class Memory {
public:
  /// Maps [base, base+size) zero-filled. Regions must not overlap.
  void map(uint64_t base, uint64_t size);
  /// Maps `size` zero-filled bytes whose guest address is their host address (memory that host
  /// code and kernels share, like CUDA's managed and mapped host memory); 0 if the host has none.
  uint64_t mapAtHostAddress(uint64_t size);
  /// Maps host memory the caller owns at its own address (CUDA's registered host memory); it
  /// must stay valid until unmapped. False if it overlaps a region.
  bool mapHostRange(uint8_t *host, uint64_t size);
  /// Unmaps the region that starts at `base`; false if none does.
  bool unmap(uint64_t base);

  /// Host pointer to [address, address+size) if it lies in one region, else nullptr.
  uint8_t *translate(uint64_t address, uint64_t size) const {
    size_t hint = 0;
    return translate(address, size, hint);
  }
  /// The same with a caller-held hint: the index of the region that answered last.
  uint8_t *translate(uint64_t address, uint64_t size, size_t &hint) const;

private:
  struct Unmapper {
    uint64_t size; // 0: the caller's memory, not ours to unmap
    void operator()(uint8_t *p) const;
  };
  struct Region {
    uint64_t base, size;
    std::unique_ptr<uint8_t, Unmapper> bytes;
  };
  std::vector<Region> regions_;
};

/// Memory as one warp sees it: global memory plus that warp's windows. Cheap to make; one per
/// warp (or per program in plain-ELF mode).
class AddressSpace {
public:
  explicit AddressSpace(Memory &global, const Windows *windows = nullptr)
      : global_(global), windows_(windows) {}

  /// Host pointer to [address, address+size) if the access is valid, else nullptr.
  uint8_t *translate(uint64_t address, uint64_t size, Access access = Access::Read) {
    if (address < kWindowsBase)
      return global_.translate(address, size, hint_);
    return windows_ ? window(address, size, access) : nullptr;
  }

  template <typename T> std::optional<T> load(uint64_t address) {
    uint8_t *p = translate(address, sizeof(T));
    if (!p)
      return std::nullopt;
    T value;
    std::memcpy(&value, p, sizeof(T));
    return value;
  }
  template <typename T> bool store(uint64_t address, T value) {
    uint8_t *p = translate(address, sizeof(T), Access::Write);
    if (!p)
      return false;
    std::memcpy(p, &value, sizeof(T));
    return true;
  }

private:
  uint8_t *window(uint64_t address, uint64_t size, Access access) const;

  Memory &global_;
  const Windows *windows_;
  size_t hint_ = 0;
};

} // namespace oxptx::sim
