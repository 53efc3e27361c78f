// oxptx_backend: the translator's per-thread LLVM module → per-warp OxCore machine code.
//
//   prepare     inline device functions; one exit; lower switches; reducible, structured CFG;
//               values live across blocks demoted to slots (Prepare.cpp)
//   layout      .shared variables at scratchpad offsets, .global/.const data as ordinary data
//   vectorize   each kernel: one thread ↦ one lane of a 32-lane vector, masks for divergent
//               control flow, warp operations as vector operations (WarpVectorizer.cpp)
//   codegen     LLVM's RISC-V target with RVV (VLEN 1024) and Xox as inline `.insn` (Codegen.cpp)
//
// docs/backend.md is the map. Errors are values (llvm::Error) naming the kernel and the cause.
#pragma once

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <cstdint>
#include <string>
#include <vector>

namespace oxptx::backend {

/// Launch metadata of one kernel (the kernel image records it; docs/oxcore-isa.md §7).
struct KernelInfo {
  std::string name;
  uint32_t parameterBytes = 0;    // size of the .param buffer
  uint32_t staticSharedBytes = 0; // .shared variables (scratchpad offset 0 upward)
  uint32_t localBytesPerLane = 0; // .local frame of one thread
  /// The kernel calls device functions: each lane's LOCAL space also holds their frames, a call
  /// stack whose size the launch chooses (CUDA's cudaLimitStackSize).
  bool callStack = false;
  uint32_t stackBytes = 0; // the scalar engine's stack (sp) of one warp
};

/// The warp stack of a kernel without calls (spills only), and of one that calls device
/// functions: every level of a recursion keeps its live vectors there (all vector registers are
/// caller-saved), about 0.5-2 KiB per level.
constexpr uint32_t kKernelStackBytes = 64 * 1024, kCallingKernelStackBytes = 1024 * 1024;

struct BackendOptions {
  unsigned optLevel = 2; // LLVM's optimizer after vectorization and the code generator's level
  /// The "generic SIMT" baseline: no uniformity or stride analysis. Every value is a per-lane
  /// vector, every value crossing blocks is blended, every access is a gather or scatter. Kept
  /// to measure what the analyses buy (bench/).
  bool genericSimt = false;
};

struct LoweredModule {
  std::vector<KernelInfo> kernels; // the kernels that were lowered
  std::vector<std::string> errors; // one sentence per kernel left out (it is removed)
};

/// Rewrites `module` (the translator's output) into per-warp code for OxCore: every kernel
/// becomes a function following the kernel ABI; device functions are inlined into them. A
/// kernel the backend cannot lower is removed with an error; the others are still lowered.
LoweredModule lowerModule(llvm::Module &module, const BackendOptions &options);

enum class Emit { Assembly, Object };

/// Runs LLVM's RISC-V code generator on a lowered module: assembly text or an ELF relocatable.
llvm::Expected<std::string> emitCode(llvm::Module &module, Emit kind, const BackendOptions &options);

} // namespace oxptx::backend
