// The warp vectorizer: a prepared per-thread kernel (Prepare.h) ↦ a per-warp kernel following the
// OxCore kernel ABI (docs/oxcore-isa.md §7). Thread t of the warp is lane t of 32-lane vectors.
//
// Control flow. Every block B of the per-thread function has a pending mask: the lanes waiting to
// run it. Running B takes its mask as the exec mask, clears it, and at the terminator adds the
// lanes that take each edge to the successor's mask. The warp then jumps to the successor that
// the structured CFG runs first (the "then" side of an if, the header of a loop) if any lane
// waits there, else to the other one — so after StructurizeCFG every lane's path is followed, a
// block never runs with an empty mask, and lanes reconverge at the region's exit.
//
// Values. Within a block, a value whose operands are uniform and that has no per-lane effect
// stays scalar (one copy per warp, on the scalar engine); everything else becomes a vector.
// Demoted cross-block values (slots) are vectors written under the exec mask, so lanes that did
// not run a block keep their own values (the blends of a divergent join or loop exit); slots the
// uniformity analysis proves uniform (loop counters of uniform loops) stay scalar.
#pragma once

#include "backend/Backend.h"
#include "backend/Prepare.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/IR/Instructions.h>

#include <map>

namespace oxptx::backend {

/// Where module variables and functions live in the per-warp code: the kernel's .shared variables
/// at its scratchpad offsets, .global/.const ones as generic data, each device function left as
/// calls as its per-warp version.
struct MemoryLayout {
  std::map<const llvm::GlobalVariable *, uint64_t> sharedOffsets;
  std::map<const llvm::GlobalVariable *, llvm::GlobalVariable *> data; // as(1)/as(4) → generic
  std::map<const llvm::Function *, llvm::Function *> functions;        // per-thread → per-warp
  uint64_t staticSharedBytes = 0;
};

/// `extern .shared` with no size: dynamic shared memory, after the static variables.
bool isDynamicShared(const llvm::GlobalVariable &g);

/// The per-warp signature of a device function of per-thread type `perThread`: the kernel ABI's
/// seven values (docs/oxcore-isa.md §7), the calling lanes (<32 x i1>), the offset of the callee's
/// frame in each lane's local space and the end of that call stack (i64), then each parameter as
/// a per-lane value; the result is per lane.
llvm::FunctionType *warpFunctionType(llvm::FunctionType *perThread);
/// Argument positions of a per-warp device function: after the kernel ABI's seven values.
enum WarpFunctionArg : unsigned { kKernelAbiArgs = 7, kLanesArg = 7, kFrameArg, kStackEndArg, kWarpFunctionArgs };

/// Builds the per-warp version of `kernel` (which keeps its name; the per-thread function is
/// erased). Fills the kernel's local frame size into `info`.
llvm::Error vectorizeKernel(llvm::Function &kernel, const PreparedKernel &prepared,
                            const MemoryLayout &layout, const BackendOptions &options,
                            KernelInfo &info);

/// Builds the body of `warp`, the per-warp version of device function `function` (declared with
/// warpFunctionType). The per-thread function stays: callers still refer to it.
llvm::Error vectorizeFunction(llvm::Function &function, llvm::Function &warp,
                              const PreparedKernel &prepared, const MemoryLayout &layout,
                              const BackendOptions &options);

} // namespace oxptx::backend
