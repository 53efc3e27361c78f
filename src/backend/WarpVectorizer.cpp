#include "backend/Vectorizer.h"
#include "backend/Xox.h"

#include <llvm/IR/InstIterator.h>

#include <llvm/ADT/PostOrderIterator.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/VectorUtils.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/PatternMatch.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

namespace oxptx::backend {

using llvm::Value;

Vectorizer::Vectorizer(llvm::Function &function, llvm::Function *warp, const PreparedKernel &prepared,
                       const MemoryLayout &layout, const BackendOptions &options, KernelInfo &info)
    : src_(function), dst_(warp), kernel_(!warp), name_(function.getName().str()),
      ctx_(function.getContext()), b_(function.getContext()),
      slots_(prepared.slots), uniformSlots_(prepared.uniformSlots),
      unblendedSlots_(prepared.unblendedSlots), layout_(layout),
      generic_(options.genericSimt), info_(info), dom_(function) {}

// ---------------------------------------------------------------------------------------------
// Types and values

static llvm::Type *scalarOf(llvm::Type *t) {
  return t->isPointerTy() ? llvm::PointerType::get(t->getContext(), 0) : t;
}

static llvm::Type *wideOf(llvm::Type *t) {
  if (auto *s = llvm::dyn_cast<llvm::StructType>(t)) {
    std::vector<llvm::Type *> fields;
    for (llvm::Type *f : s->elements())
      fields.push_back(wideOf(f));
    return llvm::StructType::get(t->getContext(), fields, s->isPacked());
  }
  if (auto *a = llvm::dyn_cast<llvm::ArrayType>(t))
    return llvm::ArrayType::get(wideOf(a->getElementType()), a->getNumElements());
  if (auto *v = llvm::dyn_cast<llvm::FixedVectorType>(t))
    return llvm::FixedVectorType::get(scalarOf(v->getElementType()), kLanes * v->getNumElements());
  return llvm::FixedVectorType::get(scalarOf(t), kLanes);
}

llvm::Type *Vectorizer::scalarType(llvm::Type *t) { return scalarOf(t); }

llvm::Type *Vectorizer::wide(llvm::Type *t) { return wideOf(t); }

static llvm::FunctionType *kernelType(llvm::LLVMContext &ctx) {
  llvm::Type *ptr = llvm::PointerType::get(ctx, 0), *i64 = llvm::Type::getInt64Ty(ctx);
  // a0..a6 of the kernel ABI: params, shared, dynamic shared, local, local stride, warp id, valid
  return llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr, ptr, ptr, i64, i64, i64}, false);
}

llvm::FunctionType *warpFunctionType(llvm::FunctionType *perThread) {
  llvm::LLVMContext &ctx = perThread->getContext();
  std::vector<llvm::Type *> params(kernelType(ctx)->param_begin(), kernelType(ctx)->param_end());
  params.push_back(llvm::FixedVectorType::get(llvm::Type::getInt1Ty(ctx), kLanes)); // lanes
  params.push_back(llvm::Type::getInt64Ty(ctx));                                    // frame
  params.push_back(llvm::Type::getInt64Ty(ctx));                                    // stack end
  for (llvm::Type *t : perThread->params())
    params.push_back(wideOf(t));
  llvm::Type *result = perThread->getReturnType();
  return llvm::FunctionType::get(result->isVoidTy() ? result : wideOf(result), params, false);
}

bool isDynamicShared(const llvm::GlobalVariable &g) {
  return g.isDeclaration() && (!g.getValueType()->isSized() ||
                               g.getParent()->getDataLayout().getTypeAllocSize(g.getValueType()) == 0);
}

bool Vectorizer::isUniform(const Value *v) const {
  if (llvm::isa<llvm::Constant>(v) || (kernel_ && llvm::isa<llvm::Argument>(v)))
    return true;
  return uniform_.count(v);
}

Value *Vectorizer::uniform(const Value *v) {
  if (auto it = uniform_.find(v); it != uniform_.end())
    return it->second;
  if (const auto *g = llvm::dyn_cast<llvm::GlobalVariable>(v)) {
    if (!kernel_ && isDynamicShared(*g)) // its offset depends on the calling kernel
      return dynShared_;
    if (auto it = layout_.sharedOffsets.find(g); it != layout_.sharedOffsets.end())
      return llvm::ConstantExpr::getIntToPtr(b_.getInt64(xox::kSharedBase + it->second),
                                             b_.getPtrTy());
    if (auto it = layout_.data.find(g); it != layout_.data.end())
      return it->second;
    return const_cast<Value *>(v);
  }
  if (const auto *c = llvm::dyn_cast<llvm::Constant>(v)) {
    if (c->getType()->isPointerTy() && c->getType()->getPointerAddressSpace() != 0) {
      if (c->isNullValue())
        return llvm::ConstantPointerNull::get(b_.getPtrTy());
      if (llvm::isa<llvm::UndefValue>(c))
        return llvm::PoisonValue::get(b_.getPtrTy());
    }
    return const_cast<Value *>(v);
  }
  // a kernel's only argument: the parameter buffer
  assert(kernel_ && llvm::isa<llvm::Argument>(v) && "uniform() of a varying or not yet built value");
  return dst_->getArg(0);
}

Value *Vectorizer::splat(Value *scalar) {
  if (auto *v = llvm::dyn_cast<llvm::FixedVectorType>(scalar->getType())) {
    // a per-thread vector <N x T> repeated in every lane: lane-major <32·N x T>
    llvm::SmallVector<int, 128> mask;
    for (unsigned l = 0; l < kLanes; ++l)
      for (unsigned k = 0; k < v->getNumElements(); ++k)
        mask.push_back(int(k));
    return b_.CreateShuffleVector(scalar, mask);
  }
  if (scalar->getType()->isStructTy() || scalar->getType()->isArrayTy()) {
    Value *result = llvm::PoisonValue::get(wide(scalar->getType()));
    unsigned n = scalar->getType()->isStructTy() ? scalar->getType()->getStructNumElements()
                                                  : scalar->getType()->getArrayNumElements();
    for (unsigned i = 0; i < n; ++i)
      result = b_.CreateInsertValue(result, splat(b_.CreateExtractValue(scalar, i)), i);
    return result;
  }
  if (scalar->getType()->isIntegerTy(1)) // a mask of 32 equal bits: one scalar move
    return bitsMask(b_.CreateSExt(scalar, b_.getInt32Ty()));
  return b_.CreateVectorSplat(kLanes, scalar);
}

Value *Vectorizer::vector(const Value *v) {
  if (auto it = varying_.find(v); it != varying_.end())
    return it->second;
  if (auto *c = llvm::dyn_cast<llvm::Constant>(v); c && !llvm::isa<llvm::GlobalValue>(c) &&
                                                     !c->getType()->isPointerTy()) {
    if (c->isNullValue())
      return llvm::Constant::getNullValue(wide(c->getType()));
    if (llvm::isa<llvm::PoisonValue>(c))
      return llvm::PoisonValue::get(wide(c->getType()));
    if (!c->getType()->isVectorTy() && !c->getType()->isAggregateType())
      return llvm::ConstantVector::getSplat(llvm::ElementCount::getFixed(kLanes),
                                            const_cast<llvm::Constant *>(c));
  }
  return splat(uniform(v));
}

Value *Vectorizer::extractLane(Value *wideValue, llvm::Type *t, Value *lane) {
  if (t->isStructTy() || t->isArrayTy()) {
    Value *result = llvm::PoisonValue::get(scalarType(t));
    unsigned n = t->isStructTy() ? t->getStructNumElements() : t->getArrayNumElements();
    for (unsigned i = 0; i < n; ++i) {
      llvm::Type *field = t->isStructTy() ? t->getStructElementType(i) : t->getArrayElementType();
      result = b_.CreateInsertValue(
          result, extractLane(b_.CreateExtractValue(wideValue, i), field, lane), i);
    }
    return result;
  }
  if (auto *v = llvm::dyn_cast<llvm::FixedVectorType>(t)) {
    unsigned n = v->getNumElements();
    Value *result = llvm::PoisonValue::get(scalarType(t));
    for (unsigned k = 0; k < n; ++k) {
      Value *index = b_.CreateAdd(b_.CreateMul(lane, b_.getInt32(n)), b_.getInt32(k));
      result = b_.CreateInsertElement(result, b_.CreateExtractElement(wideValue, index), k);
    }
    return result;
  }
  if (t->isBFloatTy()) // element moves of bf16 as bits (no bf16 element type in OxCore's V)
    return b_.CreateBitCast(b_.CreateExtractElement(b_.CreateBitCast(wideValue, wide(b_.getInt16Ty())), lane), t);
  return b_.CreateExtractElement(wideValue, lane);
}

Value *Vectorizer::insertLane(Value *wideValue, llvm::Type *t, Value *scalar, Value *lane) {
  if (t->isStructTy() || t->isArrayTy()) {
    unsigned n = t->isStructTy() ? t->getStructNumElements() : t->getArrayNumElements();
    for (unsigned i = 0; i < n; ++i) {
      llvm::Type *field = t->isStructTy() ? t->getStructElementType(i) : t->getArrayElementType();
      Value *updated = insertLane(b_.CreateExtractValue(wideValue, i), field,
                                  b_.CreateExtractValue(scalar, i), lane);
      wideValue = b_.CreateInsertValue(wideValue, updated, i);
    }
    return wideValue;
  }
  if (auto *v = llvm::dyn_cast<llvm::FixedVectorType>(t)) {
    unsigned n = v->getNumElements();
    for (unsigned k = 0; k < n; ++k) {
      Value *index = b_.CreateAdd(b_.CreateMul(lane, b_.getInt32(n)), b_.getInt32(k));
      wideValue = b_.CreateInsertElement(wideValue, b_.CreateExtractElement(scalar, k), index);
    }
    return wideValue;
  }
  if (t->isBFloatTy())
    return b_.CreateBitCast(b_.CreateInsertElement(b_.CreateBitCast(wideValue, wide(b_.getInt16Ty())),
                                                   b_.CreateBitCast(scalar, b_.getInt16Ty()), lane),
                            wide(t));
  return b_.CreateInsertElement(wideValue, scalar, lane);
}

Value *Vectorizer::blend(Value *mask, Value *taken, Value *kept) {
  llvm::Type *t = taken->getType();
  if (t->isStructTy() || t->isArrayTy()) {
    unsigned n = t->isStructTy() ? t->getStructNumElements() : t->getArrayNumElements();
    for (unsigned i = 0; i < n; ++i)
      kept = b_.CreateInsertValue(
          kept, blend(mask, b_.CreateExtractValue(taken, i), b_.CreateExtractValue(kept, i)), i);
    return kept;
  }
  unsigned n = llvm::cast<llvm::FixedVectorType>(t)->getNumElements() / kLanes;
  if (n > 1) { // lane-major <32·N x T>: lane l's N elements follow its mask bit
    llvm::SmallVector<int, 128> spread;
    for (unsigned l = 0; l < kLanes; ++l)
      for (unsigned k = 0; k < n; ++k)
        spread.push_back(int(l));
    mask = b_.CreateShuffleVector(mask, spread);
  }
  return b_.CreateSelect(mask, taken, kept);
}

/// Per-thread vectors of up to 64 bits (<2 x half>, <4 x i8>, ...) move as one integer per
/// lane; bitcasting the <32 x iN> result gives the lane-major <32·k x T> layout directly.
static llvm::Type *memoryType(llvm::Type *t) {
  if (t->isBFloatTy()) // no vector bf16 type in OxCore's V configuration: move the bits
    return llvm::IntegerType::get(t->getContext(), 16);
  if (!t->isVectorTy())
    return t->isAggregateType() ? nullptr : t;
  unsigned bits = unsigned(t->getPrimitiveSizeInBits().getFixedValue());
  return bits == 16 || bits == 32 || bits == 64 ? llvm::IntegerType::get(t->getContext(), bits) : nullptr;
}

Value *Vectorizer::gather(llvm::Type *t, Value *ptrs, llvm::Align align) {
  llvm::Type *m = memoryType(t);
  if (!m)
    return nullptr;
  // lanes outside the exec mask are never read: their values are left undefined (no register copy)
  Value *v = b_.CreateMaskedGather(wide(m), ptrs, align, exec_, llvm::PoisonValue::get(wide(m)));
  return m == t ? v : b_.CreateBitCast(v, wide(t));
}

bool Vectorizer::scatter(Value *values, llvm::Type *t, Value *ptrs, llvm::Align align) {
  llvm::Type *m = memoryType(t);
  if (!m)
    return false;
  b_.CreateMaskedScatter(m == t ? values : b_.CreateBitCast(values, wide(m)), ptrs, align, exec_);
  return true;
}

Value *Vectorizer::any(Value *mask) { return b_.CreateOrReduce(mask); }

Value *Vectorizer::maskBits(Value *mask) { return b_.CreateBitCast(mask, b_.getInt32Ty()); }

Value *Vectorizer::bitsMask(Value *bits) {
  return b_.CreateBitCast(b_.CreateZExtOrTrunc(bits, b_.getInt32Ty()),
                          llvm::FixedVectorType::get(b_.getInt1Ty(), kLanes));
}

Value *Vectorizer::firstLane(const Value *v, Value *mask) {
  if (isUniform(v))
    return uniform(v);
  Value *lane = b_.CreateIntrinsic(llvm::Intrinsic::cttz, {b_.getInt32Ty()},
                                   {maskBits(mask), b_.getTrue()});
  return extractLane(vector(v), v->getType(), b_.CreateAnd(lane, b_.getInt32(kLanes - 1)));
}

Value *Vectorizer::entryAlloca(llvm::Type *t, const llvm::Twine &name) {
  llvm::IRBuilder<> eb(entry_, entry_->getFirstInsertionPt());
  return eb.CreateAlloca(t, nullptr, name);
}

void Vectorizer::forEachLane(Value *mask, llvm::function_ref<void(Value *lane)> body) {
  llvm::BasicBlock *before = b_.GetInsertBlock();
  auto *head = llvm::BasicBlock::Create(ctx_, "lane.head", dst_);
  auto *work = llvm::BasicBlock::Create(ctx_, "lane.body", dst_);
  auto *next = llvm::BasicBlock::Create(ctx_, "lane.next", dst_);
  auto *done = llvm::BasicBlock::Create(ctx_, "lane.done", dst_);
  b_.CreateBr(head);
  b_.SetInsertPoint(head);
  llvm::PHINode *lane = b_.CreatePHI(b_.getInt32Ty(), 2, "lane");
  lane->addIncoming(b_.getInt32(0), before);
  b_.CreateCondBr(b_.CreateExtractElement(mask, lane), work, next);
  b_.SetInsertPoint(work);
  body(lane);
  b_.CreateBr(next);
  b_.SetInsertPoint(next);
  Value *following = b_.CreateAdd(lane, b_.getInt32(1));
  lane->addIncoming(following, next);
  b_.CreateCondBr(b_.CreateICmpULT(following, b_.getInt32(kLanes)), head, done);
  b_.SetInsertPoint(done);
}

Value *Vectorizer::perLane(llvm::Type *t, Value *mask, llvm::function_ref<Value *(Value *lane)> body) {
  Value *slot = t->isVoidTy() ? nullptr : entryAlloca(wide(t), "lanes");
  if (slot)
    b_.CreateStore(llvm::Constant::getNullValue(wide(t)), slot);
  forEachLane(mask, [&](Value *lane) {
    Value *r = body(lane);
    if (slot)
      b_.CreateStore(insertLane(b_.CreateLoad(wide(t), slot), t, r, lane), slot);
  });
  return slot ? b_.CreateLoad(wide(t), slot) : nullptr;
}

Value *Vectorizer::laneOperand(const Value *v, Value *lane) {
  return isUniform(v) ? uniform(v) : extractLane(vector(v), v->getType(), lane);
}

Value *Vectorizer::scalarize(llvm::Instruction &inst, Value *mask) {
  return perLane(inst.getType(), mask, [&](Value *lane) -> Value * {
    llvm::Instruction *copy = inst.clone();
    for (unsigned i = 0; i < inst.getNumOperands(); ++i) {
      const Value *op = inst.getOperand(i);
      if (llvm::isa<llvm::Function>(op) || llvm::isa<llvm::BasicBlock>(op) ||
          llvm::isa<llvm::MetadataAsValue>(op) || llvm::isa<llvm::InlineAsm>(op))
        continue;
      copy->setOperand(i, laneOperand(op, lane));
    }
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(copy); call && call->getCalledFunction() &&
                                                           call->getCalledFunction()->isIntrinsic()) {
      llvm::SmallVector<llvm::Type *, 4> overloads;
      llvm::Intrinsic::getIntrinsicSignature(call->getCalledFunction(), overloads);
      for (llvm::Type *&o : overloads)
        o = scalarType(o);
      call->setCalledFunction(llvm::Intrinsic::getDeclaration(
          dst_->getParent(), call->getCalledFunction()->getIntrinsicID(), overloads));
    }
    return b_.Insert(copy);
  });
}

llvm::Error Vectorizer::fail(const llvm::Instruction &inst, const llvm::Twine &why) {
  std::string text;
  llvm::raw_string_ostream os(text);
  inst.print(os);
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "unsupported: " + why + (kernel_ ? " in kernel " : " in device function ") +
                                     name_ +
                                     " (instruction:" + text + ")");
}

// ---------------------------------------------------------------------------------------------
// The per-warp function

void Vectorizer::layoutFrame() {
  // PTX .local data (the translator's allocas that are not demotion slots): one frame per lane,
  // at the same offsets in every lane's LOCAL space (docs/oxcore-isa.md §4.3).
  const llvm::DataLayout &dl = src_.getParent()->getDataLayout();
  uint64_t offset = 0;
  for (llvm::Instruction &i : src_.getEntryBlock()) {
    auto *a = llvm::dyn_cast<llvm::AllocaInst>(&i);
    if (!a || slots_.count(a) || !a->isStaticAlloca())
      continue;
    uint64_t align = a->getAlign().value();
    offset = (offset + align - 1) / align * align;
    varying_[a] = b_.CreateGEP(b_.getInt8Ty(), localLanes_, b_.CreateAdd(frame_, b_.getInt64(offset)),
                               a->getName());
    offset += *a->getAllocationSize(dl);
  }
  info_.localBytesPerLane = uint32_t((offset + 15) / 16 * 16);
  frameEnd_ = b_.CreateAdd(frame_, b_.getInt64(info_.localBytesPerLane), "frame.end");
}

llvm::Error Vectorizer::run() {
  llvm::Type *i64 = b_.getInt64Ty();
  if (kernel_) {
    src_.setName(name_ + ".thread");
    dst_ = llvm::Function::Create(kernelType(ctx_), llvm::GlobalValue::ExternalLinkage, name_,
                                  src_.getParent());
    dst_->addFnAttr("ox-kernel");
    if (src_.hasFnAttribute("ox-param-bytes"))
      dst_->addFnAttr(src_.getFnAttribute("ox-param-bytes"));
  }
  dst_->addFnAttr(llvm::Attribute::NoUnwind);
  const char *argNames[] = {"params", "shared", "dynshared", "local", "local.stride", "warp", "valid",
                            "lanes", "frame", "stack.end"};
  for (unsigned i = 0; i < dst_->arg_size() && i < kWarpFunctionArgs; ++i)
    dst_->getArg(i)->setName(argNames[i]);
  if (!kernel_) // the parameters: per lane
    for (llvm::Argument &a : src_.args()) {
      varying_[&a] = dst_->getArg(kWarpFunctionArgs + a.getArgNo());
      varying_[&a]->setName(a.getName());
    }

  entry_ = llvm::BasicBlock::Create(ctx_, "warp.entry", dst_);
  b_.SetInsertPoint(entry_);
  llvm::SmallVector<llvm::Constant *, kLanes> ids;
  for (unsigned l = 0; l < kLanes; ++l)
    ids.push_back(b_.getInt32(l));
  laneIds_ = llvm::ConstantVector::get(ids);
  Value *strides = b_.CreateMul(b_.CreateZExt(laneIds_, wide(i64)), splat(dst_->getArg(4)));
  localLanes_ = b_.CreateGEP(b_.getInt8Ty(), dst_->getArg(3), strides, "local.lanes");
  validMask_ = bitsMask(dst_->getArg(6));
  warpId_ = b_.CreateTrunc(dst_->getArg(5), b_.getInt32Ty(), "warpid");
  dynShared_ = dst_->getArg(2);
  frame_ = kernel_ ? static_cast<Value *>(b_.getInt64(0)) : dst_->getArg(kFrameArg);
  layoutFrame();
  // a kernel's call stack ends where the launch's LOCAL space ends (its size is the launch's choice)
  stackEnd_ = kernel_ ? xox::readCsr(b_, xox::kLocalSize) : dst_->getArg(kStackEndArg);

  auto *maskType = llvm::FixedVectorType::get(b_.getInt1Ty(), kLanes);
  for (const llvm::BasicBlock &bb : src_) {
    pending_[&bb] = llvm::cast<llvm::AllocaInst>(entryAlloca(maskType, bb.getName() + ".pending"));
    Value *first = kernel_ ? validMask_ : dst_->getArg(kLanesArg);
    b_.CreateStore(&bb == &src_.getEntryBlock() ? first : llvm::Constant::getNullValue(maskType),
                   pending_[&bb]);
  }
  for (llvm::Instruction &i : src_.getEntryBlock()) { // in program order: reproducible output
    auto *slot = llvm::dyn_cast<llvm::AllocaInst>(&i);
    if (!slot || !slots_.count(slot))
      continue;
    llvm::Type *t = slot->getAllocatedType();
    auto *v = llvm::cast<llvm::AllocaInst>(
        entryAlloca(uniformSlots_.count(slot) ? scalarType(t) : wide(t), slot->getName()));
    b_.CreateStore(llvm::Constant::getNullValue(v->getAllocatedType()), v);
    vectorSlots_[slot] = v;
  }
  analyzeSlotStrides();
  analyzeRanges();
  planLoopExits();

  // Two versions of the body when the kernel reads %tid: one for CTAs whose ntid.x is a multiple
  // of 32 (tid.x contiguous in a warp, tid.y and tid.z the warp's: unit-stride accesses without
  // run-time checks), one for the others; the warp picks at entry.
  bool readsTid = kernel_ && !generic_ && llvm::any_of(llvm::instructions(src_), [](const llvm::Instruction &i) {
    auto *call = llvm::dyn_cast<llvm::CallInst>(&i);
    return call && call->getCalledFunction() && call->getCalledFunction()->getName().starts_with("ox.sreg.tid.");
  });
  llvm::IRBuilder<> entryEnd(entry_);
  Value *x = entryEnd.CreateTrunc(xox::readCsr(entryEnd, xox::kNtidX), b_.getInt32Ty());
  Value *alignedAtRunTime = entryEnd.CreateICmpEQ(entryEnd.CreateAnd(x, 31), entryEnd.getInt32(0), "ntid.x.aligned");
  Value *validAtEntry = validMask_;
  auto uniformAtEntry = uniform_;
  auto varyingAtEntry = varying_;
  auto affineAtEntry = affine_;
  std::vector<llvm::BasicBlock *> bodies;
  for (bool aligned : readsTid ? std::vector<bool>{true, false} : std::vector<bool>{false}) {
    aligned_ = aligned;
    // ntid.x % 32 == 0: the CTA's thread count is a multiple of 32, so every warp is full and
    // masks that start from the valid lanes are constants until control flow diverges
    validMask_ = aligned ? llvm::Constant::getAllOnesValue(maskType) : validAtEntry;
    uniform_ = uniformAtEntry;
    varying_ = varyingAtEntry;
    affine_ = affineAtEntry;
    blocks_.clear();
    for (const llvm::BasicBlock &bb : src_)
      blocks_[&bb] = llvm::BasicBlock::Create(ctx_, bb.getName(), dst_);
    bodies.push_back(blocks_[&src_.getEntryBlock()]);
    // dominators first: a value is built before the blocks it dominates use it
    for (llvm::BasicBlock *bb : llvm::ReversePostOrderTraversal<llvm::Function *>(&src_))
      if (llvm::Error e = emitBlock(*bb)) {
        if (kernel_) {
          dst_->eraseFromParent();
          src_.setName(name_);
        } else {
          dst_->deleteBody();
        }
        return e;
      }
  }
  entryEnd.SetInsertPoint(entry_);
  if (!kernel_ && info_.localBytesPerLane) { // a frame past the call stack's end: overflow
    auto *overflow = llvm::BasicBlock::Create(ctx_, "stack.overflow", dst_);
    auto *fits = llvm::BasicBlock::Create(ctx_, "stack.fits", dst_);
    entryEnd.CreateCondBr(entryEnd.CreateICmpUGT(frameEnd_, stackEnd_), overflow, fits);
    entryEnd.SetInsertPoint(overflow);
    xox::trapAndReturn(entryEnd, xox::kTrapStackOverflow);
    entryEnd.SetInsertPoint(fits);
  }
  if (bodies.size() == 2)
    entryEnd.CreateCondBr(alignedAtRunTime, bodies[0], bodies[1]);
  else
    entryEnd.CreateBr(bodies[0]);
  if (kernel_) {
    info_.stackBytes = callsFunctions_ ? kCallingKernelStackBytes : kKernelStackBytes;
    info_.callStack = callsFunctions_;
    src_.replaceAllUsesWith(llvm::PoisonValue::get(src_.getType()));
    src_.eraseFromParent();
  }
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyFunction(*dst_, &os))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "internal error: the per-warp code of " +
                                       llvm::Twine(kernel_ ? "kernel " : "device function ") + name_ +
                                       " does not verify: " + problems);
  return llvm::Error::success();
}

llvm::Error Vectorizer::emitBlock(const llvm::BasicBlock &bb) {
  b_.SetInsertPoint(blocks_[&bb]);
  auto *maskType = pending_[&bb]->getAllocatedType();
  exec_ = kernel_ && &bb == &src_.getEntryBlock() ? validMask_
                                                  : b_.CreateLoad(maskType, pending_[&bb], bb.getName() + ".exec");
  b_.CreateStore(llvm::Constant::getNullValue(maskType), pending_[&bb]);
  for (const llvm::Instruction &i : bb) {
    if (i.isTerminator())
      return emitTerminator(i);
    if (llvm::Error e = emitInstruction(const_cast<llvm::Instruction &>(i)))
      return e;
  }
  return llvm::Error::success();
}

void Vectorizer::planLoopExits() {
  llvm::LoopInfo loops(dom_);
  for (llvm::Loop *loop : loops.getLoopsInPreorder()) {
    const llvm::BasicBlock *exit = loop->getUniqueExitBlock();
    if (!exit)
      continue;
    // The exit must never be the side a divergent branch in the loop runs first: that test reads
    // the exit's pending lanes, which now hold the loop's lanes before they leave.
    llvm::SmallVector<std::pair<llvm::BasicBlock *, llvm::BasicBlock *>, 4> exiting;
    loop->getExitEdges(exiting);
    bool exitRunsFirst = llvm::any_of(exiting, [&](const auto &edge) {
      auto *br = llvm::dyn_cast<llvm::BranchInst>(edge.first->getTerminator());
      return br && br->isConditional() &&
             (dom_.dominates(br->getSuccessor(1), edge.first) ? br->getSuccessor(1) : br->getSuccessor(0)) == exit;
    });
    if (exitRunsFirst)
      continue;
    for (const auto &[from, to] : exiting)
      leavingEdges_.insert({from, to});
    for (const llvm::BasicBlock *pred : llvm::predecessors(loop->getHeader()))
      if (!loop->contains(pred))
        enteringEdges_[{pred, loop->getHeader()}] = exit;
  }
}

void Vectorizer::addPending(const llvm::BasicBlock *from, const llvm::BasicBlock *target, Value *lanes) {
  auto add = [&](const llvm::BasicBlock *block) {
    llvm::AllocaInst *slot = pending_[block];
    b_.CreateStore(b_.CreateOr(b_.CreateLoad(slot->getAllocatedType(), slot), lanes), slot);
  };
  if (!leavingEdges_.count({from, target})) // else counted when they entered
    add(target);
  // (an edge can leave one loop and enter the next)
  if (const llvm::BasicBlock *exit = enteringEdges_.lookup({from, target}))
    add(exit);
}

llvm::Error Vectorizer::emitTerminator(const llvm::Instruction &term) {
  if (auto *ret = llvm::dyn_cast<llvm::ReturnInst>(&term)) {
    if (ret->getReturnValue())
      b_.CreateRet(vector(ret->getReturnValue()));
    else
      b_.CreateRetVoid();
    return llvm::Error::success();
  }
  if (llvm::isa<llvm::UnreachableInst>(term)) { // lanes got here: report it (trap code 1, §3.2)
    xox::trapAndReturn(b_, xox::kTrapUnreachable);
    return llvm::Error::success();
  }
  const auto *br = llvm::dyn_cast<llvm::BranchInst>(&term);
  if (!br)
    return fail(term, "terminator");
  if (br->isUnconditional()) {
    addPending(br->getParent(), br->getSuccessor(0), exec_);
    b_.CreateBr(blocks_[br->getSuccessor(0)]);
    return llvm::Error::success();
  }
  Value *none = llvm::Constant::getNullValue(exec_->getType());
  const llvm::BasicBlock *taken = br->getSuccessor(0), *other = br->getSuccessor(1);
  if (!generic_ && isUniform(br->getCondition())) { // all lanes go the same way: a scalar branch
    Value *c = b_.CreateFreeze(uniform(br->getCondition()));
    addPending(br->getParent(), taken, b_.CreateSelect(c, exec_, none));
    addPending(br->getParent(), other, b_.CreateSelect(c, none, exec_));
    b_.CreateCondBr(c, blocks_[taken], blocks_[other]);
    return llvm::Error::success();
  }
  auto divergent = [&](Value *c) {
    // The structured CFG runs the true side first (it flows into the false side), except that a
    // loop's back edge is taken while any lane continues.
    const llvm::BasicBlock *parent = br->getParent(), *first = taken, *second = other;
    Value *toFirst = b_.CreateSelect(exec_, c, none), *toSecond = b_.CreateSelect(exec_, b_.CreateNot(c), none);
    if (dom_.dominates(other, parent)) {
      std::swap(first, second);
      std::swap(toFirst, toSecond);
    }
    addPending(parent, first, toFirst);
    llvm::AllocaInst *pending = pending_[first];
    auto *entered = llvm::BasicBlock::Create(ctx_, first->getName() + ".entered", dst_);
    auto *skipped = llvm::BasicBlock::Create(ctx_, first->getName() + ".skipped", dst_);
    b_.CreateCondBr(any(b_.CreateLoad(pending->getAllocatedType(), pending)), entered, skipped);
    b_.SetInsertPoint(entered);
    addPending(parent, second, toSecond);
    b_.CreateBr(blocks_[first]);
    // No lane waits there, so every lane goes the other way: saying so with constants and the
    // whole exec mask lets later mask updates fold (LLVM does not infer it from the test).
    b_.SetInsertPoint(skipped);
    b_.CreateStore(none, pending);
    addPending(parent, second, exec_);
    b_.CreateBr(blocks_[second]);
  };
  // `u && v` or `u || v` (or their negation) with u warp-uniform, as in a loop's `i < n && per-lane
  // test`: a scalar branch on u decides for every lane at once where it can, and only v is per lane.
  if (SplitCondition split; !generic_ && splitCondition(br->getCondition(), split)) {
    auto *perLane = llvm::BasicBlock::Create(ctx_, br->getParent()->getName() + ".lanes", dst_);
    auto *allLanes = llvm::BasicBlock::Create(ctx_, br->getParent()->getName() + ".all", dst_);
    Value *u = b_.CreateFreeze(uniform(split.u));
    b_.CreateCondBr(u, split.isAnd ? perLane : allLanes, split.isAnd ? allLanes : perLane);
    b_.SetInsertPoint(perLane);
    Value *v = b_.CreateFreeze(vector(split.v));
    divergent(split.negated ? b_.CreateNot(v) : v);
    b_.SetInsertPoint(allLanes); // u decided: false for &&, true for ||
    divergent(llvm::ConstantInt::getBool(exec_->getType(), split.isAnd == split.negated));
    return llvm::Error::success();
  }
  divergent(b_.CreateFreeze(vector(br->getCondition())));
  return llvm::Error::success();
}

bool Vectorizer::splitCondition(const Value *c, SplitCondition &split) const {
  using namespace llvm::PatternMatch;
  const Value *a = nullptr, *b = nullptr;
  split.negated = match(c, m_Not(m_Value(a)));
  if (split.negated)
    c = a;
  if (match(c, m_LogicalAnd(m_Value(a), m_Value(b))))
    split.isAnd = true;
  else if (match(c, m_LogicalOr(m_Value(a), m_Value(b))))
    split.isAnd = false;
  else
    return false;
  if (isUniform(b))
    std::swap(a, b);
  split.u = a;
  split.v = b;
  return isUniform(a) && !isUniform(b);
}

// ---------------------------------------------------------------------------------------------
// Instructions

Value *Vectorizer::buildCast(llvm::CastInst &cast, Value *x) {
  llvm::Type *to = cast.getType(), *from = cast.getSrcTy();
  bool perLane = x->getType() != scalarType(from);
  llvm::Type *target = perLane ? wide(to) : scalarType(to);
  auto windowBase = [&](unsigned space) -> uint64_t {
    switch (space) {
    case 3:
    case 7:
      return xox::kSharedBase;
    case 101:
      return xox::kParamBase;
    default:
      return 0; // generic, global and (a deviation) const: the address itself
    }
  };
  auto asInt = [&](llvm::Type *intType) {
    return perLane ? wide(intType) : intType;
  };
  switch (cast.getOpcode()) {
  case llvm::Instruction::AddrSpaceCast:
    return x; // every pointer is a generic address in the per-warp code
  case llvm::Instruction::PtrToInt: {
    Value *address = b_.CreatePtrToInt(x, asInt(b_.getInt64Ty()));
    if (uint64_t base = windowBase(from->getPointerAddressSpace()))
      address = b_.CreateSub(address, perLane ? splat(b_.getInt64(base)) : b_.getInt64(base));
    return b_.CreateZExtOrTrunc(address, target);
  }
  case llvm::Instruction::IntToPtr: {
    Value *address = b_.CreateZExtOrTrunc(x, asInt(b_.getInt64Ty()));
    if (uint64_t base = windowBase(to->getPointerAddressSpace()))
      address = b_.CreateAdd(address, perLane ? splat(b_.getInt64(base)) : b_.getInt64(base));
    return b_.CreateIntToPtr(address, target);
  }
  default:
    return b_.CreateCast(cast.getOpcode(), x, target); // bitcast i32 ↔ <2 x half>: lane-major
  }
}

/// Builds `inst` in the per-warp function: on scalars when `perLane` is false (every operand is
/// uniform), on vectors otherwise. Returns nullptr with `problem` set for what it cannot build.
Value *Vectorizer::build(llvm::Instruction &inst, bool perLane, std::string &problem) {
  auto op = [&](unsigned k) {
    const Value *v = inst.getOperand(k);
    return perLane ? vector(v) : uniform(v);
  };
  llvm::Value *result = nullptr;
  if (auto *bin = llvm::dyn_cast<llvm::BinaryOperator>(&inst)) {
    result = b_.CreateBinOp(bin->getOpcode(), op(0), op(1));
  } else if (auto *un = llvm::dyn_cast<llvm::UnaryOperator>(&inst)) {
    result = b_.CreateUnOp(un->getOpcode(), op(0));
  } else if (auto *cast = llvm::dyn_cast<llvm::CastInst>(&inst)) {
    return buildCast(*cast, op(0));
  } else if (auto *cmp = llvm::dyn_cast<llvm::CmpInst>(&inst)) {
    result = b_.CreateCmp(cmp->getPredicate(), op(0), op(1));
  } else if (auto *sel = llvm::dyn_cast<llvm::SelectInst>(&inst)) {
    Value *c = perLane ? either(sel->getCondition()) : uniform(sel->getCondition());
    result = b_.CreateSelect(c, op(1), op(2));
  } else if (auto *gep = llvm::dyn_cast<llvm::GetElementPtrInst>(&inst)) {
    std::vector<Value *> indices;
    for (const llvm::Use &u : gep->indices())
      indices.push_back(perLane ? either(u.get()) : uniform(u.get()));
    Value *base = perLane ? either(gep->getPointerOperand()) : uniform(gep->getPointerOperand());
    result = b_.CreateGEP(gep->getSourceElementType(), base, indices);
    if (perLane && !result->getType()->isVectorTy())
      result = splat(result);
    return result;
  } else if (auto *ev = llvm::dyn_cast<llvm::ExtractValueInst>(&inst)) {
    return b_.CreateExtractValue(op(0), ev->getIndices());
  } else if (auto *iv = llvm::dyn_cast<llvm::InsertValueInst>(&inst)) {
    return b_.CreateInsertValue(op(0), op(1), iv->getIndices());
  } else if (llvm::isa<llvm::FreezeInst>(inst)) {
    return b_.CreateFreeze(op(0));
  } else if (auto *ee = llvm::dyn_cast<llvm::ExtractElementInst>(&inst)) {
    if (!perLane)
      return b_.CreateExtractElement(op(0), op(1));
    auto *index = llvm::dyn_cast<llvm::ConstantInt>(ee->getIndexOperand());
    if (!index) {
      problem = "vector element with a variable index";
      return nullptr;
    }
    unsigned n = llvm::cast<llvm::FixedVectorType>(ee->getVectorOperandType())->getNumElements();
    llvm::SmallVector<int, kLanes> mask;
    for (unsigned l = 0; l < kLanes; ++l)
      mask.push_back(int(l * n + index->getZExtValue()));
    return b_.CreateShuffleVector(op(0), mask);
  } else if (auto *ie = llvm::dyn_cast<llvm::InsertElementInst>(&inst)) {
    if (!perLane)
      return b_.CreateInsertElement(op(0), op(1), op(2));
    auto *index = llvm::dyn_cast<llvm::ConstantInt>(ie->getOperand(2));
    if (!index) {
      problem = "vector element with a variable index";
      return nullptr;
    }
    unsigned n = llvm::cast<llvm::FixedVectorType>(ie->getType())->getNumElements();
    // element k of each lane's vector from the lane's scalar: a two-source shuffle
    llvm::SmallVector<int, 128> mask;
    for (unsigned l = 0; l < kLanes; ++l)
      for (unsigned k = 0; k < n; ++k)
        mask.push_back(k == index->getZExtValue() ? int(kLanes * n + l) : int(l * n + k));
    Value *scalars = op(1);
    Value *padded = b_.CreateShuffleVector(
        scalars, llvm::PoisonValue::get(scalars->getType()),
        llvm::to_vector(llvm::seq<int>(0, int(kLanes * n))));
    return b_.CreateShuffleVector(op(0), padded, mask);
  } else if (auto *sv = llvm::dyn_cast<llvm::ShuffleVectorInst>(&inst)) {
    if (!perLane)
      return b_.CreateShuffleVector(op(0), op(1), sv->getShuffleMask());
    unsigned in = llvm::cast<llvm::FixedVectorType>(sv->getOperand(0)->getType())->getNumElements();
    unsigned out = llvm::cast<llvm::FixedVectorType>(sv->getType())->getNumElements();
    llvm::SmallVector<int, 128> mask;
    for (unsigned l = 0; l < kLanes; ++l)
      for (unsigned k = 0; k < out; ++k) {
        int m = sv->getMaskValue(k);
        mask.push_back(m < 0 ? -1 : m < int(in) ? int(l * in) + m : int(kLanes * in + l * in) + m - int(in));
      }
    return b_.CreateShuffleVector(op(0), op(1), mask);
  } else if (auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
    if (!perLane) {
      llvm::LoadInst *l = b_.CreateAlignedLoad(scalarType(load->getType()), op(0), load->getAlign(),
                                               load->isVolatile());
      l->setAtomic(load->getOrdering(), load->getSyncScopeID());
      return l;
    }
    Value *gathered = affineLoad(load->getType(), load->getPointerOperand(), load->getAlign());
    if (!gathered)
      gathered = gather(load->getType(), vector(load->getPointerOperand()), load->getAlign());
    if (!gathered) {
      problem = "load of an aggregate or of a vector wider than 64 bits";
      return nullptr;
    }
    if (load->getOrdering() == llvm::AtomicOrdering::Acquire ||
        load->getOrdering() == llvm::AtomicOrdering::SequentiallyConsistent)
      b_.CreateFence(llvm::AtomicOrdering::Acquire, load->getSyncScopeID());
    return gathered;
  } else {
    problem = std::string("instruction '") + inst.getOpcodeName() + "'";
    return nullptr;
  }
  if (auto *i = llvm::dyn_cast<llvm::Instruction>(result); i && llvm::isa<llvm::FPMathOperator>(i))
    i->copyFastMathFlags(&inst);
  return result;
}

llvm::Error Vectorizer::emitInstruction(llvm::Instruction &inst) {
  // demotion slots: per-lane vectors; stores blend under the exec mask
  if (auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst))
    if (auto *slot = llvm::dyn_cast<llvm::AllocaInst>(load->getPointerOperand()); slot && slots_.count(slot)) {
      Value *v = b_.CreateLoad(vectorSlots_[slot]->getAllocatedType(), vectorSlots_[slot]);
      (uniformSlots_.count(slot) ? uniform_ : varying_)[&inst] = v;
      if (auto it = affineSlots_.find(slot); it != affineSlots_.end())
        loadAffineSlot(inst, it->second);
      return llvm::Error::success();
    }
  if (auto *store = llvm::dyn_cast<llvm::StoreInst>(&inst))
    if (auto *slot = llvm::dyn_cast<llvm::AllocaInst>(store->getPointerOperand()); slot && slots_.count(slot)) {
      llvm::AllocaInst *v = vectorSlots_[slot];
      if (uniformSlots_.count(slot)) { // every active lane holds the same value: take the first
        b_.CreateStore(firstLane(store->getValueOperand(), exec_), v);
        return llvm::Error::success();
      }
      Value *value = vector(store->getValueOperand());
      if (!unblendedSlots_.count(slot))
        value = blend(exec_, value, b_.CreateLoad(v->getAllocatedType(), v));
      b_.CreateStore(value, v);
      if (auto it = affineSlots_.find(slot); it != affineSlots_.end())
        storeAffineSlot(store->getValueOperand(), it->second);
      return llvm::Error::success();
    }
  if (auto *alloca = llvm::dyn_cast<llvm::AllocaInst>(&inst)) {
    if (slots_.count(alloca) || varying_.count(alloca))
      return llvm::Error::success();
    return fail(inst, "dynamically sized local memory");
  }
  if (auto *call = llvm::dyn_cast<llvm::CallInst>(&inst))
    return emitCall(*call);
  if (auto *store = llvm::dyn_cast<llvm::StoreInst>(&inst)) {
    const Value *ptr = store->getPointerOperand(), *value = store->getValueOperand();
    if (isUniform(ptr) && isUniform(value)) { // the warp's lanes all store the same: once
      llvm::StoreInst *s = b_.CreateAlignedStore(uniform(value), uniform(ptr), store->getAlign(),
                                                 store->isVolatile());
      s->setAtomic(store->getOrdering(), store->getSyncScopeID());
      return llvm::Error::success();
    }
    if (store->getOrdering() == llvm::AtomicOrdering::Release ||
        store->getOrdering() == llvm::AtomicOrdering::SequentiallyConsistent)
      b_.CreateFence(llvm::AtomicOrdering::Release, store->getSyncScopeID());
    if (!affineStore(vector(value), value->getType(), ptr, store->getAlign()) &&
        !scatter(vector(value), value->getType(), vector(ptr), store->getAlign()))
      return fail(inst, "store of an aggregate or of a vector wider than 64 bits");
    return llvm::Error::success();
  }
  if (llvm::isa<llvm::AtomicRMWInst>(inst) || llvm::isa<llvm::AtomicCmpXchgInst>(inst)) {
    // one atomic per active lane, in ascending lane order (docs/oxcore-isa.md §9)
    Value *v = vectorAtomic(inst);
    varying_[&inst] = v ? v : scalarize(inst, exec_);
    return llvm::Error::success();
  }
  if (auto *fence = llvm::dyn_cast<llvm::FenceInst>(&inst)) {
    b_.CreateFence(fence->getOrdering(), fence->getSyncScopeID());
    return llvm::Error::success();
  }
  bool allUniform = llvm::all_of(inst.operands(), [&](const llvm::Use &u) { return isUniform(u.get()); });
  bool volatileLoad = llvm::isa<llvm::LoadInst>(inst) && llvm::cast<llvm::LoadInst>(inst).isVolatile();
  std::string problem;
  if (allUniform && !volatileLoad && !generic_) {
    if (Value *v = build(inst, false, problem)) {
      uniform_[&inst] = v;
      return llvm::Error::success();
    }
  } else if (Value *v = build(inst, true, problem)) {
    varying_[&inst] = v;
    trackAffine(inst);
    return llvm::Error::success();
  }
  return fail(inst, problem);
}

llvm::Error Vectorizer::emitCall(llvm::CallInst &call) {
  llvm::Function *callee = call.getCalledFunction();
  if (callee && layout_.functions.count(callee)) {
    emitDeviceCall(call, layout_.functions.at(callee));
    return llvm::Error::success();
  }
  if (call.isIndirectCall()) {
    emitDeviceCall(call, nullptr);
    return llvm::Error::success();
  }
  bool handled = false;
  if (llvm::Error e = lowerOxCall(call, handled); e || handled)
    return e;
  if (!callee || !callee->isIntrinsic())
    return fail(call, "call of " + (callee ? callee->getName() : llvm::StringRef("a pointer")));
  llvm::Intrinsic::ID id = callee->getIntrinsicID();
  switch (id) {
  case llvm::Intrinsic::lifetime_start:
  case llvm::Intrinsic::lifetime_end:
  case llvm::Intrinsic::assume:
  case llvm::Intrinsic::prefetch:
  case llvm::Intrinsic::donothing:
  case llvm::Intrinsic::experimental_noalias_scope_decl:
    return llvm::Error::success();
  case llvm::Intrinsic::trap:
    xox::trap(b_, xox::kTrapPtx);
    return llvm::Error::success();
  case llvm::Intrinsic::debugtrap:
  case llvm::Intrinsic::ubsantrap:
    xox::trap(b_, xox::kTrapPtx);
    return llvm::Error::success();
  default:
    break;
  }
  bool pure = call.doesNotAccessMemory() && !call.isConvergent();
  bool allUniform = llvm::all_of(call.args(), [&](const llvm::Use &u) { return isUniform(u.get()); });
  llvm::SmallVector<llvm::Type *, 4> overloads;
  llvm::Intrinsic::getIntrinsicSignature(callee, overloads);
  if (pure && allUniform && !generic_) {
    for (llvm::Type *&t : overloads)
      t = scalarType(t);
    std::vector<Value *> args;
    for (const llvm::Use &u : call.args())
      args.push_back(uniform(u.get()));
    auto *c = b_.CreateIntrinsic(id, overloads, args);
    c->copyFastMathFlags(&call);
    uniform_[&call] = c;
    return llvm::Error::success();
  }
  if (pure && llvm::isTriviallyVectorizable(id) && !call.getType()->isStructTy()) {
    for (llvm::Type *&t : overloads)
      t = wide(t);
    std::vector<Value *> args;
    for (unsigned i = 0; i < call.arg_size(); ++i)
      args.push_back(llvm::isVectorIntrinsicWithScalarOpAtArg(id, i) ? uniform(call.getArgOperand(i))
                                                                      : vector(call.getArgOperand(i)));
    auto *c = b_.CreateIntrinsic(id, overloads, args);
    c->copyFastMathFlags(&call);
    varying_[&call] = c;
    return llvm::Error::success();
  }
  // everything else lane by lane: pure ones for every lane, the others for the active ones
  Value *v = scalarize(call, pure ? validMask_ : exec_);
  if (v)
    varying_[&call] = v;
  return llvm::Error::success();
}

Value *Vectorizer::callWarpFunction(llvm::FunctionType *type, Value *callee, llvm::CallInst &call,
                                    Value *lanes) {
  std::vector<Value *> args;
  for (unsigned i = 0; i < kKernelAbiArgs; ++i) // the kernel ABI's values pass through
    args.push_back(dst_->getArg(i));
  args.push_back(lanes);
  args.push_back(frameEnd_);
  args.push_back(stackEnd_);
  for (const llvm::Use &u : call.args())
    args.push_back(vector(u.get()));
  return b_.CreateCall(type, callee, args);
}

void Vectorizer::emitDeviceCall(llvm::CallInst &call, llvm::Function *direct) {
  callsFunctions_ = true;
  llvm::FunctionType *type = warpFunctionType(call.getFunctionType());
  const Value *target = call.getCalledOperand();
  Value *result = nullptr;
  if (direct || isUniform(target)) {
    result = callWarpFunction(type, direct ? direct : uniform(target), call, exec_);
  } else {
    // one call per distinct target among the active lanes, lowest lane first; each call runs
    // the lanes that chose that target
    auto *maskType = exec_->getType();
    Value *left = entryAlloca(maskType, "callers");
    b_.CreateStore(exec_, left);
    llvm::Type *resultType = type->getReturnType();
    Value *results = resultType->isVoidTy() ? nullptr : entryAlloca(resultType, "results");
    if (results)
      b_.CreateStore(llvm::PoisonValue::get(resultType), results);
    Value *targets = vector(target);
    auto *head = llvm::BasicBlock::Create(ctx_, "call.target", dst_);
    auto *done = llvm::BasicBlock::Create(ctx_, "call.done", dst_);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    Value *waiting = b_.CreateLoad(maskType, left);
    Value *callee = firstLane(target, waiting);
    Value *lanes = b_.CreateAnd(waiting, b_.CreateICmpEQ(targets, splat(callee)));
    Value *r = callWarpFunction(type, callee, call, lanes);
    if (results)
      b_.CreateStore(blend(lanes, r, b_.CreateLoad(resultType, results)), results);
    Value *rest = b_.CreateAnd(waiting, b_.CreateNot(lanes));
    b_.CreateStore(rest, left);
    b_.CreateCondBr(any(rest), head, done);
    b_.SetInsertPoint(done);
    result = results ? b_.CreateLoad(resultType, results) : nullptr;
  }
  if (result)
    varying_[&call] = result;
}

llvm::Error vectorizeKernel(llvm::Function &kernel, const PreparedKernel &prepared,
                            const MemoryLayout &layout, const BackendOptions &options,
                            KernelInfo &info) {
  return Vectorizer(kernel, nullptr, prepared, layout, options, info).run();
}

llvm::Error vectorizeFunction(llvm::Function &function, llvm::Function &warp,
                              const PreparedKernel &prepared, const MemoryLayout &layout,
                              const BackendOptions &options) {
  KernelInfo frame;
  return Vectorizer(function, &warp, prepared, layout, options, frame).run();
}

} // namespace oxptx::backend
