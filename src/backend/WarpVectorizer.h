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

/// Where module variables live in the per-warp code: the kernel's .shared variables at its
/// scratchpad offsets, .global/.const ones as generic data.
struct MemoryLayout {
  std::map<const llvm::GlobalVariable *, uint64_t> sharedOffsets;
  std::map<const llvm::GlobalVariable *, llvm::GlobalVariable *> data; // as(1)/as(4) → generic
  uint64_t staticSharedBytes = 0;
};

/// Builds the per-warp version of `kernel` (which keeps its name; the per-thread function is
/// erased). Fills the kernel's local frame size into `info`.
llvm::Error vectorizeKernel(llvm::Function &kernel, const PreparedKernel &prepared,
                            const MemoryLayout &layout, const BackendOptions &options,
                            KernelInfo &info);

} // namespace oxptx::backend
