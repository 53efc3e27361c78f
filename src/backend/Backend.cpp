#include "backend/Backend.h"
#include "backend/Codegen.h"
#include "backend/MathExpansion.h"
#include "backend/Passes.h"
#include "backend/Prepare.h"
#include "backend/WarpVectorizer.h"
#include "backend/Xox.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/Passes/PassBuilder.h>

namespace oxptx::backend {
namespace {

bool isKernel(const llvm::Function &f) { return f.hasFnAttribute("ox-kernel") && !f.isDeclaration(); }

/// .global and .const variables become ordinary data of the image in the generic address space
/// (exported and writable: the translator made them so for the host's sake).
MemoryLayout layoutData(llvm::Module &module) {
  MemoryLayout layout;
  std::vector<llvm::GlobalVariable *> data;
  for (llvm::GlobalVariable &g : module.globals())
    if (unsigned space = g.getAddressSpace(); space != 0 && space != 3 && space != 7)
      data.push_back(&g);
  for (llvm::GlobalVariable *g : data) {
    auto *generic = new llvm::GlobalVariable(module, g->getValueType(), g->isConstant(),
                                             g->getLinkage(), nullptr, "", g,
                                             llvm::GlobalValue::NotThreadLocal, 0);
    generic->setAlignment(g->getAlign());
    layout.data[g] = generic;
  }
  return layout;
}

/// The .shared variables one kernel uses, at scratchpad offsets in declaration order; dynamic
/// (`extern`, unsized) ones after the static ones, at the 16-byte boundary the ABI's a2 points
/// to. Each kernel has its own layout: its scratchpad holds only what it uses.
void layoutShared(llvm::Function &kernel, MemoryLayout &layout) {
  const llvm::DataLayout &dl = kernel.getParent()->getDataLayout();
  llvm::SmallPtrSet<const llvm::GlobalVariable *, 8> used;
  for (llvm::Instruction &i : llvm::instructions(kernel))
    for (const llvm::Use &u : i.operands())
      if (auto *g = llvm::dyn_cast<llvm::GlobalVariable>(u.get()))
        used.insert(g);
  layout.sharedOffsets.clear();
  layout.staticSharedBytes = 0;
  std::vector<const llvm::GlobalVariable *> dynamic;
  for (const llvm::GlobalVariable &g : kernel.getParent()->globals()) {
    if ((g.getAddressSpace() != 3 && g.getAddressSpace() != 7) || !used.count(&g))
      continue;
    uint64_t size = g.getValueType()->isSized() ? dl.getTypeAllocSize(g.getValueType()) : 0;
    if (size == 0 && g.isDeclaration()) {
      dynamic.push_back(&g);
      continue;
    }
    uint64_t align = g.getAlign().valueOrOne().value();
    layout.staticSharedBytes = (layout.staticSharedBytes + align - 1) / align * align;
    layout.sharedOffsets[&g] = layout.staticSharedBytes;
    layout.staticSharedBytes += size;
  }
  for (const llvm::GlobalVariable *g : dynamic)
    layout.sharedOffsets[g] = (layout.staticSharedBytes + 15) / 16 * 16;
}

/// After every kernel is lowered: initializers move to the generic variables, which take the
/// names; references from other initializers follow; the per-thread variables go.
void finishLayout(llvm::Module &module, const MemoryLayout &layout) {
  for (auto [old, generic] : layout.data) {
    auto *g = const_cast<llvm::GlobalVariable *>(old);
    if (g->hasInitializer())
      generic->setInitializer(g->getInitializer());
    generic->takeName(g);
    g->replaceAllUsesWith(llvm::ConstantExpr::getAddrSpaceCast(generic, g->getType()));
    g->eraseFromParent();
  }
  std::vector<llvm::GlobalVariable *> shared; // offsets are per kernel: no address of its own
  for (llvm::GlobalVariable &g : module.globals())
    if (g.getAddressSpace() == 3 || g.getAddressSpace() == 7)
      shared.push_back(&g);
  for (llvm::GlobalVariable *g : shared) {
    g->replaceAllUsesWith(llvm::ConstantExpr::getIntToPtr(
        llvm::ConstantInt::get(llvm::Type::getInt64Ty(module.getContext()), xox::kSharedBase), g->getType()));
    g->eraseFromParent();
  }
}

void optimize(llvm::Module &module, unsigned level, llvm::TargetMachine *target) {
  Analyses analyses(target);
  llvm::OptimizationLevel levels[] = {llvm::OptimizationLevel::O1, llvm::OptimizationLevel::O1,
                                      llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
  // O0 still promotes the vectorizer's slots: unpromoted 32-lane vectors would go through memory
  llvm::ModulePassManager mpm = analyses.builder.buildPerModuleDefaultPipeline(levels[std::min(level, 3u)]);
  mpm.run(module, analyses.modules);
}

} // namespace

LoweredModule lowerModule(llvm::Module &module, const BackendOptions &options) {
  LoweredModule result;
  if (llvm::Error e = inlineDeviceFunctions(module)) {
    result.errors.push_back(llvm::toString(std::move(e)));
    std::vector<llvm::Function *> kernels;
    for (llvm::Function &f : module)
      if (isKernel(f))
        kernels.push_back(&f);
    for (llvm::Function *f : kernels)
      f->deleteBody();
    return result;
  }
  MemoryLayout layout = layoutData(module);
  std::vector<llvm::Function *> kernels;
  for (llvm::Function &f : module)
    if (isKernel(f))
      kernels.push_back(&f);
  for (llvm::Function *f : kernels) {
    KernelInfo info;
    info.name = f->getName().str();
    if (f->hasFnAttribute("ox-param-bytes"))
      f->getFnAttribute("ox-param-bytes").getValueAsString().getAsInteger(10, info.parameterBytes);
    auto prepared = prepareKernel(*f, options.genericSimt);
    if (prepared) {
      layoutShared(*f, layout);
      info.staticSharedBytes = uint32_t(layout.staticSharedBytes);
    }
    llvm::Error e = prepared ? vectorizeKernel(*f, *prepared, layout, options, info) : prepared.takeError();
    if (e) {
      result.errors.push_back(llvm::toString(std::move(e)));
      if (llvm::Function *left = module.getFunction(info.name))
        left->eraseFromParent();
      continue;
    }
    result.kernels.push_back(info);
  }
  finishLayout(module, layout);
  expandMath(module);
  auto target = createTargetMachine(options);
  setTargetAttributes(module);
  optimize(module, options.optLevel, target.get());
  expandMath(module); // the optimizer narrows widened bf16 arithmetic back when it is exact
  return result;
}

} // namespace oxptx::backend
