// The warp vectorizer's working state, shared by WarpVectorizer.cpp (control flow, values,
// memory) and WarpOps.cpp (the translator's ox.* calls: special registers, barriers, warp
// operations). Internal to src/backend.
#pragma once

#include "backend/WarpVectorizer.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/IR/ConstantRange.h>
#include <llvm/IR/Dominators.h>
#include <llvm/IR/IRBuilder.h>

#include <string>

namespace oxptx::backend {

constexpr unsigned kLanes = 32;

/// A per-lane value known to be `base + stride · lane` (lane 0…31) whenever the scalar
/// condition `valid` holds (nullptr: always). `base` is a warp-uniform scalar of the value's
/// type (a generic pointer for pointers); for pointers `stride` is in bytes.
struct Affine {
  llvm::Value *base = nullptr;
  int64_t stride = 0;
  llvm::Value *valid = nullptr;
};

class Vectorizer {
public:
  /// `warp`: the declared per-warp version when `function` is a device function, else nullptr.
  Vectorizer(llvm::Function &function, llvm::Function *warp, const PreparedKernel &prepared,
             const MemoryLayout &layout, const BackendOptions &options, KernelInfo &info);
  llvm::Error run();

  // --- values (WarpVectorizer.cpp) ---
  /// The per-warp type of a per-thread type: T ↦ <32 x T>, <N x T> ↦ <32·N x T> (lane-major),
  /// structs and arrays element-wise; pointers of every address space are generic.
  llvm::Type *wide(llvm::Type *t);
  llvm::Type *scalarType(llvm::Type *t); // pointers generic, otherwise unchanged
  bool isUniform(const llvm::Value *v) const;
  llvm::Value *uniform(const llvm::Value *v); // the scalar value (v must be uniform)
  llvm::Value *vector(const llvm::Value *v);  // the per-lane value (a splat if v is uniform)
  llvm::Value *either(const llvm::Value *v) { return isUniform(v) ? uniform(v) : vector(v); }
  llvm::Value *splat(llvm::Value *scalar);
  /// Lane `lane` (an i32 value) of a per-warp value of per-thread type `t`, and the inverse.
  llvm::Value *extractLane(llvm::Value *wideValue, llvm::Type *t, llvm::Value *lane);
  llvm::Value *insertLane(llvm::Value *wideValue, llvm::Type *t, llvm::Value *scalar,
                          llvm::Value *lane);
  /// Runs `body` for each lane of `mask` in ascending order (a loop at the insertion point).
  void forEachLane(llvm::Value *mask, llvm::function_ref<void(llvm::Value *lane)> body);
  /// Runs `body` for each lane of `mask`, collecting its per-thread result of type `t` (void:
  /// none) into a per-warp value; lanes outside the mask get zero.
  llvm::Value *perLane(llvm::Type *t, llvm::Value *mask, llvm::function_ref<llvm::Value *(llvm::Value *lane)> body);
  /// The scalar value of per-thread value `v` in lane `lane` (inside a perLane body).
  llvm::Value *laneOperand(const llvm::Value *v, llvm::Value *lane);
  /// Per-lane scalar execution of `inst` under `mask`: the fallback for what has no vector form.
  llvm::Value *scalarize(llvm::Instruction &inst, llvm::Value *mask);
  llvm::Value *any(llvm::Value *mask);
  /// Masked per-lane load/store of a per-thread type under the exec mask (nullptr / false for
  /// types with no per-lane memory form yet: aggregates, vectors wider than 64 bits).
  llvm::Value *gather(llvm::Type *t, llvm::Value *ptrs, llvm::Align align);
  bool scatter(llvm::Value *values, llvm::Type *t, llvm::Value *ptrs, llvm::Align align);
  /// Per lane: `taken` where `mask` is set, else `kept` (per-warp values of the same type).
  llvm::Value *blend(llvm::Value *mask, llvm::Value *taken, llvm::Value *kept);
  llvm::Value *maskBits(llvm::Value *mask); // <32 x i1> → i32, lane i = bit i
  llvm::Value *bitsMask(llvm::Value *bits); // i32 → <32 x i1>
  /// The value of the lowest lane of `mask` (for operands PTX requires to be warp-uniform).
  llvm::Value *firstLane(const llvm::Value *v, llvm::Value *mask);
  llvm::Value *entryAlloca(llvm::Type *t, const llvm::Twine &name);
  llvm::Error fail(const llvm::Instruction &inst, const llvm::Twine &why);

  // --- strides (Strides.cpp) ---
  /// Records the affine form of `inst`'s per-warp result, if its operands have one.
  void trackAffine(const llvm::Instruction &inst);
  const Affine *affine(const llvm::Value *v) const;
  /// Loads/stores through an affine pointer as unit-stride or strided vector accesses (under a
  /// run-time check when the form has a condition); nullptr/false when the pointer has no form.
  llvm::Value *affineLoad(llvm::Type *t, const llvm::Value *ptr, llvm::Align align);
  bool affineStore(llvm::Value *values, llvm::Type *t, const llvm::Value *ptr, llvm::Align align);

  /// Ranges of the per-thread integers (special registers' limits through arithmetic, slots,
  /// selects and phis; what keeps growing becomes full): they spare no-wrap checks.
  void analyzeRanges();
  llvm::DenseMap<const llvm::Value *, llvm::ConstantRange> ranges_;
  /// Whether extending per-thread value v, affine with `stride`, provably never wraps between
  /// lanes 0 and 31 (every lane's value lies in v's range).
  bool extendsWithoutWrap(const llvm::Value *v, bool isSigned, int64_t stride) const;

  /// Per-lane slots whose every stored value has the form base + stride · lane with one stride
  /// (a lattice fixed point over the per-thread function), e.g. `for (c = lane; c < n; c += 32)`.
  void analyzeSlotStrides();
  struct AffineSlot {
    int64_t stride;
    // last stored base, its validity, the lanes that stored (none kept for unblended slots)
    llvm::AllocaInst *base, *valid, *writers;
  };
  llvm::DenseMap<const llvm::AllocaInst *, AffineSlot> affineSlots_;
  /// The affine form of a value loaded from an affine slot (valid when every active lane is one
  /// that wrote the slot last), and the bookkeeping of a store to it.
  void loadAffineSlot(const llvm::Instruction &load, const AffineSlot &slot);
  void storeAffineSlot(const llvm::Value *value, const AffineSlot &slot);

  // --- ox.* calls (WarpOps.cpp) ---
  /// mma.sync.aligned as one Xox MMA over the warp's fragment registers (the PTX fragment of
  /// lane l is element l of each register: exactly OxCore's layout); nullptr if unsupported.
  llvm::Value *matrixMultiply(llvm::CallInst &call, llvm::StringRef name);
  /// wmma.load/store/mma for m16n16k16 with f16 inputs (f16 or f32 accumulators), in OxCore's
  /// fragment layout: gathers/scatters and two Xox MMAs; nullptr for other shapes.
  llvm::Value *wmma(llvm::CallInst &call, llvm::StringRef name);
  /// ldmatrix (b16, x1/x2/x4, .trans) as shuffles of the lanes' row addresses and gathers.
  llvm::Value *loadMatrix(llvm::CallInst &call, llvm::StringRef name);
  /// atomicrmw/cmpxchg of 32/64-bit values as one Xox near-memory vector atomic (ascending lane
  /// order, docs/oxcore-isa.md §3.6); nullptr for what it has no opcode for.
  llvm::Value *vectorAtomic(llvm::Instruction &inst);
  /// Lowers a call to an ox.* function or a CUDA device-runtime function; sets `handled`.
  llvm::Error lowerOxCall(llvm::CallInst &call, bool &handled);

  llvm::Function &src_;
  llvm::Function *dst_ = nullptr;
  const bool kernel_; // a kernel (else a device function with the per-warp signature)
  const std::string name_;
  llvm::LLVMContext &ctx_;
  llvm::IRBuilder<> b_;
  const llvm::SmallPtrSet<llvm::AllocaInst *, 32> &slots_, &uniformSlots_, &unblendedSlots_;
  const MemoryLayout &layout_;
  const bool generic_; // the generic SIMT baseline: nothing stays scalar
  KernelInfo &info_;
  llvm::DominatorTree dom_;

  llvm::DenseMap<const llvm::Value *, llvm::Value *> uniform_, varying_;
  llvm::DenseMap<const llvm::Value *, Affine> affine_;
  llvm::DenseMap<const llvm::BasicBlock *, llvm::BasicBlock *> blocks_;
  llvm::DenseMap<const llvm::BasicBlock *, llvm::AllocaInst *> pending_;
  llvm::DenseMap<const llvm::AllocaInst *, llvm::AllocaInst *> vectorSlots_;
  llvm::BasicBlock *entry_ = nullptr; // the per-warp entry block: slots, frame, launch values
  llvm::Value *exec_ = nullptr;       // exec mask of the block being emitted
  llvm::Value *laneIds_ = nullptr;    // <32 x i32> 0, 1, ..., 31
  llvm::Value *localLanes_ = nullptr; // <32 x ptr> each lane's local (.local) space
  llvm::Value *validMask_ = nullptr;  // <32 x i1> lanes that are threads of the CTA
  llvm::Value *warpId_ = nullptr;     // i32
  llvm::Value *dynShared_ = nullptr;  // ptr: dynamic shared memory
  llvm::Value *frame_ = nullptr;      // i64: offset of this frame in each lane's local space
  llvm::Value *frameEnd_ = nullptr;   // i64: where the next callee's frame starts
  llvm::Value *stackEnd_ = nullptr;   // i64: end of the call stack in each lane's local space
  bool callsFunctions_ = false;       // the kernel calls device functions: it has a call stack
  bool aligned_ = false;              // the body being built assumes ntid.x % 32 == 0

private:
  llvm::Error emitBlock(const llvm::BasicBlock &bb);
  llvm::Error emitTerminator(const llvm::Instruction &term);
  llvm::Error emitInstruction(llvm::Instruction &inst);
  llvm::Value *build(llvm::Instruction &inst, bool perLane, std::string &problem);
  llvm::Value *buildCast(llvm::CastInst &cast, llvm::Value *operand);
  llvm::Error emitCall(llvm::CallInst &call);
  /// A call of a device function: one per-warp call for the active lanes, or for an indirect
  /// call one per distinct target among them.
  void emitDeviceCall(llvm::CallInst &call, llvm::Function *direct);
  llvm::Value *callWarpFunction(llvm::FunctionType *type, llvm::Value *callee, llvm::CallInst &call,
                                llvm::Value *lanes);
  void layoutFrame();
  /// Every lane that enters a loop leaves it through the loop's one exit block, so the exit's
  /// pending lanes are set as lanes enter (once) instead of accumulated as they leave (a mask
  /// update per iteration); loops where that would change which side a branch runs first keep
  /// the accumulation.
  void planLoopExits();
  /// Adds `lanes` to the pending lanes of `target` for the edge from → target.
  /// A branch condition `u && v` or `u || v` (possibly negated) with only u warp-uniform.
  struct SplitCondition {
    const llvm::Value *u = nullptr, *v = nullptr;
    bool isAnd = false, negated = false;
  };
  bool splitCondition(const llvm::Value *c, SplitCondition &split) const;
  void addPending(const llvm::BasicBlock *from, const llvm::BasicBlock *target, llvm::Value *lanes);
  using Edge = std::pair<const llvm::BasicBlock *, const llvm::BasicBlock *>;
  llvm::DenseSet<Edge> leavingEdges_;                                   // loop exits: counted on entry
  llvm::DenseMap<Edge, const llvm::BasicBlock *> enteringEdges_;        // edge into a header → its exit
};

} // namespace oxptx::backend
