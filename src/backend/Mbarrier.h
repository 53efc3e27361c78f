// PTX mbarriers (split-phase barriers in shared memory, the basis of cuda::barrier and of
// asynchronous-copy pipelines): the translator's ox.mbarrier.* calls get per-thread definitions
// over the object's 64 bits with atomic compare-and-swap, which are then inlined and vectorized
// like any device code (docs/backend.md).
#pragma once

#include <llvm/IR/Module.h>

namespace oxptx::backend {

/// Points every call of a known ox.mbarrier.* operation at an internal definition.
void defineMbarriers(llvm::Module &module);

} // namespace oxptx::backend
