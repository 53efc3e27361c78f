// Emitting OxCore-specific instructions from LLVM IR: Xox CSR reads and the custom-0 control
// instructions as inline assembly (`csrr`, `.insn`), so LLVM's stock RISC-V backend assembles
// them (docs/oxcore-isa.md §3). One function per instruction the backend uses.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include <cstdint>

namespace oxptx::backend::xox {

/// Xox CSR addresses (docs/oxcore-isa.md §3.3).
enum Csr : uint16_t {
  kCtaidX = 0xCC0,
  kNctaidX = 0xCC3,
  kNtidX = 0xCC6,
  kWarpid = 0xCC9,
  kCoreid = 0xCCC,
  kNcores = 0xCCD,
  kNhwtid = 0xCCF,
  kInstret = 0xC02, // standard: instructions the hart retired
  kClock = 0xCD0,
  kGlobaltimer = 0xCD1,
  kGridid = 0xCD2,
  kSmemDyn = 0xCD3,
  kSmemTotal = 0xCD4,
  kSmemRsvBegin = 0xCD7,
  kLocalSize = 0xCDC,
  kEnvreg0 = 0xCE0,
};

/// Window bases and strides of the memory map (docs/oxcore-isa.md §4).
constexpr uint64_t kLocalBase = 0xFFFFFFFF80000000ull;
constexpr uint64_t kSharedBase = 0xFFFFFFFFA0000000ull;
constexpr uint64_t kConstBase = 0xFFFFFFFFC0000000ull;
constexpr uint64_t kParamBase = 0xFFFFFFFFD0000000ull;

/// Reads a CSR as an i64. Launch constants (ids, dimensions) are pure, so LLVM may combine
/// repeated reads; counters (`volatileRead`) are read where they are written in the program.
llvm::Value *readCsr(llvm::IRBuilderBase &b, uint16_t csr, bool volatileRead = false);

/// `ox.bar.sync id, count` / `ox.bar.arrive id, count` (count 0: all threads of the CTA).
void barrier(llvm::IRBuilderBase &b, bool wait, llvm::Value *id, llvm::Value *count);
/// `ox.bar.red.<popc|and|or> rd, id, count, contribution` → the CTA-wide result (i64).
llvm::Value *barrierReduce(llvm::IRBuilderBase &b, unsigned funct2, llvm::Value *id,
                           llvm::Value *count, llvm::Value *contribution);
/// Trap codes (docs/oxcore-isa.md §3.2).
enum TrapCode : uint32_t {
  kTrapPtx = 0,
  kTrapUnreachable = 1,
  kTrapUnsupported = 2,
  kTrapStackOverflow = 3, // a device function's frame past the end of the lane's call stack
  kTrapSurfaceBounds = 4, // suld/sust with .trap outside the surface
};
/// `ox.trap code`: stops the launch.
void trap(llvm::IRBuilderBase &b, uint32_t code);
/// `ox.trap code`, then a return from the current function (LLVM does not know the trap never
/// returns): the end of a path that must not go on.
void trapAndReturn(llvm::IRBuilderBase &b, uint32_t code);
/// `ox.nanosleep ns`.
void nanosleep(llvm::IRBuilderBase &b, llvm::Value *ns);

} // namespace oxptx::backend::xox
