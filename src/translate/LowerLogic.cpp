// Bitwise logic and shifts on predicates and bit types. PTX clamps shift amounts: a shift by
// the width or more gives 0 (shl, shr of unsigned and bit types) or the sign (shr of signed).
#include "translate/FunctionLowering.h"

namespace oxptx::translate {

using ptx::Opcode;
using ptx::Type;

bool lowerLogic(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  if (types.size() != 1)
    return l.unsupported(inst, "this type combination");
  Type t = types[0];
  llvm::IRBuilder<> &b = l.b;
  llvm::Value *x = l.read(inst.operands[1], t);
  llvm::Value *y = inst.operands.size() > 2 && inst.opcode != Opcode::Shl && inst.opcode != Opcode::Shr
                       ? l.read(inst.operands[2], t)
                       : nullptr;
  if (!x || (inst.operands.size() > 2 && inst.opcode != Opcode::Shl && inst.opcode != Opcode::Shr && !y))
    return l.unsupported(inst, "this source operand");
  llvm::Value *r = nullptr;
  switch (inst.opcode) {
  case Opcode::Not: r = b.CreateNot(x); break;
  case Opcode::And: r = b.CreateAnd(x, y); break;
  case Opcode::Or: r = b.CreateOr(x, y); break;
  case Opcode::Xor: r = b.CreateXor(x, y); break;
  case Opcode::Shl:
  case Opcode::Shr: {
    unsigned bits = FunctionLowering::bitsOf(t);
    llvm::Value *amount = l.read(inst.operands[2], Type::U32);
    if (!amount)
      return l.unsupported(inst, "the shift amount");
    llvm::Value *tooFar = b.CreateICmpUGE(amount, b.getInt32(bits));
    llvm::Value *n = b.CreateZExtOrTrunc(b.CreateSelect(tooFar, b.getInt32(0), amount), x->getType());
    if (inst.opcode == Opcode::Shl) {
      r = b.CreateSelect(tooFar, llvm::ConstantInt::get(x->getType(), 0), b.CreateShl(x, n));
    } else if (FunctionLowering::isSigned(t)) {
      llvm::Value *clamped = b.CreateSelect(tooFar, llvm::ConstantInt::get(x->getType(), bits - 1), n);
      r = b.CreateAShr(x, clamped);
    } else {
      r = b.CreateSelect(tooFar, llvm::ConstantInt::get(x->getType(), 0), b.CreateLShr(x, n));
    }
    break;
  }
  default: return l.unsupported(inst, "the instruction");
  }
  if (!r || !l.write(inst.operands[0], r, t))
    return l.unsupported(inst, "an operand");
  return true;
}

} // namespace oxptx::translate
