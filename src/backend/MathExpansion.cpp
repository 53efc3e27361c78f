#include "backend/MathExpansion.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IntrinsicInst.h>

#include <cmath>

namespace oxptx::backend {
namespace {

using llvm::Value;

/// Builders for f32 scalars or vectors of f32 (constants are splats of the value's shape).
struct Math {
  llvm::IRBuilder<> &b;
  llvm::Type *f; // f32 or <N x f32>
  llvm::Type *i; // i32 or <N x i32>

  Value *c(double v) { return llvm::ConstantFP::get(f, v); }
  Value *ci(int64_t v) { return llvm::ConstantInt::get(i, uint64_t(v), true); }
  Value *fma(Value *x, Value *y, Value *z) {
    return b.CreateIntrinsic(llvm::Intrinsic::fma, {f}, {x, y, z});
  }
  Value *unary(llvm::Intrinsic::ID id, Value *x) { return b.CreateUnaryIntrinsic(id, x); }
  /// Σ coefficients[k]·x^k by Horner's rule with fused multiply-adds.
  Value *poly(Value *x, std::initializer_list<double> coefficients) {
    auto it = std::rbegin(coefficients);
    Value *r = c(*it++);
    for (; it != std::rend(coefficients); ++it)
      r = fma(r, x, c(*it));
    return r;
  }
  /// 2^n for integers n in [-126, 127] (as i32 values).
  Value *pow2(Value *n) { return b.CreateBitCast(b.CreateShl(b.CreateAdd(n, ci(127)), ci(23)), f); }

  /// 2^x: x = n + r with |r| ≤ 1/2, 2^r by its Taylor series to degree 7 (truncation < 2^-27),
  /// the scaling in two exact steps so that results in the subnormal range round once.
  Value *exp2(Value *x) {
    Value *clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::maxnum, x, c(-151.0));
    clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::minnum, clamped, c(129.0));
    // the nearest integer (ties to even): clamped is finite and far below 2^22, so adding and
    // subtracting 1.5·2^23 rounds it exactly there (two adds instead of rint's sign and range fixups)
    Value *n = b.CreateFSub(b.CreateFAdd(clamped, c(0x1.8p23)), c(0x1.8p23));
    Value *r = b.CreateFSub(clamped, n);
    Value *ni = b.CreateFPToSI(n, i);
    const double l = M_LN2;
    Value *p = poly(r, {1.0, l, l * l / 2, l * l * l / 6, std::pow(l, 4) / 24, std::pow(l, 5) / 120,
                        std::pow(l, 6) / 720, std::pow(l, 7) / 5040});
    Value *half = b.CreateAShr(ni, ci(1));
    Value *result = b.CreateFMul(b.CreateFMul(p, pow2(half)), pow2(b.CreateSub(ni, half)));
    return b.CreateSelect(b.CreateFCmpUNO(x, x), x, result);
  }

  /// log2 x: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172,
  /// by its series to s^9 (truncation < 2^-28); subnormals are scaled first.
  Value *log2(Value *x) {
    Value *tiny = b.CreateFCmpOLT(x, c(0x1p-126));
    Value *scaled = b.CreateSelect(tiny, b.CreateFMul(x, c(0x1p23)), x);
    Value *bits = b.CreateBitCast(scaled, i);
    Value *e = b.CreateSub(b.CreateLShr(bits, ci(23)), ci(127));
    e = b.CreateSub(e, b.CreateSelect(tiny, ci(23), ci(0)));
    Value *m = b.CreateBitCast(b.CreateOr(b.CreateAnd(bits, ci(0x7FFFFF)), ci(0x3F800000)), f);
    Value *big = b.CreateFCmpOGT(m, c(M_SQRT2));
    m = b.CreateSelect(big, b.CreateFMul(m, c(0.5)), m);
    e = b.CreateAdd(e, b.CreateSelect(big, ci(1), ci(0)));
    Value *s = b.CreateFDiv(b.CreateFSub(m, c(1.0)), b.CreateFAdd(m, c(1.0)));
    Value *s2 = b.CreateFMul(s, s);
    Value *series = poly(s2, {1.0, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9});
    Value *lnm = b.CreateFMul(b.CreateFMul(c(2.0), s), series);
    Value *result = fma(lnm, c(M_LOG2E), b.CreateSIToFP(e, f));
    Value *nan = llvm::ConstantFP::getNaN(f);
    result = b.CreateSelect(b.CreateFCmpOEQ(x, c(0.0)), llvm::ConstantFP::getInfinity(f, true), result);
    result = b.CreateSelect(b.CreateFCmpOEQ(x, llvm::ConstantFP::getInfinity(f)), x, result);
    return b.CreateSelect(b.CreateFCmpULT(x, c(0.0)), nan, result); // x < 0 or NaN
  }

  /// sin or cos: x − q·π/2 in three fused steps (Cody–Waite), then the quadrant's polynomial
  /// on [−π/4, π/4].
  Value *sincos(Value *x, bool cosine) {
    Value *q = unary(llvm::Intrinsic::rint, b.CreateFMul(x, c(M_2_PI)));
    Value *r = fma(b.CreateFNeg(q), c(1.5707963705062866), x);
    r = fma(b.CreateFNeg(q), c(-4.371138828673793e-08), r);
    r = fma(b.CreateFNeg(q), c(-1.7763568394002505e-15), r);
    Value *r2 = b.CreateFMul(r, r);
    Value *sinr = fma(b.CreateFMul(r, r2), poly(r2, {-1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880}), r);
    Value *cosr = poly(r2, {1.0, -0.5, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800});
    Value *k = b.CreateIntrinsic(llvm::Intrinsic::fptosi_sat, {i, f}, {q});
    if (cosine)
      k = b.CreateAdd(k, ci(1)); // cos x = sin(x + π/2)
    Value *odd = b.CreateICmpNE(b.CreateAnd(k, ci(1)), ci(0));
    Value *negate = b.CreateICmpNE(b.CreateAnd(k, ci(2)), ci(0));
    Value *v = b.CreateSelect(odd, cosr, sinr);
    return b.CreateSelect(negate, b.CreateFNeg(v), v);
  }

  /// tanh: its series near 0, else 1 − 2/(e^{2|x|} + 1), with the sign of x.
  Value *tanh(Value *x) {
    Value *a = unary(llvm::Intrinsic::fabs, x);
    Value *e = exp2(b.CreateFMul(a, c(2.0 * M_LOG2E)));
    Value *far = b.CreateFSub(c(1.0), b.CreateFDiv(c(2.0), b.CreateFAdd(e, c(1.0))));
    Value *a2 = b.CreateFMul(a, a);
    Value *near = fma(b.CreateFMul(a, a2), poly(a2, {-1.0 / 3, 2.0 / 15, -17.0 / 315}), a);
    Value *t = b.CreateSelect(b.CreateFCmpOLT(a, c(0.0625)), near, far);
    return b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, t, x);
  }
};

Value *expand(llvm::IRBuilder<> &b, llvm::Intrinsic::ID id, Value *x) {
  llvm::Type *t = x->getType();
  llvm::Type *f32 = b.getFloatTy(), *i32 = b.getInt32Ty();
  if (auto *v = llvm::dyn_cast<llvm::VectorType>(t)) {
    f32 = llvm::VectorType::get(f32, v->getElementCount());
    i32 = llvm::VectorType::get(i32, v->getElementCount());
  }
  bool narrow = !t->getScalarType()->isFloatTy();
  Value *arg = narrow ? b.CreateFPExt(x, f32) : x;
  Math m{b, f32, i32};
  Value *r = id == llvm::Intrinsic::exp2   ? m.exp2(arg)
             : id == llvm::Intrinsic::log2 ? m.log2(arg)
             : id == llvm::Intrinsic::tanh ? m.tanh(arg)
                                           : m.sincos(arg, id == llvm::Intrinsic::cos);
  return narrow ? b.CreateFPTrunc(r, t) : r;
}

/// llvm.fptrunc to bfloat (OxCore has no bf16 conversion; LLVM would call a runtime library):
/// round to nearest even on the bits of an f32; an f64 is first narrowed to f32 rounding to odd
/// (truncate, then set the last bit if inexact), so the second rounding is exact.
Value *truncateToBf16(llvm::IRBuilder<> &b, Value *x) {
  llvm::Type *t = x->getType(), *f32 = b.getFloatTy(), *i32 = b.getInt32Ty(), *i16 = b.getInt16Ty(),
             *bf16 = b.getBFloatTy();
  auto shaped = [&](llvm::Type *e) -> llvm::Type * {
    if (auto *v = llvm::dyn_cast<llvm::VectorType>(t))
      return llvm::VectorType::get(e, v->getElementCount());
    return e;
  };
  auto ci = [&](uint32_t v) { return llvm::ConstantInt::get(shaped(i32), v); };
  if (t->getScalarType()->isDoubleTy()) {
    Value *f = b.CreateFPTrunc(x, shaped(f32));
    Value *back = b.CreateFPExt(f, t);
    Value *away = b.CreateFCmpOGT(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, back),
                                  b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x));
    Value *bits = b.CreateBitCast(f, shaped(i32));
    bits = b.CreateSelect(away, b.CreateSub(bits, ci(1)), bits);
    bits = b.CreateSelect(b.CreateFCmpONE(back, x), b.CreateOr(bits, ci(1)), bits);
    x = b.CreateSelect(b.CreateFCmpUNO(x, x), f, b.CreateBitCast(bits, shaped(f32)));
  }
  Value *bits = b.CreateBitCast(x, shaped(i32));
  Value *lsb = b.CreateAnd(b.CreateLShr(bits, ci(16)), ci(1));
  Value *rounded = b.CreateLShr(b.CreateAdd(b.CreateAdd(bits, ci(0x7FFF)), lsb), ci(16));
  Value *quiet = b.CreateOr(b.CreateLShr(bits, ci(16)), ci(0x40));
  Value *r = b.CreateSelect(b.CreateFCmpUNO(x, x), quiet, rounded);
  return b.CreateBitCast(b.CreateTrunc(r, shaped(i16)), shaped(bf16));
}


/// bf16 → f32 is exact: the 16 bits on top of a zero half.
Value *extendBf16(llvm::IRBuilder<> &b, Value *x) {
  llvm::Type *t = x->getType();
  auto shaped = [&](llvm::Type *e) -> llvm::Type * {
    if (auto *v = llvm::dyn_cast<llvm::VectorType>(t))
      return llvm::VectorType::get(e, v->getElementCount());
    return e;
  };
  Value *bits = b.CreateZExt(b.CreateBitCast(x, shaped(b.getInt16Ty())), shaped(b.getInt32Ty()));
  return b.CreateBitCast(b.CreateShl(bits, llvm::ConstantInt::get(shaped(b.getInt32Ty()), 16)), shaped(b.getFloatTy()));
}

/// bf16 arithmetic, which LLVM's RISC-V target would promote with library calls: the operands
/// widened (exactly) to f32 — f64 for fused multiply-adds, whose product is then exact — the
/// operation there, one rounding back.
bool isBf16Arithmetic(const llvm::Instruction &inst) {
  if (!inst.getType()->getScalarType()->isBFloatTy())
    return false;
  if (auto *bin = llvm::dyn_cast<llvm::BinaryOperator>(&inst))
    return bin->getOpcode() != llvm::Instruction::FRem;
  auto *call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst);
  if (!call)
    return false;
  switch (call->getIntrinsicID()) {
  case llvm::Intrinsic::fma:
  case llvm::Intrinsic::fmuladd:
  case llvm::Intrinsic::minnum:
  case llvm::Intrinsic::maxnum:
  case llvm::Intrinsic::minimum:
  case llvm::Intrinsic::maximum:
  case llvm::Intrinsic::sqrt:
    return true;
  default:
    return false;
  }
}

Value *widenedBf16(llvm::IRBuilder<> &b, llvm::Instruction &inst) {
  auto *call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst);
  bool fused = call && (call->getIntrinsicID() == llvm::Intrinsic::fma || call->getIntrinsicID() == llvm::Intrinsic::fmuladd);
  llvm::Type *wideElement = fused ? b.getDoubleTy() : b.getFloatTy();
  llvm::Type *wide = wideElement;
  if (auto *v = llvm::dyn_cast<llvm::VectorType>(inst.getType()))
    wide = llvm::VectorType::get(wideElement, v->getElementCount());
  std::vector<Value *> args;
  for (unsigned i = 0; i < (call ? call->arg_size() : 2); ++i) {
    Value *f = extendBf16(b, inst.getOperand(i));
    args.push_back(fused ? b.CreateFPExt(f, wide) : f);
  }
  Value *r = call ? b.CreateIntrinsic(fused ? llvm::Intrinsic::fma : call->getIntrinsicID(), {wide}, args)
                  : b.CreateBinOp(llvm::cast<llvm::BinaryOperator>(inst).getOpcode(), args[0], args[1]);
  return truncateToBf16(b, r);
}


/// Everything else that would make LLVM's RISC-V target legalize bf16 (extensions, negation,
/// comparisons, fabs): on the bits, or in f32.
Value *rewriteBf16(llvm::IRBuilder<> &b, llvm::Instruction &inst) {
  if (auto *ext = llvm::dyn_cast<llvm::FPExtInst>(&inst)) {
    Value *f = extendBf16(b, ext->getOperand(0));
    return f->getType() == ext->getType() ? f : b.CreateFPExt(f, ext->getType());
  }
  if (auto *cmp = llvm::dyn_cast<llvm::FCmpInst>(&inst))
    return b.CreateFCmp(cmp->getPredicate(), extendBf16(b, cmp->getOperand(0)), extendBf16(b, cmp->getOperand(1)));
  llvm::Type *t = inst.getType();
  llvm::Type *bits = llvm::isa<llvm::VectorType>(t)
                         ? llvm::VectorType::get(b.getInt16Ty(), llvm::cast<llvm::VectorType>(t)->getElementCount())
                         : static_cast<llvm::Type *>(b.getInt16Ty());
  Value *x = b.CreateBitCast(inst.getOperand(0), bits);
  Value *r = llvm::isa<llvm::UnaryOperator>(inst) ? b.CreateXor(x, llvm::ConstantInt::get(bits, 0x8000)) // fneg
                                                   : b.CreateAnd(x, llvm::ConstantInt::get(bits, 0x7FFF)); // fabs
  return b.CreateBitCast(r, t);
}

bool isBf16Other(const llvm::Instruction &inst) {
  auto isBf16 = [](const llvm::Value *v) { return v->getType()->getScalarType()->isBFloatTy(); };
  if (llvm::isa<llvm::FPExtInst>(inst) || llvm::isa<llvm::FCmpInst>(inst))
    return isBf16(inst.getOperand(0));
  if (auto *un = llvm::dyn_cast<llvm::UnaryOperator>(&inst))
    return un->getOpcode() == llvm::Instruction::FNeg && isBf16(&inst);
  auto *call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst);
  return call && call->getIntrinsicID() == llvm::Intrinsic::fabs && isBf16(&inst);
}

} // namespace

void expandMath(llvm::Module &module) {
  std::vector<llvm::Instruction *> conversions;
  for (llvm::Function &f : module)
    for (llvm::Instruction &inst : llvm::instructions(f))
      if ((llvm::isa<llvm::FPTruncInst>(inst) && inst.getType()->getScalarType()->isBFloatTy()) ||
          isBf16Arithmetic(inst) || isBf16Other(inst))
        conversions.push_back(&inst);
  for (llvm::Instruction *inst : conversions) {
    llvm::IRBuilder<> b(inst);
    Value *r = llvm::isa<llvm::FPTruncInst>(inst) ? truncateToBf16(b, inst->getOperand(0))
               : isBf16Arithmetic(*inst)         ? widenedBf16(b, *inst)
                                                 : rewriteBf16(b, *inst);
    inst->replaceAllUsesWith(r);
    inst->eraseFromParent();
  }
  std::vector<llvm::IntrinsicInst *> calls;
  for (llvm::Function &f : module)
    for (llvm::BasicBlock &bb : f)
      for (llvm::Instruction &inst : bb)
        if (auto *call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst)) {
          llvm::Intrinsic::ID id = call->getIntrinsicID();
          llvm::Type *s = call->getType()->getScalarType();
          bool supportedType = s->isFloatTy() || s->isHalfTy() || s->isBFloatTy();
          if (supportedType && (id == llvm::Intrinsic::exp2 || id == llvm::Intrinsic::log2 ||
                                id == llvm::Intrinsic::sin || id == llvm::Intrinsic::cos ||
                                id == llvm::Intrinsic::tanh))
            calls.push_back(call);
        }
  for (llvm::IntrinsicInst *call : calls) {
    llvm::IRBuilder<> b(call);
    b.setFastMathFlags(call->getFastMathFlags());
    call->replaceAllUsesWith(expand(b, call->getIntrinsicID(), call->getArgOperand(0)));
    call->eraseFromParent();
  }
}

} // namespace oxptx::backend
