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

/// The SIMD video instructions (vadd2/4, vsub2/4, vavrg2/4, vabsdiff2/4, vmin2/4, vmax2/4,
/// vset2/4): per half-word or byte, the sources sign- or zero-extended by their types, the
/// operation on the extended values (vavrg: (a + b + 1) >> 1), `.sat` clamping to the
/// destination's half-word or byte range; then either the elements of the mask (`d.b3210` by
/// default) replace those of c, or with `.add` the masked elements are summed into c (32 bits,
/// the elements unclamped unless `.sat`: vabsdiff4.add is a sum of absolute differences).
/// Source selectors other than the identity (`a.b3210`, `a.h10`) are not translated.
bool lowerVideoSimd(FunctionLowering &l, const ptx::Instruction &inst) {
  using Op = ptx::Opcode;
  Opcode op = inst.opcode;
  bool four = op == Op::Vadd4 || op == Op::Vsub4 || op == Op::Vavrg4 || op == Op::Vabsdiff4 ||
              op == Op::Vmin4 || op == Op::Vmax4 || op == Op::Vset4;
  bool isSet = op == Op::Vset2 || op == Op::Vset4;
  unsigned lanes = four ? 4 : 2, width = four ? 8 : 16;
  auto types = inst.types();
  if (types.size() != (isSet ? 2u : 3u))
    return l.unsupported(inst, "this type combination");
  Type dt = isSet ? Type::U32 : types[0], at = types[isSet ? 0 : 1], bt = types[isSet ? 1 : 2];
  const std::string identity = four ? "b3210" : "h10";
  auto selector = [&](const ptx::Operand &o) { return o.component ? std::string(l.name(o.component)) : identity; };
  if (selector(inst.operands[1]) != identity || selector(inst.operands[2]) != identity)
    return l.unsupported(inst, "source selectors other than ." + identity);
  std::string maskText = selector(inst.operands[0]);
  unsigned mask = 0;
  for (char c : maskText.substr(1))
    if (c >= '0' && unsigned(c - '0') < lanes)
      mask |= 1u << (c - '0');
  llvm::IRBuilder<> &b = l.b;
  llvm::Value *x = l.read(inst.operands[1], Type::B32), *y = l.read(inst.operands[2], Type::B32);
  llvm::Value *c = l.read(inst.operands[3], Type::B32);
  if (!x || !y || !c || maskText[0] != identity[0] || !mask)
    return l.unsupported(inst, "an operand");
  auto *narrow = llvm::FixedVectorType::get(b.getIntNTy(width), lanes);
  auto *wide = llvm::FixedVectorType::get(b.getInt32Ty(), lanes);
  auto extend = [&](llvm::Value *v, Type t) {
    llvm::Value *n = b.CreateBitCast(v, narrow);
    return FunctionLowering::isSigned(t) ? b.CreateSExt(n, wide) : b.CreateZExt(n, wide);
  };
  llvm::Value *ta = extend(x, at), *tb = extend(y, bt), *r = nullptr;
  auto splat = [&](int64_t v) { return llvm::ConstantInt::get(wide, uint64_t(v), true); };
  bool anySigned = FunctionLowering::isSigned(at) || FunctionLowering::isSigned(bt);
  switch (op) {
  case Op::Vadd2: case Op::Vadd4: r = b.CreateAdd(ta, tb); break;
  case Op::Vsub2: case Op::Vsub4: r = b.CreateSub(ta, tb); break;
  case Op::Vavrg2: case Op::Vavrg4: {
    llvm::Value *sum = b.CreateAdd(b.CreateAdd(ta, tb), splat(1));
    r = anySigned ? b.CreateAShr(sum, splat(1)) : b.CreateLShr(sum, splat(1));
    break;
  }
  case Op::Vabsdiff2: case Op::Vabsdiff4: // extended values compare correctly as signed
    r = b.CreateSelect(b.CreateICmpSGT(ta, tb), b.CreateSub(ta, tb), b.CreateSub(tb, ta));
    break;
  case Op::Vmin2: case Op::Vmin4: r = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, ta, tb); break;
  case Op::Vmax2: case Op::Vmax4: r = b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, ta, tb); break;
  default: { // vset: the comparison on the extended values
    llvm::CmpInst::Predicate p;
    switch (inst.mod(ptx::ModGroup::Compare)) {
    case Mod::Compare_EQ: p = llvm::CmpInst::ICMP_EQ; break;
    case Mod::Compare_NE: p = llvm::CmpInst::ICMP_NE; break;
    case Mod::Compare_LT: p = llvm::CmpInst::ICMP_SLT; break;
    case Mod::Compare_LE: p = llvm::CmpInst::ICMP_SLE; break;
    case Mod::Compare_GT: p = llvm::CmpInst::ICMP_SGT; break;
    case Mod::Compare_GE: p = llvm::CmpInst::ICMP_SGE; break;
    default: return l.unsupported(inst, "this comparison");
    }
    r = b.CreateZExt(b.CreateICmp(p, ta, tb), wide);
  }
  }
  if (!isSet && inst.has(Mod::Sat_Sat)) {
    bool s = FunctionLowering::isSigned(dt);
    int64_t lo = s ? -(int64_t(1) << (width - 1)) : 0, hi = s ? (int64_t(1) << (width - 1)) - 1 : (int64_t(1) << width) - 1;
    r = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, r, splat(lo)), splat(hi));
  }
  std::vector<llvm::Constant *> keep;
  for (unsigned i = 0; i < lanes; ++i)
    keep.push_back(b.getInt1(mask >> i & 1));
  llvm::Value *d;
  if (inst.has(Mod::Video_Add)) {
    d = c; // element by element (plain adds vectorize over a warp; a reduction would not)
    for (unsigned i = 0; i < lanes; ++i)
      if (mask >> i & 1)
        d = b.CreateAdd(d, b.CreateExtractElement(r, b.getInt32(i)));
  } else {
    llvm::Value *merged = b.CreateSelect(llvm::ConstantVector::get(keep), b.CreateTrunc(r, narrow), b.CreateBitCast(c, narrow));
    d = b.CreateBitCast(merged, b.getInt32Ty());
  }
  return l.write(inst.operands[0], d, Type::B32) || l.unsupported(inst, "the destination");
}

} // namespace

bool lowerInteger(FunctionLowering &l, const ptx::Instruction &inst) {
  switch (inst.opcode) {
  case Opcode::Vadd2: case Opcode::Vsub2: case Opcode::Vavrg2: case Opcode::Vabsdiff2:
  case Opcode::Vmin2: case Opcode::Vmax2: case Opcode::Vset2: case Opcode::Vadd4:
  case Opcode::Vsub4: case Opcode::Vavrg4: case Opcode::Vabsdiff4: case Opcode::Vmin4:
  case Opcode::Vmax4: case Opcode::Vset4:
    return lowerVideoSimd(l, inst);
  default:
    break;
  }
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
