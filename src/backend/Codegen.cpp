#include "backend/Codegen.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <mutex>

namespace oxptx::backend {
namespace {

constexpr const char *kTriple = "riscv64-unknown-elf";
constexpr const char *kFeatures = "+m,+a,+f,+d,+zicsr,+zifencei,+zba,+zbb,+zfh,+v,+zvl1024b,+zvfh,-c,-relax";

} // namespace

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const BackendOptions &options) {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTarget();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmPrinter();
    LLVMInitializeRISCVAsmParser();
  });
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(kTriple, error);
  if (!target)
    return nullptr;
  llvm::TargetOptions to;
  to.MCOptions.ABIName = "lp64d";
  // never CodeGenOptLevel::None: its fast register allocator spills every 32-lane vector
  llvm::CodeGenOptLevel levels[] = {llvm::CodeGenOptLevel::Less, llvm::CodeGenOptLevel::Less,
                                    llvm::CodeGenOptLevel::Default, llvm::CodeGenOptLevel::Aggressive};
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      kTriple, "generic-rv64", kFeatures, to, llvm::Reloc::Static, llvm::CodeModel::Medium,
      levels[std::min(options.optLevel, 3u)]));
}

void setTargetAttributes(llvm::Module &module) {
  module.setTargetTriple(kTriple);
  module.addModuleFlag(llvm::Module::Error, "target-abi", llvm::MDString::get(module.getContext(), "lp64d"));
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", "generic-rv64");
    f.addFnAttr("target-features", kFeatures);
    f.addFnAttr(llvm::Attribute::getWithVScaleRangeArgs(module.getContext(), 16, 16));
  }
}

llvm::Expected<std::string> emitCode(llvm::Module &module, Emit kind, const BackendOptions &options) {
  auto target = createTargetMachine(options);
  if (!target)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "LLVM was built without the RISC-V target");
  module.setDataLayout(target->createDataLayout());
  llvm::SmallVector<char, 0> out;
  llvm::raw_svector_ostream buffer(out);
  llvm::legacy::PassManager pm;
  if (target->addPassesToEmitFile(pm, buffer, nullptr,
                                  kind == Emit::Assembly ? llvm::CodeGenFileType::AssemblyFile
                                                         : llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the RISC-V code generator cannot emit this file type");
  pm.run(module);
  return std::string(out.begin(), out.end());
}

} // namespace oxptx::backend
