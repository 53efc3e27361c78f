// Integer instructions beyond plain arithmetic: carry chains (add.cc, addc, sub.cc, subc,
// mad.cc, madc), 24-bit multiplies (mul24, mad24), sum of absolute differences (sad) and the
// byte/half-word dot products (dp4a, dp2a). The condition code CC.CF is one i1 variable of the
// function (FunctionLowering::carryFlag), promoted to SSA values like a register.
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {
namespace {

using ptx::Mod;
using ptx::ModGroup;
using ptx::Opcode;
using ptx::Type;

/// x + y + carryIn (or x - y - borrowIn), with the carry (borrow) out, computed at twice the
/// width so that both come out of one plain add or subtract.
std::pair<llvm::Value *, llvm::Value *> addWithCarry(llvm::IRBuilder<> &b, llvm::Value *x, llvm::Value *y,
                                                     llvm::Value *carryIn, bool subtract) {
  unsigned bits = x->getType()->getIntegerBitWidth();
  llvm::Type *wide = b.getIntNTy(2 * bits);
  llvm::Value *wx = b.CreateZExt(x, wide), *wy = b.CreateZExt(y, wide), *wc = b.CreateZExt(carryIn, wide);
  llvm::Value *r = subtract ? b.CreateSub(b.CreateSub(wx, wy), wc) : b.CreateAdd(b.CreateAdd(wx, wy), wc);
  llvm::Value *out = b.CreateICmpNE(b.CreateLShr(r, bits), llvm::ConstantInt::get(wide, 0));
  return {b.CreateTrunc(r, x->getType()), out};
}

/// The low `bits` bits of v, sign- or zero-extended to `to`.
llvm::Value *field(llvm::IRBuilder<> &b, llvm::Value *v, unsigned shift, unsigned bits, bool isSigned,
                   llvm::Type *to) {
  llvm::Value *part = b.CreateTrunc(b.CreateLShr(v, shift), b.getIntNTy(bits));
  return isSigned ? b.CreateSExt(part, to) : b.CreateZExt(part, to);
}

/// The `count` source operands (after the destination) as `t`; false after a diagnostic.
bool readSources(FunctionLowering &l, const ptx::Instruction &inst, Type t, size_t count,
                 llvm::SmallVectorImpl<llvm::Value *> &sources) {
  if (inst.operands.size() != count + 1)
    return l.unsupported(inst, "this operand count");
  for (size_t i = 1; i <= count; ++i) {
    llvm::Value *v = l.read(inst.operands[i], t);
    if (!v)
      return l.unsupported(inst, "this source operand");
    sources.push_back(v);
  }
  return true;
}

/// add.cc/addc/sub.cc/subc/mad.cc/madc.
bool lowerCarry(FunctionLowering &l, const ptx::Instruction &inst, Type t) {
  llvm::IRBuilder<> &b = l.b;
  Opcode op = inst.opcode;
  bool readsCarry = op == Opcode::Addc || op == Opcode::Subc || op == Opcode::Madc;
  bool writesCarry = inst.has(Mod::Carry_CC);
  bool multiply = op == Opcode::Mad || op == Opcode::Madc;
  llvm::SmallVector<llvm::Value *, 3> s;
  if (!readSources(l, inst, t, multiply ? 3 : 2, s))
    return false;
  Mod mode = inst.mod(ModGroup::MulMode);
  if (multiply && mode == Mod::MulMode_Wide)
    return l.unsupported(inst, ".wide with a carry");
  llvm::Value *x = s[0], *y = s[1];
  if (multiply) { // (a*b).lo or .hi, then + c + CF
    unsigned bits = t == Type::U64 || t == Type::S64 ? 64 : 32;
    bool isSigned = FunctionLowering::isSigned(t);
    llvm::Type *wide = b.getIntNTy(2 * bits);
    llvm::Value *p = b.CreateMul(isSigned ? b.CreateSExt(x, wide) : b.CreateZExt(x, wide),
                                 isSigned ? b.CreateSExt(y, wide) : b.CreateZExt(y, wide));
    x = b.CreateTrunc(mode == Mod::MulMode_Hi ? b.CreateLShr(p, bits) : p, x->getType());
    y = s[2];
  }
  llvm::Value *carryIn = b.getFalse();
  if (readsCarry)
    carryIn = b.CreateLoad(b.getInt1Ty(), l.carryFlag());
  bool subtract = op == Opcode::Sub || op == Opcode::Subc;
  auto [r, carryOut] = addWithCarry(b, x, y, carryIn, subtract);
  if (writesCarry)
    b.CreateStore(carryOut, l.carryFlag());
  return l.write(inst.operands[0], r, t) || l.unsupported(inst, "the destination");
}

} // namespace

bool lowerInteger(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  llvm::IRBuilder<> &b = l.b;
  Opcode op = inst.opcode;
  if (op == Opcode::Dp4a || op == Opcode::Dp2a) {
    if (types.size() != 2)
      return l.unsupported(inst, "this type combination");
    bool aSigned = FunctionLowering::isSigned(types[0]), bSigned = FunctionLowering::isSigned(types[1]);
    Type result = aSigned || bSigned ? Type::S32 : Type::U32;
    llvm::Value *x = l.read(inst.operands[1], Type::B32), *y = l.read(inst.operands[2], Type::B32);
    llvm::Value *c = l.read(inst.operands[3], result);
    if (!x || !y || !c)
      return l.unsupported(inst, "a source operand");
    llvm::Type *i32 = b.getInt32Ty();
    llvm::Value *sum = c; // products of 8- or 16-bit fields fit; the sum wraps at 32 bits
    if (op == Opcode::Dp4a) {
      for (unsigned i = 0; i < 4; ++i)
        sum = b.CreateAdd(sum, b.CreateMul(field(b, x, 8 * i, 8, aSigned, i32), field(b, y, 8 * i, 8, bSigned, i32)));
    } else { // a's two halves times b's bytes 0-1 (.lo) or 2-3 (.hi)
      unsigned first = inst.mod(ModGroup::MulMode) == Mod::MulMode_Hi ? 2 : 0;
      for (unsigned i = 0; i < 2; ++i)
        sum = b.CreateAdd(sum, b.CreateMul(field(b, x, 16 * i, 16, aSigned, i32),
                                           field(b, y, 8 * (first + i), 8, bSigned, i32)));
    }
    return l.write(inst.operands[0], sum, result) || l.unsupported(inst, "the destination");
  }
  if (types.size() != 1)
    return l.unsupported(inst, "this type combination");
  Type t = types[0];
  if (op != Opcode::Mul24 && op != Opcode::Mad24 && op != Opcode::Sad)
    return lowerCarry(l, inst, t);

  bool isSigned = FunctionLowering::isSigned(t);
  llvm::SmallVector<llvm::Value *, 3> s;
  if (!readSources(l, inst, t, op == Opcode::Mul24 ? 2 : 3, s))
    return false;
  llvm::Value *r;
  if (op == Opcode::Sad) { // c + |a - b|
    llvm::Value *less = isSigned ? b.CreateICmpSLT(s[0], s[1]) : b.CreateICmpULT(s[0], s[1]);
    r = b.CreateAdd(s[2], b.CreateSelect(less, b.CreateSub(s[1], s[0]), b.CreateSub(s[0], s[1])));
  } else { // the 48-bit product of the low 24 bits; .lo its bits 0-31, .hi its bits 16-47
    llvm::Type *i64 = b.getInt64Ty();
    llvm::Value *p = b.CreateMul(field(b, s[0], 0, 24, isSigned, i64), field(b, s[1], 0, 24, isSigned, i64));
    bool high = inst.mod(ModGroup::MulMode) == Mod::MulMode_Hi;
    bool sat = inst.has(Mod::Sat_Sat); // mad24.hi.sat.s32: the sum saturates to s32
    if (sat && !(high && isSigned && op == Opcode::Mad24))
      return l.unsupported(inst, ".sat outside mad24.hi.sat.s32");
    r = b.CreateTrunc(high ? b.CreateLShr(p, 16) : p, b.getInt32Ty());
    if (op == Opcode::Mad24)
      r = sat ? b.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_sat, r, s[2]) : b.CreateAdd(r, s[2]);
  }
  return l.write(inst.operands[0], r, t) || l.unsupported(inst, "the destination");
}

} // namespace oxptx::translate
