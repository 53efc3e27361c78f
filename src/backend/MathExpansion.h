// PTX's approximate functions (ex2/lg2/sin/cos/tanh .approx, which the translator leaves as
// llvm.exp2/log2/sin/cos/tanh with `afn`) expanded into IR, scalar or per lane: OxCore has no
// transcendental instructions and LLVM 19 no RISC-V vector math library. Accuracy is at least
// what the PTX ISA states for each instruction (docs/backend.md).
#pragma once

#include <llvm/IR/Module.h>

namespace oxptx::backend {

/// Replaces every call to llvm.exp2/log2/sin/cos/tanh on f32, f16 or bf16 (scalars or vectors)
/// in `module`; f16/bf16 are computed in f32 and rounded once.
void expandMath(llvm::Module &module);

} // namespace oxptx::backend
