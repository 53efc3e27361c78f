#include "backend/Xox.h"

#include <llvm/IR/InlineAsm.h>

#include <llvm/Support/FormatVariadic.h>

namespace oxptx::backend::xox {
namespace {

llvm::Value *asmCall(llvm::IRBuilderBase &b, llvm::Type *result, const std::string &text,
                     const std::string &constraints, llvm::ArrayRef<llvm::Value *> args,
                     bool sideEffects) {
  std::vector<llvm::Type *> types;
  for (llvm::Value *a : args)
    types.push_back(a->getType());
  auto *type = llvm::FunctionType::get(result, types, false);
  return b.CreateCall(llvm::InlineAsm::get(type, text, constraints, sideEffects), args);
}

llvm::Value *asI64(llvm::IRBuilderBase &b, llvm::Value *v) {
  return b.CreateZExtOrTrunc(v, b.getInt64Ty());
}

} // namespace

llvm::Value *readCsr(llvm::IRBuilderBase &b, uint16_t csr, bool volatileRead) {
  return asmCall(b, b.getInt64Ty(), llvm::formatv("csrr $0, {0:x}", csr).str(), "=r", {}, volatileRead);
}

void barrier(llvm::IRBuilderBase &b, bool wait, llvm::Value *id, llvm::Value *count) {
  asmCall(b, b.getVoidTy(), llvm::formatv(".insn r 0x0b, 0, {0:x}, x0, $0, $1", wait ? 0x08 : 0x09).str(),
          "r,r,~{memory}", {asI64(b, id), asI64(b, count)}, true);
}

llvm::Value *barrierReduce(llvm::IRBuilderBase &b, unsigned funct2, llvm::Value *id,
                           llvm::Value *count, llvm::Value *contribution) {
  return asmCall(b, b.getInt64Ty(), llvm::formatv(".insn r4 0x0b, 1, {0}, $0, $1, $2, $3", funct2).str(),
                 "=r,r,r,r,~{memory}", {asI64(b, id), asI64(b, count), asI64(b, contribution)},
                 true);
}

void trap(llvm::IRBuilderBase &b, uint32_t code) {
  asmCall(b, b.getVoidTy(), ".insn r 0x0b, 0, 0x02, x0, $0, x0", "r,~{memory}",
          {b.getInt64(code)}, true);
}

void trapAndReturn(llvm::IRBuilderBase &b, uint32_t code) {
  trap(b, code);
  llvm::Type *result = b.GetInsertBlock()->getParent()->getReturnType();
  if (result->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(llvm::PoisonValue::get(result));
}

void nanosleep(llvm::IRBuilderBase &b, llvm::Value *ns) {
  asmCall(b, b.getVoidTy(), ".insn r 0x0b, 0, 0x04, x0, $0, x0", "r,~{memory}", {asI64(b, ns)},
          true);
}

} // namespace oxptx::backend::xox
