#include "backend/Backend.h"
#include "backend/Codegen.h"
#include "backend/MathExpansion.h"
#include "backend/Mbarrier.h"
#include "backend/Textures.h"
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

using Variables = llvm::SmallPtrSet<const llvm::GlobalVariable *, 8>;

Variables usedVariables(llvm::ArrayRef<llvm::Function *> functions) {
  Variables used;
  for (llvm::Function *f : functions)
    for (llvm::Instruction &i : llvm::instructions(*f))
      for (const llvm::Use &u : i.operands())
        if (auto *g = llvm::dyn_cast<llvm::GlobalVariable>(u.get()))
          used.insert(g);
  return used;
}

bool callsFunctions(const llvm::Function &kernel, const MemoryLayout &layout) {
  for (const llvm::Instruction &i : llvm::instructions(kernel))
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i))
      if (call->isIndirectCall() || layout.functions.count(call->getCalledFunction()))
        return true;
  return false;
}

/// The .shared variables of `first` then those of `then`, at scratchpad offsets in declaration
/// order; dynamic (`extern`, unsized) ones after the static ones, at the 16-byte boundary the
/// ABI's a2 points to. Each kernel has its own layout: its scratchpad holds only what it uses,
/// and, if it calls device functions, first what they use (at the same offsets in every kernel:
/// a function is built once for all its callers).
void layoutShared(llvm::Module &module, const Variables &first, const Variables &then,
                  MemoryLayout &layout) {
  const llvm::DataLayout &dl = module.getDataLayout();
  layout.sharedOffsets.clear();
  layout.staticSharedBytes = 0;
  std::vector<const llvm::GlobalVariable *> dynamic;
  for (const Variables *used : {&first, &then})
    for (const llvm::GlobalVariable &g : module.globals()) {
      if ((g.getAddressSpace() != 3 && g.getAddressSpace() != 7) || !used->count(&g) ||
          layout.sharedOffsets.count(&g))
        continue;
      if (isDynamicShared(g)) {
        dynamic.push_back(&g);
        layout.sharedOffsets[&g] = 0; // placed below
        continue;
      }
      uint64_t align = g.getAlign().valueOrOne().value();
      layout.staticSharedBytes = (layout.staticSharedBytes + align - 1) / align * align;
      layout.sharedOffsets[&g] = layout.staticSharedBytes;
      layout.staticSharedBytes += dl.getTypeAllocSize(g.getValueType());
    }
  for (const llvm::GlobalVariable *g : dynamic)
    layout.sharedOffsets[g] = (layout.staticSharedBytes + 15) / 16 * 16;
}

/// The device functions left as calls get per-warp versions (declared first: they call each
/// other). One that cannot be lowered, or that calls one that cannot, gets a body that traps; the
/// reasons, per per-thread function, are returned for the kernels that need those functions.
std::map<const llvm::Function *, std::string> lowerFunctions(const std::vector<llvm::Function *> &functions,
                                                             MemoryLayout &layout,
                                                             const Variables &shared,
                                                             const BackendOptions &options) {
  for (llvm::Function *f : functions)
    layout.functions[f] = llvm::Function::Create(warpFunctionType(f->getFunctionType()),
                                                 llvm::GlobalValue::InternalLinkage,
                                                 f->getName() + ".warp", f->getParent());
  std::map<const llvm::Function *, std::string> failed;
  if (!functions.empty())
    layoutShared(*functions.front()->getParent(), shared, {}, layout); // the same for all of them
  for (llvm::Function *f : functions) {
    PreparedKernel prepared = prepareKernel(*f, options.genericSimt);
    if (llvm::Error e = vectorizeFunction(*f, *layout.functions[f], prepared, layout, options))
      failed[f] = llvm::toString(std::move(e));
  }
  for (bool grew = true; grew;) { // callers of failed functions fail too
    grew = false;
    for (llvm::Function *f : functions)
      for (llvm::Instruction &i : llvm::instructions(*f))
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i); call && !failed.count(f))
          if (auto it = failed.find(call->getCalledFunction()); it != failed.end()) {
            failed[f] = it->second;
            grew = true;
          }
  }
  for (auto &[f, why] : failed) { // a body that traps keeps the module whole
    llvm::Function *warp = layout.functions[f];
    warp->deleteBody();
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(f->getContext(), "failed", warp));
    xox::trapAndReturn(b, xox::kTrapUnsupported);
  }
  return failed;
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

/// Why `kernel` cannot run: it calls a device function that could not be lowered (directly, or
/// through a pointer when any address-taken function failed); empty if nothing.
std::string missingFunction(const llvm::Function &kernel,
                            const std::map<const llvm::Function *, std::string> &failed) {
  for (const llvm::Instruction &i : llvm::instructions(kernel))
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i)) {
      if (auto it = failed.find(call->getCalledFunction()); it != failed.end())
        return it->second;
      if (call->isIndirectCall())
        for (auto &[f, why] : failed)
          if (f->hasAddressTaken())
            return why + " (a function kernel " + kernel.getName().str() + " may call through a pointer)";
    }
  return {};
}

/// The per-thread device functions go; their per-warp versions take their names and their
/// addresses (in data initializers and in code that takes them).
void finishFunctions(MemoryLayout &layout) {
  for (auto [f, warp] : layout.functions)
    const_cast<llvm::Function *>(f)->dropAllReferences();
  for (auto [old, warp] : layout.functions) {
    auto *f = const_cast<llvm::Function *>(old);
    f->replaceAllUsesWith(warp);
    warp->takeName(f);
    f->eraseFromParent();
  }
  layout.functions.clear();
}

} // namespace

LoweredModule lowerModule(llvm::Module &module, const BackendOptions &options) {
  LoweredModule result;
  defineMbarriers(module);
  defineTextures(module);
  std::vector<llvm::Function *> functions = inlineDeviceFunctions(module);
  MemoryLayout layout = layoutData(module);
  Variables functionShared = usedVariables(functions);
  auto failed = lowerFunctions(functions, layout, functionShared, options);
  std::vector<llvm::Function *> kernels;
  for (llvm::Function &f : module)
    if (isKernel(f))
      kernels.push_back(&f);
  for (llvm::Function *f : kernels) {
    KernelInfo info;
    info.name = f->getName().str();
    if (f->hasFnAttribute("ox-param-bytes"))
      f->getFnAttribute("ox-param-bytes").getValueAsString().getAsInteger(10, info.parameterBytes);
    llvm::Error e = llvm::Error::success();
    if (std::string why = missingFunction(*f, failed); !why.empty()) {
      e = llvm::createStringError(llvm::inconvertibleErrorCode(), why);
    } else {
      PreparedKernel prepared = prepareKernel(*f, options.genericSimt);
      layoutShared(module, callsFunctions(*f, layout) ? functionShared : Variables(), usedVariables({f}),
                   layout);
      info.staticSharedBytes = uint32_t(layout.staticSharedBytes);
      e = vectorizeKernel(*f, prepared, layout, options, info);
    }
    if (e) {
      result.errors.push_back(llvm::toString(std::move(e)));
      if (llvm::Function *left = module.getFunction(info.name))
        left->eraseFromParent();
      continue;
    }
    result.kernels.push_back(info);
  }
  finishFunctions(layout);
  finishLayout(module, layout);
  expandMath(module);
  auto target = createTargetMachine(options);
  setTargetAttributes(module);
  optimize(module, options.optLevel, target.get());
  expandMath(module); // the optimizer narrows widened bf16 arithmetic back when it is exact
  return result;
}

} // namespace oxptx::backend
