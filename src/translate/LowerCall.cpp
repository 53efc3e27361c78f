// Calls of device functions: `call (ret), f, (a, b);` where ret, a and b are .param variables
// of the caller (slots that st.param fills and ld.param reads), or, in the non-ABI register
// convention, registers and constants. Arguments are loaded from their slots as the callee's
// parameter types; results (one value, or a struct of several) are stored back.
// Indirect calls go through a register holding the function's address (mov.u64 %rd, f, or a
// table initialized with function addresses), typed by a .callprototype or .calltargets label.
#include "translate/FunctionLowering.h"

namespace oxptx::translate {

/// The PTX type a value of LLVM type `t` travels as in a register-convention call.
static ptx::Type ptxTypeOf(llvm::Type *t) {
  if (t->isFloatTy())
    return ptx::Type::F32;
  if (t->isDoubleTy())
    return ptx::Type::F64;
  switch (t->getPrimitiveSizeInBits()) {
  case 8: return ptx::Type::B8;
  case 16: return ptx::Type::B16;
  case 32: return ptx::Type::B32;
  default: return ptx::Type::B64;
  }
}

bool lowerCall(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  const ptx::Operand *returns = nullptr, *callee = nullptr, *arguments = nullptr, *signature = nullptr;
  for (const ptx::Operand &o : inst.operands) {
    if (o.kind == ptx::Operand::Kind::List)
      (callee ? arguments : returns) = &o;
    else if (o.kind == ptx::Operand::Kind::Name)
      (callee ? signature : callee) = &o;
  }
  if (!callee)
    return l.unsupported(inst, "a call without a callee");
  // A direct call names a function; an indirect one a register holding its address, with a
  // .callprototype or .calltargets label giving the signature.
  llvm::FunctionCallee target;
  if (llvm::Function *f = l.mod.module.getFunction(l.name(callee->name))) {
    target = f;
  } else {
    llvm::FunctionType *type = signature ? l.callType(signature->name) : nullptr;
    if (!type)
      return l.unsupported(inst, "an indirect call without a known prototype");
    llvm::Value *address = l.read(*callee, ptx::Type::U64);
    if (!address)
      return l.unsupported(inst, "an unknown callee");
    target = llvm::FunctionCallee(type, b.CreateIntToPtr(address, b.getPtrTy()));
  }
  llvm::FunctionType *type = target.getFunctionType();
  llvm::SmallVector<llvm::Value *, 8> args;
  size_t count = arguments ? arguments->elements.size() : 0;
  if (count != type->getNumParams())
    return l.unsupported(inst, "a call whose arguments do not match the callee");
  for (size_t i = 0; i < count; ++i) { // a .param slot, or a register or constant (no ABI)
    const ptx::Operand &a = arguments->elements[i];
    llvm::Type *t = type->getParamType(unsigned(i));
    llvm::Value *slot = a.kind == ptx::Operand::Kind::Name ? l.parameterAddress(a.name, 0) : nullptr;
    llvm::Value *v = slot ? b.CreateLoad(t, slot) : l.read(a, ptxTypeOf(t));
    if (!v)
      return l.unsupported(inst, "an argument");
    args.push_back(v);
  }
  llvm::CallInst *call = b.CreateCall(target, args);
  size_t results = returns ? returns->elements.size() : 0;
  auto *fields = llvm::dyn_cast<llvm::StructType>(type->getReturnType());
  if (results != (type->getReturnType()->isVoidTy() ? 0 : fields ? fields->getNumElements() : 1))
    return l.unsupported(inst, "a call whose results do not match the callee");
  for (size_t i = 0; i < results; ++i) { // to a .param slot, or to a register
    const ptx::Operand &r = returns->elements[i];
    llvm::Value *v = fields ? b.CreateExtractValue(call, unsigned(i)) : call;
    llvm::Value *slot = l.parameterAddress(r.name, 0);
    if (slot)
      b.CreateStore(v, slot);
    else if (!l.write(r, v, ptxTypeOf(v->getType())))
      return l.unsupported(inst, "a result");
  }
  return true;
}

} // namespace oxptx::translate
