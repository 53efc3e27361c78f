#include "translate/Translate.h"

#include "translate/FunctionLowering.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Pass.h>
#include <llvm/Passes/StandardInstrumentations.h>
#include <llvm/Support/Timer.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Utils/Mem2Reg.h>

namespace oxptx::translate {
namespace {

using ptx::StateSpace;

/// A module variable's initializer as an LLVM constant of `totalBytes` bytes: runs of numeric
/// elements become byte arrays, and each address (`sym`, `sym+off`, `generic(sym)`) a
/// pointer-to-integer constant of the element's width, so that LLVM (and later the linker)
/// resolves it. A name is the address in the symbol's own state space (PTX ISA 3.1 and later),
/// generic(sym) its generic address. Returns nullptr after reporting what it cannot express.
llvm::Constant *initializerConstant(ModuleContext &m, const ptx::Initializer &init,
                                    unsigned elementBytes, uint64_t totalBytes) {
  llvm::LLVMContext &ctx = m.module.getContext();
  std::vector<llvm::Constant *> pieces;
  std::vector<uint8_t> run;
  uint64_t size = 0;
  auto flush = [&] {
    if (!run.empty())
      pieces.push_back(llvm::ConstantDataArray::get(ctx, run));
    run.clear();
  };
  auto address = [&](const ptx::Initializer &i) -> llvm::Constant * {
    std::string_view name = m.ptx.name(i.name);
    llvm::Constant *base = nullptr;
    if (auto var = m.variables.find(i.name.id); var != m.variables.end())
      base = var->second;
    else
      base = m.module.getFunction(name);
    if (!base || (elementBytes != 4 && elementBytes != 8)) {
      m.diagnostics.error(i.loc, "unsupported: the address of '" + std::string(name) +
                                     "' in an initializer (the symbol must be a module variable or "
                                     "function, the element .u32 or .u64)");
      return nullptr;
    }
    if (i.kind == ptx::Initializer::Kind::Generic)
      base = llvm::ConstantExpr::getAddrSpaceCast(base, llvm::PointerType::get(ctx, kGeneric));
    if (i.bits)
      base = llvm::ConstantExpr::getGetElementPtr(llvm::Type::getInt8Ty(ctx), base,
                                                  llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx), i.bits));
    return llvm::ConstantExpr::getPtrToInt(base, llvm::IntegerType::get(ctx, elementBytes * 8));
  };
  std::function<bool(const ptx::Initializer &)> append = [&](const ptx::Initializer &i) {
    switch (i.kind) {
    case ptx::Initializer::Kind::Integer:
    case ptx::Initializer::Kind::Float64:
    case ptx::Initializer::Kind::Float32: {
      uint64_t bits = i.bits;
      if (i.kind == ptx::Initializer::Kind::Float64 && elementBytes == 4) // 1.5 in an .f32 array
        bits = llvm::bit_cast<uint32_t>(float(llvm::bit_cast<double>(bits)));
      for (unsigned k = 0; k < elementBytes; ++k)
        run.push_back(uint8_t(bits >> (8 * k)));
      size += elementBytes;
      return true;
    }
    case ptx::Initializer::Kind::Name:
    case ptx::Initializer::Kind::Generic: {
      llvm::Constant *a = address(i);
      if (!a)
        return false;
      flush();
      pieces.push_back(a);
      size += elementBytes;
      return true;
    }
    case ptx::Initializer::Kind::List:
      for (const ptx::Initializer &e : i.elements)
        if (!append(e))
          return false;
      return true;
    default:
      m.diagnostics.error(i.loc, "unsupported: this initializer element (texture or sampler fields)");
      return false;
    }
  };
  if (!append(init))
    return nullptr;
  run.resize(run.size() + (totalBytes - std::min(size, totalBytes)), 0);
  flush();
  if (pieces.size() == 1)
    return pieces.front();
  return llvm::ConstantStruct::getAnon(ctx, pieces, /*Packed=*/true);
}

unsigned addressSpace(StateSpace space) {
  switch (space) {
  case StateSpace::Global: return kGlobal;
  case StateSpace::Const: return kConst;
  default: return kShared;
  }
}

/// The sampler descriptor of a .samplerref initializer (docs/translator.md): addressing modes
/// in bits 0-5 (2 bits per dimension: wrap 0, clamp_to_edge 1, clamp_to_border 2, mirror 3),
/// filter_mode in bit 8 (nearest 0, linear 1), force_unnormalized_coords in bit 9. Nullopt
/// after reporting a field or value it does not know.
std::optional<uint64_t> samplerDescriptor(ModuleContext &m, const ptx::Initializer &init) {
  static const std::pair<std::string_view, uint64_t> kValues[] = {
      {"wrap", 0}, {"clamp_to_edge", 1}, {"clamp_to_border", 2}, {"mirror", 3},
      {"nearest", 0}, {"linear", 1}, {"0", 0}, {"1", 1}};
  uint64_t descriptor = 0;
  for (const ptx::Initializer &field : init.elements) {
    std::string_view name = m.ptx.name(field.name), value = m.ptx.name(field.fieldValue);
    std::optional<uint64_t> code;
    for (const auto &[text, number] : kValues)
      if (text == value)
        code = number;
    unsigned shift = name == "addr_mode_0" ? 0 : name == "addr_mode_1" ? 2 : name == "addr_mode_2" ? 4
                     : name == "filter_mode" ? 8 : name == "force_unnormalized_coords" ? 9 : 64;
    if (field.kind != ptx::Initializer::Kind::Field || !code || shift == 64) {
      m.diagnostics.error(field.loc, "unsupported: this sampler field or value");
      return std::nullopt;
    }
    descriptor |= *code << shift;
  }
  return descriptor;
}

void declareVariables(ModuleContext &m, const ptx::VariableDecl &decl) {
  llvm::LLVMContext &ctx = m.module.getContext();
  if (!decl.opaqueKind.empty()) { // .texref/.samplerref/.surfref: a 64-bit handle the runtime
    // binds (a sampler's is its descriptor when initialized)
    for (const ptx::Declarator &d : decl.declarators) {
      std::optional<uint64_t> value = d.init ? samplerDescriptor(m, *d.init) : 0;
      if (!value)
        continue;
      m.variables[d.name.id] = new llvm::GlobalVariable(
          m.module, llvm::Type::getInt64Ty(ctx), false, llvm::GlobalValue::ExternalLinkage,
          llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx), *value), std::string(m.ptx.name(d.name)),
          nullptr, llvm::GlobalValue::NotThreadLocal, kGlobal);
    }
    return;
  }
  if (decl.space != StateSpace::Global && decl.space != StateSpace::Const &&
      decl.space != StateSpace::Shared)
    return;
  unsigned elementBytes = std::max(1u, FunctionLowering::bitsOf(decl.type) / 8) * decl.vectorWidth;
  for (const ptx::Declarator &d : decl.declarators) {
    uint64_t count = 1;
    bool unsized = false;
    const ptx::Initializer *level = d.init ? &*d.init : nullptr;
    for (const auto &dim : d.dims) {
      // `.global .u8 b[] = {...}`: an unsized dimension takes its size from the initializer
      bool listed = level && level->kind == ptx::Initializer::Kind::List;
      uint64_t extent = dim ? *dim : listed ? level->elements.size() : 0;
      unsized = unsized || extent == 0;
      count *= extent;
      level = listed && !level->elements.empty() ? &level->elements.front() : nullptr;
    }
    auto *type = llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx), count * elementBytes);
    bool external = decl.linkage == ptx::Linkage::Extern || unsized;
    llvm::Constant *init = nullptr;
    if (!external)
      init = decl.space == StateSpace::Shared
                 ? static_cast<llvm::Constant *>(llvm::UndefValue::get(type))
                 : llvm::ConstantAggregateZero::get(type);
    // Every .global/.const variable is reachable from the host (cuModuleGetGlobal,
    // cudaMemcpyToSymbol writes __constant__ data): exported and writable, so the optimizer
    // neither folds a .const array's zero initializer nor drops stores no kernel reads back.
    bool hostVisible = decl.space == StateSpace::Global || decl.space == StateSpace::Const;
    auto linkage = external || hostVisible || decl.linkage == ptx::Linkage::Visible
                       ? llvm::GlobalValue::ExternalLinkage
                       : llvm::GlobalValue::InternalLinkage;
    auto *g = new llvm::GlobalVariable(m.module, type, false, linkage,
                                       init, std::string(m.ptx.name(d.name)), nullptr,
                                       llvm::GlobalValue::NotThreadLocal, addressSpace(decl.space));
    g->setAlignment(llvm::Align(std::max<uint32_t>(decl.align, elementBytes)));
    m.variables[d.name.id] = g;
  }
}

/// Gives initialized module variables their values, once every variable and function they may
/// name is declared. A variable whose initializer holds addresses changes type (a packed struct
/// of byte runs and addresses), so it is recreated and its uses redirected.
void defineInitializers(ModuleContext &m, const ptx::VariableDecl &decl) {
  if ((decl.space != StateSpace::Global && decl.space != StateSpace::Const) || !decl.opaqueKind.empty())
    return;
  unsigned elementBytes = std::max(1u, FunctionLowering::bitsOf(decl.type) / 8) * decl.vectorWidth;
  for (const ptx::Declarator &d : decl.declarators) {
    auto it = m.variables.find(d.name.id);
    if (!d.init || it == m.variables.end() || it->second->isDeclaration())
      continue;
    llvm::GlobalVariable *g = it->second;
    uint64_t bytes = m.module.getDataLayout().getTypeAllocSize(g->getValueType());
    llvm::Constant *init = initializerConstant(m, *d.init, elementBytes, bytes);
    if (!init) {
      m.diagnostics.note(d.loc, "the initializer of '" + std::string(m.ptx.name(d.name)) +
                                    "' is not translated; it stays zero");
      continue;
    }
    if (init->getType() == g->getValueType()) {
      g->setInitializer(init);
      continue;
    }
    auto *replacement = new llvm::GlobalVariable(
        m.module, init->getType(), g->isConstant(), g->getLinkage(), init, "", g,
        llvm::GlobalValue::NotThreadLocal, g->getAddressSpace());
    replacement->takeName(g);
    replacement->setAlignment(g->getAlign());
    g->replaceAllUsesWith(replacement);
    g->eraseFromParent();
    it->second = replacement;
  }
}

llvm::Function *declareFunction(ModuleContext &m, const ptx::Function &fn) {
  llvm::LLVMContext &ctx = m.module.getContext();
  std::string fnName(m.ptx.name(fn.name));
  llvm::FunctionType *type;
  if (fn.isEntry) {
    type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {llvm::PointerType::get(ctx, kParam)}, false);
  } else {
    std::string problem;
    type = FunctionLowering::deviceFunctionType(ctx, fn.returns, fn.params, problem);
    if (!type) {
      m.diagnostics.error(fn.loc, "unsupported: " + problem + "; function " + fnName + " is not translated");
      return nullptr;
    }
  }
  // Kernels are launched by name, .visible or not: never internal (the optimizer would drop them).
  auto linkage = fn.isEntry || fn.linkage == ptx::Linkage::Visible || fn.linkage == ptx::Linkage::Extern || !fn.body
                     ? llvm::GlobalValue::ExternalLinkage
                     : llvm::GlobalValue::InternalLinkage;
  // a prototype (`.func f(...);`) and the definition later in the module are one function
  if (llvm::Function *declared = m.module.getFunction(fnName)) {
    if (declared->getFunctionType() == type && declared->isDeclaration()) {
      declared->setLinkage(linkage);
      return declared;
    }
    m.diagnostics.error(fn.loc, "function " + fnName + " is declared twice with different parameters");
    return nullptr;
  }
  llvm::Function *f = llvm::Function::Create(type, linkage, fnName, m.module);
  if (fn.isEntry) {
    f->addFnAttr("ox-kernel");
    f->getArg(0)->setName("params");
  }
  return f;
}

/// A timed stage of the translation (a no-op unless --time-passes).
struct Stage : llvm::NamedRegionTimer {
  Stage(llvm::StringRef name, bool enabled)
      : llvm::NamedRegionTimer(name, name, "translate", "PTX to LLVM IR translation", enabled) {}
};

} // namespace

TranslateResult translateModule(const ptx::Module &module, llvm::LLVMContext &context,
                                std::string_view moduleName, bool timePasses) {
  TranslateResult result;
  result.module = std::make_unique<llvm::Module>(moduleName, context);
  llvm::Module &m = *result.module;
  // OxCore is RV64: the RISC-V data layout, with 64-bit pointers in every address space.
  m.setTargetTriple("riscv64-unknown-unknown");
  m.setDataLayout("e-m:e-p:64:64-i64:64-i128:128-n32:64-S128");
  ModuleContext context2(module, m, result.diagnostics);

  std::vector<std::pair<const ptx::Function *, llvm::Function *>> functions;
  {
    Stage stage("declare", timePasses); // every symbol first: bodies and initializers name them
    for (const auto &item : module.items)
      if (const auto *decl = std::get_if<ptx::VariableDecl>(&item))
        declareVariables(context2, *decl);
    for (const auto &item : module.items) {
      const auto *fn = std::get_if<ptx::Function>(&item);
      if (!fn)
        continue;
      llvm::Function *f = declareFunction(context2, *fn);
      if (f && fn->body)
        functions.emplace_back(fn, f);
      else if (!f && fn->body)
        ++result.skippedFunctions;
    }
    for (const auto &item : module.items)
      if (const auto *decl = std::get_if<ptx::VariableDecl>(&item))
        defineInitializers(context2, *decl);
  }

  for (auto [fn, f] : functions) {
    bool lowered;
    {
      Stage stage("lower", timePasses);
      FunctionLowering lowering(context2, *fn, f);
      lowered = lowering.run();
    }
    if (!lowered) {
      f->deleteBody(); // left as a declaration; calls to it remain valid IR
      ++result.skippedFunctions;
      continue;
    }
    std::string errors;
    llvm::raw_string_ostream stream(errors);
    Stage stage("verify", timePasses);
    if (llvm::verifyFunction(*f, &stream)) {
      result.diagnostics.error(fn->loc, "internal error: the translation of " +
                                            std::string(module.name(fn->name)) +
                                            " does not verify: " + errors);
      f->deleteBody();
      ++result.skippedFunctions;
      continue;
    }
    ++result.translatedFunctions;
  }
  // `.alias a, b`: a's declaration stands for b (the checker made their prototypes agree)
  for (const auto &item : module.items)
    if (const auto *alias = std::get_if<ptx::Alias>(&item)) {
      llvm::Function *a = m.getFunction(module.name(alias->alias)), *b = m.getFunction(module.name(alias->target));
      if (a && b && a != b && a->isDeclaration() && a->getFunctionType() == b->getFunctionType()) {
        a->replaceAllUsesWith(b);
        a->eraseFromParent();
      }
    }
  Stage stage("promote", timePasses);
  optimizeModule(m, 0);
  return result;
}

void optimizeModule(llvm::Module &module, unsigned level, bool timePasses) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::TimePassesIsEnabled = timePasses; // read by StandardInstrumentations' pass timer
  llvm::StandardInstrumentations instrumentations(module.getContext(), /*DebugLogging=*/false);
  instrumentations.registerCallbacks(callbacks, &modules);
  llvm::PassBuilder builder(nullptr, llvm::PipelineTuningOptions(), std::nullopt, &callbacks);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  if (level == 0) {
    llvm::FunctionPassManager fpm;
    fpm.addPass(llvm::PromotePass()); // PTX registers (allocas) to SSA values
    fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG)); // and .param slots of calls
    llvm::ModulePassManager mpm;
    mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
    mpm.run(module, modules);
    return;
  }
  static const llvm::OptimizationLevel kLevels[] = {llvm::OptimizationLevel::O1,
                                                    llvm::OptimizationLevel::O2,
                                                    llvm::OptimizationLevel::O3};
  builder.buildPerModuleDefaultPipeline(kLevels[std::min(level, 3u) - 1]).run(module, modules);
}

} // namespace oxptx::translate
