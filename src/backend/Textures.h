// Texture and surface instructions (tex, suld.b, sust.b) as per-thread definitions over the
// object's descriptor (TextureDescriptor.h), inlined and vectorized like the kernel's code.
#pragma once

#include <llvm/IR/Module.h>

namespace oxptx::backend {

/// Gives each supported ox.tex.* / ox.suld.b.* / ox.sust.b.* call of the module a definition;
/// the others stay declarations, which the vectorizer reports as unsupported.
void defineTextures(llvm::Module &module);

} // namespace oxptx::backend
