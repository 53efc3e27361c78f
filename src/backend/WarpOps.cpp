// The translator's ox.* calls in the per-warp function (docs/translator.md lists them): special
// registers from the warp's lane ids and the Xox CSRs, CTA barriers as Xox instructions, and the
// warp-collective operations as vector operations over the exec mask (docs/backend.md).
#include "backend/Vectorizer.h"
#include "backend/Xox.h"

#include <llvm/ADT/StringSwitch.h>
#include <llvm/IR/IntrinsicsRISCV.h>
#include <llvm/Support/MathExtras.h>

#include <cstdio>
#include <optional>
#include <llvm/IR/InlineAsm.h>

namespace oxptx::backend {

using llvm::Value;

namespace {

/// A CSR read in the per-warp entry block: launch constants are read once per warp.
Value *launchCsr(Vectorizer &v, uint16_t csr) {
  llvm::IRBuilder<> eb(v.entry_);
  if (llvm::Instruction *end = v.entry_->getTerminator())
    eb.SetInsertPoint(end);
  auto *read = llvm::cast<llvm::CallInst>(xox::readCsr(eb, csr));
  read->setDoesNotAccessMemory();
  return eb.CreateTrunc(read, eb.getInt32Ty());
}

unsigned dimension(llvm::StringRef name) { return name.back() - 'x'; }

/// %tid.x/y/z of each lane: t = 32·warp + lane, tid.x = t mod X, tid.y = (t / X) mod Y,
/// tid.z = t / (X·Y) (docs/oxcore-isa.md §3.3).
Value *threadIds(Vectorizer &v, unsigned dim) {
  llvm::IRBuilder<> &b = v.b_;
  Value *t = b.CreateAdd(v.splat(b.CreateShl(v.warpId_, 5)), v.laneIds_);
  Value *x = v.splat(launchCsr(v, xox::kNtidX)), *y = v.splat(launchCsr(v, xox::kNtidX + 1));
  switch (dim) {
  case 0:
    return b.CreateURem(t, x);
  case 1:
    return b.CreateURem(b.CreateUDiv(t, x), y);
  default:
    return b.CreateUDiv(t, b.CreateMul(x, y));
  }
}

/// Special registers: (value, uniform).
std::pair<Value *, bool> specialRegister(Vectorizer &v, llvm::StringRef name, llvm::Type *type) {
  llvm::IRBuilder<> &b = v.b_;
  auto zext = [&](Value *x) { return b.CreateZExtOrTrunc(x, type); };
  if (name.starts_with("tid."))
    return {threadIds(v, dimension(name)), false};
  if (name.starts_with("ntid."))
    return {zext(launchCsr(v, xox::kNtidX + dimension(name))), true};
  if (name.starts_with("ctaid.") || name.starts_with("clusterid."))
    return {zext(launchCsr(v, xox::kCtaidX + dimension(name))), true};
  if (name.starts_with("nctaid.") || name.starts_with("nclusterid."))
    return {zext(launchCsr(v, xox::kNctaidX + dimension(name))), true};
  if (name.starts_with("cluster_ctaid.") || name == "cluster_ctarank" || name == "is_explicit_cluster")
    return {llvm::Constant::getNullValue(type), true}; // a v1 cluster is one CTA
  if (name.starts_with("cluster_nctaid.") || name == "cluster_nctarank")
    return {llvm::ConstantInt::get(type, 1), true};
  if (name == "laneid")
    return {v.laneIds_, false};
  if (name.starts_with("lanemask_")) {
    Value *one = v.splat(b.getInt32(1));
    Value *eq = b.CreateShl(one, v.laneIds_);
    Value *lt = b.CreateSub(eq, one), *le = b.CreateOr(lt, eq);
    return {llvm::StringSwitch<Value *>(name.substr(9))
                .Case("eq", eq)
                .Case("lt", lt)
                .Case("le", le)
                .Case("gt", b.CreateNot(le))
                .Default(b.CreateNot(lt)),
            false};
  }
  if (name == "warpid")
    return {zext(v.warpId_), true};
  uint16_t csr = llvm::StringSwitch<uint16_t>(name)
                     .Case("nwarpid", xox::kNhwtid)
                     .Case("smid", xox::kCoreid)
                     .Case("nsmid", xox::kNcores)
                     .Case("gridid", xox::kGridid)
                     .Case("dynamic_smem_size", xox::kSmemDyn)
                     .Case("total_smem_size", xox::kSmemTotal)
                     .Case("aggr_smem_size", xox::kSmemTotal)
                     .Case("reserved_smem_offset_begin", xox::kSmemRsvBegin)
                     .Case("reserved_smem_offset_end", xox::kSmemRsvBegin + 1)
                     .Case("reserved_smem_offset_cap", xox::kSmemRsvBegin + 2)
                     .Case("reserved_smem_offset_0", xox::kSmemRsvBegin + 3)
                     .Case("reserved_smem_offset_1", xox::kSmemRsvBegin + 4)
                     .Default(0);
  if (name.starts_with("envreg"))
    csr = xox::kEnvreg0 + uint16_t(std::stoi(name.substr(6).str()));
  if (csr)
    return {csr == xox::kGridid ? b.CreateZExtOrTrunc(xox::readCsr(b, csr), type)
                                : zext(launchCsr(v, csr)),
            true};
  // counters: read where the program reads them
  if (name.starts_with("pm")) // %pm0-7 (and _64): the hart's instructions retired (docs/oxcore-isa.md §3.3)
    return {b.CreateZExtOrTrunc(xox::readCsr(b, xox::kInstret, true), type), true};
  if (name == "clock" || name == "clock64" || name == "clock_hi" || name.starts_with("globaltimer")) {
    Value *c = xox::readCsr(b, name.starts_with("clock") ? xox::kClock : xox::kGlobaltimer, true);
    if (name == "clock_hi" || name == "globaltimer_hi")
      c = b.CreateLShr(c, 32);
    return {b.CreateZExtOrTrunc(c, type), true};
  }
  return {nullptr, false};
}

/// The lanes of `mask` that are in the i32 member mask.
Value *members(Vectorizer &v, const Value *memberMask) {
  Value *bits = v.firstLane(memberMask, v.exec_);
  return v.b_.CreateAnd(v.exec_, v.bitsMask(bits));
}

/// shfl.sync (PTX ISA): with segmask = c[12:8], maxLane = (lane & segmask) | (c[4:0] & ~segmask),
/// minLane = lane & segmask; up: j = lane − b, valid j ≥ maxLane; down: j = lane + b, valid
/// j ≤ maxLane; bfly: j = lane ^ b; idx: j = minLane | (b[4:0] & ~segmask); else j ≤ maxLane.
/// An invalid j reads the lane's own value; the predicate says whether j was valid.
Value *shuffle(Vectorizer &v, llvm::StringRef mode, llvm::CallInst &call) {
  llvm::IRBuilder<> &b = v.b_;
  Value *a = v.vector(call.getArgOperand(0));
  Value *bv = b.CreateAnd(v.vector(call.getArgOperand(1)), v.splat(b.getInt32(31)));
  Value *c = v.vector(call.getArgOperand(2));
  Value *lane = v.laneIds_;
  Value *segmask = b.CreateAnd(b.CreateLShr(c, v.splat(b.getInt32(8))), v.splat(b.getInt32(31)));
  Value *notSeg = b.CreateXor(segmask, v.splat(b.getInt32(31)));
  Value *maxLane = b.CreateOr(b.CreateAnd(lane, segmask),
                              b.CreateAnd(b.CreateAnd(c, v.splat(b.getInt32(31))), notSeg));
  Value *minLane = b.CreateAnd(lane, segmask);
  Value *j, *valid;
  if (mode == "up") {
    j = b.CreateSub(lane, bv);
    valid = b.CreateICmpSGE(j, maxLane);
  } else {
    j = mode == "down" ? b.CreateAdd(lane, bv)
        : mode == "bfly" ? b.CreateXor(lane, bv)
                         : b.CreateOr(minLane, b.CreateAnd(bv, notSeg));
    valid = b.CreateICmpSLE(j, maxLane);
  }
  j = b.CreateSelect(valid, j, lane);
  Value *d;
  if (auto *known = llvm::dyn_cast<llvm::Constant>(j)) { // constant lane arguments fold: a permute
    llvm::SmallVector<int, kLanes> sources;
    for (unsigned l = 0; l < kLanes; ++l)
      sources.push_back(int(llvm::cast<llvm::ConstantInt>(known->getAggregateElement(l))->getZExtValue()));
    d = b.CreateShuffleVector(a, sources);
  } else { // one vrgather.vv on the 32 elements (VLEN 1024: <vscale x 2 x i32> is them)
    llvm::Type *i32 = b.getInt32Ty(), *whole = llvm::ScalableVectorType::get(i32, 2);
    auto scalable = [&](Value *x) {
      return b.CreateInsertVector(whole, llvm::PoisonValue::get(whole), b.CreateBitCast(x, v.wide(i32)), b.getInt64(0));
    };
    Value *gathered = b.CreateIntrinsic(llvm::Intrinsic::riscv_vrgather_vv, {whole, b.getInt64Ty()},
                                        {llvm::PoisonValue::get(whole), scalable(a), scalable(j), b.getInt64(kLanes)});
    d = b.CreateBitCast(b.CreateExtractVector(v.wide(i32), gathered, b.getInt64(0)), a->getType());
  }
  Value *result = llvm::PoisonValue::get(v.wide(call.getType()));
  result = b.CreateInsertValue(result, d, 0);
  return b.CreateInsertValue(result, valid, 1);
}

/// A warp operation over member lanes whose result is the group's. With a uniform member mask
/// that is one group and a uniform result; with a per-lane mask (cooperative groups' tiled and
/// labeled partitions: each lane names its own group) one round per distinct mask among the
/// active lanes, each lane taking its group's result.
Value *perMemberGroup(Vectorizer &v, const Value *memberMask, llvm::Type *resultType, bool &uniformResult,
                      llvm::function_ref<Value *(Value *group)> scalarFor) {
  llvm::IRBuilder<> &b = v.b_;
  uniformResult = v.isUniform(memberMask);
  if (uniformResult)
    return scalarFor(members(v, memberMask));
  llvm::Type *maskType = v.exec_->getType(), *wideType = v.wide(resultType);
  Value *left = v.entryAlloca(maskType, "groups.left"), *results = v.entryAlloca(wideType, "groups.results");
  b.CreateStore(v.exec_, left);
  b.CreateStore(llvm::PoisonValue::get(wideType), results);
  Value *masks = v.vector(memberMask);
  llvm::Function *f = b.GetInsertBlock()->getParent();
  auto *head = llvm::BasicBlock::Create(v.ctx_, "group", f), *done = llvm::BasicBlock::Create(v.ctx_, "groups.done", f);
  b.CreateBr(head);
  b.SetInsertPoint(head);
  Value *waiting = b.CreateLoad(maskType, left);
  Value *mask = v.firstLane(memberMask, waiting);
  Value *lanes = b.CreateAnd(waiting, b.CreateICmpEQ(masks, v.splat(mask)));
  Value *r = v.splat(scalarFor(b.CreateAnd(v.exec_, v.bitsMask(mask))));
  b.CreateStore(v.blend(lanes, r, b.CreateLoad(wideType, results)), results);
  Value *rest = b.CreateAnd(waiting, b.CreateNot(lanes));
  b.CreateStore(rest, left);
  b.CreateCondBr(v.any(rest), head, done);
  b.SetInsertPoint(done);
  return b.CreateLoad(wideType, results);
}

/// redux.sync.<op>.<type>: the reduction over the member lanes `active` (an identity elsewhere).
Value *reduce(Vectorizer &v, llvm::StringRef op, bool isSigned, llvm::CallInst &call, Value *active) {
  llvm::IRBuilder<> &b = v.b_;
  Value *a = v.vector(call.getArgOperand(0));
  if (op == "add")
    return b.CreateAddReduce(b.CreateSelect(active, a, v.splat(b.getInt32(0))));
  if (op == "and")
    return b.CreateAndReduce(b.CreateSelect(active, a, v.splat(b.getInt32(~0u))));
  if (op == "or")
    return b.CreateOrReduce(b.CreateSelect(active, a, v.splat(b.getInt32(0))));
  if (op == "xor")
    return b.CreateXorReduce(b.CreateSelect(active, a, v.splat(b.getInt32(0))));
  bool isMin = op == "min";
  uint32_t identity = isMin ? (isSigned ? 0x7fffffffu : ~0u) : (isSigned ? 0x80000000u : 0u);
  Value *x = b.CreateSelect(active, a, v.splat(b.getInt32(identity)));
  return isMin ? (isSigned ? b.CreateIntMinReduce(x, true) : b.CreateIntMinReduce(x, false))
               : b.CreateIntMaxReduce(x, isSigned);
}

/// match.any: per lane, the member lanes holding the same value; match.all: the member mask if
/// all members agree (and the predicate), else 0.
Value *match(Vectorizer &v, bool all, llvm::CallInst &call) {
  llvm::IRBuilder<> &b = v.b_;
  Value *active = members(v, call.getArgOperand(1));
  Value *a = v.vector(call.getArgOperand(0));
  Value *result = v.splat(b.getInt32(0));
  for (unsigned k = 0; k < kLanes; ++k) { // lane k's value against every lane's
    Value *same = b.CreateICmpEQ(a, v.splat(b.CreateExtractElement(a, b.getInt32(k))));
    Value *counts = b.CreateAnd(same, v.splat(b.CreateExtractElement(active, b.getInt32(k))));
    result = b.CreateOr(result, b.CreateSelect(counts, v.splat(b.getInt32(1u << k)),
                                               v.splat(b.getInt32(0))));
  }
  result = b.CreateSelect(active, result, v.splat(b.getInt32(0)));
  if (!all)
    return result;
  Value *bits = v.maskBits(active);
  Value *agree = b.CreateICmpEQ(result, v.splat(bits));
  Value *allAgree = b.CreateAndReduce(b.CreateOr(agree, b.CreateNot(active)));
  Value *out = llvm::PoisonValue::get(v.wide(call.getType()));
  out = b.CreateInsertValue(out, b.CreateSelect(allAgree, v.splat(bits), v.splat(b.getInt32(0))), 0);
  return b.CreateInsertValue(out, v.splat(allAgree), 1);
}

/// RISC-V's static rounding-mode operand for PTX .rz/.rm/.rp (docs/oxcore-isa.md §5).
const char *riscvRounding(llvm::StringRef mode) {
  return mode == "rz" ? "rtz" : mode == "rm" ? "rdn" : mode == "rp" ? "rup" : nullptr;
}

/// RISC-V's FP format letter of a PTX float type.
char formatLetter(llvm::StringRef type) {
  return type == "f32" ? 's' : type == "f64" ? 'd' : type == "f16" ? 'h' : 0;
}

/// f32 → bf16 with a directed rounding mode on the bits (OxCore has no scalar bf16 conversion):
/// truncate, then step away from zero when the dropped bits are non-zero and the mode rounds
/// that way for the sign; NaNs stay quiet NaNs.
Value *bf16Directed(llvm::IRBuilderBase &b, Value *x, llvm::StringRef mode) {
  Value *bits = b.CreateBitCast(x, b.getInt32Ty());
  Value *high = b.CreateLShr(bits, 16);
  Value *negative = b.CreateICmpSLT(bits, b.getInt32(0));
  Value *inexact = b.CreateICmpNE(b.CreateAnd(bits, 0xFFFF), b.getInt32(0));
  Value *away = mode == "rz" ? b.getFalse()
                : mode == "rp" ? b.CreateAnd(inexact, b.CreateNot(negative))
                               : b.CreateAnd(inexact, negative);
  Value *rounded = b.CreateAdd(high, b.CreateZExt(away, b.getInt32Ty()));
  Value *isNan = b.CreateFCmpUNO(x, x);
  rounded = b.CreateSelect(isNan, b.CreateOr(high, 0x40), rounded);
  return b.CreateBitCast(b.CreateTrunc(rounded, b.getInt16Ty()), b.getBFloatTy());
}

/// One lane of ox.<fadd|fsub|fmul|fdiv|fsqrt|fma>.<mode>.<type> or
/// ox.<fptrunc|sitofp|uitofp>.<mode>.<to>.<from>: a scalar RISC-V instruction with a static
/// rounding mode (inline assembly), or nullptr if the combination has none.
Value *directedLane(llvm::IRBuilderBase &b, llvm::StringRef op, llvm::StringRef mode, llvm::StringRef to,
                    llvm::StringRef from, llvm::ArrayRef<Value *> args, llvm::Type *result) {
  const char *rm = riscvRounding(mode);
  if (!rm)
    return nullptr;
  std::string text, constraints = "=f";
  std::vector<Value *> operands(args.begin(), args.end());
  if (op == "fptrunc") {
    if (to == "bf16")
      return from == "f32" ? bf16Directed(b, args[0], mode) : nullptr;
    if (!formatLetter(to) || !formatLetter(from))
      return nullptr;
    text = std::string("fcvt.") + formatLetter(to) + "." + formatLetter(from) + " $0, $1, " + rm;
    constraints += ",f";
  } else if (op == "sitofp" || op == "uitofp") {
    bool isSigned = op == "sitofp";
    unsigned bits = args[0]->getType()->getIntegerBitWidth();
    if (!formatLetter(to))
      return nullptr;
    if (bits < 32)
      operands[0] = isSigned ? b.CreateSExt(args[0], b.getInt32Ty()) : b.CreateZExt(args[0], b.getInt32Ty());
    std::string source = bits == 64 ? "l" : "w";
    text = std::string("fcvt.") + formatLetter(to) + "." + source + (isSigned ? "" : "u") + " $0, $1, " + rm;
    constraints += ",r";
  } else {
    char f = formatLetter(to);
    if (!f)
      return nullptr;
    llvm::StringRef mnemonic = op == "fma" ? "fmadd" : op.drop_front(0);
    text = (mnemonic + "." + llvm::Twine(f) + " $0").str();
    for (unsigned i = 0; i < operands.size(); ++i) {
      text += ", $" + std::to_string(i + 1);
      constraints += ",f";
    }
    text += std::string(", ") + rm;
  }
  std::vector<llvm::Type *> types;
  for (Value *v : operands)
    types.push_back(v->getType());
  auto *asmType = llvm::FunctionType::get(result, types, false);
  auto *call = b.CreateCall(llvm::InlineAsm::get(asmType, text, constraints, false), operands);
  call->setDoesNotAccessMemory();
  return call;
}

/// A fixed 32-lane vector as the scalable type LLVM's inline assembly accepts (vscale = 16).
llvm::Type *scalable(llvm::Type *fixed) {
  auto *v = llvm::cast<llvm::FixedVectorType>(fixed);
  return llvm::ScalableVectorType::get(v->getElementType(), v->getNumElements() / 16);
}

/// A Xox host call (docs/oxcore-isa.md §3.8) on vector operands under the exec mask (v0.t):
/// `.insn r` with funct7 = `funct7`; the result (if `result` is a 32-lane type) in rd.
Value *hostCall(Vectorizer &v, unsigned funct7, llvm::Type *result, llvm::ArrayRef<Value *> operands) {
  llvm::IRBuilder<> &b = v.b_;
  std::vector<Value *> args;
  std::vector<llvm::Type *> types;
  std::string constraints = result ? "=&^vr" : "";
  for (Value *x : operands) {
    args.push_back(b.CreateInsertVector(scalable(x->getType()), llvm::PoisonValue::get(scalable(x->getType())), x,
                                        b.getInt64(0)));
    constraints += std::string(constraints.empty() ? "" : ",") + "^vr";
  }
  args.push_back(b.CreateInsertVector(scalable(v.exec_->getType()), llvm::PoisonValue::get(scalable(v.exec_->getType())),
                                      v.exec_, b.getInt64(0)));
  constraints += ",^vm,~{memory}";
  for (Value *x : args)
    types.push_back(x->getType());
  unsigned first = result ? 1 : 0;
  std::string rd = result ? "$0" : "v0";
  std::string rs1 = "$" + std::to_string(first);
  std::string rs2 = operands.size() > 1 ? "$" + std::to_string(first + 1) : "v0";
  std::string text = ".insn r 0x0b, 0, " + std::to_string(funct7) + ", " + rd + ", " + rs1 + ", " + rs2;
  auto *type = llvm::FunctionType::get(result ? scalable(result) : b.getVoidTy(), types, false);
  Value *r = b.CreateCall(llvm::InlineAsm::get(type, text, constraints, true), args);
  return result ? b.CreateExtractVector(result, r, b.getInt64(0)) : nullptr;
}

/// __assertfail(message, file, line, function, charSize): each lane's 32-byte descriptor
/// {message, file, function, line, charSize} on the warp's stack, then ox.assert.
void assertFail(Vectorizer &v, llvm::CallInst &call) {
  llvm::IRBuilder<> &b = v.b_;
  llvm::Type *i64 = b.getInt64Ty(), *i32 = b.getInt32Ty();
  auto *descriptor = llvm::StructType::get(v.ctx_, {i64, i64, i64, i32, i32});
  llvm::Type *tableType = llvm::ArrayType::get(descriptor, kLanes);
  Value *table = v.entryAlloca(tableType, "assert.descriptors");
  const unsigned order[] = {0, 1, 3, 2, 4}; // argument i goes to field order[i]
  for (unsigned i = 0; i < 5; ++i) {
    Value *fields = b.CreateGEP(tableType, table, {b.getInt32(0), v.laneIds_, b.getInt32(order[i])});
    llvm::Type *t = descriptor->getElementType(order[i]);
    Value *x = b.CreateZExtOrTrunc(v.vector(call.getArgOperand(i)), v.wide(t));
    b.CreateMaskedScatter(x, fields, llvm::Align(4), v.exec_);
  }
  Value *addresses = b.CreatePtrToInt(b.CreateGEP(descriptor, table, v.laneIds_), v.wide(i64));
  hostCall(v, 0x11, nullptr, {addresses});
}

/// Xox near-memory atomic opcode (docs/oxcore-isa.md §3.6) of an atomicrmw, or -1.
int atomicOpcode(const llvm::AtomicRMWInst &rmw) {
  llvm::Type *t = rmw.getValOperand()->getType();
  using Op = llvm::AtomicRMWInst::BinOp;
  switch (rmw.getOperation()) {
  case Op::Add: return 0;
  case Op::Min: return 1;
  case Op::Max: return 2;
  case Op::UMin: return 3;
  case Op::UMax: return 4;
  case Op::And: return 5;
  case Op::Or: return 6;
  case Op::Xor: return 7;
  case Op::Xchg: return 8;
  case Op::UIncWrap: return t->isIntegerTy(32) ? 10 : -1;
  case Op::UDecWrap: return t->isIntegerTy(32) ? 11 : -1;
  case Op::FAdd:
    if (t->isFloatTy() || t->isDoubleTy())
      return 12;
    if (auto *v = llvm::dyn_cast<llvm::FixedVectorType>(t); v && v->getNumElements() == 2)
      return v->getElementType()->isHalfTy() ? 13 : v->getElementType()->isBFloatTy() ? 14 : -1;
    return -1;
  default: return -1;
  }
}

/// The Xox MMA encoding of a PTX `mma.sync.aligned.<shape>.row.col[.satfinite].<d>.<a>.<b>.<c>`
/// (docs/oxcore-isa.md §3.7): F7, F3 and the fragment sizes in 1024-bit registers.
struct MmaKind {
  unsigned f7 = 0, f3 = 0, aRegs = 0, bRegs = 0, cRegs = 0;
  bool f64 = false;
};

std::optional<MmaKind> mmaKind(llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 12> parts;
  name.split(parts, '.');
  // mma sync aligned <shape> row col [satfinite] <d> <a> <b> <c>
  if (parts.size() < 10 || parts[0] != "mma" || parts[4] != "row" || parts[5] != "col")
    return std::nullopt;
  bool satfinite = parts[6] == "satfinite";
  size_t t = satfinite ? 7 : 6;
  if (parts.size() != t + 4)
    return std::nullopt;
  llvm::StringRef shape = parts[3], d = parts[t], a = parts[t + 1], b = parts[t + 2], c = parts[t + 3];
  if (c != d)
    return std::nullopt; // C converted to D's type first: not yet
  unsigned m = 0, n = 0, k = 0;
  if (std::sscanf(shape.str().c_str(), "m%un%uk%u", &m, &n, &k) != 3 || n != 8 || (m != 8 && m != 16))
    return std::nullopt;
  struct Class { llvm::StringRef type; unsigned id, kbase; };
  static const Class classes[] = {{"f16", 0, 8}, {"bf16", 1, 8}, {"tf32", 2, 4}, {"f64", 3, 4},
                                  {"s8", 4, 16}, {"u8", 4, 16}, {"s4", 5, 32}, {"u4", 5, 32}};
  const Class *cls = nullptr;
  for (const Class &x : classes)
    if (x.type == a)
      cls = &x;
  if (!cls || k % cls->kbase || !llvm::isPowerOf2_32(k / cls->kbase))
    return std::nullopt;
  MmaKind kind;
  unsigned kcode = llvm::Log2_32(k / cls->kbase);
  bool acc16 = d == "f16";
  kind.f7 = cls->id << 4 | (acc16 ? 8 : 0) | (m == 16 ? 4 : 0) | kcode;
  if (cls->id >= 4)
    kind.f3 = (satfinite ? 1 : 0) | (a.starts_with("u") ? 2 : 0) | (b.starts_with("u") ? 4 : 0);
  kind.f64 = cls->id == 3;
  // fragment sizes (the table of §3.7): A holds m·k, B k·n, C m·n elements over 32 lanes
  unsigned bits = cls->id == 3 ? 64 : cls->id == 2 ? 32 : cls->id <= 1 ? 16 : cls->id == 4 ? 8 : 4;
  kind.aRegs = std::max(1u, m * k * bits / (32 * 32));
  kind.bRegs = std::max(1u, k * n * bits / (32 * 32));
  kind.cRegs = m * n * (acc16 ? 16 : d == "f64" ? 64 : 32) / (32 * 32);
  static const unsigned legal[] = {0x04, 0x05, 0x0C, 0x0D, 0x14, 0x15, 0x24, 0x25, 0x30, 0x34, 0x35,
                                   0x40, 0x44, 0x45, 0x50, 0x54, 0x55};
  if (!llvm::is_contained(legal, kind.f7))
    return std::nullopt;
  return kind;
}

/// Concatenates per-lane vectors into one register group (operand order = register order).
Value *group(llvm::IRBuilderBase &b, llvm::ArrayRef<Value *> parts) {
  std::vector<Value *> level(parts.begin(), parts.end());
  while (level.size() > 1) {
    std::vector<Value *> next;
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      unsigned n = llvm::cast<llvm::FixedVectorType>(level[i]->getType())->getNumElements();
      next.push_back(b.CreateShuffleVector(level[i], level[i + 1], llvm::to_vector(llvm::seq<int>(0, int(2 * n)))));
    }
    if (level.size() % 2)
      next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

} // namespace

Value *Vectorizer::matrixMultiply(llvm::CallInst &call, llvm::StringRef name) {
  std::optional<MmaKind> kind = mmaKind(name);
  auto *result = llvm::dyn_cast<llvm::StructType>(call.getType());
  if (!kind || !result)
    return nullptr;
  unsigned perThread = kind->f64 ? 2 : 1; // 1024-bit registers per per-thread value
  unsigned nA = kind->aRegs / perThread, nB = kind->bRegs / perThread, nC = kind->cRegs / perThread;
  if (call.arg_size() != nA + nB + nC || result->getNumElements() != nC)
    return nullptr;
  llvm::Type *element = kind->f64 ? b_.getInt64Ty() : b_.getInt32Ty();
  auto operands = [&](unsigned first, unsigned count) {
    std::vector<Value *> v;
    for (unsigned i = first; i < first + count; ++i)
      v.push_back(b_.CreateBitCast(vector(call.getArgOperand(i)), wide(element)));
    return group(b_, v);
  };
  auto scalable = [&](Value *x) {
    unsigned n = llvm::cast<llvm::FixedVectorType>(x->getType())->getNumElements();
    llvm::Type *s = llvm::ScalableVectorType::get(element, n / 16);
    return b_.CreateInsertVector(s, llvm::PoisonValue::get(s), x, b_.getInt64(0));
  };
  Value *a = scalable(operands(0, nA)), *bm = scalable(operands(nA, nB)), *c = operands(nA + nB, nC);
  Value *cs = scalable(c);
  std::string text = ".insn r 0x5b, " + std::to_string(kind->f3) + ", " + std::to_string(kind->f7) + ", $0, $1, $2";
  auto *type = llvm::FunctionType::get(cs->getType(), {a->getType(), bm->getType(), cs->getType()}, false);
  Value *d = b_.CreateCall(llvm::InlineAsm::get(type, text, "=&^vr,^vr,^vr,0", true), {a, bm, cs});
  Value *flat = b_.CreateExtractVector(c->getType(), d, b_.getInt64(0));
  Value *out = llvm::PoisonValue::get(wide(result));
  for (unsigned i = 0; i < nC; ++i) {
    Value *part = b_.CreateShuffleVector(flat, llvm::to_vector(llvm::seq<int>(int(i * kLanes), int((i + 1) * kLanes))));
    out = b_.CreateInsertValue(out, b_.CreateBitCast(part, wide(result->getElementType(i))), i);
  }
  return out;
}

Value *Vectorizer::loadMatrix(llvm::CallInst &call, llvm::StringRef name) {
  // ldmatrix.sync.aligned.m8n8.x<1|2|4>[.trans].shared.b16: lanes 8q..8q+7 give the row
  // addresses of 8x8 matrix q; lane l receives in register q the elements (row l/4, columns
  // 2(l%4), +1) of matrix q, or with .trans the elements (rows 2(l%4), +1, column l/4)
  llvm::SmallVector<llvm::StringRef, 8> parts;
  name.split(parts, '.');
  auto *result = llvm::dyn_cast<llvm::StructType>(call.getType());
  if (parts.size() < 6 || parts[3] != "m8n8" || !result || call.arg_size() != 1 || !llvm::is_contained(parts, "b16"))
    return nullptr;
  unsigned count = parts[4] == "x1" ? 1 : parts[4] == "x2" ? 2 : parts[4] == "x4" ? 4 : 0;
  bool transposed = llvm::is_contained(parts, "trans");
  if (!count || result->getNumElements() != count)
    return nullptr;
  llvm::Type *i64 = b_.getInt64Ty();
  Value *rows = b_.CreatePtrToInt(vector(call.getArgOperand(0)), wide(i64));
  Value *out = llvm::PoisonValue::get(wide(result));
  for (unsigned q = 0; q < count; ++q) {
    // the address of row `rowOf(l)` of matrix q, plus a byte offset per lane
    auto rowAddresses = [&](auto rowOf, auto byteOffset) {
      llvm::SmallVector<int, kLanes> pick;
      llvm::SmallVector<llvm::Constant *, kLanes> offsets;
      for (unsigned l = 0; l < kLanes; ++l) {
        pick.push_back(int(8 * q + rowOf(l)));
        offsets.push_back(b_.getInt64(byteOffset(l)));
      }
      Value *a = b_.CreateAdd(b_.CreateShuffleVector(rows, pick), llvm::ConstantVector::get(offsets));
      return b_.CreateIntToPtr(a, wide(b_.getPtrTy()));
    };
    Value *word;
    if (!transposed) {
      Value *p = rowAddresses([](unsigned l) { return l >> 2; }, [](unsigned l) { return (l & 3) * 4; });
      word = b_.CreateMaskedGather(wide(b_.getInt32Ty()), p, llvm::Align(4), validMask_,
                                   llvm::Constant::getNullValue(wide(b_.getInt32Ty())));
    } else {
      word = llvm::Constant::getNullValue(wide(b_.getInt32Ty()));
      for (unsigned j = 0; j < 2; ++j) {
        Value *p = rowAddresses([j](unsigned l) { return 2 * (l & 3) + j; }, [](unsigned l) { return (l >> 2) * 2; });
        Value *half = b_.CreateMaskedGather(wide(b_.getInt16Ty()), p, llvm::Align(2), validMask_,
                                            llvm::Constant::getNullValue(wide(b_.getInt16Ty())));
        Value *bits = b_.CreateZExt(half, wide(b_.getInt32Ty()));
        word = b_.CreateOr(word, j ? b_.CreateShl(bits, splat(b_.getInt32(16))) : bits);
      }
    }
    out = b_.CreateInsertValue(out, b_.CreateBitCast(word, wide(result->getElementType(q))), q);
  }
  return out;
}

namespace {

/// OxCore's wmma fragments (PTX leaves wmma layouts to the implementation; docs/oxcore-isa.md
/// §3.7). A tile is a grid of m16n8 blocks (m16n16: 1 × 2, m32n8: 2 × 1, m8n32: 1 × 4 with the
/// blocks' rows 8-15 unused) computed by one Xox MMA each (m16n8k16; tf32: m16n8k8): A holds the
/// MMA's A fragment of each row block, B the B fragment of each column block, C/D the
/// accumulator fragment of each block in row-major block order (f32/s32: 4 registers per block,
/// f16: 2; m8n32: the half of them with rows 0-7). f16 A and B fragments have 8 registers in PTX
/// whatever the shape: the ones a shape does not need repeat the others, and m8n32's A registers
/// of rows 8-15 hold zeros. `bits`: of an input element. Per lane (g = l / 4, t = l % 4), element
/// e of register r sits at (row, column), or nowhere (kPadding):
struct Cell {
  unsigned row, column;
};
constexpr unsigned kPadding = ~0u;

struct WmmaShape {
  unsigned rowBlocks, colBlocks;
  bool halfRows = false; // m8n32: 8 rows in a 16-row block
  bool m8n8 = false;     // f64 m8n8k4, 4-bit m8n8k32: the mma fragments themselves
};

Cell fragmentCell(char matrix, bool f16Accumulator, unsigned bits, WmmaShape shape, unsigned r, unsigned e,
                  unsigned lane) {
  unsigned g = lane >> 2, t = lane & 3;
  if (shape.m8n8) // m8n8k4 f64 / m8n8k32 4-bit: A (g, t), B (t, g) (4-bit: 8 each), C/D (g, 2t + r)
    return matrix == 'a' ? Cell{g, bits == 4 ? 8 * t : t} : matrix == 'b' ? Cell{bits == 4 ? 8 * t : t, g}
                         : Cell{g, 2 * t + r};
  if (matrix == 'a') {
    unsigned per = bits == 8 ? 2 : 4, block = (r / per) % shape.rowBlocks;
    r %= per;
    Cell c = bits == 8    ? Cell{g + 8 * r, 4 * t + e}                  // m16n8k16 s8
             : bits == 32 ? Cell{g + 8 * (r & 1), t + 4 * (r >> 1)}     // m16n8k8 tf32
                          : Cell{g + 8 * (r & 1), 2 * t + e + 8 * (r >> 1)}; // m16n8k16 f16
    c.row += 16 * block;
    return shape.halfRows && c.row >= 8 ? Cell{kPadding, kPadding} : c;
  }
  if (matrix == 'b') {
    unsigned per = bits == 8 ? 1 : 2, block = (r / per) % shape.colBlocks;
    r %= per;
    Cell c = bits == 8 ? Cell{4 * t + e, g} : bits == 32 ? Cell{t + 4 * r, g} : Cell{2 * t + e + 8 * r, g};
    c.column += 8 * block;
    return c;
  }
  unsigned per = (f16Accumulator ? 2 : 4) / (shape.halfRows ? 2 : 1), block = r / per, i = r % per; // c, d
  Cell c = f16Accumulator ? Cell{g + 8 * i, 2 * t + e} : Cell{g + 8 * (i >> 1), 2 * t + (i & 1)};
  c.row += 16 * (block / shape.colBlocks);
  c.column += 8 * (block % shape.colBlocks);
  return c;
}

} // namespace

Value *Vectorizer::wmma(llvm::CallInst &call, llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 12> parts;
  name.split(parts, '.');
  // m16n16k16, m32n8k16, m8n32k16, (tf32) m16n16k8, (f64) m8n8k4 and (s4/u4) m8n8k32
  bool k8 = llvm::is_contained(parts, "m16n16k8"), m32 = llvm::is_contained(parts, "m32n8k16");
  bool m8 = llvm::is_contained(parts, "m8n32k16"), f64 = llvm::is_contained(parts, "m8n8k4");
  bool nibbles = llvm::is_contained(parts, "m8n8k32");
  if (!k8 && !m32 && !m8 && !f64 && !nibbles && !llvm::is_contained(parts, "m16n16k16"))
    return nullptr;
  if ((f64 || nibbles) && parts[1] == "mma") { // the fragments of mma.m8n8k4.f64 / m8n8k32: one Xox MMA
    if (f64)
      return parts[7] == "f64" && parts.back() == "rn" ? matrixMultiply(call, "mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64")
                                                       : nullptr;
    // wmma.mma.sync.aligned.row.col.m8n8k32.s32.<a>.<b>.s32[.satfinite]
    bool satfinite = parts.back() == "satfinite";
    if (parts.size() != 11u + satfinite || parts[4] != "row" || parts[5] != "col")
      return nullptr;
    return matrixMultiply(call, ("mma.sync.aligned.m8n8k32.row.col" + llvm::Twine(satfinite ? ".satfinite." : ".") +
                                 parts[7] + "." + parts[8] + "." + parts[9] + "." + parts[10]).str());
  }
  WmmaShape shape = m32 ? WmmaShape{2, 1} : m8 ? WmmaShape{1, 4, true} : f64 || nibbles ? WmmaShape{1, 1, false, true}
                                                                                         : WmmaShape{1, 2};
  unsigned m = m8 || f64 || nibbles ? 8 : 16 * shape.rowBlocks, n = 8 * shape.colBlocks;
  unsigned k = f64 ? 4 : nibbles ? 32 : k8 ? 8 : 16;
  llvm::Type *i32 = b_.getInt32Ty(), *i64 = b_.getInt64Ty();
  // PTX's registers per fragment: f16 inputs always 8, the others exactly their elements
  auto inputRegs = [&](char matrix, unsigned bits, bool f16) {
    return f16 ? 8 : (matrix == 'a' ? m * k : k * n) * bits / (32 * 32);
  };
  bool isLoad = parts[1] == "load", isStore = parts[1] == "store";
  if (isLoad || isStore) {
    // wmma.<load|store>.<a|b|c|d>.sync.aligned.<row|col>.<shape>[.<space>].<type>
    char matrix = parts[2][0];
    bool rowMajor = parts[5] == "row";
    llvm::StringRef type = parts.back();
    bool bf16 = type == "bf16", f16 = type == "f16" || bf16; // f16: 16-bit elements
    bool tf32 = type == "tf32", int8 = type == "s8" || type == "u8", wide32 = type == "f32" || type == "s32";
    bool input = matrix == 'a' || matrix == 'b';
    // inputs f16, bf16, s8 or u8 (m16n16k16, m32n8k16) or tf32 (m16n16k8); C and D f16, f32 or s32;
    // f64 for everything (m8n8k4); s4/u4 inputs as row-major A and column-major B (m8n8k32)
    bool nibble = type == "s4" || type == "u4";
    if (f64 ? type != "f64"
        : nibbles ? (input ? !nibble || rowMajor != (matrix == 'a') : type != "s32")
        : input ? (k8 ? !tf32 : !f16 && !int8) : (bf16 || (!f16 && !wide32) || (k8 && type != "f32")))
      return nullptr;
    if (m8 && bf16) // its 2 A registers would have to be spread over the MMA's 4
      return nullptr;
    unsigned bits = f64 ? 64 : f16 ? 16 : int8 ? 8 : nibble ? 4 : 32;
    unsigned regs = f64 ? (input ? m * k : m * n) / 32 // one f64 per register
                        : input ? inputRegs(matrix, bits, f16 && !bf16) : m * n / 32 / (f16 ? 2 : 1);
    if (nibble) { // a lane's 8 elements: one aligned word, (g·ldm + 8t) / 2 bytes into the matrix
      if (isStore || call.arg_size() != 2)
        return nullptr;
      llvm::SmallVector<llvm::Constant *, kLanes> offsets;
      for (unsigned l = 0; l < kLanes; ++l)
        offsets.push_back(b_.getInt64(8 * (l & 3)));
      Value *ldm = b_.CreateZExtOrTrunc(vector(call.getArgOperand(1)), wide(i64));
      Value *lanes = b_.CreateLShr(b_.CreateZExt(laneIds_, wide(i64)), splat(b_.getInt64(2)));
      Value *elements = b_.CreateAdd(b_.CreateMul(lanes, ldm), llvm::ConstantVector::get(offsets));
      Value *address = b_.CreateAdd(b_.CreatePtrToInt(vector(call.getArgOperand(0)), wide(i64)),
                                    b_.CreateLShr(elements, splat(b_.getInt64(1))));
      Value *word = b_.CreateMaskedGather(wide(i32), b_.CreateIntToPtr(address, wide(b_.getPtrTy())), llvm::Align(4),
                                          validMask_, llvm::Constant::getNullValue(wide(i32)));
      return b_.CreateInsertValue(llvm::PoisonValue::get(wide(call.getType())),
                                  b_.CreateBitCast(word, wide(call.getType()->getStructElementType(0))), 0);
    }
    unsigned perWord = std::max(1u, 32 / bits), bytes = bits / 8;
    llvm::Type *wordType = f64 ? i64 : i32;
    Value *base = b_.CreatePtrToInt(vector(call.getArgOperand(0)), wide(i64));
    Value *stride = b_.CreateZExtOrTrunc(vector(call.getArgOperand(call.arg_size() - 1)), wide(i64));
    auto padding = [&](unsigned r) { return fragmentCell(matrix, f16, bits, shape, r, 0, 0).row == kPadding; };
    auto addresses = [&](unsigned r, unsigned e) {
      llvm::SmallVector<llvm::Constant *, kLanes> major, minor;
      for (unsigned l = 0; l < kLanes; ++l) {
        Cell c = fragmentCell(matrix, f16, bits, shape, r, e, l);
        // element (row, column): row-major at row·stride + column, column-major at column·stride + row
        major.push_back(b_.getInt64(rowMajor ? c.row : c.column));
        minor.push_back(b_.getInt64(rowMajor ? c.column : c.row));
      }
      Value *offset = b_.CreateAdd(b_.CreateMul(llvm::ConstantVector::get(major), stride), llvm::ConstantVector::get(minor));
      return b_.CreateIntToPtr(b_.CreateAdd(base, b_.CreateMul(offset, splat(b_.getInt64(bytes)))), wide(b_.getPtrTy()));
    };
    llvm::Type *element = b_.getIntNTy(bits);
    if (isLoad) {
      auto *result = llvm::dyn_cast<llvm::StructType>(call.getType());
      if (!result || result->getNumElements() != regs)
        return nullptr;
      Value *out = llvm::PoisonValue::get(wide(result));
      for (unsigned r = 0; r < regs; ++r) {
        Value *word = llvm::Constant::getNullValue(wide(wordType));
        for (unsigned e = 0; e < perWord && !padding(r); ++e) {
          Value *x = b_.CreateMaskedGather(wide(element), addresses(r, e), llvm::Align(bytes), validMask_,
                                           llvm::Constant::getNullValue(wide(element)));
          x = b_.CreateZExtOrTrunc(x, wide(wordType));
          word = b_.CreateOr(word, e ? b_.CreateShl(x, splat(b_.getInt32(bits * e))) : x);
        }
        out = b_.CreateInsertValue(out, b_.CreateBitCast(word, wide(result->getElementType(r))), r);
      }
      return out;
    }
    if (call.arg_size() != regs + 2)
      return nullptr;
    for (unsigned r = 0; r < regs; ++r) {
      Value *word = b_.CreateBitCast(vector(call.getArgOperand(1 + r)), wide(wordType));
      for (unsigned e = 0; e < perWord; ++e) {
        Value *x = bits < 32 ? b_.CreateTrunc(b_.CreateLShr(word, splat(b_.getInt32(bits * e))), wide(element))
                             : word;
        b_.CreateMaskedScatter(x, addresses(r, e), llvm::Align(bytes), validMask_);
      }
    }
    return llvm::PoisonValue::get(wide(call.getType()));
  }
  // wmma.mma.sync.aligned.<a layout>.<b layout>.<shape>.<d type>[.<a type>.<b type>].<c type>
  // [.satfinite]: one Xox MMA per m16n8 block
  if (parts[1] != "mma")
    return nullptr;
  bool satfinite = parts.back() == "satfinite";
  size_t count = parts.size() - (satfinite ? 1 : 0);
  if ((count != 9 && count != 11) || (count == 11 && parts[8] != parts[9]) || parts[7] != parts[count - 1])
    return nullptr;
  struct Kind {
    llvm::StringRef in, acc;
    bool k8;
    unsigned f7, f3, bits; // Xox MMA kind (§3.7), input element bits
  };
  static const Kind kinds[] = {{"f16", "f32", false, 0x05, 0, 16},  {"f16", "f16", false, 0x0D, 0, 16},
                               {"bf16", "f32", false, 0x15, 0, 16}, {"tf32", "f32", true, 0x25, 0, 32},
                               {"s8", "s32", false, 0x44, 0, 8},    {"u8", "s32", false, 0x44, 6, 8}};
  llvm::StringRef in = count == 11 ? parts[8] : "f16";
  const Kind *kind = nullptr;
  for (const Kind &x : kinds)
    if (x.in == in && x.acc == parts[7] && x.k8 == k8)
      kind = &x;
  if (!kind || (satfinite && kind->acc != "s32"))
    return nullptr;
  bool f16Acc = parts[7] == "f16";
  unsigned aRegs = inputRegs('a', kind->bits, in == "f16"), bRegs = inputRegs('b', kind->bits, in == "f16");
  if (m8 && in == "bf16")
    return nullptr;
  unsigned aPer = kind->bits == 8 ? 2 : 4, bPer = kind->bits == 8 ? 1 : 2, cPer = f16Acc ? 2 : 4;
  // m8n32: half of each block's accumulator registers are in the fragment, the others are rows
  // 8-15 (zeros in, dropped out), and so is the second A register of 8-bit inputs
  unsigned cHeld = shape.halfRows ? cPer / 2 : cPer, aHeld = std::min(aPer, aRegs);
  unsigned cRegs = cHeld * shape.rowBlocks * shape.colBlocks;
  auto *result = llvm::dyn_cast<llvm::StructType>(call.getType());
  if (!result || call.arg_size() != aRegs + bRegs + cRegs || result->getNumElements() != cRegs)
    return nullptr;
  unsigned f3 = kind->f3 | (satfinite ? 1 : 0);
  auto arg = [&](unsigned i) { return b_.CreateBitCast(vector(call.getArgOperand(i)), wide(i32)); };
  // a register group of `n` per-lane registers, the first `held` of them arguments, then zeros
  auto registers = [&](unsigned first, unsigned held, unsigned n) {
    std::vector<Value *> pieces;
    for (unsigned i = 0; i < n; ++i)
      pieces.push_back(i < held ? arg(first + i) : llvm::Constant::getNullValue(wide(i32)));
    return group(b_, pieces);
  };
  auto scalable = [&](Value *x) {
    unsigned n = llvm::cast<llvm::FixedVectorType>(x->getType())->getNumElements();
    llvm::Type *st = llvm::ScalableVectorType::get(i32, n / 16);
    return b_.CreateInsertVector(st, llvm::PoisonValue::get(st), x, b_.getInt64(0));
  };
  Value *out = llvm::PoisonValue::get(wide(result));
  for (unsigned rb = 0; rb < shape.rowBlocks; ++rb)
    for (unsigned cb = 0; cb < shape.colBlocks; ++cb) {
      unsigned block = rb * shape.colBlocks + cb;
      Value *a = scalable(registers(rb * aPer, aHeld, aPer));
      Value *bm = scalable(registers(aRegs + cb * bPer, bPer, bPer));
      Value *cFlat = registers(aRegs + bRegs + block * cHeld, cHeld, cPer), *cs = scalable(cFlat);
      std::string text = ".insn r 0x5b, " + std::to_string(f3) + ", " + std::to_string(kind->f7) + ", $0, $1, $2";
      auto *type = llvm::FunctionType::get(cs->getType(), {a->getType(), bm->getType(), cs->getType()}, false);
      Value *d = b_.CreateCall(llvm::InlineAsm::get(type, text, "=&^vr,^vr,^vr,0", true), {a, bm, cs});
      Value *flat = b_.CreateExtractVector(cFlat->getType(), d, b_.getInt64(0));
      for (unsigned i = 0; i < cHeld; ++i) {
        Value *part = b_.CreateShuffleVector(flat, llvm::to_vector(llvm::seq<int>(int(i * kLanes), int((i + 1) * kLanes))));
        unsigned index = block * cHeld + i;
        out = b_.CreateInsertValue(out, b_.CreateBitCast(part, wide(result->getElementType(index))), index);
      }
    }
  return out;
}

Value *Vectorizer::vectorAtomic(llvm::Instruction &inst) {
  auto *rmw = llvm::dyn_cast<llvm::AtomicRMWInst>(&inst);
  auto *cas = llvm::dyn_cast<llvm::AtomicCmpXchgInst>(&inst);
  llvm::Type *t = rmw ? rmw->getValOperand()->getType() : cas->getNewValOperand()->getType();
  unsigned bits = unsigned(t->getPrimitiveSizeInBits().getFixedValue());
  int op = rmw ? atomicOpcode(*rmw) : 9;
  if (op < 0 || (bits != 32 && bits != 64) || (cas && cas->isWeak()))
    return nullptr;
  llvm::AtomicOrdering ordering = rmw ? rmw->getOrdering() : cas->getSuccessOrdering();
  unsigned order = ordering == llvm::AtomicOrdering::Acquire   ? 1
                   : ordering == llvm::AtomicOrdering::Release ? 2
                   : ordering == llvm::AtomicOrdering::Monotonic ? 0
                                                                 : 3;
  llvm::SyncScope::ID id = rmw ? rmw->getSyncScopeID() : cas->getSyncScopeID();
  llvm::SmallVector<llvm::StringRef, 8> names;
  ctx_.getSyncScopeNames(names);
  llvm::StringRef scopeName = id < names.size() ? names[id] : "";
  unsigned scope = scopeName == "cta" ? 0 : id == llvm::SyncScope::System ? 2 : 1;
  bool returns = cas || op == 8 || !inst.use_empty(); // exch and cas have no "red" form
  unsigned f3 = (returns ? 4 : 0) | scope, f7 = unsigned(op) << 3 | (bits == 64 ? 4 : 0) | order;

  llvm::Type *lanes = wide(b_.getIntNTy(bits)); // values travel as integers
  auto asLanes = [&](const Value *v) { return b_.CreateBitCast(vector(v), lanes); };
  Value *addresses = b_.CreatePtrToInt(vector(rmw ? rmw->getPointerOperand() : cas->getPointerOperand()),
                                       wide(b_.getInt64Ty()));
  auto toScalable = [&](Value *x) {
    llvm::Type *s = llvm::ScalableVectorType::get(llvm::cast<llvm::VectorType>(x->getType())->getElementType(), 2);
    return b_.CreateInsertVector(s, llvm::PoisonValue::get(s), x, b_.getInt64(0));
  };
  std::vector<Value *> args = {toScalable(addresses),
                               toScalable(asLanes(rmw ? rmw->getValOperand() : cas->getNewValOperand()))};
  std::string constraints;
  std::string text = ".insn r 0x2b, " + std::to_string(f3) + ", " + std::to_string(f7) + ", ";
  if (cas) { // vd holds the compare values and receives the old ones
    args.push_back(toScalable(asLanes(cas->getCompareOperand())));
    constraints = "=^vr,^vr,^vr,0";
    text += "$0, $1, $2";
  } else if (returns) {
    constraints = "=&^vr,^vr,^vr";
    text += "$0, $1, $2";
  } else {
    constraints = "^vr,^vr";
    text += "v0, $0, $1";
  }
  args.push_back(toScalable(exec_));
  constraints += ",^vm,~{memory}";
  std::vector<llvm::Type *> types;
  for (Value *a : args)
    types.push_back(a->getType());
  llvm::Type *resultType = returns ? args[1]->getType() : b_.getVoidTy();
  auto *asmType = llvm::FunctionType::get(resultType, types, false);
  Value *r = b_.CreateCall(llvm::InlineAsm::get(asmType, text, constraints, true), args);
  if (!returns)
    return llvm::PoisonValue::get(wide(inst.getType()));
  Value *old = b_.CreateBitCast(b_.CreateExtractVector(lanes, r, b_.getInt64(0)), wide(t));
  if (rmw)
    return old;
  // cmpxchg's {old, success}
  Value *success = b_.CreateICmpEQ(b_.CreateBitCast(old, lanes), asLanes(cas->getCompareOperand()));
  Value *pair = llvm::PoisonValue::get(wide(inst.getType()));
  pair = b_.CreateInsertValue(pair, old, 0);
  return b_.CreateInsertValue(pair, success, 1);
}

llvm::Error Vectorizer::lowerOxCall(llvm::CallInst &call, bool &handled) {
  llvm::Function *callee = call.getCalledFunction();
  if (!callee)
    return llvm::Error::success();
  // the CUDA device runtime's host calls (declared by the PTX as .extern .func)
  llvm::StringRef function = callee->getName();
  if (function == "vprintf" && call.arg_size() == 2) {
    handled = true;
    Value *r = hostCall(*this, 0x10, wide(b_.getInt32Ty()),
                        {vector(call.getArgOperand(0)), vector(call.getArgOperand(1))});
    varying_[&call] = b_.CreateZExtOrTrunc(r, wide(call.getType()));
    return llvm::Error::success();
  }
  if (function == "__assertfail" && call.arg_size() == 5) {
    handled = true;
    assertFail(*this, call);
    return llvm::Error::success();
  }
  if (function == "malloc" && call.arg_size() == 1) {
    handled = true;
    Value *size = b_.CreateZExtOrTrunc(vector(call.getArgOperand(0)), wide(b_.getInt64Ty()));
    Value *r = hostCall(*this, 0x12, wide(b_.getInt64Ty()), {size});
    varying_[&call] = call.getType()->isPointerTy() ? b_.CreateIntToPtr(r, wide(call.getType()))
                                                    : b_.CreateZExtOrTrunc(r, wide(call.getType()));
    return llvm::Error::success();
  }
  if (function == "free" && call.arg_size() == 1) {
    handled = true;
    Value *p = vector(call.getArgOperand(0));
    if (p->getType()->getScalarType()->isPointerTy())
      p = b_.CreatePtrToInt(p, wide(b_.getInt64Ty()));
    hostCall(*this, 0x13, nullptr, {p});
    return llvm::Error::success();
  }
  if (!function.starts_with("ox."))
    return llvm::Error::success();
  handled = true;
  llvm::StringRef name = callee->getName().drop_front(3);
  auto setUniform = [&](Value *x) {
    (generic_ ? varying_[&call] = splat(x) : uniform_[&call] = x);
    return llvm::Error::success();
  };
  auto setVarying = [&](Value *x) { varying_[&call] = x; return llvm::Error::success(); };
  auto arg = [&](unsigned i) { return firstLane(call.getArgOperand(i), exec_); };

  if (name.consume_front("sreg.")) {
    auto [value, isUniformValue] = specialRegister(*this, name, call.getType());
    if (!value)
      return fail(call, "special register %" + name);
    if (name == "laneid")
      affine_[&call] = Affine{b_.getInt32(0), 1, nullptr};
    if (name.starts_with("tid.") && aligned_) {
      // ntid.x is a multiple of 32 in this version of the body: a warp is 32 consecutive x of
      // one (y, z), so tid.x is contiguous and tid.y, tid.z are the warp's (docs §3.3)
      Value *x = launchCsr(*this, xox::kNtidX), *y = launchCsr(*this, xox::kNtidX + 1);
      Value *first = b_.CreateShl(warpId_, 5);
      Value *base = name == "tid.x"   ? b_.CreateURem(first, x)
                    : name == "tid.y" ? b_.CreateURem(b_.CreateUDiv(first, x), y)
                                      : b_.CreateUDiv(first, b_.CreateMul(x, y));
      if (name != "tid.x") // the warp's: a scalar
        return setUniform(b_.CreateZExtOrTrunc(base, call.getType()));
      affine_[&call] = Affine{base, 1, nullptr};
      return setVarying(b_.CreateAdd(splat(base), laneIds_)); // no per-lane division
    }
    return isUniformValue ? setUniform(value) : setVarying(value);
  }
  if (name == "barrier.sync" || name == "barrier.arrive") {
    // once per warp (a block runs only when some lane is active); the warp arrives with 32
    xox::barrier(b_, name == "barrier.sync", arg(0), arg(1));
    return llvm::Error::success();
  }
  if (name.consume_front("barrier.red.")) {
    Value *p = b_.CreateSelect(exec_, vector(call.getArgOperand(2)),
                               llvm::Constant::getNullValue(exec_->getType()));
    Value *notP = b_.CreateSelect(exec_, b_.CreateNot(vector(call.getArgOperand(2))),
                                  llvm::Constant::getNullValue(exec_->getType()));
    unsigned funct2 = name == "popc" ? 0 : name == "and" ? 1 : 2;
    Value *contribution = name == "popc" ? b_.CreateIntrinsic(llvm::Intrinsic::ctpop, {b_.getInt32Ty()}, {maskBits(p)})
                          : name == "and" ? b_.CreateZExt(b_.CreateNot(any(notP)), b_.getInt32Ty())
                                          : b_.CreateZExt(any(p), b_.getInt32Ty());
    Value *r = xox::barrierReduce(b_, funct2, arg(0), arg(1), contribution);
    return setUniform(b_.CreateZExtOrTrunc(call.getType()->isIntegerTy(1) ? b_.CreateICmpNE(r, b_.getInt64(0)) : r,
                                           call.getType()));
  }
  if (name.consume_front("shfl.sync."))
    return setVarying(shuffle(*this, name, call));
  // the group's result, uniform when the member mask is (else per lane, one round per group)
  auto byGroup = [&](const Value *memberMask, llvm::function_ref<Value *(Value *group)> scalarFor) {
    bool uniformResult;
    Value *r = perMemberGroup(*this, memberMask, call.getType(), uniformResult, scalarFor);
    return uniformResult ? setUniform(r) : setVarying(r);
  };
  if (name.consume_front("vote.sync.")) {
    Value *p = vector(call.getArgOperand(0));
    return byGroup(call.getArgOperand(1), [&](Value *active) {
      Value *yes = b_.CreateSelect(active, p, llvm::Constant::getNullValue(active->getType()));
      Value *no = b_.CreateSelect(active, b_.CreateNot(p), llvm::Constant::getNullValue(active->getType()));
      if (name == "ballot")
        return maskBits(yes);
      if (name == "any")
        return any(yes);
      if (name == "all")
        return b_.CreateNot(any(no));
      return b_.CreateNot(b_.CreateAnd(any(yes), any(no))); // uni
    });
  }
  if (name == "activemask")
    return setUniform(maskBits(exec_));
  if (name == "warp.sync") // lanes run in lock step: program order is all bar.warp.sync orders
    return llvm::Error::success();
  if (name.consume_front("redux.sync.")) {
    auto [op, type] = name.split('.');
    return byGroup(call.getArgOperand(1), [&](Value *active) { return reduce(*this, op, type == "s32", call, active); });
  }
  if (name == "elect.sync") {
    Value *active = members(*this, call.getArgOperand(0));
    Value *leader = b_.CreateIntrinsic(llvm::Intrinsic::cttz, {b_.getInt32Ty()},
                                       {maskBits(active), b_.getFalse()});
    Value *out = llvm::PoisonValue::get(wide(call.getType()));
    out = b_.CreateInsertValue(out, splat(b_.CreateAnd(leader, b_.getInt32(31))), 0);
    out = b_.CreateInsertValue(out, b_.CreateAnd(active, b_.CreateICmpEQ(laneIds_, splat(leader))), 1);
    return setVarying(out);
  }
  if (name.starts_with("match.any.sync.") || name.starts_with("match.all.sync.")) // b32, b64
    return setVarying(match(*this, name.starts_with("match.all"), call));
  if (name.starts_with("fadd.") || name.starts_with("fsub.") || name.starts_with("fmul.") ||
      name.starts_with("fdiv.") || name.starts_with("fsqrt.") || name.starts_with("fma.") ||
      name.starts_with("fptrunc.") || name.starts_with("sitofp.") || name.starts_with("uitofp.")) {
    llvm::SmallVector<llvm::StringRef, 4> parts;
    name.split(parts, '.');
    llvm::StringRef to = parts.size() > 2 ? parts[2] : "", from = parts.size() > 3 ? parts[3] : to;
    bool ok = true;
    Value *r = perLane(call.getType(), exec_, [&](Value *lane) -> Value * {
      std::vector<Value *> args;
      for (const llvm::Use &u : call.args())
        args.push_back(laneOperand(u.get(), lane));
      Value *x = directedLane(b_, parts[0], parts.size() > 1 ? parts[1] : "", to, from, args, call.getType());
      ok &= x != nullptr;
      return x ? x : llvm::Constant::getNullValue(call.getType());
    });
    if (!ok)
      return fail(call, "rounding mode of ox." + name);
    return setVarying(r);
  }
  if (name.consume_front("isspacep.")) { // the windows of docs/oxcore-isa.md §4
    Value *a = b_.CreateZExtOrTrunc(vector(call.getArgOperand(0)), wide(b_.getInt64Ty()));
    auto within = [&](uint64_t base, uint64_t size) {
      return b_.CreateICmpULT(b_.CreateSub(a, splat(b_.getInt64(base))), splat(b_.getInt64(size)));
    };
    Value *r = name == "global"              ? b_.CreateICmpULT(a, splat(b_.getInt64(xox::kLocalBase)))
               : name == "local"             ? within(xox::kLocalBase, 0x20000000)
               : name.starts_with("shared")  ? within(xox::kSharedBase, 0x01000000)
               : name == "const"             ? within(xox::kConstBase, 0x01000000)
               : name.starts_with("param")   ? within(xox::kParamBase, 0x10000)
                                             : nullptr;
    if (!r)
      return fail(call, "isspacep." + name);
    return setVarying(r);
  }
  if (name == "barrier.cluster.arrive") // a v1 cluster is one CTA: the wait synchronizes it
    return llvm::Error::success();
  if (name == "barrier.cluster.wait") { // on named barrier 15, kept apart from bar.sync 0
    xox::barrier(b_, true, b_.getInt32(15), b_.getInt32(0));
    return llvm::Error::success();
  }
  if (name.starts_with("mapa.")) { // the only CTA of the cluster is this one: the same address
    Value *out = llvm::PoisonValue::get(wide(call.getType()));
    Value *address = vector(call.getArgOperand(0));
    return setVarying(call.getType()->isStructTy() ? b_.CreateInsertValue(out, address, 0) : address);
  }
  if (name.starts_with("wmma.")) {
    Value *v = wmma(call, name);
    if (!v)
      return fail(call, "this wmma shape or type on the OxCore tensor unit (m16n16k16 with f16 inputs is supported)");
    if (!call.getType()->isVoidTy())
      varying_[&call] = v;
    return llvm::Error::success();
  }
  if (name.starts_with("ldmatrix.sync.aligned.")) {
    if (Value *m = loadMatrix(call, name))
      return setVarying(m);
    return fail(call, "this form of ldmatrix");
  }
  if (name.starts_with("mma.sync.aligned.")) {
    if (Value *d = matrixMultiply(call, name))
      return setVarying(d);
    return fail(call, "this shape or type combination of mma on the OxCore tensor unit");
  }
  if (name == "trap" || name == "trap.surface") {
    xox::trap(b_, name == "trap" ? xox::kTrapPtx : xox::kTrapSurfaceBounds);
    return llvm::Error::success();
  }
  if (name == "nanosleep") {
    xox::nanosleep(b_, arg(0));
    return llvm::Error::success();
  }
  return fail(call, "OxCore backend support for ox." + name);
}

} // namespace oxptx::backend
