#include "backend/MathExpansion.h"

#include <llvm/IR/IRBuilder.h>
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
    Value *n = unary(llvm::Intrinsic::rint, clamped);
    Value *r = b.CreateFSub(clamped, n);
    const double l = M_LN2;
    Value *p = poly(r, {1.0, l, l * l / 2, l * l * l / 6, std::pow(l, 4) / 24, std::pow(l, 5) / 120,
                        std::pow(l, 6) / 720, std::pow(l, 7) / 5040});
    Value *ni = b.CreateFPToSI(n, i);
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

} // namespace

void expandMath(llvm::Module &module) {
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
