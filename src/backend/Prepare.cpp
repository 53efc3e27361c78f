#include "backend/Prepare.h"
#include "backend/Passes.h"
#include "backend/Uniformity.h"

#include <llvm/ADT/SCCIterator.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/CallGraph.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/ReplaceConstant.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/IPO/AlwaysInliner.h>
#include <llvm/Transforms/Scalar/StructurizeCFG.h>
#include <llvm/Transforms/Utils/FixIrreducible.h>
#include <llvm/Transforms/Utils/Local.h>
#include <llvm/Transforms/Utils/LowerSwitch.h>
#include <llvm/Transforms/Utils/UnifyFunctionExitNodes.h>
#include <llvm/Transforms/Utils/UnifyLoopExits.h>

namespace oxptx::backend {
namespace {

bool isKernel(const llvm::Function &f) { return f.hasFnAttribute("ox-kernel"); }

/// Device functions that are part of a call cycle: they stay functions.
llvm::SmallPtrSet<llvm::Function *, 8> recursiveFunctions(llvm::Module &module) {
  llvm::SmallPtrSet<llvm::Function *, 8> recursive;
  llvm::CallGraph graph(module);
  for (auto scc = llvm::scc_begin(&graph); !scc.isAtEnd(); ++scc)
    if (scc->size() > 1 || scc.hasCycle())
      for (llvm::CallGraphNode *node : *scc)
        if (llvm::Function *f = node->getFunction(); f && !f->isDeclaration())
          recursive.insert(f);
  return recursive;
}

/// A phi of a loop header whose incoming values come from the loop's single entering block and
/// its single latch (once demoted: stores there, the load in the header).
bool isLoopCarried(const llvm::PHINode &phi, const llvm::LoopInfo &loops) {
  const llvm::Loop *loop = loops.getLoopFor(phi.getParent());
  if (!loop || loop->getHeader() != phi.getParent() || phi.getNumIncomingValues() != 2)
    return false;
  const llvm::BasicBlock *latch = loop->getLoopLatch(), *entering = loop->getLoopPredecessor();
  return latch && entering && llvm::is_contained(phi.blocks(), latch) &&
         llvm::is_contained(phi.blocks(), entering);
}

} // namespace

std::vector<llvm::Function *> inlineDeviceFunctions(llvm::Module &module) {
  llvm::SmallPtrSet<llvm::Function *, 8> recursive = recursiveFunctions(module);
  std::vector<std::string> device; // names: the inliner deletes the functions it made dead
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && !isKernel(f)) {
      f.removeFnAttr(llvm::Attribute::OptimizeNone);
      if (recursive.count(&f)) {
        f.addFnAttr(llvm::Attribute::NoInline);
        continue;
      }
      f.removeFnAttr(llvm::Attribute::NoInline);
      // its direct calls are inlined; a function whose address is taken stays for indirect calls
      f.addFnAttr(llvm::Attribute::AlwaysInline);
      device.push_back(f.getName().str());
    }
  Analyses analyses;
  llvm::AlwaysInlinerPass(false).run(module, analyses.modules);
  for (const std::string &name : device)
    if (llvm::Function *f = module.getFunction(name)) {
      f->removeDeadConstantUsers();
      if (f->use_empty())
        f->eraseFromParent();
    }
  std::vector<llvm::Function *> functions;
  for (llvm::Function &f : module)
    if (!f.isDeclaration() && !isKernel(f)) {
      f.removeFnAttr(llvm::Attribute::AlwaysInline);
      functions.push_back(&f);
    }
  return functions;
}

PreparedKernel prepareKernel(llvm::Function &kernel, bool demoteAll) {
  // A thread that reaches `unreachable` (after a trap) leaves; one exit block for the structurizer.
  llvm::Type *result = kernel.getReturnType();
  for (llvm::BasicBlock &bb : kernel)
    if (auto *u = llvm::dyn_cast<llvm::UnreachableInst>(bb.getTerminator())) {
      llvm::Value *none = result->isVoidTy() ? nullptr : llvm::PoisonValue::get(result);
      llvm::ReturnInst::Create(kernel.getContext(), none, u->getIterator());
      u->eraseFromParent();
    }

  llvm::removeUnreachableBlocks(kernel);
  // Constant expressions over variables become instructions: the vectorizer maps each variable
  // to its per-warp address (a scratchpad offset, a generic data symbol) and rebuilds its users.
  std::vector<llvm::Constant *> variables;
  for (llvm::GlobalVariable &g : kernel.getParent()->globals())
    variables.push_back(&g);
  llvm::convertUsersOfConstantsToInstructions(variables, &kernel);

  Analyses analyses;
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::LowerSwitchPass());
  fpm.addPass(llvm::UnifyFunctionExitNodesPass());
  fpm.addPass(llvm::FixIrreduciblePass());
  fpm.addPass(llvm::UnifyLoopExitsPass()); // StructurizeCFG mis-structures multi-exit loops
  fpm.addPass(llvm::StructurizeCFGPass());
  fpm.run(kernel, analyses.functions);

  // Demote: phis, then the uses of values outside the loops that define them (allocas stay:
  // they are addresses). Uses inside the loop keep the SSA value.
  llvm::DominatorTree dom(kernel);
  llvm::LoopInfo loops(dom);
  auto escapingUses = [&](llvm::Instruction &i) {
    std::vector<llvm::Use *> uses;
    llvm::Loop *loop = loops.getLoopFor(i.getParent());
    for (llvm::Use &u : i.uses()) {
      llvm::BasicBlock *where = llvm::cast<llvm::Instruction>(u.getUser())->getParent();
      if (demoteAll ? where != i.getParent() : loop && !loop->contains(where))
        uses.push_back(&u);
    }
    return uses;
  };
  std::optional<Uniformity> uniformity;
  if (!demoteAll)
    uniformity.emplace(kernel);

  PreparedKernel prepared;
  auto demoted = [&](llvm::AllocaInst *slot, bool uniform) {
    prepared.slots.insert(slot);
    if (uniform)
      prepared.uniformSlots.insert(slot);
  };
  llvm::BasicBlock::iterator allocaPoint = kernel.getEntryBlock().begin();
  std::vector<llvm::PHINode *> phis;
  for (llvm::BasicBlock &bb : kernel)
    for (llvm::PHINode &phi : bb.phis())
      phis.push_back(&phi);
  // Whether each loop's lanes leave it together (every exit branch uniform), decided before the
  // demotion below replaces the structurizer's i1 phis, some of them exit conditions, by loads.
  llvm::SmallPtrSet<const llvm::Loop *, 8> uniformExits;
  if (uniformity)
    for (const llvm::Loop *loop : loops.getLoopsInPreorder()) {
      llvm::SmallVector<llvm::BasicBlock *, 4> exiting;
      loop->getExitingBlocks(exiting);
      if (llvm::all_of(exiting, [&](llvm::BasicBlock *bb) {
            auto *branch = llvm::dyn_cast<llvm::BranchInst>(bb->getTerminator());
            return branch && (branch->isUnconditional() || uniformity->isUniform(branch->getCondition()));
          }))
        uniformExits.insert(loop);
    }
  // The loads that replace a demoted phi are new to the uniformity analysis (it would call them
  // uniform): they are as uniform as their phi.
  llvm::DenseMap<const llvm::Instruction *, bool> reloadUniform;
  for (llvm::PHINode *phi : phis) {
    bool uniform = uniformity && uniformity->isUniform(phi);
    bool loopCarried = !demoteAll && isLoopCarried(*phi, loops);
    if (llvm::AllocaInst *slot = llvm::DemotePHIToStack(phi, allocaPoint)) {
      demoted(slot, uniform);
      if (loopCarried)
        prepared.unblendedSlots.insert(slot);
      for (llvm::User *u : slot->users())
        if (auto *load = llvm::dyn_cast<llvm::LoadInst>(u))
          reloadUniform[load] = uniform;
    }
  }
  // A value leaving loops is uniform outside them if it is uniform and each loop's lanes leave
  // together: for the analysis' own values it says so per use; for the reloads, by the loops'
  // exits above.
  auto leavesUniform = [&](llvm::Instruction *i, const std::vector<llvm::Use *> &uses) {
    if (!uniformity)
      return false;
    if (auto it = reloadUniform.find(i); it != reloadUniform.end())
      return it->second && llvm::all_of(uses, [&](const llvm::Use *u) {
               // every loop the value leaves on its way to the use
               llvm::BasicBlock *where = llvm::cast<llvm::Instruction>(u->getUser())->getParent();
               for (const llvm::Loop *l = loops.getLoopFor(i->getParent()); l && !l->contains(where);
                    l = l->getParentLoop())
                 if (!uniformExits.count(l))
                   return false;
               return true;
             });
    return uniformity->isUniform(i) &&
           llvm::all_of(uses, [&](const llvm::Use *u) { return uniformity->isUniformUse(*u); });
  };
  std::vector<std::pair<llvm::Instruction *, std::vector<llvm::Use *>>> live;
  for (llvm::BasicBlock &bb : kernel)
    for (llvm::Instruction &i : bb)
      if (!llvm::isa<llvm::AllocaInst>(i))
        if (auto uses = escapingUses(i); !uses.empty())
          live.emplace_back(&i, std::move(uses));
  for (auto &[i, uses] : live) {
    bool uniform = leavesUniform(i, uses);
    auto *slot = new llvm::AllocaInst(i->getType(), 0, i->getName() + ".out", allocaPoint);
    new llvm::StoreInst(i, slot, std::next(i->getIterator()));
    for (llvm::Use *u : uses) {
      auto *user = llvm::cast<llvm::Instruction>(u->getUser());
      u->set(new llvm::LoadInst(i->getType(), slot, i->getName() + ".reload", user->getIterator()));
    }
    demoted(slot, uniform);
  }
  return prepared;
}

} // namespace oxptx::backend
