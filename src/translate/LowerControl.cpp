// Branches, returns and exits, CTA barriers and the special registers. Barriers and special
// registers become calls to ox.* functions: what they mean depends on the warp a thread runs in,
// which the OxCore backend decides (docs/translator.md lists them).
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {

llvm::Value *specialRegister(FunctionLowering &l, const ptx::Operand &operand, std::string_view component) {
  std::string_view text = l.name(operand.name);
  auto sreg = ptx::lookupSpecialRegister(text);
  if (!sreg)
    return nullptr;
  std::string fn = "ox.sreg." + std::string(text.substr(1));
  if (component.empty() && operand.component)
    component = l.name(operand.component);
  if (!component.empty())
    fn += "." + std::string(component);
  // Clocks, timers and performance counters change between reads; every other special register
  // is fixed for a thread.
  bool changes = text.starts_with("%clock") || text.starts_with("%globaltimer") || text.starts_with("%pm");
  return l.oxCall(fn, l.typeOf(sreg->type == ptx::Type::None ? ptx::Type::U32 : sreg->type), {}, changes);
}

/// ox.trap (noreturn): the launch stops with a fault; the block ends.
static void trap(FunctionLowering &l) {
  auto *call = llvm::cast<llvm::CallInst>(l.oxCall("ox.trap", l.b.getVoidTy(), {}, true));
  call->getCalledFunction()->setDoesNotReturn();
  l.b.CreateUnreachable();
  l.endBlock();
}

bool lowerControl(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  switch (inst.opcode) {
  case ptx::Opcode::Bra: {
    llvm::BasicBlock *target = inst.operands.empty() ? nullptr : l.labelBlock(inst.operands[0].name);
    if (!target)
      return l.unsupported(inst, "an indirect branch target");
    if (inst.guard) {
      llvm::Value *p = l.predicate(FunctionLowering::registerOperand(inst.guard, inst.loc, inst.guardNegated));
      if (!p)
        return l.unsupported(inst, "the guard predicate");
      llvm::BasicBlock *next = llvm::BasicBlock::Create(l.ctx, "fallthrough", l.function());
      b.CreateCondBr(p, target, next);
      b.SetInsertPoint(next);
    } else {
      b.CreateBr(target);
      l.endBlock();
    }
    return true;
  }
  case ptx::Opcode::Exit:
    if (!l.isKernel())
      return l.unsupported(inst, "exit in a device function");
    [[fallthrough]];
  case ptx::Opcode::Ret:
    l.createReturn();
    l.endBlock();
    return true;
  case ptx::Opcode::BarSync:
  case ptx::Opcode::BarrierSync: {
    // bar.sync a{, b}: barrier a, b threads (0: all of the CTA). A warp-level convergent call.
    llvm::Value *id = l.read(inst.operands[0], ptx::Type::U32);
    llvm::Value *count = inst.operands.size() > 1 ? l.read(inst.operands[1], ptx::Type::U32) : b.getInt32(0);
    if (!id || !count)
      return l.unsupported(inst, "an operand");
    l.convergentCall("ox.barrier.sync", b.getVoidTy(), {id, count});
    return true;
  }
  case ptx::Opcode::BarArrive:
  case ptx::Opcode::BarrierArrive: { // arrive at barrier a (of b threads) without waiting
    llvm::Value *id = l.read(inst.operands[0], ptx::Type::U32), *count = l.read(inst.operands[1], ptx::Type::U32);
    if (!id || !count)
      return l.unsupported(inst, "an operand");
    l.convergentCall("ox.barrier.arrive", b.getVoidTy(), {id, count});
    return true;
  }
  case ptx::Opcode::BarRed:
  case ptx::Opcode::BarrierRed: { // bar.red.popc.u32 d, a{, b}, {!}p; .and/.or.pred
    ptx::Mod op = inst.mod(ptx::ModGroup::BarrierRedOp);
    size_t n = inst.operands.size();
    llvm::Value *id = l.read(inst.operands[1], ptx::Type::U32);
    llvm::Value *count = n > 3 ? l.read(inst.operands[2], ptx::Type::U32) : b.getInt32(0);
    llvm::Value *p = l.predicate(inst.operands[n - 1]);
    if (op == ptx::Mod::None || !id || !count || !p)
      return l.unsupported(inst, "an operand");
    bool popc = op == ptx::Mod::BarrierRedOp_Popc;
    llvm::Value *r = l.convergentCall("ox.barrier.red." + std::string(ptx::modInfo(op).spelling),
                                      popc ? b.getInt32Ty() : b.getInt1Ty(), {id, count, p});
    return l.write(inst.operands[0], r, popc ? ptx::Type::U32 : ptx::Type::Pred) ||
           l.unsupported(inst, "the destination");
  }
  case ptx::Opcode::Trap: // the launch stops; nothing after it runs
    trap(l);
    return true;
  case ptx::Opcode::BrxIdx: { // brx.idx i, list: a switch over the .branchtargets labels; an
    // index past the list (undefined in PTX) traps instead of running on
    const std::vector<ptx::Symbol> *targets = l.branchTargets(inst.operands[1].name);
    llvm::Value *index = l.read(inst.operands[0], ptx::Type::U32);
    if (!targets || !index)
      return l.unsupported(inst, "a target list that is not a .branchtargets label");
    llvm::BasicBlock *outside = llvm::BasicBlock::Create(l.ctx, "brx.outside", l.function());
    llvm::SwitchInst *choice = b.CreateSwitch(index, outside, unsigned(targets->size()));
    for (size_t i = 0; i < targets->size(); ++i) {
      llvm::BasicBlock *target = l.labelBlock((*targets)[i]);
      if (!target)
        return l.unsupported(inst, "a target that is not a label of this function");
      choice->addCase(b.getInt32(uint32_t(i)), target);
    }
    b.SetInsertPoint(outside);
    trap(l);
    return true;
  }
  case ptx::Opcode::BarrierClusterArrive:
  case ptx::Opcode::BarrierClusterWait: // a cluster-wide split barrier
    l.convergentCall(inst.opcode == ptx::Opcode::BarrierClusterArrive ? "ox.barrier.cluster.arrive"
                                                                      : "ox.barrier.cluster.wait",
                     b.getVoidTy(), {});
    return true;
  case ptx::Opcode::Setmaxnreg: // a register budget hint for warpgroups; nothing to change on OxCore
  case ptx::Opcode::GriddepcontrolWait: // the grids of a stream run one after another on the
  case ptx::Opcode::GriddepcontrolLaunchDependents: // simulated OxCore: nothing to wait for
    return true;
  case ptx::Opcode::FenceProxy:
  case ptx::Opcode::FenceMbarrierInit: // async-proxy copies are made at once, so ordering them
    // with generic accesses is an ordinary fence of the scope
    b.CreateFence(llvm::AtomicOrdering::AcquireRelease, scopeOf(l.ctx, inst.mod(ptx::ModGroup::Scope)));
    return true;
  case ptx::Opcode::Brkpt: // stops under a debugger; LLVM's debug trap is the same thing
    b.CreateIntrinsic(llvm::Intrinsic::debugtrap, {}, {});
    return true;
  case ptx::Opcode::Nanosleep: {
    llvm::Value *ns = l.read(inst.operands[0], ptx::Type::U32);
    if (!ns)
      return l.unsupported(inst, "the duration");
    l.oxCall("ox.nanosleep", b.getVoidTy(), {ns}, true);
    return true;
  }
  case ptx::Opcode::Membar:
  case ptx::Opcode::Fence: {
    // membar.cta/gl/sys and fence.{sc,acq_rel}.scope: fences of that scope.
    ptx::Mod level = inst.mod(ptx::ModGroup::MembarLevel), scope = inst.mod(ptx::ModGroup::Scope);
    if (inst.opcode == ptx::Opcode::Fence && (inst.modifier(ptx::ModGroup::Mode) ||
                                              inst.modifier(ptx::ModGroup::Proxy)))
      return l.unsupported(inst, "proxy fences and fence modes");
    if (level == ptx::Mod::MembarLevel_CTA)
      scope = ptx::Mod::Scope_CTA;
    else if (level == ptx::Mod::MembarLevel_Sys)
      scope = ptx::Mod::Scope_Sys;
    ptx::Mod sem = inst.mod(ptx::ModGroup::Semantics);
    b.CreateFence(sem == ptx::Mod::Semantics_AcqRel ? llvm::AtomicOrdering::AcquireRelease
                                                    : llvm::AtomicOrdering::SequentiallyConsistent,
                  scopeOf(l.ctx, scope));
    return true;
  }
  default: return l.unsupported(inst, "the instruction");
  }
}

} // namespace oxptx::translate
