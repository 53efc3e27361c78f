// mbarrier: split-phase barriers in shared memory. The object's 64 bits are OxCore's to lay
// out, and its waits involve the scheduler, so each operation is an ox.mbarrier.* call on the
// object's address (in its state space) that reads and writes memory:
//   init(a, count)                      inval(a)
//   arrive(a, count) → state            arrive.drop(a, count) → state (also lowers the count)
//   expect_tx(a, bytes)                 complete_tx(a, bytes)
//   test_wait(a, state) → i1            try_wait(a, state) → i1       (.parity: the phase parity)
//   pending_count(state) → i32
// cp.async.mbarrier.arrive arrives once the thread's cp.async copies are done; they are done
// when issued (LowerMemory.cpp), so without .noinc (pending +1, then the arrival) nothing
// changes, and with .noinc it is one arrival.
#include "translate/FunctionLowering.h"

namespace oxptx::translate {

using ptx::Mod;
using ptx::Opcode;

bool lowerMbarrier(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  llvm::Type *i32 = b.getInt32Ty(), *i64 = b.getInt64Ty();
  auto object = [&](size_t i) { return l.address(inst.operands[i], inst.space()); };
  auto call = [&](const std::string &what, llvm::Type *result, llvm::ArrayRef<llvm::Value *> args) {
    return l.oxCall("ox.mbarrier." + what, result, args, true);
  };
  switch (inst.opcode) {
  case Opcode::MbarrierInit:
  case Opcode::MbarrierExpectTx:
  case Opcode::MbarrierCompleteTx: {
    llvm::Value *a = object(0), *n = l.read(inst.operands[1], ptx::Type::U32);
    if (!a || !n)
      return l.unsupported(inst, "an operand");
    const char *what = inst.opcode == Opcode::MbarrierInit ? "init"
                       : inst.opcode == Opcode::MbarrierExpectTx ? "expect_tx" : "complete_tx";
    call(what, b.getVoidTy(), {a, n});
    return true;
  }
  case Opcode::MbarrierInval: {
    llvm::Value *a = object(0);
    if (!a)
      return l.unsupported(inst, "the address");
    call("inval", b.getVoidTy(), {a});
    return true;
  }
  case Opcode::MbarrierArrive:
  case Opcode::MbarrierArriveDrop: { // {state|_}, [a]{, count | tx-count with .expect_tx}
    llvm::Value *a = object(1);
    llvm::Value *n = inst.operands.size() > 2 ? l.read(inst.operands[2], ptx::Type::U32) : b.getInt32(1);
    if (!a || !n)
      return l.unsupported(inst, "an operand");
    if (inst.modifier(ptx::ModGroup::NoComplete))
      return l.unsupported(inst, ".noComplete");
    if (inst.modifier(ptx::ModGroup::ExpectTx)) { // the count is transaction bytes; one arrival
      call("expect_tx", b.getVoidTy(), {a, n});
      n = b.getInt32(1);
    }
    llvm::Value *state = call(inst.opcode == Opcode::MbarrierArrive ? "arrive" : "arrive.drop", i64, {a, n});
    return l.write(inst.operands[0], state, ptx::Type::B64) || l.unsupported(inst, "the destination");
  }
  case Opcode::MbarrierTestWait:
  case Opcode::MbarrierTryWait: { // p, [a], state | parity {, suspend-time hint}
    bool parity = inst.modifier(ptx::ModGroup::Parity).has_value();
    llvm::Value *a = object(1);
    llvm::Value *s = l.read(inst.operands[2], parity ? ptx::Type::U32 : ptx::Type::B64);
    if (!a || !s)
      return l.unsupported(inst, "an operand");
    std::string what = inst.opcode == Opcode::MbarrierTestWait ? "test_wait" : "try_wait";
    llvm::Value *done = call(what + (parity ? ".parity" : ""), b.getInt1Ty(), {a, s});
    return l.write(inst.operands[0], done, ptx::Type::Pred) || l.unsupported(inst, "the destination");
  }
  case Opcode::MbarrierPendingCount: {
    llvm::Value *s = l.read(inst.operands[1], ptx::Type::B64);
    if (!s)
      return l.unsupported(inst, "the state");
    return l.write(inst.operands[0], call("pending_count", i32, {s}), ptx::Type::U32) ||
           l.unsupported(inst, "the destination");
  }
  case Opcode::CpAsyncMbarrierArrive: {
    llvm::Value *a = object(0);
    if (!a)
      return l.unsupported(inst, "the address");
    if (inst.has(Mod::Completion_NoInc)) // .noinc: the arrival counts
      call("arrive", i64, {a, b.getInt32(1)});
    return true;
  }
  default: return l.unsupported(inst, "the instruction");
  }
}

} // namespace oxptx::translate
