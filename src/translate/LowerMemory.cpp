// ld, st, cvta and prefetch. Every state space maps to an address space (Translate.h); vector
// forms (.v2/.v4) are element accesses at consecutive offsets; .volatile is a volatile access;
// .relaxed/.acquire/.release with a scope are atomic accesses (monotonic/acquire/release, one per
// element) in the sync scope of the PTX scope; cache operators and eviction hints do not change
// the semantics and are dropped. Addresses held in
// registers are integers (PTX has no pointer type): each access turns one into a pointer of its
// space, and cvta is an address-space cast of such a pointer.
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {
using ptx::Mod;
using ptx::StateSpace;
using ptx::Type;

bool lowerMemory(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  StateSpace space = inst.space();
  if (inst.opcode == ptx::Opcode::Prefetch || inst.opcode == ptx::Opcode::Prefetchu) {
    // A hint: llvm.prefetch for reading, into the cache level given (L1: locality 3, L2: 2).
    if (space != StateSpace::None && space != StateSpace::Global && space != StateSpace::Local)
      return l.unsupported(inst, "this state space");
    llvm::Value *p = l.address(inst.operands[0], space);
    if (!p)
      return l.unsupported(inst, "this address");
    int locality = inst.mod(ptx::ModGroup::CacheLevel) == Mod::CacheLevel_L2 ? 2 : 3;
    b.CreateIntrinsic(llvm::Intrinsic::prefetch, {p->getType()},
                      {p, b.getInt32(0), b.getInt32(locality), b.getInt32(1)});
    return true;
  }

  if (inst.opcode == ptx::Opcode::Isspacep) { // which window a generic address falls in: the
    // backend knows OxCore's memory map, so ox.isspacep.<space>
    llvm::Value *a = l.read(inst.operands[1], Type::U64);
    if (!a)
      return l.unsupported(inst, "the address");
    std::string name = "ox.isspacep." + std::string(ptx::stateSpaceInfo(space).spelling);
    if (size_t colons = name.find("::"); colons != std::string::npos) // shared::cta
      name.replace(colons, 2, ".");
    return l.write(inst.operands[0], l.oxCall(name, b.getInt1Ty(), {a}, false), Type::Pred) ||
           l.unsupported(inst, "the destination");
  }
  auto types = inst.types();
  if (types.size() != 1)
    return l.unsupported(inst, "this type");
  Type t = types[0];

  if (inst.opcode == ptx::Opcode::Cvta) {
    // cvta.space d, a: a space address to a generic one; cvta.to.space the reverse. Global and
    // local addresses are generic addresses in OxCore; shared, const and param go through a
    // cast the backend resolves by window.
    bool to = inst.modifier(ptx::ModGroup::To).has_value();
    llvm::Value *a = l.read(inst.operands[1], t);
    if (!a)
      return l.unsupported(inst, "the source");
    llvm::Value *r = a;
    if (space != StateSpace::Global && space != StateSpace::Local) {
      unsigned as = addressSpaceOf(space);
      llvm::Value *wide = b.CreateZExtOrTrunc(a, b.getInt64Ty());
      llvm::Value *p = b.CreateIntToPtr(wide, b.getPtrTy(to ? kGeneric : as));
      llvm::Value *cast = b.CreateAddrSpaceCast(p, b.getPtrTy(to ? as : kGeneric));
      r = b.CreateZExtOrTrunc(b.CreatePtrToInt(cast, b.getInt64Ty()), a->getType());
    }
    if (!l.write(inst.operands[0], r, t))
      return l.unsupported(inst, "the destination");
    return true;
  }

  if (space == StateSpace::Tex)
    return l.unsupported(inst, "this state space");
  Mod semantics = inst.mod(ptx::ModGroup::Semantics);
  bool isVolatile = semantics == Mod::Semantics_Volatile;
  bool load = inst.opcode == ptx::Opcode::Ld;
  bool atomic = semantics == Mod::Semantics_Relaxed || semantics == Mod::Semantics_Acquire ||
                semantics == Mod::Semantics_Release;
  if (semantics == Mod::Semantics_Acquire && !load)
    return l.unsupported(inst, "st.acquire");
  if (semantics == Mod::Semantics_Release && load)
    return l.unsupported(inst, "ld.release");
  if (atomic && !inst.modifier(ptx::ModGroup::Scope))
    return l.unsupported(inst, "an ordered access without a scope");
  if (!atomic && semantics != Mod::None && semantics != Mod::Semantics_Weak && !isVolatile)
    return l.unsupported(inst, "this memory ordering");
  const ptx::Operand &addressOperand = inst.operands[load ? 1 : 0];
  const ptx::Operand &value = inst.operands[load ? 0 : 1];
  llvm::Value *base = l.address(addressOperand, space);
  if (!base)
    return l.unsupported(inst, "this address");
  if (inst.operands.size() > 2)
    return l.unsupported(inst, "a cache-policy operand");
  llvm::Type *elementType = l.typeOf(t);
  unsigned elementBytes = std::max(1u, FunctionLowering::bitsOf(t) / 8);
  bool vector = value.kind == ptx::Operand::Kind::Vector;
  size_t count = vector ? value.elements.size() : 1;
  llvm::Align align(elementBytes * (vector ? count : 1));
  for (size_t i = 0; i < count; ++i) {
    const ptx::Operand &element = vector ? value.elements[i] : value;
    llvm::Value *p = i ? b.CreateConstGEP1_64(b.getInt8Ty(), base, int64_t(i * elementBytes)) : base;
    llvm::Align elementAlign = i ? llvm::commonAlignment(align, i * elementBytes) : align;
    if (load) {
      llvm::LoadInst *v = b.CreateAlignedLoad(elementType, p, elementAlign, isVolatile);
      if (atomic)
        v->setAtomic(orderingOf(semantics), scopeOf(l.ctx, inst.mod(ptx::ModGroup::Scope)));
      if (!l.write(element, v, t))
        return l.unsupported(inst, "a destination");
    } else {
      llvm::Value *v = l.read(element, t);
      if (!v)
        return l.unsupported(inst, "a source");
      llvm::StoreInst *store = b.CreateAlignedStore(v, p, elementAlign, isVolatile);
      if (atomic)
        store->setAtomic(orderingOf(semantics), scopeOf(l.ctx, inst.mod(ptx::ModGroup::Scope)));
    }
  }
  return true;
}

/// cp.async.bulk.<dst>.<src> [dst], [src], size{, [mbar]}: the bytes are copied at once; with
/// .mbarrier::complete_tx::bytes the copy then completes `size` transaction bytes on the
/// mbarrier (ox.mbarrier.complete_tx), as the finished asynchronous copy would.
static bool lowerBulkCopy(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  llvm::SmallVector<StateSpace, 2> spaces; // destination, source
  for (const ptx::Modifier &m : inst.modifiers)
    if (m.group == ptx::ModGroup::Space)
      spaces.push_back(StateSpace(m.value));
  if (spaces.size() != 2 || inst.modifier(ptx::ModGroup::Multicast) || inst.operands.size() < 3)
    return l.unsupported(inst, "this form (multicast or cache hints)");
  llvm::Value *dst = l.address(inst.operands[0], spaces[0]), *src = l.address(inst.operands[1], spaces[1]);
  llvm::Value *size = l.read(inst.operands[2], Type::U32);
  if (!dst || !src || !size)
    return l.unsupported(inst, "an operand");
  b.CreateMemCpy(dst, llvm::MaybeAlign(16), src, llvm::MaybeAlign(16), b.CreateZExt(size, b.getInt64Ty()));
  if (inst.has(Mod::Completion_MbarrierBytes)) {
    llvm::Value *barrier = inst.operands.size() > 3 ? l.address(inst.operands[3], spaces[0]) : nullptr;
    if (!barrier)
      return l.unsupported(inst, "the mbarrier operand");
    l.oxCall("ox.mbarrier.complete_tx", b.getVoidTy(), {barrier, size}, true);
  } else if (inst.operands.size() > 3) {
    return l.unsupported(inst, "a cache-policy operand");
  }
  return true;
}

/// cp.async.{ca,cg}.shared.global [dst], [src], cp-size{, src-size | ignore-src}: the copy is
/// made at once (src-size bytes, the rest of cp-size zero-filled), which satisfies every
/// ordering the asynchronous form promises; commit_group, wait_group and wait_all then have
/// nothing left to wait for. Visibility to the CTA's other threads still needs their barrier.
bool lowerAsyncCopy(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  if (inst.opcode == ptx::Opcode::CpAsyncBulk)
    return lowerBulkCopy(l, inst);
  if (inst.opcode != ptx::Opcode::CpAsync)
    return true; // commit_group / wait_group / wait_all, and their bulk forms
  if (inst.operands.size() < 3)
    return l.unsupported(inst, "this operand list");
  llvm::Value *dst = l.address(inst.operands[0], StateSpace::Shared);
  llvm::Value *src = l.address(inst.operands[1], StateSpace::Global);
  const ptx::Operand &sizeOperand = inst.operands[2];
  if (!dst || !src || sizeOperand.kind != ptx::Operand::Kind::Integer)
    return l.unsupported(inst, "an operand");
  uint64_t size = sizeOperand.bits;
  llvm::Value *copied = b.getInt64(size);
  if (inst.operands.size() > 3) {
    const ptx::Operand &extra = inst.operands[3];
    bool ignoreSource = l.registerType(extra) == Type::Pred;
    llvm::Value *given = ignoreSource ? l.predicate(extra) : l.read(extra, Type::U64);
    if (!given)
      return l.unsupported(inst, "the source size");
    copied = ignoreSource ? b.CreateSelect(given, b.getInt64(0), b.getInt64(size))
                          : b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, given, b.getInt64(size));
  }
  llvm::MaybeAlign align(size);
  b.CreateMemCpy(dst, align, src, align, copied);
  if (llvm::isa<llvm::ConstantInt>(copied) && llvm::cast<llvm::ConstantInt>(copied)->getZExtValue() == size)
    return true;
  llvm::Value *rest = b.CreateGEP(b.getInt8Ty(), dst, copied);
  b.CreateMemSet(rest, b.getInt8(0), b.CreateSub(b.getInt64(size), copied), llvm::MaybeAlign(1));
  return true;
}

} // namespace oxptx::translate
