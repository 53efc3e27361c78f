// Functional execution of OxCore scalar code on one hart. This first engine runs plain RISC-V
// programs (RV64IMAFD + Zba + Zbb + Zicsr) with the Linux `write`/`exit` system calls, the
// mode in which the simulator is compared with qemu-riscv64. Instructions are decoded once per
// address and executed from the decoded cache.
#pragma once

#include "sim/Decoder.h"
#include "sim/Memory.h"
#include "sim/VectorUnit.h"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace oxptx::sim {

struct Hart {
  std::array<uint64_t, 32> x{};
  std::array<uint64_t, 32> f{}; // raw 64-bit; single precision values are NaN-boxed
  uint8_t frm = 0;              // dynamic rounding mode
  uint8_t fflags = 0;           // accrued exceptions
  uint64_t pc = 0;
  uint64_t instret = 0;
  std::optional<uint64_t> reservation; // LR/SC
  VectorState vector;
};

struct RunResult {
  enum class Status { Exited, Faulted } status = Status::Faulted;
  int exitCode = 0;
  std::optional<Fault> fault;
  uint64_t instructions = 0;
};

struct RunOptions {
  uint64_t maxInstructions = 1ull << 32; // the watchdog
  /// Where the guest's `write(fd, buf, len)` goes (fd 1 and 2 only).
  std::function<void(int fd, std::string_view bytes)> write;
};

/// Runs from hart.pc until the program exits or faults. `code` is the address range whose
/// decoded instructions are cached.
RunResult run(Hart &hart, Memory &memory, uint64_t codeBase, uint64_t codeSize,
              const RunOptions &options);

} // namespace oxptx::sim
