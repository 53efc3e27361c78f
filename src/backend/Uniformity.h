// Uniformity (divergence) analysis of a per-thread kernel or device function: LLVM's
// UniformityInfo (data and sync dependence, temporal divergence of values leaving loops) driven by
// OxCore's sources of divergence: thread and lane ids, per-thread (.local) memory, atomics,
// per-lane warp-operation results, the results of per-lane host calls and device functions, and
// a device function's parameters. Values that are always uniform: launch constants, activemask,
// and votes, ballots and reductions over a constant, activemask or kernel-argument member mask
// (docs/backend.md).
#pragma once

#include <llvm/ADT/GenericUniformityInfo.h>
#include <llvm/Analysis/UniformityAnalysis.h>
#include <llvm/IR/Function.h>

#include <memory>

namespace oxptx::backend {

/// The analysis over `kernel` as it is now (recompute after changing its CFG).
class Uniformity {
public:
  explicit Uniformity(llvm::Function &kernel);
  ~Uniformity();
  bool isUniform(const llvm::Value *v) const;
  /// Whether `use` sees the same value in every lane (false for a uniform value defined in a
  /// loop and used after a divergent exit of that loop).
  bool isUniformUse(const llvm::Use &use) const;

private:
  struct State;
  std::unique_ptr<State> state_;
};

} // namespace oxptx::backend
