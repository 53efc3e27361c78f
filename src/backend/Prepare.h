// The first backend stage: normalizes the translator's per-thread module so that the warp
// vectorizer sees kernels without calls, with one exit, a reducible and structured CFG (every
// divergent branch region has a single entry and exit, LLVM's StructurizeCFG), and no SSA value
// live across blocks: such values and phis are demoted to stack slots, which the vectorizer turns
// into per-lane vectors written under the block's mask (so masked control flow blends them).
#pragma once

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

namespace oxptx::backend {

/// Inlines every device function into the kernels that call it and removes the device
/// functions. Recursive and indirect calls are reported as unsupported (per kernel).
llvm::Error inlineDeviceFunctions(llvm::Module &module);

/// Structures one kernel and demotes its cross-block values. Returns the demotion slots.
llvm::Expected<llvm::SmallPtrSet<llvm::AllocaInst *, 32>> prepareKernel(llvm::Function &kernel);

} // namespace oxptx::backend
