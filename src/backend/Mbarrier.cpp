#include "backend/Mbarrier.h"

#include <llvm/IR/IRBuilder.h>

#include <cstring>
#include <string>
#include <vector>

namespace oxptx::backend {
namespace {

// The mbarrier object's 64 bits: pending arrivals, expected arrivals, pending transaction bytes
// (21 bits each, PTX's counts are below 2^20) and the phase's parity in bit 63.
constexpr uint64_t kCountBits = 21, kCountMask = (uint64_t(1) << kCountBits) - 1;
constexpr unsigned kExpectedShift = 21, kTxShift = 42, kPhaseShift = 63;

struct Fields {
  llvm::Value *pending, *expected, *tx, *phase; // i64 each
};

Fields unpack(llvm::IRBuilderBase &b, llvm::Value *state) {
  auto field = [&](unsigned shift) { return b.CreateAnd(b.CreateLShr(state, shift), kCountMask); };
  return {field(0), field(kExpectedShift), field(kTxShift), b.CreateLShr(state, kPhaseShift)};
}

/// The state after an update; a phase with no pending arrivals and no pending bytes completes:
/// the parity flips and the expected arrivals are pending again.
llvm::Value *settle(llvm::IRBuilderBase &b, Fields f) {
  llvm::Value *complete = b.CreateAnd(b.CreateICmpEQ(f.pending, b.getInt64(0)), b.CreateICmpEQ(f.tx, b.getInt64(0)));
  llvm::Value *pending = b.CreateAnd(b.CreateSelect(complete, f.expected, f.pending), kCountMask);
  f.expected = b.CreateAnd(f.expected, kCountMask);
  f.tx = b.CreateAnd(f.tx, kCountMask);
  llvm::Value *phase = b.CreateXor(f.phase, b.CreateZExt(complete, b.getInt64Ty()));
  return b.CreateOr(b.CreateOr(pending, b.CreateShl(f.expected, kExpectedShift)),
                    b.CreateOr(b.CreateShl(f.tx, kTxShift), b.CreateShl(phase, kPhaseShift)));
}

/// An atomic read-modify-write of the object by compare-and-swap; returns the state before it.
llvm::Value *update(llvm::IRBuilderBase &b, llvm::Value *object, llvm::function_ref<llvm::Value *(Fields)> change) {
  llvm::Function *f = b.GetInsertBlock()->getParent();
  auto *retry = llvm::BasicBlock::Create(b.getContext(), "retry", f);
  auto *done = llvm::BasicBlock::Create(b.getContext(), "done", f);
  b.CreateBr(retry);
  b.SetInsertPoint(retry);
  llvm::LoadInst *old = b.CreateAlignedLoad(b.getInt64Ty(), object, llvm::Align(8));
  old->setAtomic(llvm::AtomicOrdering::Monotonic);
  auto *swap = b.CreateAtomicCmpXchg(object, old, change(unpack(b, old)), llvm::Align(8),
                                     llvm::AtomicOrdering::AcquireRelease, llvm::AtomicOrdering::Monotonic);
  b.CreateCondBr(b.CreateExtractValue(swap, 1), done, retry);
  b.SetInsertPoint(done);
  return old;
}

llvm::Value *load(llvm::IRBuilderBase &b, llvm::Value *object) {
  llvm::LoadInst *state = b.CreateAlignedLoad(b.getInt64Ty(), object, llvm::Align(8));
  state->setAtomic(llvm::AtomicOrdering::Acquire);
  return state;
}

/// The body of one operation, per thread (the warp vectorizer runs it for the active lanes).
void defineOperation(llvm::Function &f, llvm::StringRef op) {
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(f.getContext(), "entry", &f));
  llvm::Value *object = f.arg_size() ? f.getArg(0) : nullptr;
  auto count = [&] { return b.CreateZExt(f.getArg(1), b.getInt64Ty()); };
  auto phaseOf = [&](llvm::Value *state) { return b.CreateLShr(state, kPhaseShift); };
  if (op == "init") {
    llvm::Value *n = b.CreateAnd(count(), kCountMask);
    b.CreateAlignedStore(b.CreateOr(n, b.CreateShl(n, kExpectedShift)), object, llvm::Align(8));
  } else if (op == "inval") {
    b.CreateAlignedStore(b.getInt64(0), object, llvm::Align(8));
  } else if (op == "arrive" || op == "arrive.drop") {
    bool drop = op == "arrive.drop";
    llvm::Value *n = count();
    llvm::Value *old = update(b, object, [&](Fields s) {
      s.pending = b.CreateSub(s.pending, n);
      if (drop)
        s.expected = b.CreateSub(s.expected, n);
      return settle(b, s);
    });
    b.CreateRet(old);
    return;
  } else if (op == "expect_tx" || op == "complete_tx") {
    llvm::Value *n = count();
    update(b, object, [&](Fields s) {
      s.tx = op == "expect_tx" ? b.CreateAdd(s.tx, n) : b.CreateSub(s.tx, n);
      return settle(b, s);
    });
  } else if (op.starts_with("test_wait") || op.starts_with("try_wait")) {
    // the phase named by a state (or a parity) is complete once the object's parity differs
    llvm::Value *named = op.ends_with(".parity") ? b.CreateZExt(b.CreateAnd(f.getArg(1), 1), b.getInt64Ty())
                                                 : phaseOf(f.getArg(1));
    b.CreateRet(b.CreateICmpNE(phaseOf(load(b, object)), named));
    return;
  } else { // pending_count(state)
    b.CreateRet(b.CreateTrunc(b.CreateAnd(f.getArg(0), kCountMask), b.getInt32Ty()));
    return;
  }
  b.CreateRetVoid();
}

} // namespace

void defineMbarriers(llvm::Module &module) {
  static constexpr const char *kOperations[] = {
      "init", "inval", "arrive", "arrive.drop", "expect_tx", "complete_tx", "test_wait",
      "test_wait.parity", "try_wait", "try_wait.parity", "pending_count"};
  std::vector<llvm::CallInst *> calls;
  for (llvm::Function &f : module)
    if (f.isDeclaration() && f.getName().starts_with("ox.mbarrier."))
      for (llvm::User *u : f.users())
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(u); call && call->getCalledFunction() == &f)
          calls.push_back(call);
  for (llvm::CallInst *call : calls) {
    llvm::StringRef op = call->getCalledFunction()->getName().drop_front(std::strlen("ox.mbarrier."));
    if (!llvm::is_contained(kOperations, op))
      continue; // left for the vectorizer to report
    // one definition per operation and type (the object may be in shared or generic space)
    std::string name = "oxptx.mbarrier." + op.str();
    if (call->arg_size() && call->getArgOperand(0)->getType()->isPointerTy())
      name += ".as" + std::to_string(call->getArgOperand(0)->getType()->getPointerAddressSpace());
    llvm::Function *body = module.getFunction(name);
    if (!body) {
      body = llvm::Function::Create(call->getFunctionType(), llvm::GlobalValue::InternalLinkage, name, module);
      defineOperation(*body, op);
    }
    call->setCalledFunction(body);
  }
}

} // namespace oxptx::backend
