#include "translate/FunctionLowering.h"

#include <llvm/IR/CFG.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {

using ptx::Operand;
using ptx::Type;

FunctionLowering::FunctionLowering(ModuleContext &module, const ptx::Function &function,
                                   llvm::Function *f)
    : mod(module), b(f->getContext()), ctx(f->getContext()), function_(function), f_(f) {}

bool FunctionLowering::unsupported(const ptx::Instruction &inst, const std::string &what) {
  mod.diagnostics.error(inst.loc, "unsupported: " + what + " in '" +
                                      std::string(inst.spec().name) + "' (function " +
                                      std::string(name(function_.name)) +
                                      " is not translated; see docs/ptx-coverage.md)");
  ok_ = false;
  return false;
}

// ------------------------------------------------------------------------------ types

llvm::Type *FunctionLowering::typeOf(Type type) {
  switch (type) {
  case Type::Pred: return b.getInt1Ty();
  case Type::F16: return b.getHalfTy();
  case Type::BF16: return b.getBFloatTy();
  case Type::F32: return b.getFloatTy();
  case Type::F64: return b.getDoubleTy();
  default: return b.getIntNTy(std::max(1u, bitsOf(type)));
  }
}

bool FunctionLowering::isFloat(Type type) {
  return type == Type::F16 || type == Type::BF16 || type == Type::F32 || type == Type::F64;
}
bool FunctionLowering::isSigned(Type type) { return ptx::typeInfo(type).kind == ptx::TypeKind::Signed; }
unsigned FunctionLowering::bitsOf(Type type) { return type == Type::Pred ? 1 : ptx::typeInfo(type).bits; }

// ------------------------------------------------------------------------------ operands

FunctionLowering::Register *FunctionLowering::reg(ptx::Symbol name) {
  auto it = registers_.find(name.id);
  return it == registers_.end() ? nullptr : &it->second;
}

FunctionLowering::Register *FunctionLowering::registerOf(const Operand &operand) {
  if (operand.kind != Operand::Kind::Name)
    return nullptr;
  auto vector = vectorRegisters_.find(operand.name.id);
  if (vector == vectorRegisters_.end())
    return reg(operand.name);
  // An element: `%v.x` (.x/.y/.z/.w or .r/.g/.b/.a), or element k of an expanded whole vector.
  size_t index = operand.bits ? size_t(operand.bits - 1) : SIZE_MAX;
  if (operand.component) {
    std::string_view c = name(operand.component);
    size_t at = std::string_view("xyzw").find(c), colour = std::string_view("rgba").find(c);
    index = c.size() != 1 ? SIZE_MAX : at != std::string_view::npos ? at : colour;
  }
  return index < vector->second.size() ? &vector->second[index] : nullptr;
}

/// A whole vector register used as an operand (`ld.global.v4.f32 %v, [a]`) becomes the brace
/// list of its elements, which is what the families lower. Element k is the register's name
/// with `bits` = k + 1 (registerOf); nothing else carries an offset on a register name.
ptx::Instruction FunctionLowering::expandVectorRegisters(const ptx::Instruction &inst) {
  ptx::Instruction copy = inst;
  for (Operand &o : copy.operands) {
    auto vector = o.kind == Operand::Kind::Name && !o.component ? vectorRegisters_.find(o.name.id)
                                                                : vectorRegisters_.end();
    if (vector == vectorRegisters_.end())
      continue;
    std::vector<Operand> elements(vector->second.size(), o);
    for (size_t k = 0; k < elements.size(); ++k)
      elements[k].bits = k + 1;
    o.kind = Operand::Kind::Vector;
    o.elements = std::move(elements);
  }
  return copy;
}

/// `value` (an integer or floating-point scalar) as `to`: same width by bitcast, otherwise
/// through integers, truncating or extending by `signedExtend`.
static llvm::Value *convertBits(llvm::IRBuilder<> &b, llvm::Value *value, llvm::Type *to,
                                bool signedExtend) {
  llvm::Type *from = value->getType();
  if (from == to)
    return value;
  unsigned fromBits = from->getPrimitiveSizeInBits(), toBits = to->getPrimitiveSizeInBits();
  if (fromBits == toBits)
    return b.CreateBitCast(value, to);
  if (!from->isIntegerTy())
    value = b.CreateBitCast(value, b.getIntNTy(fromBits));
  llvm::Type *toInt = b.getIntNTy(toBits);
  value = toBits < fromBits ? b.CreateTrunc(value, toInt)
          : signedExtend    ? b.CreateSExt(value, toInt)
                            : b.CreateZExt(value, toInt);
  return to->isIntegerTy() ? value : b.CreateBitCast(value, to);
}

llvm::Value *FunctionLowering::read(const Operand &operand, Type type) {
  llvm::Type *want = typeOf(type);
  switch (operand.kind) {
  case Operand::Kind::List: // a parenthesized constant expression, `(2 * 21)`, reads as a
    // one-element list
    return operand.elements.size() == 1 ? read(operand.elements[0], type) : nullptr;
  case Operand::Kind::Integer:
    if (want->isFloatingPointTy())
      return llvm::ConstantFP::get(want, double(int64_t(operand.bits)));
    return llvm::ConstantInt::get(want, operand.bits);
  case Operand::Kind::Float32:
  case Operand::Kind::Float64: {
    bool single = operand.kind == Operand::Kind::Float32;
    llvm::APFloat value = single ? llvm::APFloat(llvm::bit_cast<float>(uint32_t(operand.bits)))
                                 : llvm::APFloat(llvm::bit_cast<double>(operand.bits));
    if (!want->isFloatingPointTy()) // a float literal in a bit-typed instruction: its bits
      return llvm::ConstantInt::get(want, operand.bits);
    bool lost;
    value.convert(want->getFltSemantics(), llvm::APFloat::rmNearestTiesToEven, &lost);
    return llvm::ConstantFP::get(ctx, value);
  }
  case Operand::Kind::Name: {
    if (Register *r = registerOf(operand)) {
      llvm::Value *v = b.CreateLoad(r->slot->getAllocatedType(), r->slot);
      return convertBits(b, v, want, isSigned(r->type));
    }
    if (llvm::Value *special = specialRegister(*this, operand))
      return convertBits(b, special, want, false);
    if (name(operand.name) == "WARP_SZ") // PTX's one predefined constant
      return llvm::ConstantInt::get(want, 32);
    // A variable's address (mov.u64 %rd, var): its generic or space address as an integer.
    if (auto var = mod.variables.find(operand.name.id); var != mod.variables.end())
      return b.CreatePtrToInt(b.CreateConstGEP1_64(b.getInt8Ty(), var->second, operand.offset()), want);
    if (auto local = locals_.find(operand.name.id); local != locals_.end())
      return b.CreatePtrToInt(b.CreateConstGEP1_64(b.getInt8Ty(), local->second, operand.offset()), want);
    if (auto param = paramOffsets_.find(operand.name.id); param != paramOffsets_.end())
      return b.CreatePtrToInt(parameterAddress(operand.name, operand.offset()), want);
    if (llvm::Function *f = mod.module.getFunction(name(operand.name))) // mov.u64 %rd, func
      return b.CreatePtrToInt(f, want);
    return nullptr;
  }
  default: return nullptr;
  }
}

bool FunctionLowering::write(const Operand &dest, llvm::Value *value, Type type) {
  if (dest.kind == Operand::Kind::Sink)
    return true;
  Register *r = registerOf(dest);
  if (!r)
    return false;
  llvm::Type *slot = r->slot->getAllocatedType();
  b.CreateStore(convertBits(b, value, slot, isSigned(type)), r->slot);
  return true;
}

llvm::Value *FunctionLowering::predicate(const Operand &operand) {
  llvm::Value *p = read(operand, Type::Pred);
  if (p && operand.negated)
    p = b.CreateNot(p);
  return p;
}

unsigned addressSpaceOf(ptx::StateSpace space) {
  switch (space) {
  case ptx::StateSpace::Global: return kGlobal;
  case ptx::StateSpace::Shared:
  case ptx::StateSpace::SharedCta: return kShared;
  case ptx::StateSpace::SharedCluster: return kSharedCluster;
  case ptx::StateSpace::Const: return kConst;
  case ptx::StateSpace::Param:
  case ptx::StateSpace::ParamEntry: return kParam;
  default: return kGeneric; // generic, and .local (per-thread allocas, addressed generically)
  }
}

llvm::Value *FunctionLowering::parameterAddress(ptx::Symbol name, int64_t offset) {
  if (auto it = paramOffsets_.find(name.id); it != paramOffsets_.end())
    return b.CreateConstGEP1_64(b.getInt8Ty(), f_->getArg(0), int64_t(it->second) + offset);
  if (auto it = funcParams_.find(name.id); it != funcParams_.end())
    return b.CreateConstGEP1_64(b.getInt8Ty(), it->second, offset);
  return nullptr;
}

llvm::Value *FunctionLowering::address(const Operand &operand, ptx::StateSpace space) {
  if (operand.kind != Operand::Kind::Address)
    return nullptr;
  unsigned as = addressSpaceOf(space);
  llvm::Type *ptrTy = b.getPtrTy(as);
  if (!operand.name) // [immediate]
    return b.CreateIntToPtr(b.getInt64(operand.bits), ptrTy);
  if (Register *r = reg(operand.name)) {
    llvm::Value *base = read(registerOperand(operand.name, operand.loc),
                             bitsOf(r->type) == 32 ? Type::U32 : Type::U64);
    if (base->getType()->getIntegerBitWidth() == 32)
      base = b.CreateZExt(base, b.getInt64Ty());
    return b.CreateIntToPtr(b.CreateAdd(base, b.getInt64(operand.bits)), ptrTy);
  }
  if (space == ptx::StateSpace::Param || space == ptx::StateSpace::ParamEntry ||
      paramOffsets_.count(operand.name.id) || funcParams_.count(operand.name.id))
    return parameterAddress(operand.name, operand.offset());
  llvm::Value *base = nullptr;
  if (auto var = mod.variables.find(operand.name.id); var != mod.variables.end())
    base = var->second;
  else if (auto local = locals_.find(operand.name.id); local != locals_.end())
    base = local->second;
  if (!base)
    return nullptr;
  llvm::Value *p = b.CreateConstGEP1_64(b.getInt8Ty(), base, operand.offset());
  return p->getType() == ptrTy ? p : b.CreateAddrSpaceCast(p, ptrTy);
}

llvm::Value *FunctionLowering::oxCall(const std::string &fn, llvm::Type *result,
                                      llvm::ArrayRef<llvm::Value *> args, bool readsState) {
  llvm::SmallVector<llvm::Type *, 4> params;
  for (llvm::Value *a : args)
    params.push_back(a->getType());
  auto callee = mod.module.getOrInsertFunction(fn, llvm::FunctionType::get(result, params, false));
  if (auto *f = llvm::dyn_cast<llvm::Function>(callee.getCallee()); f && f->empty()) {
    f->addFnAttr(llvm::Attribute::NoUnwind);
    if (!readsState)
      f->setDoesNotAccessMemory();
  }
  return b.CreateCall(callee, args);
}

llvm::Value *FunctionLowering::flushSubnormal(llvm::Value *v) {
  llvm::Type *t = v->getType();
  const llvm::fltSemantics &format = t->getScalarType()->getFltSemantics();
  llvm::Value *smallest = llvm::ConstantFP::get(t, llvm::APFloat::getSmallestNormalized(format));
  llvm::Value *tiny = b.CreateFCmpOLT(b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v), smallest);
  llvm::Value *zero = b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, llvm::ConstantFP::get(t, 0.0), v);
  return b.CreateSelect(tiny, zero, v);
}

llvm::Value *FunctionLowering::saturate(llvm::Value *v) {
  llvm::Type *t = v->getType();
  llvm::Value *zero = llvm::ConstantFP::get(t, 0.0), *one = llvm::ConstantFP::get(t, 1.0);
  llvm::Value *belowOne = b.CreateSelect(b.CreateFCmpOLT(v, one), v, one);
  return b.CreateSelect(b.CreateFCmpOGT(v, zero), belowOne, zero); // NaN, -0.0 and below: +0.0
}

llvm::Value *FunctionLowering::convergentCall(const std::string &fn, llvm::Type *result,
                                              llvm::ArrayRef<llvm::Value *> args) {
  auto *call = llvm::cast<llvm::CallInst>(oxCall(fn, result, args, true));
  call->getCalledFunction()->addFnAttr(llvm::Attribute::Convergent);
  call->addFnAttr(llvm::Attribute::Convergent);
  return call;
}

llvm::Value *FunctionLowering::opaqueHandle(const Operand &operand) {
  if (operand.kind != Operand::Kind::Name)
    return nullptr;
  if (registerOf(operand)) // a texture/surface object in a register
    return read(operand, Type::U64);
  if (auto var = mod.variables.find(operand.name.id); var != mod.variables.end()) // module .texref
    return b.CreateLoad(b.getInt64Ty(), var->second);
  if (llvm::Value *param = paramOffsets_.count(operand.name.id) ? parameterAddress(operand.name, 0) : nullptr)
    return b.CreateLoad(b.getInt64Ty(), param); // a .texref kernel parameter
  return nullptr;
}

llvm::AllocaInst *FunctionLowering::carryFlag() {
  if (!carryFlag_) {
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    carryFlag_ = eb.CreateAlloca(eb.getInt1Ty(), nullptr, "cc.cf");
    eb.CreateStore(eb.getFalse(), carryFlag_);
  }
  return carryFlag_;
}

llvm::BasicBlock *FunctionLowering::labelBlock(ptx::Symbol label) {
  auto it = labels_.find(label.id);
  return it == labels_.end() ? nullptr : it->second;
}

// ------------------------------------------------------------------------------ body

bool FunctionLowering::declare(const ptx::VariableDecl &decl) {
  for (const ptx::Declarator &d : decl.declarators) {
    if (decl.space == ptx::StateSpace::Reg) {
      if (decl.vectorWidth != 1) { // .reg .v4 .f32 %v: one slot per element
        if (d.rangeCount)
          return false;
        llvm::IRBuilder<> eb(entry_, entry_->begin());
        std::vector<Register> &elements = vectorRegisters_[d.name.id];
        for (unsigned k = 0; k < decl.vectorWidth; ++k)
          elements.push_back({eb.CreateAlloca(typeOf(decl.type), nullptr,
                                              std::string(name(d.name)) + "." + "xyzw"[k % 4]),
                              decl.type});
        continue;
      }
      auto add = [&](ptx::Symbol s) {
        llvm::IRBuilder<> eb(entry_, entry_->begin());
        registers_[s.id] = {eb.CreateAlloca(typeOf(decl.type), nullptr, name(s)), decl.type};
      };
      if (d.rangeCount) {
        std::string base(name(d.name));
        for (uint32_t i = 0; i < d.rangeCount; ++i)
          if (auto s = mod.ptx.names.find(base + std::to_string(i)))
            add(*s);
      } else {
        add(d.name);
      }
      continue;
    }
    // Arrays and scalars of .local (per-thread: an alloca) or .shared (per CTA: a global).
    uint64_t count = 1;
    for (const auto &dim : d.dims)
      count *= dim.value_or(0);
    uint32_t elementBytes = std::max(1u, bitsOf(decl.type) / 8) * decl.vectorWidth;
    uint64_t bytes = count * elementBytes;
    llvm::Type *storage = llvm::ArrayType::get(b.getInt8Ty(), bytes);
    llvm::Align align(std::max<uint32_t>(decl.align, elementBytes)); // natural alignment at least
    if (decl.space == ptx::StateSpace::Local) {
      llvm::IRBuilder<> eb(entry_, entry_->begin());
      llvm::AllocaInst *slot = eb.CreateAlloca(storage, nullptr, name(d.name));
      slot->setAlignment(align);
      locals_[d.name.id] = slot;
    } else if (decl.space == ptx::StateSpace::Shared) {
      auto *g = new llvm::GlobalVariable(mod.module, storage, false,
                                         llvm::GlobalValue::InternalLinkage,
                                         llvm::UndefValue::get(storage),
                                         std::string(name(function_.name)) + "." +
                                             std::string(name(d.name)),
                                         nullptr, llvm::GlobalValue::NotThreadLocal, kShared);
      g->setAlignment(align);
      locals_[d.name.id] = g;
    } else if (decl.space == ptx::StateSpace::Param) { // a call's argument or result slot
      llvm::IRBuilder<> eb(entry_, entry_->begin());
      llvm::AllocaInst *slot = eb.CreateAlloca(storage, nullptr, name(d.name));
      slot->setAlignment(align);
      funcParams_[d.name.id] = slot;
    } else {
      return false;
    }
  }
  return true;
}

bool FunctionLowering::lowerStatements(const std::vector<ptx::Statement> &statements) {
  for (const ptx::Statement &s : statements) {
    bool ok = std::visit(
        [&](const auto &node) -> bool {
          using N = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<N, ptx::Instruction>) {
            return lower(node);
          } else if constexpr (std::is_same_v<N, ptx::Label>) {
            llvm::BasicBlock *block = labelBlock(node.name);
            if (!b.GetInsertBlock()->getTerminator())
              b.CreateBr(block);
            b.SetInsertPoint(block);
            return true;
          } else if constexpr (std::is_same_v<N, ptx::VariableDecl>) {
            if (!declare(node)) {
              mod.diagnostics.error(node.loc, "unsupported: this declaration (function " +
                                                  std::string(name(function_.name)) +
                                                  " is not translated)");
              return false;
            }
            return true;
          } else if constexpr (std::is_same_v<N, std::vector<ptx::Statement>>) {
            return lowerStatements(node);
          } else if constexpr (std::is_same_v<N, ptx::CallPrototype>) {
            std::string problem;
            if (llvm::FunctionType *t = deviceFunctionType(ctx, node.returns, node.params, problem))
              callTypes_[node.name.id] = t;
            return true; // a call through an untyped label reports itself
          } else if constexpr (std::is_same_v<N, ptx::TargetList>) {
            // .calltargets: the targets share one signature, that of the first
            if (node.calls && !node.targets.empty())
              if (llvm::Function *f = mod.module.getFunction(name(node.targets.front())))
                callTypes_[node.name.id] = f->getFunctionType();
            return true;
          } else {
            return true; // .loc, pragmas and .branchtargets carry no semantics here
          }
        },
        s.node);
    if (!ok)
      return false;
  }
  return true;
}

bool FunctionLowering::lower(const ptx::Instruction &inst) {
  // A guarded instruction (other than a branch, which reads its guard itself) runs in a block
  // of its own.
  llvm::BasicBlock *join = nullptr;
  bool branch = inst.opcode == ptx::Opcode::Bra;
  if (inst.guard && !branch) {
    llvm::Value *p = predicate(registerOperand(inst.guard, inst.loc, inst.guardNegated));
    if (!p)
      return unsupported(inst, "the guard predicate");
    llvm::BasicBlock *then = llvm::BasicBlock::Create(ctx, "guarded", f_);
    join = llvm::BasicBlock::Create(ctx, "join", f_);
    b.CreateCondBr(p, then, join);
    b.SetInsertPoint(then);
  }
  // The family that lowers the instruction, from the one table of what is translated.
  using Lower = bool (*)(FunctionLowering &, const ptx::Instruction &);
  static const std::vector<Lower> kFamilies = [] {
    std::vector<Lower> t(size_t(ptx::Opcode::NumOpcodes), nullptr);
#define TRANSLATED(E, lower, status) t[size_t(ptx::Opcode::E)] = lower;
#include "translate/Instructions.def"
    return t;
  }();
  Lower family = size_t(inst.opcode) < kFamilies.size() ? kFamilies[size_t(inst.opcode)] : nullptr;
  if (!family)
    return unsupported(inst, "the instruction (not translated yet)");
  bool done = vectorRegisters_.empty() ? family(*this, inst) : family(*this, expandVectorRegisters(inst));
  if (!done)
    return false;
  if (join) {
    if (!b.GetInsertBlock()->getTerminator())
      b.CreateBr(join);
    b.SetInsertPoint(join);
  }
  return true;
}

/// The LLVM type a device-function parameter is passed as: its PTX type, or an integer of its
/// size for byte arrays; nullptr if too large for one value.
static llvm::Type *parameterType(llvm::LLVMContext &ctx, const ptx::VariableDecl &p, const ptx::Declarator &d) {
  uint64_t count = 1;
  for (const auto &dim : d.dims)
    count *= dim.value_or(1);
  unsigned bits = std::max(1u, FunctionLowering::bitsOf(p.type)) * p.vectorWidth;
  if (count == 1 && p.vectorWidth == 1) {
    llvm::IRBuilder<> b(ctx);
    switch (p.type) {
    case ptx::Type::F32: return b.getFloatTy();
    case ptx::Type::F64: return b.getDoubleTy();
    default: return b.getIntNTy(std::max(8u, bits));
    }
  }
  uint64_t total = count * std::max(8u, bits);
  return total <= 128 ? llvm::IntegerType::get(ctx, unsigned(total)) : nullptr;
}

llvm::FunctionType *FunctionLowering::deviceFunctionType(llvm::LLVMContext &ctx,
                                                         const std::vector<ptx::VariableDecl> &returns,
                                                         const std::vector<ptx::VariableDecl> &params,
                                                         std::string &problem) {
  llvm::SmallVector<llvm::Type *, 8> types;
  for (const ptx::VariableDecl &p : params)
    for (const ptx::Declarator &d : p.declarators) {
      llvm::Type *t = parameterType(ctx, p, d);
      if (!t) {
        problem = "a parameter larger than 16 bytes";
        return nullptr;
      }
      types.push_back(t);
    }
  llvm::SmallVector<llvm::Type *, 2> results; // several: returned as a struct of them
  for (const ptx::VariableDecl &r : returns)
    for (const ptx::Declarator &d : r.declarators) {
      llvm::Type *t = parameterType(ctx, r, d);
      if (!t) {
        problem = "a return value larger than 16 bytes";
        return nullptr;
      }
      results.push_back(t);
    }
  llvm::Type *result = results.empty()       ? llvm::Type::getVoidTy(ctx)
                       : results.size() == 1 ? results.front()
                                             : llvm::StructType::get(ctx, results);
  return llvm::FunctionType::get(result, types, false);
}

/// Whether a device function's parameter is declared in the register space as one scalar (its
/// value type and the LLVM argument's then agree; predicates travel as bytes and stay slots).
static bool isScalarRegister(const ptx::VariableDecl &p, const ptx::Declarator &d) {
  return p.space == ptx::StateSpace::Reg && d.dims.empty() && p.vectorWidth == 1 &&
         p.type != Type::Pred;
}

bool FunctionLowering::run() {
  entry_ = llvm::BasicBlock::Create(ctx, "entry", f_);
  llvm::BasicBlock *body = llvm::BasicBlock::Create(ctx, "body", f_);
  b.SetInsertPoint(body);

  // Parameters: a kernel's live in its parameter buffer at PTX offsets; a device function's
  // arguments are stored to slots that ld.param/st.param address.
  unsigned argument = 0;
  ptx::ParamLayout layout = ptx::kernelParamLayout(function_);
  for (const ptx::VariableDecl &p : function_.params) {
    for (const ptx::Declarator &d : p.declarators) {
      auto [size, align] = ptx::paramExtent(p, d);
      if (isKernel()) {
        paramOffsets_[d.name.id] = layout.slots[argument++].offset;
      } else if (isScalarRegister(p, d)) { // .func f(.reg .b32 a): `a` is a register
        llvm::IRBuilder<> eb(entry_);
        llvm::AllocaInst *slot = eb.CreateAlloca(typeOf(p.type), nullptr, name(d.name));
        eb.CreateStore(convertBits(eb, f_->getArg(argument++), typeOf(p.type), false), slot);
        registers_[d.name.id] = {slot, p.type};
      } else {
        llvm::IRBuilder<> eb(entry_);
        llvm::Type *t = llvm::ArrayType::get(b.getInt8Ty(), size);
        llvm::AllocaInst *slot = eb.CreateAlloca(t, nullptr, name(d.name));
        slot->setAlignment(llvm::Align(align));
        eb.CreateStore(f_->getArg(argument++), slot);
        funcParams_[d.name.id] = slot;
      }
    }
  }
  if (isKernel()) // the size of the parameter buffer cuLaunchKernel fills (kernel image metadata)
    f_->addFnAttr("ox-param-bytes", std::to_string(layout.bytes));
  for (const ptx::VariableDecl &r : function_.returns)
    for (const ptx::Declarator &d : r.declarators) {
      llvm::IRBuilder<> eb(entry_);
      if (isScalarRegister(r, d)) { // .func (.reg .b32 r) f(...): `r` is a register
        returnSlots_.push_back(eb.CreateAlloca(typeOf(r.type), nullptr, name(d.name)));
        registers_[d.name.id] = {returnSlots_.back(), r.type};
        continue;
      }
      uint64_t size = std::max(1u, bitsOf(r.type) / 8) * r.vectorWidth;
      llvm::AllocaInst *slot = eb.CreateAlloca(llvm::ArrayType::get(b.getInt8Ty(), size), nullptr, name(d.name));
      slot->setAlignment(llvm::Align(std::max<uint64_t>(r.align, std::max(1u, bitsOf(r.type) / 8))));
      returnSlots_.push_back(slot);
      funcParams_[d.name.id] = slot;
    }

  // Blocks for every label, so that forward branches find theirs.
  std::function<void(const std::vector<ptx::Statement> &)> collect =
      [&](const std::vector<ptx::Statement> &statements) {
        for (const ptx::Statement &s : statements) {
          if (const auto *label = std::get_if<ptx::Label>(&s.node))
            labels_[label->name.id] = llvm::BasicBlock::Create(ctx, name(label->name), f_);
          else if (const auto *list = std::get_if<ptx::TargetList>(&s.node); list && !list->calls)
            branchTargets_[list->name.id] = list->targets; // for brx.idx, wherever it is declared
          else if (const auto *block = std::get_if<std::vector<ptx::Statement>>(&s.node))
            collect(*block);
        }
      };
  collect(*function_.body);

  if (!lowerStatements(*function_.body) || !ok_)
    return false;
  llvm::IRBuilder<>(entry_).CreateBr(body);
  // Blocks opened after a branch or return that nothing reaches are dropped; a body that runs
  // off its end returns, as in PTX.
  for (llvm::BasicBlock &block : llvm::make_early_inc_range(*f_)) {
    if (block.getTerminator())
      continue;
    if (block.empty() && llvm::pred_empty(&block)) {
      block.eraseFromParent();
      continue;
    }
    b.SetInsertPoint(&block);
    createReturn();
  }
  return true;
}

void FunctionLowering::createReturn() {
  llvm::Type *result = f_->getReturnType();
  if (result->isVoidTy()) {
    b.CreateRetVoid();
    return;
  }
  auto *fields = llvm::dyn_cast<llvm::StructType>(result);
  if (!fields) {
    b.CreateRet(b.CreateLoad(result, returnSlots_.front()));
    return;
  }
  llvm::Value *all = llvm::PoisonValue::get(result);
  for (unsigned i = 0; i < fields->getNumElements(); ++i)
    all = b.CreateInsertValue(all, b.CreateLoad(fields->getElementType(i), returnSlots_[i]), i);
  b.CreateRet(all);
}

} // namespace oxptx::translate
