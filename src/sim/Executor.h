// Functional execution of OxCore code on one hart. Two settings: a plain RV64 program with the
// Linux `write`/`exit` system calls (the mode in which the simulator is compared with
// qemu-riscv64), and a kernel warp, where a WarpEnvironment answers the Xox CSRs and carries out
// barriers and exits. Instructions are decoded once, up front, into a DecodedProgram that every
// hart running the code shares.
#pragma once

#include "sim/CacheModel.h"
#include "sim/Counters.h"
#include "sim/Decoder.h"
#include "sim/DeviceHeap.h"
#include "sim/Memory.h"
#include "sim/VectorUnit.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace oxptx::sim {

struct Hart {
  std::array<uint64_t, 32> x{};
  std::array<uint64_t, 32> f{}; // raw 64-bit; single precision values are NaN-boxed
  uint8_t frm = 0;              // dynamic rounding mode
  uint8_t fflags = 0;           // accrued exceptions
  uint64_t pc = 0;
  uint64_t instret = 0;
  std::optional<uint64_t> reservation; // LR/SC: the reserved address
  uint64_t reservedValue = 0;          // and the value LR read
  VectorState vector;
  uint32_t livemask = 0; // Xox: valid lanes that have not exited (docs/oxcore-isa.md §3.2)
  uint64_t fpctl = 0;    // Xox ox.fpctl (§5)
};

/// The instructions of a code range, decoded once. Read-only after construction, so any number
/// of harts (and host threads) can execute from it.
class DecodedProgram {
public:
  DecodedProgram(const Memory &memory, uint64_t base, uint64_t size);
  /// The decoded instruction at pc, or nullptr for a misaligned pc, one outside the range, or
  /// an illegal word.
  const Decoded *at(uint64_t pc) const {
    uint64_t offset = pc - base_, index = offset / 4;
    return !(offset & 3) && index < entries_.size() && entries_[index].legal
               ? &entries_[index].decoded
               : nullptr;
  }
  bool contains(uint64_t pc) const { return pc >= base_ && (pc - base_) / 4 < entries_.size(); }
  uint32_t word(uint64_t pc) const { return contains(pc) ? entries_[(pc - base_) / 4].word : 0; }

private:
  struct Entry {
    bool legal = false;
    uint32_t word = 0;
    Decoded decoded{};
  };
  uint64_t base_;
  std::vector<Entry> entries_;
};

/// A CTA barrier operation (docs/oxcore-isa.md §3.4).
enum class BarrierOp : uint8_t { Sync, Arrive, RedPopc, RedAnd, RedOr };

/// What a kernel warp asks of its launch. The launch implements it; plain programs have none.
class WarpEnvironment {
public:
  virtual ~WarpEnvironment() = default;
  /// The Xox read-only CSRs (0xCC0-0xCFF) and the counters (cycle, time); nullopt for an
  /// address the launch does not define.
  virtual std::optional<uint64_t> readCsr(uint16_t csr) = 0;
  /// Arrival at a named barrier. True when the warp must wait; a reduction's result is written
  /// to `rd` of every participant when the barrier completes (possibly during this call).
  /// A misuse (count mismatch, kind mismatch) is reported through `error`.
  virtual bool arriveAtBarrier(BarrierOp op, unsigned id, unsigned count, uint32_t contribution,
                               uint8_t rd, std::string &error) = 0;
  /// Text from a host call (printf, an assertion message), in order.
  virtual void hostOutput(std::string_view text) = 0;
  /// The launch's device heap (device malloc/free), or nullptr if it has none.
  virtual DeviceHeap *heap() = 0;
};

struct RunResult {
  enum class Status {
    Exited,  // the program exited (exitCode), or the warp exited
    Faulted, // fault holds the report
    Blocked, // the warp waits at a barrier
    Yielded, // the slice budget ran out or the warp asked to sleep
  } status = Status::Faulted;
  int exitCode = 0;
  std::optional<Fault> fault;
  uint64_t instructions = 0; // retired by this hart in total
};

struct RunOptions {
  uint64_t maxInstructions = 1ull << 32; // the watchdog, over the hart's life
  uint64_t sliceInstructions = ~0ull;    // return Yielded after this many in this call
  /// Where the guest's `write(fd, buf, len)` goes (fd 1 and 2 only; plain programs).
  std::function<void(int fd, std::string_view bytes)> write;
  WarpEnvironment *warp = nullptr; // set when the hart runs a kernel warp
  Counters *counters = nullptr;     // events are counted here when set
  uint32_t lineBytes = 128;         // memory line size, for counting lines touched
  bool trapOnDivideByZero = false;  // trap_on_div0: report integer division by zero
  MemoryHierarchy *caches = nullptr; // the timing model's caches (launches), and the core
  unsigned core = 0;                 // whose L1 this hart uses
};

/// Runs from hart.pc until the program exits, faults, blocks or yields.
RunResult run(Hart &hart, AddressSpace &memory, const DecodedProgram &program,
              const RunOptions &options);

} // namespace oxptx::sim
