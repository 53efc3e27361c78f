// Lowering of one PTX function body to LLVM IR (internal to src/translate). PTX registers become
// allocas (promoted to SSA by mem2reg afterwards), labels become blocks, a guarded instruction
// runs in a block of its own. Instruction families live in their own files (Lower*.cpp); each
// returns false after recording an "unsupported" diagnostic for what it cannot translate.
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"
#include "translate/Translate.h"

#include <llvm/ADT/DenseMap.h>
#include <llvm/IR/IRBuilder.h>

#include <string>

namespace oxptx::translate {

/// Module-wide state the functions share: module variables and the ox.* declarations.
struct ModuleContext {
  ModuleContext(const ptx::Module &p, llvm::Module &m, ptx::DiagnosticList &d)
      : ptx(p), module(m), diagnostics(d) {}
  const ptx::Module &ptx;
  llvm::Module &module;
  ptx::DiagnosticList &diagnostics;
  llvm::DenseMap<uint32_t, llvm::GlobalVariable *> variables; // Symbol id → global
};

class FunctionLowering {
public:
  FunctionLowering(ModuleContext &module, const ptx::Function &function, llvm::Function *f);

  /// Translates the body; false when something in it is unsupported (diagnostics recorded).
  bool run();

  // ---- what the instruction families use ----
  ModuleContext &mod;
  llvm::IRBuilder<> b;
  llvm::LLVMContext &ctx;

  std::string_view name(ptx::Symbol s) const { return mod.ptx.name(s); }
  bool unsupported(const ptx::Instruction &inst, const std::string &what);
  llvm::Type *typeOf(ptx::Type type);
  static bool isFloat(ptx::Type type);
  static bool isSigned(ptx::Type type);
  static unsigned bitsOf(ptx::Type type);
  /// The LLVM type of a device function (or call prototype) with these return and parameter
  /// declarations: each parameter as its PTX type, byte arrays as integers of their size, and
  /// several results as a struct. Null, with `problem` set, for values over 16 bytes.
  static llvm::FunctionType *deviceFunctionType(llvm::LLVMContext &ctx,
                                                const std::vector<ptx::VariableDecl> &returns,
                                                const std::vector<ptx::VariableDecl> &params,
                                                std::string &problem);
  /// The labels of a .branchtargets list (null if `list` names none).
  const std::vector<ptx::Symbol> *branchTargets(ptx::Symbol list) const {
    auto it = branchTargets_.find(list.id);
    return it == branchTargets_.end() ? nullptr : &it->second;
  }
  /// The function type a call prototype or .calltargets label stands for (null if unknown).
  llvm::FunctionType *callType(ptx::Symbol label) const {
    auto it = callTypes_.find(label.id);
    return it == callTypes_.end() ? nullptr : it->second;
  }

  /// The value of a source operand as `type` (registers are converted from their declared
  /// type: same width by bitcast, wider by truncation, as PTX allows).
  llvm::Value *read(const ptx::Operand &operand, ptx::Type type);
  /// Stores `value` (of instruction type `type`) to a destination register, widening to a
  /// wider register by the type's signedness.
  bool write(const ptx::Operand &dest, llvm::Value *value, ptx::Type type);
  /// A register operand naming `symbol` (for guards and address bases).
  static ptx::Operand registerOperand(ptx::Symbol symbol, ptx::SourceLoc loc, bool negated = false) {
    ptx::Operand operand;
    operand.name = symbol;
    operand.loc = loc;
    operand.negated = negated;
    return operand;
  }
  /// The declared type of the register an operand names (Type::None if it is not a register).
  ptx::Type registerType(const ptx::Operand &operand) {
    Register *r = registerOf(operand);
    return r ? r->type : ptx::Type::None;
  }
  /// The 64-bit handle a texture, sampler or surface operand names: an object in a register, a
  /// module .texref/.samplerref/.surfref variable, or such a kernel parameter (null otherwise).
  llvm::Value *opaqueHandle(const ptx::Operand &operand);
  /// A predicate operand (with `!` applied) as i1.
  llvm::Value *predicate(const ptx::Operand &operand);
  /// The pointer an address operand ([reg+off], [var+off], [imm]) denotes in `space`.
  llvm::Value *address(const ptx::Operand &operand, ptx::StateSpace space);
  /// `.ftz`: a subnormal value (scalar or vector of floats) as the zero of its sign; NaN, zeros
  /// and normal values unchanged. Applied to the sources and the result of an .ftz instruction.
  llvm::Value *flushSubnormal(llvm::Value *v);
  /// Floating-point `.sat`: v clamped to [+0.0, 1.0], NaN (and -0.0) to +0.0.
  llvm::Value *saturate(llvm::Value *v);
  /// A call to an ox.* function of the given type (declared on first use).
  llvm::Value *oxCall(const std::string &fn, llvm::Type *result, llvm::ArrayRef<llvm::Value *> args,
                      bool readsState);
  /// An ox.* call that every thread of a warp (or CTA) must reach together: convergent, so
  /// LLVM neither duplicates it into divergent paths nor hoists it out of them.
  llvm::Value *convergentCall(const std::string &fn, llvm::Type *result, llvm::ArrayRef<llvm::Value *> args);
  llvm::BasicBlock *labelBlock(ptx::Symbol label);
  bool isKernel() const { return function_.isEntry; }
  llvm::Function *function() const { return f_; }
  /// A kernel parameter or device-function parameter by name (ld.param / st.param).
  llvm::Value *parameterAddress(ptx::Symbol name, int64_t offset);
  /// The condition code's carry flag CC.CF (an i1 slot, false on entry; created on first use).
  llvm::AllocaInst *carryFlag();
  /// Ends the block with the function's return: void, or its result parameters' values (one
  /// value, or a struct of them when the function returns several).
  void createReturn();
  /// Whether `inst` ended its block (a branch or return): the lowering starts a fresh one.
  void endBlock() { b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "dead", f_)); }

private:
  struct Register {
    llvm::AllocaInst *slot;
    ptx::Type type;
  };
  const ptx::Function &function_;
  llvm::Function *f_;
  llvm::BasicBlock *entry_;
  llvm::DenseMap<uint32_t, Register> registers_;
  llvm::DenseMap<uint32_t, llvm::BasicBlock *> labels_;
  llvm::DenseMap<uint32_t, llvm::Value *> locals_;   // .local / function-scope variables
  llvm::DenseMap<uint32_t, uint64_t> paramOffsets_; // kernel .param entries
  llvm::DenseMap<uint32_t, llvm::AllocaInst *> funcParams_;
  llvm::SmallVector<llvm::AllocaInst *, 2> returnSlots_; // result parameters, in order
  llvm::AllocaInst *carryFlag_ = nullptr;
  llvm::DenseMap<uint32_t, llvm::FunctionType *> callTypes_; // prototype / .calltargets label
  llvm::DenseMap<uint32_t, std::vector<ptx::Symbol>> branchTargets_; // .branchtargets label
  llvm::DenseMap<uint32_t, std::vector<Register>> vectorRegisters_;   // .reg .v2/.v4: elements
  bool ok_ = true;

  bool declare(const ptx::VariableDecl &decl);
  bool lowerStatements(const std::vector<ptx::Statement> &statements);
  bool lower(const ptx::Instruction &inst);
  Register *reg(ptx::Symbol name);
  /// The register an operand names: a scalar register, or an element of a vector register.
  Register *registerOf(const ptx::Operand &operand);
  ptx::Instruction expandVectorRegisters(const ptx::Instruction &inst);
};

/// The LLVM address space of a PTX state space (generic for .local and none).
unsigned addressSpaceOf(ptx::StateSpace space);

// Instruction families (Lower*.cpp).
bool lowerArithmetic(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerLogic(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerCompare(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerConversion(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerMemory(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerAsyncCopy(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerMbarrier(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerTensor(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerTexture(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerClusterAddress(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerConversionCall(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerMemoryCall(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerControl(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerBits(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerCall(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerAtomic(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerWarp(FunctionLowering &l, const ptx::Instruction &inst);
/// Memory order and sync scope of PTX's .sem and .scope (LowerAtomic.cpp).
llvm::AtomicOrdering orderingOf(ptx::Mod semantics);
llvm::SyncScope::ID scopeOf(llvm::LLVMContext &ctx, ptx::Mod scope);
bool lowerMath(FunctionLowering &l, const ptx::Instruction &inst);
bool lowerInteger(FunctionLowering &l, const ptx::Instruction &inst);
/// Special registers (%tid.x, %laneid, ...) as ox.* calls; nullptr if `operand` is not one.
/// `component` names the element of a vector one when the operand does not (%tid → "y").
llvm::Value *specialRegister(FunctionLowering &l, const ptx::Operand &operand, std::string_view component = {});

} // namespace oxptx::translate
