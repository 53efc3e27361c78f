#include "translate/Translate.h"

#include "translate/FunctionLowering.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Utils/Mem2Reg.h>

namespace oxptx::translate {
namespace {

using ptx::StateSpace;

/// The bytes of a variable's initializer (integers and floats, in element order), or nullopt
/// for what the translator does not support yet (addresses of other variables).
std::optional<std::vector<uint8_t>> initializerBytes(const ptx::Initializer &init,
                                                     unsigned elementBytes) {
  std::vector<uint8_t> bytes;
  std::function<bool(const ptx::Initializer &)> append = [&](const ptx::Initializer &i) {
    switch (i.kind) {
    case ptx::Initializer::Kind::Integer:
    case ptx::Initializer::Kind::Float64:
    case ptx::Initializer::Kind::Float32: {
      uint64_t bits = i.bits;
      if (i.kind == ptx::Initializer::Kind::Float64 && elementBytes == 4) // 1.5 in an .f32 array
        bits = llvm::bit_cast<uint32_t>(float(llvm::bit_cast<double>(bits)));
      for (unsigned k = 0; k < elementBytes; ++k)
        bytes.push_back(uint8_t(bits >> (8 * k)));
      return true;
    }
    case ptx::Initializer::Kind::List:
      for (const ptx::Initializer &e : i.elements)
        if (!append(e))
          return false;
      return true;
    default: return false;
    }
  };
  if (!append(init))
    return std::nullopt;
  return bytes;
}

unsigned addressSpace(StateSpace space) {
  switch (space) {
  case StateSpace::Global: return kGlobal;
  case StateSpace::Const: return kConst;
  default: return kShared;
  }
}

void declareVariables(ModuleContext &m, const ptx::VariableDecl &decl) {
  if (decl.space != StateSpace::Global && decl.space != StateSpace::Const &&
      decl.space != StateSpace::Shared)
    return; // textures, surfaces and samplers: not yet
  llvm::LLVMContext &ctx = m.module.getContext();
  unsigned elementBytes = std::max(1u, FunctionLowering::bitsOf(decl.type) / 8) * decl.vectorWidth;
  for (const ptx::Declarator &d : decl.declarators) {
    uint64_t count = 1;
    bool unsized = false;
    for (const auto &dim : d.dims) {
      unsized = unsized || !dim;
      count *= dim.value_or(0);
    }
    auto *type = llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx), count * elementBytes);
    llvm::Constant *init = nullptr;
    bool external = decl.linkage == ptx::Linkage::Extern || unsized;
    if (!external) {
      std::vector<uint8_t> bytes(count * elementBytes);
      if (d.init) {
        auto given = initializerBytes(*d.init, elementBytes);
        if (!given) {
          m.diagnostics.error(d.loc, "unsupported: this initializer (addresses of variables); '" +
                                         std::string(m.ptx.name(d.name)) + "' is not translated");
          continue;
        }
        std::copy_n(given->begin(), std::min(given->size(), bytes.size()), bytes.begin());
      }
      init = decl.space == StateSpace::Shared ? llvm::UndefValue::get(type)
                                              : llvm::ConstantDataArray::get(ctx, bytes);
    }
    auto linkage = external || decl.linkage == ptx::Linkage::Visible
                       ? llvm::GlobalValue::ExternalLinkage
                       : llvm::GlobalValue::InternalLinkage;
    auto *g = new llvm::GlobalVariable(m.module, type, decl.space == StateSpace::Const, linkage,
                                       init, std::string(m.ptx.name(d.name)), nullptr,
                                       llvm::GlobalValue::NotThreadLocal, addressSpace(decl.space));
    g->setAlignment(llvm::Align(std::max<uint32_t>(decl.align, elementBytes)));
    m.variables[d.name.id] = g;
  }
}

/// The LLVM type a device-function parameter is passed as: its PTX type, or an integer of its
/// size for byte arrays; nullptr if too large for one value.
llvm::Type *parameterType(llvm::LLVMContext &ctx, const ptx::VariableDecl &p, const ptx::Declarator &d) {
  uint64_t count = 1;
  for (const auto &dim : d.dims)
    count *= dim.value_or(1);
  unsigned bits = std::max(1u, FunctionLowering::bitsOf(p.type)) * p.vectorWidth;
  if (count == 1 && p.vectorWidth == 1) {
    llvm::IRBuilder<> b(ctx);
    switch (p.type) {
    case ptx::Type::F32: return b.getFloatTy();
    case ptx::Type::F64: return b.getDoubleTy();
    default: return b.getIntNTy(std::max(8u, bits));
    }
  }
  uint64_t total = count * std::max(8u, bits);
  return total <= 128 ? llvm::IntegerType::get(ctx, unsigned(total)) : nullptr;
}

llvm::Function *declareFunction(ModuleContext &m, const ptx::Function &fn) {
  llvm::LLVMContext &ctx = m.module.getContext();
  std::string fnName(m.ptx.name(fn.name));
  llvm::FunctionType *type;
  if (fn.isEntry) {
    type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {llvm::PointerType::get(ctx, kParam)}, false);
  } else {
    llvm::SmallVector<llvm::Type *, 8> params;
    for (const ptx::VariableDecl &p : fn.params)
      for (const ptx::Declarator &d : p.declarators) {
        llvm::Type *t = parameterType(ctx, p, d);
        if (!t) {
          m.diagnostics.error(p.loc, "unsupported: a parameter larger than 16 bytes; function " + fnName +
                                         " is not translated");
          return nullptr;
        }
        params.push_back(t);
      }
    llvm::Type *result = llvm::Type::getVoidTy(ctx);
    size_t returns = 0;
    for (const ptx::VariableDecl &r : fn.returns)
      for (const ptx::Declarator &d : r.declarators) {
        result = parameterType(ctx, r, d);
        ++returns;
      }
    if (returns > 1 || !result) {
      m.diagnostics.error(fn.loc, "unsupported: several or large return values; function " + fnName +
                                      " is not translated");
      return nullptr;
    }
    type = llvm::FunctionType::get(result, params, false);
  }
  auto linkage = fn.linkage == ptx::Linkage::Visible || fn.linkage == ptx::Linkage::Extern || !fn.body
                     ? llvm::GlobalValue::ExternalLinkage
                     : llvm::GlobalValue::InternalLinkage;
  llvm::Function *f = llvm::Function::Create(type, linkage, fnName, m.module);
  if (fn.isEntry) {
    f->addFnAttr("ox-kernel");
    f->getArg(0)->setName("params");
  }
  return f;
}

} // namespace

TranslateResult translateModule(const ptx::Module &module, llvm::LLVMContext &context,
                                std::string_view moduleName) {
  TranslateResult result;
  result.module = std::make_unique<llvm::Module>(moduleName, context);
  llvm::Module &m = *result.module;
  // OxCore is RV64: the RISC-V data layout, with 64-bit pointers in every address space.
  m.setTargetTriple("riscv64-unknown-unknown");
  m.setDataLayout("e-m:e-p:64:64-i64:64-i128:128-n32:64-S128");
  ModuleContext context2(module, m, result.diagnostics);

  for (const auto &item : module.items)
    if (const auto *decl = std::get_if<ptx::VariableDecl>(&item))
      declareVariables(context2, *decl);
  std::vector<std::pair<const ptx::Function *, llvm::Function *>> functions;
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

  for (auto [fn, f] : functions) {
    FunctionLowering lowering(context2, *fn, f);
    std::string errors;
    llvm::raw_string_ostream stream(errors);
    if (!lowering.run()) {
      f->deleteBody(); // left as a declaration; calls to it remain valid IR
      ++result.skippedFunctions;
      continue;
    }
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
  optimizeModule(m, 0);
  return result;
}

void optimizeModule(llvm::Module &module, unsigned level) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
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
