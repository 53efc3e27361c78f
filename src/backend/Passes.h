// LLVM's new pass manager with every analysis registered: the one place the backend sets it up.
#pragma once

#include <llvm/Passes/PassBuilder.h>

namespace oxptx::backend {

struct Analyses {
  explicit Analyses(llvm::TargetMachine *target = nullptr) : builder(target) {
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(cgscc);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, cgscc, modules);
  }
  llvm::PassBuilder builder;
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
};

} // namespace oxptx::backend
