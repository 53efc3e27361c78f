// ld, st and cvta. Every state space maps to an address space (Translate.h); vector forms
// (.v2/.v4) are element accesses at consecutive offsets; .volatile is a volatile access; cache
// operators and eviction hints do not change the semantics and are dropped. Addresses held in
// registers are integers (PTX has no pointer type): each access turns one into a pointer of its
// space, and cvta is an address-space cast of such a pointer.
#include "translate/FunctionLowering.h"

namespace oxptx::translate {
namespace {

using ptx::Mod;
using ptx::StateSpace;
using ptx::Type;

bool orderedMemory(const ptx::Instruction &inst) {
  Mod sem = inst.mod(ptx::ModGroup::Semantics);
  return sem != Mod::None && sem != Mod::Semantics_Weak && sem != Mod::Semantics_Volatile &&
         sem != Mod::Semantics_Relaxed;
}

} // namespace

bool lowerMemory(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  auto types = inst.types();
  if (types.size() != 1)
    return l.unsupported(inst, "this type");
  Type t = types[0];
  StateSpace space = inst.space();

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
      unsigned as = space == StateSpace::Const ? kConst
                    : space == StateSpace::Param ? kParam
                                                 : kShared;
      llvm::Value *wide = b.CreateZExtOrTrunc(a, b.getInt64Ty());
      llvm::Value *p = b.CreateIntToPtr(wide, b.getPtrTy(to ? kGeneric : as));
      llvm::Value *cast = b.CreateAddrSpaceCast(p, b.getPtrTy(to ? as : kGeneric));
      r = b.CreateZExtOrTrunc(b.CreatePtrToInt(cast, b.getInt64Ty()), a->getType());
    }
    if (!l.write(inst.operands[0], r, t))
      return l.unsupported(inst, "the destination");
    return true;
  }

  if (orderedMemory(inst) || inst.modifier(ptx::ModGroup::Scope))
    return l.unsupported(inst, "acquire/release ordering and scopes");
  if (space == StateSpace::SharedCluster || space == StateSpace::Tex)
    return l.unsupported(inst, "this state space");
  bool isVolatile = inst.mod(ptx::ModGroup::Semantics) == Mod::Semantics_Volatile;
  bool load = inst.opcode == ptx::Opcode::Ld;
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
      if (!l.write(element, v, t))
        return l.unsupported(inst, "a destination");
    } else {
      llvm::Value *v = l.read(element, t);
      if (!v)
        return l.unsupported(inst, "a source");
      b.CreateAlignedStore(v, p, elementAlign, isVolatile);
    }
  }
  return true;
}

} // namespace oxptx::translate
