// Bit manipulation: popc, clz, bfind, brev, bfe, bfi, prmt (default mode), shf, lop3, cnot,
// and the float bit operations copysign and testp. PTX defines every edge (zero inputs,
// positions and lengths beyond the width), so each lowering spells its edges out instead of
// relying on LLVM intrinsics' poison cases.
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {
namespace {

using ptx::Mod;
using ptx::Opcode;
using ptx::Type;

llvm::Value *clampTo(llvm::IRBuilder<> &b, llvm::Value *v, uint64_t limit) {
  llvm::Value *max = llvm::ConstantInt::get(v->getType(), limit);
  return b.CreateSelect(b.CreateICmpUGT(v, max), max, v);
}

/// The position of the k-th (k >= 1) set bit of the 32-bit m counting from bit 0, or -1 when m
/// has fewer: a binary search on popcounts of m's low bits (the answer p is the least with k set
/// bits in bits 0..p), five steps for 32 bits.
llvm::Value *nthSetBit(llvm::IRBuilder<> &b, llvm::Value *m, llvm::Value *k) {
  llvm::Type *i64 = b.getInt64Ty();
  llvm::Value *wide = b.CreateZExt(m, i64), *p = b.getInt64(0);
  for (uint64_t step = 16; step >= 1; step /= 2) { // find the least p with popc(m & low(p+1)) >= k
    llvm::Value *probe = b.CreateAdd(p, b.getInt64(step - 1));
    llvm::Value *low = b.CreateSub(b.CreateShl(b.getInt64(2), probe), b.getInt64(1));
    llvm::Value *count = b.CreateUnaryIntrinsic(llvm::Intrinsic::ctpop, b.CreateAnd(wide, low));
    p = b.CreateSelect(b.CreateICmpULT(count, b.CreateZExt(k, i64)), b.CreateAdd(p, b.getInt64(step)), p);
  }
  llvm::Value *enough = b.CreateICmpUGE(b.CreateZExt(b.CreateUnaryIntrinsic(llvm::Intrinsic::ctpop, m), i64),
                                        b.CreateZExt(k, i64));
  return b.CreateSelect(enough, b.CreateTrunc(p, b.getInt32Ty()), b.getInt32(0xffffffff));
}

/// fns: the |offset|-th set bit of mask from bit `base` upwards (offset > 0) or downwards
/// (offset < 0); offset 0 asks whether bit `base` itself is set. -1 when there is none.
/// Downwards is upwards on the bit-reversed mask.
llvm::Value *findNthSet(llvm::IRBuilder<> &b, llvm::Value *mask, llvm::Value *base, llvm::Value *offset) {
  llvm::Value *zero = b.getInt32(0), *none = b.getInt32(0xffffffff);
  base = b.CreateAnd(base, 31); // PTX leaves base > 31 undefined; shifts must stay defined
  llvm::Value *k = b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, offset, b.getFalse());
  llvm::Value *up = b.CreateAnd(mask, b.CreateShl(b.getInt32(0xffffffff), base)); // bits >= base
  llvm::Value *forward = nthSetBit(b, up, k);
  llvm::Value *reversed = b.CreateUnaryIntrinsic(llvm::Intrinsic::bitreverse, mask);
  llvm::Value *mirroredBase = b.CreateSub(b.getInt32(31), base);
  llvm::Value *down = b.CreateAnd(reversed, b.CreateShl(b.getInt32(0xffffffff), mirroredBase));
  llvm::Value *backward = nthSetBit(b, down, k);
  backward = b.CreateSelect(b.CreateICmpEQ(backward, none), none, b.CreateSub(b.getInt32(31), backward));
  llvm::Value *own = b.CreateSelect(b.CreateICmpNE(b.CreateAnd(b.CreateLShr(mask, base), 1), zero), base, none);
  llvm::Value *moving = b.CreateSelect(b.CreateICmpSGT(offset, zero), forward, backward);
  return b.CreateSelect(b.CreateICmpEQ(offset, zero), own, moving);
}

/// The default-mode selector (four byte indices, one per nibble, byte 0 lowest) that a prmt
/// mode picks for c[1:0], from the PTX ISA's table of the modes.
llvm::Value *modeSelector(llvm::IRBuilder<> &b, Mod mode, llvm::Value *c) {
  struct ModeTable {
    Mod mode;
    uint32_t selectors[4]; // for c[1:0] = 0..3, written d.byte3..d.byte0 as in the ISA
  };
  static constexpr ModeTable kModes[] = {
      {Mod::Permute_F4E, {0x3210, 0x4321, 0x5432, 0x6543}},
      {Mod::Permute_B4E, {0x5670, 0x6701, 0x7012, 0x0123}},
      {Mod::Permute_RC8, {0x0000, 0x1111, 0x2222, 0x3333}},
      {Mod::Permute_ECL, {0x3210, 0x3211, 0x3222, 0x3333}},
      {Mod::Permute_ECR, {0x0000, 0x1110, 0x2210, 0x3210}},
      {Mod::Permute_RC16, {0x1010, 0x3232, 0x1010, 0x3232}},
  };
  const ModeTable *table = nullptr;
  for (const ModeTable &t : kModes)
    if (t.mode == mode)
      table = &t;
  llvm::Value *shift = b.CreateAnd(c, 3);
  llvm::Value *r = b.getInt32(table->selectors[0]);
  for (uint32_t k = 1; k < 4; ++k)
    r = b.CreateSelect(b.CreateICmpEQ(shift, b.getInt32(k)), b.getInt32(table->selectors[k]), r);
  return r;
}

} // namespace

bool lowerBits(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  if (types.size() != 1)
    return l.unsupported(inst, "this type combination");
  Type t = types[0];
  llvm::IRBuilder<> &b = l.b;
  unsigned bits = FunctionLowering::bitsOf(t);
  // Sources at their expected types: the instruction type, or u32 for positions and lengths.
  auto source = [&](size_t i, Type type) { return i < inst.operands.size() ? l.read(inst.operands[i], type) : nullptr; };
  llvm::Value *x = source(1, t);
  if (!x)
    return l.unsupported(inst, "the source");
  llvm::Type *ty = x->getType();
  llvm::Value *r = nullptr;
  Type resultType = t;
  switch (inst.opcode) {
  case Opcode::Popc:
    r = b.CreateZExtOrTrunc(b.CreateUnaryIntrinsic(llvm::Intrinsic::ctpop, x), b.getInt32Ty());
    resultType = Type::U32;
    break;
  case Opcode::Clz: // clz(0) = width
    r = b.CreateZExtOrTrunc(b.CreateBinaryIntrinsic(llvm::Intrinsic::ctlz, x, b.getFalse()), b.getInt32Ty());
    resultType = Type::U32;
    break;
  case Opcode::Bfind: { // position of the most significant non-sign bit, 0xffffffff if none
    llvm::Value *v = FunctionLowering::isSigned(t)
                         ? b.CreateSelect(b.CreateICmpSLT(x, llvm::ConstantInt::get(ty, 0)), b.CreateNot(x), x)
                         : x;
    llvm::Value *lz = b.CreateZExtOrTrunc(b.CreateBinaryIntrinsic(llvm::Intrinsic::ctlz, v, b.getFalse()), b.getInt32Ty());
    llvm::Value *position = b.CreateSub(b.getInt32(bits - 1), lz);
    if (inst.has(Mod::ShiftAmt_ShiftAmt))
      position = lz;
    r = b.CreateSelect(b.CreateICmpEQ(v, llvm::ConstantInt::get(ty, 0)), b.getInt32(0xffffffff), position);
    resultType = Type::U32;
    break;
  }
  case Opcode::Szext:
  case Opcode::Bmsk: { // computed in 64 bits, where shifting by up to 32 is defined
    llvm::Value *y = source(2, Type::U32);
    if (!y)
      return l.unsupported(inst, "an operand");
    bool clamp = inst.has(Mod::ShiftMode_Clamp);
    auto amount = [&](llvm::Value *v) { // .clamp: min(v, 32); .wrap: v mod 32
      return b.CreateZExt(clamp ? clampTo(b, v, 32) : b.CreateAnd(v, 31), b.getInt64Ty());
    };
    llvm::Type *i64 = b.getInt64Ty();
    llvm::Value *one = llvm::ConstantInt::get(i64, 1);
    if (inst.opcode == Opcode::Bmsk) { // ones at bits [a, a + b), within the 32
      llvm::Value *ones = b.CreateSub(b.CreateShl(one, amount(y)), one);
      r = b.CreateTrunc(b.CreateShl(ones, amount(x)), b.getInt32Ty());
      break;
    }
    // szext: the low n bits of a, zero- or sign-extended (n = 0 gives 0, n = 32 gives a)
    llvm::Value *n = amount(y);
    llvm::Value *low = b.CreateAnd(b.CreateZExt(x, i64), b.CreateSub(b.CreateShl(one, n), one));
    if (FunctionLowering::isSigned(t)) {
      llvm::Value *shift = b.CreateSelect(b.CreateICmpEQ(n, llvm::ConstantInt::get(i64, 0)),
                                          llvm::ConstantInt::get(i64, 0), b.CreateSub(llvm::ConstantInt::get(i64, 64), n));
      low = b.CreateAShr(b.CreateShl(low, shift), shift);
    }
    r = b.CreateTrunc(low, b.getInt32Ty());
    break;
  }
  case Opcode::Fns: { // fns.b32 d, mask, base, offset
    llvm::Value *base = source(2, Type::U32), *offset = source(3, Type::S32);
    if (!base || !offset)
      return l.unsupported(inst, "an operand");
    r = findNthSet(b, x, base, offset);
    break;
  }
  case Opcode::Brev: r = b.CreateUnaryIntrinsic(llvm::Intrinsic::bitreverse, x); break;
  case Opcode::Cnot: r = b.CreateZExt(b.CreateICmpEQ(x, llvm::ConstantInt::get(ty, 0)), ty); break;
  case Opcode::Bfe: {
    // PTX: bit i of d is a[pos+i] for i < len and pos+i within the width, else the fill bit
    // (0 for u types; a[min(pos+len-1, msb)] for s types). With k = min(len, width - pos) bits
    // available, that is the k-bit field, zero- or sign-extended.
    llvm::Value *pos = source(2, Type::U32), *len = source(3, Type::U32);
    if (!pos || !len)
      return l.unsupported(inst, "an operand");
    auto c = [&](uint64_t v) { return llvm::ConstantInt::get(ty, v); };
    pos = b.CreateZExtOrTrunc(clampTo(b, b.CreateAnd(pos, 0xff), bits), ty);
    len = b.CreateZExtOrTrunc(b.CreateAnd(len, 0xff), ty);
    llvm::Value *k = b.CreateBinaryIntrinsic(llvm::Intrinsic::umin, len, b.CreateSub(c(bits), pos));
    llvm::Value *none = b.CreateICmpEQ(k, c(0));
    llvm::Value *up = b.CreateSelect(none, c(0), b.CreateSub(b.CreateSub(c(bits), pos), k));
    llvm::Value *down = b.CreateSelect(none, c(0), b.CreateSub(c(bits), k));
    llvm::Value *field = b.CreateShl(x, up);
    bool isSigned = FunctionLowering::isSigned(t);
    llvm::Value *extracted = isSigned ? b.CreateAShr(field, down) : b.CreateLShr(field, down);
    // No bit available: the fill alone (for s types with len > 0, the sign bit of a).
    llvm::Value *fill = isSigned ? b.CreateSelect(b.CreateICmpEQ(len, c(0)), c(0), b.CreateAShr(x, bits - 1))
                                 : c(0);
    r = b.CreateSelect(none, fill, extracted);
    break;
  }
  case Opcode::Bfi: { // insert the low len bits of a into b at pos
    llvm::Value *into = source(2, t), *pos = source(3, Type::U32), *len = source(4, Type::U32);
    if (!into || !pos || !len)
      return l.unsupported(inst, "an operand");
    pos = b.CreateZExtOrTrunc(clampTo(b, b.CreateAnd(pos, 0xff), bits), ty);
    len = b.CreateZExtOrTrunc(clampTo(b, b.CreateAnd(len, 0xff), bits), ty);
    // mask = ((1 << len) - 1) << pos, built without shifting by the full width.
    llvm::Value *ones = llvm::ConstantInt::getAllOnesValue(ty);
    llvm::Value *full = b.CreateICmpEQ(len, llvm::ConstantInt::get(ty, bits));
    llvm::Value *lowMask = b.CreateSelect(full, ones, b.CreateSub(b.CreateShl(llvm::ConstantInt::get(ty, 1), b.CreateSelect(full, llvm::ConstantInt::get(ty, 0), len)), llvm::ConstantInt::get(ty, 1)));
    llvm::Value *posFull = b.CreateICmpEQ(pos, llvm::ConstantInt::get(ty, bits));
    llvm::Value *safePos = b.CreateSelect(posFull, llvm::ConstantInt::get(ty, 0), pos);
    llvm::Value *mask = b.CreateSelect(posFull, llvm::ConstantInt::get(ty, 0), b.CreateShl(lowMask, safePos));
    llvm::Value *inserted = b.CreateAnd(b.CreateShl(x, safePos), mask);
    r = b.CreateOr(b.CreateAnd(into, b.CreateNot(mask)), inserted);
    break;
  }
  case Opcode::Prmt: { // default mode: each result byte picks one of the 8 bytes of {b, a}
    llvm::Value *hi = source(2, t), *selector = source(3, Type::U32);
    if (!hi || !selector)
      return l.unsupported(inst, "an operand");
    if (Mod mode = inst.mod(ptx::ModGroup::Permute); mode != Mod::None)
      selector = modeSelector(b, mode, selector);
    llvm::Value *both = b.CreateOr(b.CreateZExt(x, b.getInt64Ty()), b.CreateShl(b.CreateZExt(hi, b.getInt64Ty()), 32));
    r = b.getInt32(0);
    for (unsigned i = 0; i < 4; ++i) {
      llvm::Value *nibble = b.CreateAnd(b.CreateLShr(selector, 4 * i), 0xf);
      llvm::Value *index = b.CreateZExt(b.CreateAnd(nibble, 7), b.getInt64Ty());
      llvm::Value *byte = b.CreateTrunc(b.CreateLShr(both, b.CreateShl(index, 3)), b.getInt8Ty());
      // Bit 3 of the nibble replicates the byte's sign bit instead.
      llvm::Value *sign = b.CreateSExt(b.CreateICmpSLT(byte, b.getInt8(0)), b.getInt8Ty());
      llvm::Value *chosen = b.CreateSelect(b.CreateICmpNE(b.CreateAnd(nibble, 8), b.getInt32(0)), sign, byte);
      r = b.CreateOr(r, b.CreateShl(b.CreateZExt(chosen, b.getInt32Ty()), 8 * i));
    }
    break;
  }
  case Opcode::Shf: { // funnel shift of {b:a}; .clamp limits the amount to 32, .wrap takes it mod 32
    llvm::Value *hi = source(2, t), *amount = source(3, Type::U32);
    if (!hi || !amount)
      return l.unsupported(inst, "an operand");
    bool left = inst.has(Mod::Shift_L);
    if (inst.has(Mod::ShiftMode_Clamp)) {
      llvm::Value *n = clampTo(b, amount, 32);
      llvm::Value *wide = b.CreateOr(b.CreateZExt(x, b.getInt64Ty()), b.CreateShl(b.CreateZExt(hi, b.getInt64Ty()), 32));
      llvm::Value *n64 = b.CreateZExt(n, b.getInt64Ty());
      r = left ? b.CreateTrunc(b.CreateLShr(b.CreateShl(wide, n64), 32), b.getInt32Ty())
               : b.CreateTrunc(b.CreateLShr(wide, n64), b.getInt32Ty());
    } else {
      r = b.CreateIntrinsic(left ? llvm::Intrinsic::fshl : llvm::Intrinsic::fshr, {ty},
                            left ? llvm::ArrayRef<llvm::Value *>{hi, x, amount} : llvm::ArrayRef<llvm::Value *>{hi, x, amount});
    }
    break;
  }
  case Opcode::Lop3: { // any function of three inputs, given by its truth table
    if (inst.operands.size() != 5)
      return l.unsupported(inst, "lop3 with a predicate");
    llvm::Value *y = source(2, t), *z = source(3, t);
    const ptx::Operand &table = inst.operands[4];
    if (!y || !z || table.kind != ptx::Operand::Kind::Integer)
      return l.unsupported(inst, "a non-constant truth table");
    uint8_t lut = uint8_t(table.bits);
    r = llvm::ConstantInt::get(ty, 0);
    for (unsigned m = 0; m < 8; ++m) { // minterm m: a = bit 2, b = bit 1, c = bit 0 of m
      if (!(lut >> m & 1))
        continue;
      llvm::Value *term = b.CreateAnd(m & 4 ? x : b.CreateNot(x), m & 2 ? y : b.CreateNot(y));
      r = b.CreateOr(r, b.CreateAnd(term, m & 1 ? z : b.CreateNot(z)));
    }
    break;
  }
  case Opcode::Copysign: { // copysign.f32 d, a, b: |b| with the sign of a
    llvm::Value *magnitude = source(2, t);
    if (!magnitude)
      return l.unsupported(inst, "an operand");
    r = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, magnitude, x);
    break;
  }
  case Opcode::Testp: {
    llvm::Value *a = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    llvm::Value *inf = llvm::ConstantFP::getInfinity(ty);
    llvm::Value *smallest = llvm::ConstantFP::get(ty, llvm::APFloat::getSmallestNormalized(ty->getFltSemantics()));
    switch (inst.mod(ptx::ModGroup::TestOp)) {
    case Mod::TestOp_Finite: r = b.CreateFCmpOLT(a, inf); break;
    case Mod::TestOp_Infinite: r = b.CreateFCmpOEQ(a, inf); break;
    case Mod::TestOp_Number: r = b.CreateFCmpORD(x, x); break;
    case Mod::TestOp_NotANumber: r = b.CreateFCmpUNO(x, x); break;
    case Mod::TestOp_Normal: r = b.CreateAnd(b.CreateFCmpOGE(a, smallest), b.CreateFCmpOLT(a, inf)); break;
    case Mod::TestOp_Subnormal:
      r = b.CreateAnd(b.CreateFCmpOLT(a, smallest), b.CreateFCmpONE(a, llvm::ConstantFP::get(ty, 0.0)));
      break;
    default: return l.unsupported(inst, "this test");
    }
    resultType = Type::Pred;
    break;
  }
  default: return l.unsupported(inst, "the instruction");
  }
  if (!l.write(inst.operands[0], r, resultType))
    return l.unsupported(inst, "the destination");
  return true;
}

} // namespace oxptx::translate
