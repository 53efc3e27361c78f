// oxptx_translate: PTX AST → LLVM IR with per-thread (SIMT) semantics, one LLVM module per PTX
// module. Each kernel and device function becomes an LLVM function that describes what ONE
// thread does; the OxCore backend vectorizes it over a warp. Values with no LLVM IR equivalent
// (special registers, barriers) become calls to `ox.*` functions the backend knows.
//
// Conventions (docs/translator.md): address spaces 0 generic, 1 global, 3 shared, 4 const,
// 7 shared::cluster, 101 kernel parameters; `.local` is per-thread alloca memory, addressed generically. A kernel
// is `void @name(ptr addrspace(101) %params)` with the function attribute "ox-kernel"; its
// `.param` entries are at their PTX offsets in that buffer.
//
// Depends on src/ptx_parser and LLVM; nothing depends on it yet but the tools.
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>
#include <string_view>

namespace oxptx::translate {

/// LLVM address spaces of the PTX state spaces.
enum AddressSpace : unsigned {
  kGeneric = 0,
  kGlobal = 1,
  kShared = 3,
  kSharedCluster = 7, // .shared::cluster: a CTA's shared memory, or another CTA's of the cluster
  kConst = 4,
  kParam = 101,
};

struct TranslateResult {
  std::unique_ptr<llvm::Module> module;
  ptx::DiagnosticList diagnostics; // "unsupported ..." errors name the instruction and position
  unsigned translatedFunctions = 0, skippedFunctions = 0;
};

/// Translates every function of `module` that uses only what the translator supports; a
/// function that uses something else is left out with a diagnostic, and the others still
/// translate. The result passes the LLVM verifier. With `timePasses`, the translator's stages
/// (declare, lower, verify, promote) are timed in the "translate" timer group, which
/// llvm::TimerGroup::printAll reports.
TranslateResult translateModule(const ptx::Module &module, llvm::LLVMContext &context,
                                std::string_view moduleName, bool timePasses = false);

/// Runs LLVM's standard pipeline at -O0..-O3 (O0: only promotion of registers and .param
/// slots to SSA values). With `timePasses`, LLVM times each pass and reports on return.
void optimizeModule(llvm::Module &module, unsigned level, bool timePasses = false);

} // namespace oxptx::translate
