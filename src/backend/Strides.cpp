// Stride analysis of the warp vectorizer: per-lane integers and addresses of the form
// base + stride · lane, from %laneid and %tid.x (contiguous within a warp when ntid.x is a
// multiple of 32, checked at run time) through adds, multiplies, shifts, extensions (with a
// run-time no-wrap check), GEPs and casts. Accesses through such addresses become unit-stride
// (vle/vse) or strided (vlse/vsse) vector accesses instead of gathers and scatters.
#include "backend/Vectorizer.h"

#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/ConstantRange.h>
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
    if (stride != 0 || valid) // stride 0 with a condition: uniform whenever the condition holds
      affine_[&inst] = Affine{base, stride, valid};
  };
  if (auto *bin = llvm::dyn_cast<llvm::BinaryOperator>(&inst)) {
    auto x = form(bin->getOperand(0)), y = form(bin->getOperand(1));
    if (!x || !y)
      return;
    auto *c = llvm::dyn_cast<llvm::ConstantInt>(bin->getOperand(1));
    if (x->stride == 0 && y->stride == 0) // uniform whenever the conditions hold: any operation
      return record(b_.CreateBinOp(bin->getOpcode(), x->base, y->base), 0, both(b_, x->valid, y->valid));
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
    case llvm::Instruction::And: {
      // (b + s·l) & (2^k − 1) = (b & (2^k − 1)) + s·l when that never carries past bit k
      if (!c || x->stride <= 0 || !c->getValue().isMask())
        return;
      Value *low = b_.CreateAnd(x->base, c);
      Value *fits = b_.CreateICmpULE(b_.CreateAdd(low, llvm::ConstantInt::get(low->getType(), 31 * x->stride)), c);
      return record(low, x->stride, both(b_, x->valid, fits));
    }
    case llvm::Instruction::Xor: // ~(b + s·l) = ~b − s·l
      if (c && c->isMinusOne())
        return record(b_.CreateNot(x->base), -x->stride, x->valid);
      return;
    case llvm::Instruction::LShr: {
      if (!c || c->getZExtValue() >= 32)
        return;
      uint64_t k = c->getZExtValue();
      if (x->stride > 0 && x->stride % (int64_t(1) << k) == 0) // exact: the low bits are the base's
        return record(b_.CreateLShr(x->base, c), x->stride >> k, x->valid);
      // all lanes fall in one 2^k block: (b mod 2^k) + 31·s < 2^k (s > 0), ≥ 31·|s| (s < 0)
      Value *mask = llvm::ConstantInt::get(x->base->getType(), (uint64_t(1) << k) - 1);
      Value *low = b_.CreateAnd(x->base, mask);
      Value *span = llvm::ConstantInt::get(low->getType(), 31 * std::abs(x->stride));
      Value *fits = x->stride > 0 ? b_.CreateICmpULE(b_.CreateAdd(low, span), mask) : b_.CreateICmpUGE(low, span);
      return record(b_.CreateLShr(x->base, c), 0, both(b_, x->valid, fits));
    }
    default:
      return;
    }
  }
  if (auto *cast = llvm::dyn_cast<llvm::CastInst>(&inst)) {
    auto x = form(cast->getOperand(0));
    if (!x)
      return;
    llvm::Type *to = scalarType(cast->getType());
    if (x->stride == 0 && !to->isVectorTy() && !x->base->getType()->isVectorTy())
      return record(buildCast(const_cast<llvm::CastInst &>(*cast), x->base), 0, x->valid);
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
      Value *ok = extendsWithoutWrap(cast->getOperand(0), isSigned, x->stride) ? nullptr // by its range
                  : isSigned ? (x->stride > 0 ? b_.CreateICmpSLE(x->base, bound) : b_.CreateICmpSGE(x->base, bound))
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

/// Bounds of the special registers a range starts from (PTX limits: at most 1024 threads per
/// CTA, grids below 2^31 CTAs per dimension); nullopt for the others.
std::optional<llvm::ConstantRange> specialRegisterRange(llvm::StringRef name, unsigned bits) {
  auto range = [&](uint64_t lo, uint64_t hi) { return llvm::ConstantRange(llvm::APInt(bits, lo), llvm::APInt(bits, hi)); };
  if (bits < 32 || !name.consume_front("ox.sreg."))
    return std::nullopt;
  if (name.starts_with("tid."))
    return range(0, 1024);
  if (name.starts_with("ntid."))
    return range(1, 1025);
  if (name == "laneid" || name == "warpid")
    return range(0, 32);
  if (name == "nwarpid")
    return range(1, 33);
  if (name.starts_with("ctaid."))
    return range(0, uint64_t(1) << 31);
  if (name.starts_with("nctaid."))
    return range(1, uint64_t(1) << 31);
  return std::nullopt;
}

} // namespace

void Vectorizer::analyzeRanges() {
  if (generic_)
    return;
  llvm::DenseMap<const llvm::AllocaInst *, llvm::ConstantRange> slots;
  auto full = [](const Value *v) { return llvm::ConstantRange::getFull(v->getType()->getIntegerBitWidth()); };
  auto rangeOf = [&](const Value *v) -> llvm::ConstantRange {
    unsigned bits = v->getType()->getIntegerBitWidth();
    if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(v))
      return llvm::ConstantRange(c->getValue());
    if (auto it = ranges_.find(v); it != ranges_.end())
      return it->second;
    return llvm::isa<llvm::Instruction>(v) ? llvm::ConstantRange::getEmpty(bits) : full(v);
  };
  auto transfer = [&](const llvm::Instruction &inst) -> llvm::ConstantRange {
    unsigned bits = inst.getType()->getIntegerBitWidth();
    // a shared-memory address as an integer: an offset in the scratchpad
    if (llvm::isa<llvm::PtrToIntInst>(inst) && inst.getOperand(0)->getType()->getPointerAddressSpace() == 3 && bits >= 32)
      return llvm::ConstantRange(llvm::APInt(bits, 0), llvm::APInt(bits, uint64_t(1) << 31));
    if (auto *bin = llvm::dyn_cast<llvm::BinaryOperator>(&inst))
      return rangeOf(bin->getOperand(0)).binaryOp(bin->getOpcode(), rangeOf(bin->getOperand(1)));
    if (auto *cast = llvm::dyn_cast<llvm::CastInst>(&inst); cast && cast->getSrcTy()->isIntegerTy() &&
                                                             (llvm::isa<llvm::ZExtInst>(cast) || llvm::isa<llvm::SExtInst>(cast) ||
                                                              llvm::isa<llvm::TruncInst>(cast)))
      return rangeOf(cast->getOperand(0)).castOp(cast->getOpcode(), bits);
    if (auto *select = llvm::dyn_cast<llvm::SelectInst>(&inst))
      return rangeOf(select->getTrueValue()).unionWith(rangeOf(select->getFalseValue()));
    if (auto *phi = llvm::dyn_cast<llvm::PHINode>(&inst)) {
      auto r = llvm::ConstantRange::getEmpty(bits);
      for (const Value *in : phi->incoming_values())
        r = r.unionWith(rangeOf(in));
      return r;
    }
    if (auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst))
      if (auto *slot = llvm::dyn_cast<llvm::AllocaInst>(load->getPointerOperand()); slot && slots_.count(slot)) {
        auto zero = llvm::ConstantRange(llvm::APInt(bits, 0)); // its initial value
        auto it = slots.find(slot);
        return it == slots.end() ? zero : it->second.unionWith(zero);
      }
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(&inst); call && call->getCalledFunction())
      if (auto r = specialRegisterRange(call->getCalledFunction()->getName(), bits))
        return *r;
    return full(&inst);
  };
  // A fixed point from empty ranges; what still grows after a few rounds becomes the full range.
  llvm::ReversePostOrderTraversal<llvm::Function *> order(&src_);
  for (int round = 0, changed = 1; changed; ++round) {
    changed = 0;
    auto update = [&](llvm::ConstantRange &current, const llvm::ConstantRange &next) {
      llvm::ConstantRange joined = current.unionWith(next);
      if (joined == current)
        return;
      current = round > 8 ? llvm::ConstantRange::getFull(current.getBitWidth()) : joined;
      changed = 1;
    };
    for (llvm::BasicBlock *bb : order)
      for (llvm::Instruction &inst : *bb) {
        if (auto *store = llvm::dyn_cast<llvm::StoreInst>(&inst)) {
          auto *slot = llvm::dyn_cast<llvm::AllocaInst>(store->getPointerOperand());
          if (slot && slots_.count(slot) && store->getValueOperand()->getType()->isIntegerTy()) {
            unsigned bits = store->getValueOperand()->getType()->getIntegerBitWidth();
            update(slots.try_emplace(slot, llvm::ConstantRange::getEmpty(bits)).first->second,
                   rangeOf(store->getValueOperand()));
          }
          continue;
        }
        if (inst.getType()->isIntegerTy())
          update(ranges_.try_emplace(&inst, llvm::ConstantRange::getEmpty(inst.getType()->getIntegerBitWidth())).first->second,
                 transfer(inst));
      }
  }
}

bool Vectorizer::extendsWithoutWrap(const Value *v, bool isSigned, int64_t stride) const {
  auto it = ranges_.find(v);
  if (generic_ || it == ranges_.end() || it->second.isEmptySet())
    return false;
  // Lane values lie in [lo, hi]. A lane past a wrap would differ from lane 0's value by at least
  // 2^bits − 31·|stride|, more than hi − lo when the span below fits.
  const llvm::ConstantRange &r = it->second;
  if (isSigned ? r.isSignWrappedSet() : r.isWrappedSet())
    return false;
  unsigned bits = r.getBitWidth(), wide = bits + 8;
  llvm::APInt span = isSigned ? r.getSignedMax().sext(wide) - r.getSignedMin().sext(wide)
                              : r.getUnsignedMax().zext(wide) - r.getUnsignedMin().zext(wide);
  span += llvm::APInt(wide, uint64_t(31 * std::abs(stride)));
  return span.ult(llvm::APInt::getOneBitSet(wide, bits));
}

namespace {

/// The stride lattice of the slot analysis: unknown yet (top), a known stride, or none.
struct Stride {
  enum Kind : uint8_t { Top, Known, Bottom } kind = Top;
  int64_t value = 0;
  static Stride known(int64_t v) { return {Known, v}; }
  static Stride bottom() { return {Bottom, 0}; }
  bool operator==(const Stride &o) const { return kind == o.kind && value == o.value; }
};

Stride meet(Stride a, Stride b) {
  if (a.kind == Stride::Top)
    return b;
  if (b.kind == Stride::Top)
    return a;
  return a == b ? a : Stride::bottom();
}

} // namespace

void Vectorizer::analyzeSlotStrides() {
  if (generic_)
    return;
  const llvm::DataLayout &dl = src_.getParent()->getDataLayout();
  llvm::DenseMap<const Value *, Stride> values, slots;
  auto strideOf = [&](const Value *v) -> Stride {
    if (llvm::isa<llvm::Constant>(v) || llvm::isa<llvm::Argument>(v))
      return Stride::known(0);
    auto it = values.find(v);
    return it == values.end() ? Stride() : it->second;
  };
  auto rule = [&](const llvm::Instruction &inst) -> Stride {
    auto op = [&](unsigned k) { return strideOf(inst.getOperand(k)); };
    for (const llvm::Use &u : inst.operands())
      if (!llvm::isa<llvm::BasicBlock>(u.get()) && !llvm::isa<llvm::Function>(u.get()) &&
          strideOf(u.get()).kind == Stride::Top)
        return Stride();
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(&inst)) {
      llvm::Function *f = call->getCalledFunction();
      llvm::StringRef name = f ? f->getName() : "";
      if (name == "ox.sreg.tid.x" || name == "ox.sreg.laneid")
        return Stride::known(1);
      if (name.starts_with("ox.sreg.tid.")) // y and z: the warp's when ntid.x % 32 == 0
        return Stride::known(0);
      if (name.starts_with("ox.sreg.lanemask_"))
        return Stride::bottom();
      if (name.starts_with("ox.sreg."))
        return Stride::known(0);
    }
    if (auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
      if (auto *slot = llvm::dyn_cast<llvm::AllocaInst>(load->getPointerOperand()); slot && slots_.count(slot)) {
        if (uniformSlots_.count(slot))
          return Stride::known(0);
        auto it = slots.find(slot);
        return it == slots.end() ? Stride() : it->second;
      }
      return op(0).kind == Stride::Known && op(0).value == 0 && !load->isVolatile() ? Stride::known(0)
                                                                                    : Stride::bottom();
    }
    if (auto *bin = llvm::dyn_cast<llvm::BinaryOperator>(&inst)) {
      Stride x = op(0), y = op(1);
      if (x.kind != Stride::Known || y.kind != Stride::Known)
        return Stride::bottom();
      auto *c = llvm::dyn_cast<llvm::ConstantInt>(bin->getOperand(1));
      switch (bin->getOpcode()) {
      case llvm::Instruction::Add:
        return Stride::known(x.value + y.value);
      case llvm::Instruction::Or:
        return llvm::cast<llvm::PossiblyDisjointInst>(bin)->isDisjoint() || (x.value == 0 && y.value == 0)
                   ? Stride::known(x.value + y.value)
                   : Stride::bottom();
      case llvm::Instruction::Sub:
        return Stride::known(x.value - y.value);
      case llvm::Instruction::Mul:
        return c && c->getValue().getSignificantBits() <= 32 ? Stride::known(x.value * c->getSExtValue())
               : x.value == 0 && y.value == 0                ? Stride::known(0)
                                                              : Stride::bottom();
      case llvm::Instruction::Shl:
        return c && c->getZExtValue() < 32 ? Stride::known(x.value << c->getZExtValue())
               : x.value == 0 && y.value == 0 ? Stride::known(0)
                                              : Stride::bottom();
      case llvm::Instruction::And: // a low-bit mask keeps the stride (checked at run time)
        return x.value == 0 && y.value == 0                            ? Stride::known(0)
               : c && c->getValue().isMask() && x.value > 0 && y.value == 0 ? x
                                                                         : Stride::bottom();
      case llvm::Instruction::Xor:
        return x.value == 0 && y.value == 0 ? Stride::known(0)
               : c && c->isMinusOne()        ? Stride::known(-x.value)
                                             : Stride::bottom();
      case llvm::Instruction::LShr: {
        if (x.value == 0 && y.value == 0)
          return Stride::known(0);
        if (!c || c->getZExtValue() >= 32)
          return Stride::bottom();
        int64_t block = int64_t(1) << c->getZExtValue();
        return Stride::known(x.value > 0 && x.value % block == 0 ? x.value / block : 0);
      }
      default:
        return x.value == 0 && y.value == 0 ? Stride::known(0) : Stride::bottom();
      }
    }
    if (auto *cast = llvm::dyn_cast<llvm::CastInst>(&inst)) {
      switch (cast->getOpcode()) {
      case llvm::Instruction::SExt:
      case llvm::Instruction::ZExt:
      case llvm::Instruction::Trunc:
      case llvm::Instruction::IntToPtr:
      case llvm::Instruction::PtrToInt:
      case llvm::Instruction::AddrSpaceCast:
        return op(0);
      default:
        return op(0).kind == Stride::Known && op(0).value == 0 ? op(0) : Stride::bottom();
      }
    }
    if (auto *gep = llvm::dyn_cast<llvm::GetElementPtrInst>(&inst)) {
      Stride total = strideOf(gep->getPointerOperand());
      for (auto it = llvm::gep_type_begin(gep); it != llvm::gep_type_end(gep) && total.kind == Stride::Known; ++it) {
        Stride x = strideOf(it.getOperand());
        if (x.kind != Stride::Known || (x.value != 0 && it.isStruct()))
          return Stride::bottom();
        if (x.value != 0)
          total.value += x.value * int64_t(it.getSequentialElementStride(dl).getFixedValue());
      }
      return total;
    }
    bool allUniform = llvm::all_of(inst.operands(), [&](const llvm::Use &u) {
      Stride x = strideOf(u.get());
      return llvm::isa<llvm::BasicBlock>(u.get()) || (x.kind == Stride::Known && x.value == 0);
    });
    bool pure = !inst.mayHaveSideEffects() && !inst.mayReadFromMemory();
    return allUniform && pure && !llvm::isa<llvm::AllocaInst>(inst) ? Stride::known(0) : Stride::bottom();
  };
  llvm::ReversePostOrderTraversal<llvm::Function *> order(&src_);
  for (bool changed = true; changed;) {
    changed = false;
    for (llvm::BasicBlock *bb : order)
      for (llvm::Instruction &inst : *bb) {
        if (auto *store = llvm::dyn_cast<llvm::StoreInst>(&inst)) {
          auto *slot = llvm::dyn_cast<llvm::AllocaInst>(store->getPointerOperand());
          if (slot && slots_.count(slot) && !uniformSlots_.count(slot)) {
            Stride m = meet(slots.lookup(slot), strideOf(store->getValueOperand()));
            if (!(m == slots.lookup(slot))) {
              slots[slot] = m;
              changed = true;
            }
          }
          continue;
        }
        if (inst.getType()->isVoidTy())
          continue;
        Stride s = rule(inst);
        if (!(s == values.lookup(&inst))) {
          values[&inst] = s;
          changed = true;
        }
      }
  }
  for (llvm::Instruction &i : src_.getEntryBlock()) { // in program order: reproducible output
    auto *allocaSlot = llvm::dyn_cast<llvm::AllocaInst>(&i);
    if (!allocaSlot || !slots.count(allocaSlot))
      continue;
    Stride stride = slots.lookup(allocaSlot);
    if (stride.kind == Stride::Known && stride.value != 0 && !allocaSlot->getAllocatedType()->isVectorTy()) {
      llvm::Type *t = scalarType(allocaSlot->getAllocatedType());
      // an unblended slot's lanes all hold the last stored vector, and every lane that reads it
      // took part in that store (Prepare.h): no writer mask to keep
      bool unblended = unblendedSlots_.count(allocaSlot);
      AffineSlot a{stride.value, llvm::cast<llvm::AllocaInst>(entryAlloca(t, "affine.base")),
                   llvm::cast<llvm::AllocaInst>(entryAlloca(b_.getInt1Ty(), "affine.valid")),
                   unblended ? nullptr : llvm::cast<llvm::AllocaInst>(entryAlloca(wide(b_.getInt1Ty()), "affine.writers"))};
      b_.CreateStore(b_.getFalse(), a.valid); // b_ is still in the entry block
      b_.CreateStore(llvm::Constant::getNullValue(t), a.base);
      if (a.writers)
        b_.CreateStore(llvm::Constant::getNullValue(wide(b_.getInt1Ty())), a.writers);
      affineSlots_[allocaSlot] = a;
    }
  }
}

void Vectorizer::loadAffineSlot(const llvm::Instruction &load, const AffineSlot &slot) {
  Value *valid = b_.CreateLoad(b_.getInt1Ty(), slot.valid);
  if (slot.writers) {
    Value *writers = b_.CreateLoad(slot.writers->getAllocatedType(), slot.writers);
    Value *strangers = b_.CreateAnd(exec_, b_.CreateNot(writers));
    valid = b_.CreateAnd(valid, b_.CreateNot(any(strangers)));
  }
  affine_[&load] = Affine{b_.CreateLoad(slot.base->getAllocatedType(), slot.base), slot.stride, valid};
}

void Vectorizer::storeAffineSlot(const Value *value, const AffineSlot &slot) {
  const Affine *form = affine(value);
  bool matches = form && form->stride == slot.stride;
  b_.CreateStore(matches ? form->base : llvm::Constant::getNullValue(slot.base->getAllocatedType()), slot.base);
  b_.CreateStore(!matches ? b_.getFalse() : form->valid ? form->valid : b_.getTrue(), slot.valid);
  if (slot.writers)
    b_.CreateStore(exec_, slot.writers);
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
  if (t->isBFloatTy()) { // moved as bits (see memoryType)
    Value *bits = affineLoad(b_.getInt16Ty(), ptr, align);
    return bits ? b_.CreateBitCast(bits, wide(t)) : nullptr;
  }
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
          return b_.CreateMaskedLoad(w, form.base, align, exec_, llvm::PoisonValue::get(w));
        auto *call = b_.CreateIntrinsic(llvm::Intrinsic::experimental_vp_strided_load,
                                        {w, form.base->getType(), b_.getInt64Ty()},
                                        {form.base, b_.getInt64(form.stride), exec_, b_.getInt32(kLanes)});
        call->addParamAttr(0, llvm::Attribute::getWithAlignment(ctx_, align));
        return call;
      },
      [&] { return gather(t, vector(ptr), align); });
}

bool Vectorizer::affineStore(Value *values, llvm::Type *t, const Value *ptr, llvm::Align align) {
  if (t->isBFloatTy())
    return affineStore(b_.CreateBitCast(values, wide(b_.getInt16Ty())), b_.getInt16Ty(), ptr, align);
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
