#include "backend/Uniformity.h"

#include <llvm/ADT/GenericUniformityImpl.h>
#include <llvm/Analysis/CycleAnalysis.h>
#include <llvm/Analysis/TargetTransformInfo.h>
#include <llvm/Analysis/TargetTransformInfoImpl.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/Instructions.h>

namespace oxptx::backend {
namespace {

bool startsWith(const llvm::Function *f, llvm::StringRef prefix) { return f && f->getName().starts_with(prefix); }

/// Only the divergence queries matter; costs stay the defaults (never used).
class OxCoreDivergence : public llvm::TargetTransformInfoImplCRTPBase<OxCoreDivergence> {
public:
  explicit OxCoreDivergence(const llvm::DataLayout &dl) : TargetTransformInfoImplCRTPBase(dl) {}

  bool hasBranchDivergence(const llvm::Function * = nullptr) const { return true; }

  bool isSourceOfDivergence(const llvm::Value *v) const {
    if (llvm::isa<llvm::AllocaInst>(v) || llvm::isa<llvm::AtomicRMWInst>(v) ||
        llvm::isa<llvm::AtomicCmpXchgInst>(v))
      return true; // per-lane frames; one atomic result per lane
    if (const auto *arg = llvm::dyn_cast<llvm::Argument>(v)) // a device function's: per lane
      return !arg->getParent()->hasFnAttribute("ox-kernel");
    const auto *call = llvm::dyn_cast<llvm::CallBase>(v);
    if (!call)
      return false;
    const llvm::Function *f = call->getCalledFunction();
    if (!f || f->isIntrinsic())
      return !f; // intrinsics follow their operands
    llvm::StringRef name = f->getName();
    if (name.starts_with("ox.sreg."))
      return name.starts_with("ox.sreg.tid.") || name == "ox.sreg.laneid" || name.starts_with("ox.sreg.lanemask_");
    return !isAlwaysUniform(v); // warp operations with per-lane results, host calls, device
                                // functions, the rest
  }

  bool isAlwaysUniform(const llvm::Value *v) const {
    const auto *call = llvm::dyn_cast<llvm::CallBase>(v);
    if (!call)
      return false;
    const llvm::Function *f = call->getCalledFunction();
    if (startsWith(f, "ox.sreg."))
      return !isSourceOfDivergenceName(f->getName());
    if (startsWith(f, "ox.vote.") || startsWith(f, "ox.redux."))
      return warpUniformMask(call->getArgOperand(1));
    return startsWith(f, "ox.activemask") || startsWith(f, "ox.barrier.red.");
  }

private:
  /// A vote or reduction is one result for the warp when its member mask is the same in every
  /// lane, which is known here for constants, `activemask` and kernel parameters; other masks
  /// (cooperative groups' tiled and labeled partitions compute one per lane) make it per lane.
  static bool warpUniformMask(const llvm::Value *mask) {
    if (llvm::isa<llvm::Constant>(mask))
      return true;
    if (const auto *arg = llvm::dyn_cast<llvm::Argument>(mask))
      return arg->getParent()->hasFnAttribute("ox-kernel");
    const auto *call = llvm::dyn_cast<llvm::CallBase>(mask);
    return call && startsWith(call->getCalledFunction(), "ox.activemask");
  }
  static bool isSourceOfDivergenceName(llvm::StringRef name) {
    return name.starts_with("ox.sreg.tid.") || name == "ox.sreg.laneid" || name.starts_with("ox.sreg.lanemask_");
  }
};

} // namespace

struct Uniformity::State {
  llvm::DominatorTree dom;
  llvm::CycleInfo cycles;
  llvm::TargetTransformInfo tti;
  llvm::UniformityInfo info;
  explicit State(llvm::Function &f)
      : dom(f), tti(OxCoreDivergence(f.getParent()->getDataLayout())) {
    cycles.compute(f);
    info = llvm::UniformityInfo(dom, cycles, &tti);
    info.compute();
  }
};

Uniformity::Uniformity(llvm::Function &kernel) : state_(std::make_unique<State>(kernel)) {}
Uniformity::~Uniformity() = default;

bool Uniformity::isUniform(const llvm::Value *v) const { return state_->info.isUniform(v); }

bool Uniformity::isUniformUse(const llvm::Use &use) const { return !state_->info.isDivergentUse(use); }

} // namespace oxptx::backend
