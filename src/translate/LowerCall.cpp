// Direct calls of device functions: `call (ret), f, (a, b);` where ret, a and b are .param
// variables of the caller (slots that st.param fills and ld.param reads). Arguments are loaded
// from their slots as the callee's parameter types; the result is stored to the return slot.
// Indirect calls go through a register holding the function's address (mov.u64 %rd, f, or a
// table initialized with function addresses), typed by a .callprototype or .calltargets label.
#include "translate/FunctionLowering.h"

namespace oxptx::translate {

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
  for (size_t i = 0; i < count; ++i) {
    llvm::Value *slot = l.parameterAddress(arguments->elements[i].name, 0);
    if (!slot)
      return l.unsupported(inst, "an argument that is not a .param variable");
    args.push_back(b.CreateLoad(type->getParamType(unsigned(i)), slot));
  }
  llvm::CallInst *call = b.CreateCall(target, args);
  if (returns && !returns->elements.empty()) {
    llvm::Value *slot = l.parameterAddress(returns->elements[0].name, 0);
    if (!slot || type->getReturnType()->isVoidTy())
      return l.unsupported(inst, "this return value");
    b.CreateStore(call, slot);
  }
  return true;
}

} // namespace oxptx::translate
