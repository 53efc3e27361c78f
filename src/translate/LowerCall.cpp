// Direct calls of device functions: `call (ret), f, (a, b);` where ret, a and b are .param
// variables of the caller (slots that st.param fills and ld.param reads). Arguments are loaded
// from their slots as the callee's parameter types; the result is stored to the return slot.
// Indirect calls (through a register and a prototype) are not translated yet.
#include "translate/FunctionLowering.h"

namespace oxptx::translate {

bool lowerCall(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  const ptx::Operand *returns = nullptr, *callee = nullptr, *arguments = nullptr;
  for (const ptx::Operand &o : inst.operands) {
    if (o.kind == ptx::Operand::Kind::List)
      (callee ? arguments : returns) = &o;
    else if (o.kind == ptx::Operand::Kind::Name && !callee)
      callee = &o;
  }
  llvm::Function *f = callee ? l.mod.module.getFunction(l.name(callee->name)) : nullptr;
  if (!f)
    return l.unsupported(inst, "an indirect call or an unknown callee");
  llvm::SmallVector<llvm::Value *, 8> args;
  size_t count = arguments ? arguments->elements.size() : 0;
  if (count != f->arg_size())
    return l.unsupported(inst, "a call whose arguments do not match the callee");
  for (size_t i = 0; i < count; ++i) {
    llvm::Value *slot = l.parameterAddress(arguments->elements[i].name, 0);
    if (!slot)
      return l.unsupported(inst, "an argument that is not a .param variable");
    args.push_back(b.CreateLoad(f->getArg(unsigned(i))->getType(), slot));
  }
  llvm::CallInst *call = b.CreateCall(f, args);
  if (returns && !returns->elements.empty()) {
    llvm::Value *slot = l.parameterAddress(returns->elements[0].name, 0);
    if (!slot || f->getReturnType()->isVoidTy())
      return l.unsupported(inst, "this return value");
    b.CreateStore(call, slot);
  }
  return true;
}

} // namespace oxptx::translate
