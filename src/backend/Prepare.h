// The first backend stage: normalizes the translator's per-thread module so that the warp
// vectorizer sees kernels, and the device functions left as calls (recursion, indirect calls),
// with one exit, a reducible and structured CFG (every divergent branch region has a single entry
// and exit, LLVM's StructurizeCFG), and no SSA value live across blocks: such values and phis are
// demoted to stack slots, which the vectorizer turns into per-lane vectors written under the
// block's mask (so masked control flow blends them).
#pragma once

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include <vector>

namespace oxptx::backend {

/// Inlines every device function into its callers and removes it, except those that must stay
/// functions: members of call cycles (recursion) and functions whose address is taken (indirect
/// calls, virtual functions). Returns those, in module order.
std::vector<llvm::Function *> inlineDeviceFunctions(llvm::Module &module);

/// Structures one kernel or device function and demotes the values that need blending: phis
/// (joins of lanes that came different ways) and values used outside a loop that defines them
/// (lanes leave the loop in different iterations). Any other value is defined in a block that
/// dominates its uses, and every lane that reaches a use ran that block last with the same
/// value, so it stays SSA.
/// `demoteAll` (the generic SIMT baseline) demotes every value used outside its block.
struct PreparedKernel {
  llvm::SmallPtrSet<llvm::AllocaInst *, 32> slots;
  /// Slots whose value is the same in every lane that reads it (Uniformity.h): a phi that is
  /// not a divergent join, a loop result used only where every lane left the loop together.
  llvm::SmallPtrSet<llvm::AllocaInst *, 32> uniformSlots;
  /// Slots of loop-header phis read only in their header and written only by the loop's one
  /// entering block and one latch: a lane reads the slot only after a store it took part in, so
  /// the stores need no blend (the lanes that are not active never read what they overwrite).
  llvm::SmallPtrSet<llvm::AllocaInst *, 32> unblendedSlots;
};
PreparedKernel prepareKernel(llvm::Function &kernel, bool demoteAll);

} // namespace oxptx::backend
