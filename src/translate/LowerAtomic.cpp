// atom and red as LLVM atomics: atomicrmw for the read-modify-write operations (inc/dec with
// PTX's wrap-around are uinc_wrap/udec_wrap), cmpxchg for cas. Memory order follows .sem
// (default relaxed), the scope becomes a sync scope ("cta", "cluster", "gpu" — the default — or
// the system scope).
#include "translate/FunctionLowering.h"

namespace oxptx::translate {
namespace {

using ptx::Mod;
using Op = llvm::AtomicRMWInst::BinOp;

std::optional<Op> operationOf(Mod op, ptx::Type t) {
  bool fp = FunctionLowering::isFloat(t), isSigned = FunctionLowering::isSigned(t);
  switch (op) {
  case Mod::AtomicOp_Add: return fp ? Op::FAdd : Op::Add;
  case Mod::AtomicOp_Min: return fp ? Op::FMin : isSigned ? Op::Min : Op::UMin;
  case Mod::AtomicOp_Max: return fp ? Op::FMax : isSigned ? Op::Max : Op::UMax;
  case Mod::AtomicOp_And: return Op::And;
  case Mod::AtomicOp_Or: return Op::Or;
  case Mod::AtomicOp_Xor: return Op::Xor;
  case Mod::AtomicOp_Exch: return Op::Xchg;
  case Mod::AtomicOp_Inc: return Op::UIncWrap;
  case Mod::AtomicOp_Dec: return Op::UDecWrap;
  default: return std::nullopt;
  }
}

} // namespace

llvm::AtomicOrdering orderingOf(Mod semantics) {
  switch (semantics) {
  case Mod::Semantics_Acquire: return llvm::AtomicOrdering::Acquire;
  case Mod::Semantics_Release: return llvm::AtomicOrdering::Release;
  case Mod::Semantics_AcqRel: return llvm::AtomicOrdering::AcquireRelease;
  case Mod::Semantics_SC: return llvm::AtomicOrdering::SequentiallyConsistent;
  default: return llvm::AtomicOrdering::Monotonic; // .relaxed, the default
  }
}

llvm::SyncScope::ID scopeOf(llvm::LLVMContext &ctx, Mod scope) {
  switch (scope) {
  case Mod::Scope_CTA: return ctx.getOrInsertSyncScopeID("cta");
  case Mod::Scope_Cluster: return ctx.getOrInsertSyncScopeID("cluster");
  case Mod::Scope_Sys: return llvm::SyncScope::System;
  default: return ctx.getOrInsertSyncScopeID("gpu");
  }
}

bool lowerAtomic(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  if (types.size() != 1)
    return l.unsupported(inst, "several types");
  ptx::Type t = types[0];
  if (t == ptx::Type::B128)
    return l.unsupported(inst, "128-bit atomics");
  llvm::IRBuilder<> &b = l.b;
  bool reduction = inst.opcode == ptx::Opcode::Red;
  const ptx::Operand &addressOperand = inst.operands[reduction ? 0 : 1];
  size_t firstValue = reduction ? 1 : 2;
  Mod op = inst.mod(ptx::ModGroup::AtomicOp);
  if (inst.operands.size() > firstValue + (op == Mod::AtomicOp_Cas ? 2 : 1))
    return l.unsupported(inst, "a cache-policy operand");
  llvm::Value *address = l.address(addressOperand, inst.space());
  if (!address)
    return l.unsupported(inst, "the address");
  llvm::AtomicOrdering order = orderingOf(inst.mod(ptx::ModGroup::Semantics));
  llvm::SyncScope::ID scope = scopeOf(l.ctx, inst.mod(ptx::ModGroup::Scope));
  // f16x2/bf16x2 add both halves in one <2 x half>/<2 x bfloat> atomicrmw.
  llvm::Type *pair = nullptr;
  if (t == ptx::Type::F16x2 || t == ptx::Type::BF16x2)
    pair = llvm::FixedVectorType::get(t == ptx::Type::F16x2 ? b.getHalfTy() : b.getBFloatTy(), 2);
  else if (ptx::typeInfo(t).kind == ptx::TypeKind::Packed)
    return l.unsupported(inst, "this packed type");

  if (op == Mod::AtomicOp_Cas) {
    llvm::Value *value = l.read(inst.operands[firstValue], t);
    llvm::Value *replacement = l.read(inst.operands[firstValue + 1], t);
    if (!value || !replacement || pair || inst.vectorWidth() != 1)
      return l.unsupported(inst, "an operand");
    llvm::AtomicOrdering failure = order == llvm::AtomicOrdering::AcquireRelease ? llvm::AtomicOrdering::Acquire
                                   : order == llvm::AtomicOrdering::Release      ? llvm::AtomicOrdering::Monotonic
                                                                                 : order;
    // cmpxchg compares integers: float cas compares the bits, as PTX's .b types do.
    llvm::Type *bits = b.getIntNTy(FunctionLowering::bitsOf(t));
    llvm::Value *c = b.CreateBitCast(value, bits), *n = b.CreateBitCast(replacement, bits);
    auto *x = b.CreateAtomicCmpXchg(address, c, n, llvm::MaybeAlign(), order, failure, scope);
    llvm::Value *old = b.CreateBitCast(b.CreateExtractValue(x, 0), value->getType());
    return reduction || l.write(inst.operands[0], old, t) || l.unsupported(inst, "the destination");
  }
  auto operation = operationOf(op, pair ? ptx::Type::F16 : t);
  if (!operation || (pair && *operation != Op::FAdd && *operation != Op::FMin && *operation != Op::FMax))
    return l.unsupported(inst, "this atomic operation");
  // .v2/.v4/.v8: one atomic operation per element (PTX makes no promise across elements).
  const ptx::Operand &values = inst.operands[firstValue];
  bool vector = values.kind == ptx::Operand::Kind::Vector;
  size_t count = vector ? values.elements.size() : 1;
  unsigned elementBytes = FunctionLowering::bitsOf(t) / 8;
  for (size_t i = 0; i < count; ++i) {
    llvm::Value *value = l.read(vector ? values.elements[i] : values, t);
    if (!value)
      return l.unsupported(inst, "an operand");
    if (pair)
      value = b.CreateBitCast(value, pair);
    llvm::Value *p = i ? b.CreateConstGEP1_64(b.getInt8Ty(), address, int64_t(i * elementBytes)) : address;
    llvm::Value *old = b.CreateAtomicRMW(*operation, p, value, llvm::MaybeAlign(), order, scope);
    if (pair)
      old = b.CreateBitCast(old, b.getInt32Ty());
    if (reduction)
      continue;
    const ptx::Operand &dest = vector ? inst.operands[0].elements[i] : inst.operands[0];
    if (!l.write(dest, old, t))
      return l.unsupported(inst, "the destination");
  }
  return true;
}

} // namespace oxptx::translate
