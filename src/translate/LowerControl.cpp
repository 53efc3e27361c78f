// Branches, returns and exits, CTA barriers and the special registers. Barriers and special
// registers become calls to ox.* functions: what they mean depends on the warp a thread runs in,
// which the OxCore backend decides (docs/translator.md lists them).
#include "translate/FunctionLowering.h"

namespace oxptx::translate {

llvm::Value *specialRegister(FunctionLowering &l, const ptx::Operand &operand) {
  std::string_view text = l.name(operand.name);
  auto sreg = ptx::lookupSpecialRegister(text);
  if (!sreg)
    return nullptr;
  std::string fn = "ox.sreg." + std::string(text.substr(1));
  if (operand.component)
    fn += "." + std::string(l.name(operand.component));
  // Clocks and timers change between reads; every other special register is fixed for a thread.
  bool changes = text.starts_with("%clock") || text.starts_with("%globaltimer");
  return l.oxCall(fn, l.typeOf(sreg->type == ptx::Type::None ? ptx::Type::U32 : sreg->type), {}, changes);
}

bool lowerControl(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  switch (inst.opcode) {
  case ptx::Opcode::Bra: {
    llvm::BasicBlock *target = inst.operands.empty() ? nullptr : l.labelBlock(inst.operands[0].name);
    if (!target)
      return l.unsupported(inst, "an indirect branch target");
    if (inst.guard) {
      llvm::Value *p = l.predicate(FunctionLowering::registerOperand(inst.guard, inst.loc, inst.guardNegated));
      if (!p)
        return l.unsupported(inst, "the guard predicate");
      llvm::BasicBlock *next = llvm::BasicBlock::Create(l.ctx, "fallthrough", l.function());
      b.CreateCondBr(p, target, next);
      b.SetInsertPoint(next);
    } else {
      b.CreateBr(target);
      l.endBlock();
    }
    return true;
  }
  case ptx::Opcode::Exit:
    if (!l.isKernel())
      return l.unsupported(inst, "exit in a device function");
    [[fallthrough]];
  case ptx::Opcode::Ret: {
    llvm::Type *result = l.function()->getReturnType();
    if (result->isVoidTy())
      b.CreateRetVoid();
    else // the single return parameter's slot is the function's last alloca of that name
      b.CreateRet(b.CreateLoad(result, l.returnSlot()));
    l.endBlock();
    return true;
  }
  case ptx::Opcode::BarSync:
  case ptx::Opcode::BarrierSync: {
    // bar.sync a{, b}: barrier a, b threads (0: all of the CTA). A warp-level convergent call.
    llvm::Value *id = l.read(inst.operands[0], ptx::Type::U32);
    llvm::Value *count = inst.operands.size() > 1 ? l.read(inst.operands[1], ptx::Type::U32) : b.getInt32(0);
    if (!id || !count)
      return l.unsupported(inst, "an operand");
    auto *call = llvm::cast<llvm::CallInst>(l.oxCall("ox.barrier.sync", b.getVoidTy(), {id, count}, true));
    call->getCalledFunction()->addFnAttr(llvm::Attribute::Convergent);
    call->addFnAttr(llvm::Attribute::Convergent);
    return true;
  }
  default: return l.unsupported(inst, "the instruction");
  }
}

} // namespace oxptx::translate
