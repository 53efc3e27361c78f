// LLVM's RISC-V target configured for OxCore v1: RV64IMAFD + Zba/Zbb/Zfh + V with VLEN = 1024
// (zvl1024b, vscale_range(16,16): fixed-length 32-lane vectors map one-to-one onto registers)
// + Zvfh, LP64D, no compressed instructions (docs/oxcore-isa.md §1).
#pragma once

#include "backend/Backend.h"

#include <llvm/Target/TargetMachine.h>

#include <memory>

namespace oxptx::backend {

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const BackendOptions &options);

/// Sets the OxCore target features and vscale range on every function of `module`.
void setTargetAttributes(llvm::Module &module);

} // namespace oxptx::backend
