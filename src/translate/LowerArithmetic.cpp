// Integer and floating-point arithmetic: add, sub, mul, mad, fma, div, rem, abs, neg, min, max.
// Integer division guards the cases LLVM leaves undefined (x/0, INT_MIN/-1): PTX leaves their
// value unspecified, OxCore computes RISC-V's (x/0 = -1, x%0 = x), and the IR must not let the
// optimizer assume they cannot happen.
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {
namespace {

using ptx::Mod;
using ptx::ModGroup;
using ptx::Opcode;
using ptx::Type;

/// The type twice as wide with the same signedness (mul.wide / mad.wide).
Type wider(Type t) {
  switch (t) {
  case Type::S16: return Type::S32;
  case Type::U16: return Type::U32;
  case Type::S32: return Type::S64;
  case Type::U32: return Type::U64;
  default: return Type::None;
  }
}

/// The ox.* operation for a float instruction with a directed rounding mode (.rz/.rm/.rp),
/// which LLVM IR cannot express (its constrained intrinsics only assume a dynamic mode).
const char *roundedName(Opcode op) {
  switch (op) {
  case Opcode::Add: return "fadd";
  case Opcode::Sub: return "fsub";
  case Opcode::Mul: return "fmul";
  case Opcode::Mad:
  case Opcode::Fma: return "fma";
  case Opcode::Div: return "fdiv";
  default: return nullptr;
  }
}

/// RISC-V division semantics without LLVM undefined behaviour.
llvm::Value *divide(llvm::IRBuilder<> &b, llvm::Value *x, llvm::Value *y, bool isSigned,
                    bool remainder) {
  llvm::Type *t = x->getType();
  llvm::Value *zero = llvm::ConstantInt::get(t, 0), *isZero = b.CreateICmpEQ(y, zero);
  llvm::Value *overflow = b.getFalse();
  if (isSigned) { // (IR is built one statement at a time: C++ leaves argument order open)
    unsigned bits = t->getIntegerBitWidth();
    llvm::Value *minimum = b.CreateICmpEQ(x, llvm::ConstantInt::get(t, llvm::APInt::getSignedMinValue(bits)));
    llvm::Value *minusOne = b.CreateICmpEQ(y, llvm::ConstantInt::getAllOnesValue(t));
    overflow = b.CreateAnd(minimum, minusOne);
  }
  llvm::Value *safe = b.CreateSelect(b.CreateOr(isZero, overflow), llvm::ConstantInt::get(t, 1), y);
  llvm::Value *q = remainder ? (isSigned ? b.CreateSRem(x, safe) : b.CreateURem(x, safe))
                             : (isSigned ? b.CreateSDiv(x, safe) : b.CreateUDiv(x, safe));
  // x/0 = -1 and x%0 = x; INT_MIN/-1 = INT_MIN (x/1 already) and INT_MIN%-1 = 0 (x%1 already).
  return b.CreateSelect(isZero, remainder ? x : llvm::ConstantInt::getAllOnesValue(t), q);
}

/// The high half of the double-width product.
llvm::Value *mulHigh(llvm::IRBuilder<> &b, llvm::Value *x, llvm::Value *y, bool isSigned) {
  unsigned bits = x->getType()->getIntegerBitWidth();
  llvm::Type *wide = b.getIntNTy(2 * bits);
  llvm::Value *wx = isSigned ? b.CreateSExt(x, wide) : b.CreateZExt(x, wide);
  llvm::Value *wy = isSigned ? b.CreateSExt(y, wide) : b.CreateZExt(y, wide);
  return b.CreateTrunc(b.CreateLShr(b.CreateMul(wx, wy), bits), x->getType());
}

} // namespace

bool lowerArithmetic(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  if (types.size() != 1)
    return l.unsupported(inst, "this type combination");
  Type t = types[0];
  // f16x2/bf16x2 and u16x2/s16x2 registers are <2 x half>/<2 x bfloat>/<2 x i16> for the
  // operation, so the arithmetic below applies to both halves as plain vector IR.
  bool packedHalf = t == Type::F16x2 || t == Type::BF16x2;
  bool packedShorts = t == Type::U16x2 || t == Type::S16x2;
  bool fp = FunctionLowering::isFloat(t) || packedHalf;
  bool isSigned = FunctionLowering::isSigned(t) || t == Type::S16x2;
  llvm::IRBuilder<> &b = l.b;
  Mod rounding = inst.mod(ModGroup::Rounding);
  if (ptx::typeInfo(t).kind == ptx::TypeKind::Packed && !packedHalf && !packedShorts)
    return l.unsupported(inst, "this packed type");
  bool ftz = inst.has(Mod::Ftz_FTZ) && fp;
  if (inst.modifier(ModGroup::Carry)) // add.cc, sub.cc, mad.cc: with the carry chains
    return lowerInteger(l, inst);
  bool directed = fp && rounding != Mod::None && rounding != Mod::Rounding_RN;
  if (directed && (packedHalf || !roundedName(inst.opcode)))
    return l.unsupported(inst, "this rounding mode here");
  // Integer .sat: add/sub.s32 and mad.hi.s32 saturate the final sum to the s32 range.
  bool integerSat = isSigned && FunctionLowering::bitsOf(t) == 32 &&
                    (inst.opcode == Opcode::Add || inst.opcode == Opcode::Sub ||
                     (inst.opcode == Opcode::Mad && inst.mod(ModGroup::MulMode) == Mod::MulMode_Hi));
  if (inst.has(Mod::Sat_Sat) && !integerSat && !fp)
    return l.unsupported(inst, ".sat");
  if (inst.operands.size() > (inst.opcode == Opcode::Mad || inst.opcode == Opcode::Fma ? 4u : 3u))
    return l.unsupported(inst, "a third source");

  Mod mode = inst.mod(ModGroup::MulMode);
  bool wide = mode == Mod::MulMode_Wide && !fp;
  Type resultType = wide ? wider(t) : t;
  if (resultType == Type::None)
    return l.unsupported(inst, ".wide on this type");
  // Every source, read before any IR uses it: a, b, and c (the addend, at the result type).
  llvm::SmallVector<llvm::Value *, 3> sources;
  for (size_t i = 1; i < inst.operands.size(); ++i) {
    llvm::Value *v = l.read(inst.operands[i], i == 3 ? resultType : t);
    if (!v)
      return l.unsupported(inst, "this source operand");
    sources.push_back(v);
  }
  llvm::Type *pair = nullptr;
  if (packedHalf || packedShorts) {
    pair = llvm::FixedVectorType::get(packedShorts      ? b.getInt16Ty()
                                      : t == Type::F16x2 ? b.getHalfTy()
                                                         : b.getBFloatTy(),
                                      2);
    for (llvm::Value *&v : sources)
      v = b.CreateBitCast(v, pair);
  }
  if (ftz)
    for (llvm::Value *&v : sources)
      v = l.flushSubnormal(v);
  auto src = [&](size_t i, Type) { return sources[i - 1]; };
  llvm::Value *r = nullptr;
  llvm::Value *x = src(1, t);
  if (directed) // ox.<op>.<rz|rm|rp>.<type>: one instruction with a static rounding mode
    r = l.oxCall(std::string("ox.") + roundedName(inst.opcode) + "." +
                     std::string(ptx::modInfo(rounding).spelling) + "." + std::string(ptx::typeInfo(t).spelling),
                 x->getType(), sources, false);
  else
    switch (inst.opcode) {
    case Opcode::Add:
    case Opcode::Sub: {
      llvm::Value *y = src(2, t);
      bool add = inst.opcode == Opcode::Add;
      if (fp)
        r = add ? b.CreateFAdd(x, y) : b.CreateFSub(x, y);
      else if (integerSat && inst.has(Mod::Sat_Sat))
        r = b.CreateBinaryIntrinsic(add ? llvm::Intrinsic::sadd_sat : llvm::Intrinsic::ssub_sat, x, y);
      else
        r = add ? b.CreateAdd(x, y) : b.CreateSub(x, y);
      break;
    }
    case Opcode::Mul:
    case Opcode::Mad: {
      bool mad = inst.opcode == Opcode::Mad;
      if (fp) { // mad.rn is fused on every target OxCore implements
        llvm::Value *y = src(2, t);
        r = mad ? b.CreateIntrinsic(llvm::Intrinsic::fma, {x->getType()}, {x, y, src(3, t)})
                : b.CreateFMul(x, y);
        break;
      }
      llvm::Value *y = src(2, t);
      if (wide) {
        llvm::Type *w = l.typeOf(resultType);
        llvm::Value *wx = isSigned ? b.CreateSExt(x, w) : b.CreateZExt(x, w);
        llvm::Value *wy = isSigned ? b.CreateSExt(y, w) : b.CreateZExt(y, w);
        llvm::Value *p = b.CreateMul(wx, wy);
        r = mad ? b.CreateAdd(p, src(3, resultType)) : p;
      } else {
        llvm::Value *p = mode == Mod::MulMode_Hi ? mulHigh(b, x, y, isSigned) : b.CreateMul(x, y);
        if (!mad)
          r = p;
        else if (integerSat && inst.has(Mod::Sat_Sat))
          r = b.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_sat, p, src(3, t));
        else
          r = b.CreateAdd(p, src(3, t));
      }
      break;
    }
    case Opcode::Fma:
      r = b.CreateIntrinsic(llvm::Intrinsic::fma, {x->getType()}, {x, src(2, t), src(3, t)});
      break;
    case Opcode::Div:
    case Opcode::Rem:
      if (fp) { // .approx and .full are at least as accurate as required: IEEE division
        r = b.CreateFDiv(x, src(2, t));
        if (inst.modifier(ModGroup::Approx))
          llvm::cast<llvm::Instruction>(r)->setHasApproxFunc(true);
      } else {
        r = divide(b, x, src(2, t), isSigned, inst.opcode == Opcode::Rem);
      }
      break;
    case Opcode::Abs:
      r = fp ? b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x)
             : b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, x, b.getFalse());
      break;
    case Opcode::Neg:
      r = fp ? b.CreateFNeg(x) : b.CreateNeg(x);
      break;
    case Opcode::Min:
    case Opcode::Max: {
      bool min = inst.opcode == Opcode::Min;
      llvm::Intrinsic::ID id;
      if (fp) // PTX min/max: a NaN operand yields the other (minnum; RISC-V's fmin also orders
              // -0 < +0, as PTX does); .NaN propagates NaNs (minimum)
        id = inst.modifier(ModGroup::NaN) ? (min ? llvm::Intrinsic::minimum : llvm::Intrinsic::maximum)
                                          : (min ? llvm::Intrinsic::minnum : llvm::Intrinsic::maxnum);
      else
        id = isSigned ? (min ? llvm::Intrinsic::smin : llvm::Intrinsic::smax)
                      : (min ? llvm::Intrinsic::umin : llvm::Intrinsic::umax);
      if (fp && (inst.modifier(ModGroup::XorSign) || inst.modifier(ModGroup::Abs) ||
                 inst.modifier(ModGroup::Relu)))
        return l.unsupported(inst, ".xorsign/.abs/.relu on floats");
      r = b.CreateBinaryIntrinsic(id, x, src(2, t));
      if (inst.modifier(ModGroup::Relu)) // integer .relu: negative results become 0
        r = b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, r, llvm::Constant::getNullValue(r->getType()));
      break;
    }
    default: return l.unsupported(inst, "the instruction");
    }
  if (r && ftz)
    r = l.flushSubnormal(r);
  if (r && fp && inst.has(Mod::Sat_Sat))
    r = l.saturate(r);
  if (r && pair)
    r = b.CreateBitCast(r, b.getInt32Ty());
  if (!r || !l.write(inst.operands[0], r, resultType))
    return l.unsupported(inst, "an operand");
  return true;
}

} // namespace oxptx::translate
