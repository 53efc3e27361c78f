// Stride analysis of the warp vectorizer: per-lane integers and addresses of the form
// base + stride · lane, from %laneid and %tid.x (contiguous within a warp when ntid.x is a
// multiple of 32, checked at run time) through adds, multiplies, shifts, extensions (with a
// run-time no-wrap check), GEPs and casts. Accesses through such addresses become unit-stride
// (vle/vse) or strided (vlse/vsse) vector accesses instead of gathers and scatters.
#include "backend/Vectorizer.h"

#include <llvm/IR/GetElementPtrTypeIterator.h>
#include <llvm/IR/Operator.h>

namespace oxptx::backend {

using llvm::Value;

const Affine *Vectorizer::affine(const Value *v) const {
  auto it = affine_.find(v);
  return it == affine_.end() ? nullptr : &it->second;
}

namespace {

Value *both(llvm::IRBuilderBase &b, Value *x, Value *y) {
  return !x ? y : !y ? x : b.CreateAnd(x, y);
}

} // namespace

void Vectorizer::trackAffine(const llvm::Instruction &inst) {
  if (generic_)
    return;
  auto form = [&](const Value *v) -> std::optional<Affine> {
    if (const Affine *a = affine(v))
      return *a;
    if (isUniform(v) && !v->getType()->isVectorTy())
      return Affine{uniform(v), 0, nullptr};
    return std::nullopt;
  };
  auto record = [&](Value *base, int64_t stride, Value *valid) {
    if (stride != 0)
      affine_[&inst] = Affine{base, stride, valid};
  };
  if (auto *bin = llvm::dyn_cast<llvm::BinaryOperator>(&inst)) {
    auto x = form(bin->getOperand(0)), y = form(bin->getOperand(1));
    if (!x || !y)
      return;
    auto *c = llvm::dyn_cast<llvm::ConstantInt>(bin->getOperand(1));
    switch (bin->getOpcode()) {
    case llvm::Instruction::Add:
      return record(b_.CreateAdd(x->base, y->base), x->stride + y->stride, both(b_, x->valid, y->valid));
    case llvm::Instruction::Or: // `or disjoint` is an add
      if (!llvm::cast<llvm::PossiblyDisjointInst>(bin)->isDisjoint())
        return;
      return record(b_.CreateOr(x->base, y->base), x->stride + y->stride, both(b_, x->valid, y->valid));
    case llvm::Instruction::Sub:
      return record(b_.CreateSub(x->base, y->base), x->stride - y->stride, both(b_, x->valid, y->valid));
    case llvm::Instruction::Mul:
      if (c && c->getValue().getSignificantBits() <= 32)
        return record(b_.CreateMul(x->base, c), x->stride * c->getSExtValue(), x->valid);
      return;
    case llvm::Instruction::Shl:
      if (c && c->getZExtValue() < 32)
        return record(b_.CreateShl(x->base, c), x->stride << c->getZExtValue(), x->valid);
      return;
    default:
      return;
    }
  }
  if (auto *cast = llvm::dyn_cast<llvm::CastInst>(&inst)) {
    auto x = form(cast->getOperand(0));
    if (!x || x->stride == 0)
      return;
    llvm::Type *to = scalarType(cast->getType());
    switch (cast->getOpcode()) {
    case llvm::Instruction::SExt:
    case llvm::Instruction::ZExt: {
      // base + stride·lane must not wrap in the narrow type over lanes 0…31
      bool isSigned = cast->getOpcode() == llvm::Instruction::SExt;
      unsigned bits = x->base->getType()->getIntegerBitWidth();
      llvm::APInt span(bits, uint64_t(std::abs(x->stride) * 31), isSigned);
      llvm::APInt limit = isSigned ? (x->stride > 0 ? llvm::APInt::getSignedMaxValue(bits) - span
                                                    : llvm::APInt::getSignedMinValue(bits) + span)
                                   : (x->stride > 0 ? llvm::APInt::getMaxValue(bits) - span : span);
      Value *bound = b_.getInt(limit);
      Value *ok = isSigned ? (x->stride > 0 ? b_.CreateICmpSLE(x->base, bound) : b_.CreateICmpSGE(x->base, bound))
                           : (x->stride > 0 ? b_.CreateICmpULE(x->base, bound) : b_.CreateICmpUGE(x->base, bound));
      return record(b_.CreateCast(cast->getOpcode(), x->base, to), x->stride, both(b_, x->valid, ok));
    }
    case llvm::Instruction::Trunc:
      return record(b_.CreateTrunc(x->base, to), x->stride, x->valid);
    case llvm::Instruction::IntToPtr:
    case llvm::Instruction::PtrToInt:
    case llvm::Instruction::AddrSpaceCast:
      return record(buildCast(const_cast<llvm::CastInst &>(*cast), x->base), x->stride, x->valid);
    default:
      return;
    }
  }
  if (auto *gep = llvm::dyn_cast<llvm::GetElementPtrInst>(&inst)) {
    auto p = form(gep->getPointerOperand());
    if (!p)
      return;
    const llvm::DataLayout &dl = src_.getParent()->getDataLayout();
    int64_t stride = p->stride;
    Value *valid = p->valid;
    std::vector<Value *> bases;
    for (auto it = llvm::gep_type_begin(gep); it != llvm::gep_type_end(gep); ++it) {
      auto x = form(it.getOperand());
      if (!x)
        return;
      if (x->stride != 0) {
        if (it.isStruct())
          return;
        stride += x->stride * int64_t(it.getSequentialElementStride(dl).getFixedValue());
        valid = both(b_, valid, x->valid);
      }
      bases.push_back(x->base);
    }
    return record(b_.CreateGEP(gep->getSourceElementType(), p->base, bases), stride, valid);
  }
}

namespace {

/// Runs `fast` where `valid` holds, else `slow` (a uniform branch); joins their results.
Value *guarded(Vectorizer &v, Value *valid, llvm::function_ref<Value *()> fast,
               llvm::function_ref<Value *()> slow) {
  if (!valid)
    return fast();
  llvm::IRBuilder<> &b = v.b_;
  llvm::Function *f = b.GetInsertBlock()->getParent();
  auto *fastBlock = llvm::BasicBlock::Create(v.ctx_, "contiguous", f);
  auto *slowBlock = llvm::BasicBlock::Create(v.ctx_, "scattered", f);
  auto *join = llvm::BasicBlock::Create(v.ctx_, "access.join", f);
  b.CreateCondBr(valid, fastBlock, slowBlock);
  b.SetInsertPoint(fastBlock);
  Value *x = fast();
  llvm::BasicBlock *fastEnd = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(slowBlock);
  Value *y = slow();
  llvm::BasicBlock *slowEnd = b.GetInsertBlock();
  b.CreateBr(join);
  b.SetInsertPoint(join);
  if (!x)
    return nullptr;
  llvm::PHINode *phi = b.CreatePHI(x->getType(), 2);
  phi->addIncoming(x, fastEnd);
  phi->addIncoming(y, slowEnd);
  return phi;
}

uint64_t storeSize(const llvm::DataLayout &dl, llvm::Type *t) { return dl.getTypeStoreSize(t).getFixedValue(); }

} // namespace

Value *Vectorizer::affineLoad(llvm::Type *t, const Value *ptr, llvm::Align align) {
  const Affine *a = affine(ptr);
  if (!a || t->isVectorTy() || t->isAggregateType())
    return nullptr;
  Affine form = *a;
  const llvm::DataLayout &dl = src_.getParent()->getDataLayout();
  llvm::Type *w = wide(t);
  return guarded(
      *this, form.valid,
      [&]() -> Value * {
        if (form.stride == int64_t(storeSize(dl, t)))
          return b_.CreateMaskedLoad(w, form.base, align, exec_, llvm::Constant::getNullValue(w));
        auto *call = b_.CreateIntrinsic(llvm::Intrinsic::experimental_vp_strided_load,
                                        {w, form.base->getType(), b_.getInt64Ty()},
                                        {form.base, b_.getInt64(form.stride), exec_, b_.getInt32(kLanes)});
        call->addParamAttr(0, llvm::Attribute::getWithAlignment(ctx_, align));
        return call;
      },
      [&] { return gather(t, vector(ptr), align); });
}

bool Vectorizer::affineStore(Value *values, llvm::Type *t, const Value *ptr, llvm::Align align) {
  const Affine *a = affine(ptr);
  if (!a || t->isVectorTy() || t->isAggregateType())
    return false;
  Affine form = *a;
  const llvm::DataLayout &dl = src_.getParent()->getDataLayout();
  guarded(
      *this, form.valid,
      [&]() -> Value * {
        if (form.stride == int64_t(storeSize(dl, t))) {
          b_.CreateMaskedStore(values, form.base, align, exec_);
        } else {
          auto *call = b_.CreateIntrinsic(llvm::Intrinsic::experimental_vp_strided_store,
                                          {values->getType(), form.base->getType(), b_.getInt64Ty()},
                                          {values, form.base, b_.getInt64(form.stride), exec_, b_.getInt32(kLanes)});
          call->addParamAttr(1, llvm::Attribute::getWithAlignment(ctx_, align));
        }
        return nullptr;
      },
      [&]() -> Value * {
        scatter(values, t, vector(ptr), align);
        return nullptr;
      });
  return true;
}

} // namespace oxptx::backend
