// setp (with its combining operation and second, complemented destination), set (the same
// comparison as a 1.0f / all-ones value), selp and slct. Ordered float comparisons are false on
// NaN; the *u forms, num and nan test orderedness. .ftz flushes subnormal float sources.
#include "translate/FunctionLowering.h"

namespace oxptx::translate {
namespace {

using ptx::Mod;
using llvm::CmpInst;

/// The LLVM predicate of a PTX comparison on a type of kind (float, signed, other).
std::optional<CmpInst::Predicate> predicateOf(Mod cmp, bool fp, bool isSigned) {
  switch (cmp) {
  case Mod::Compare_EQ: return fp ? CmpInst::FCMP_OEQ : CmpInst::ICMP_EQ;
  case Mod::Compare_NE: return fp ? CmpInst::FCMP_ONE : CmpInst::ICMP_NE;
  case Mod::Compare_LT: return fp ? CmpInst::FCMP_OLT : isSigned ? CmpInst::ICMP_SLT : CmpInst::ICMP_ULT;
  case Mod::Compare_LE: return fp ? CmpInst::FCMP_OLE : isSigned ? CmpInst::ICMP_SLE : CmpInst::ICMP_ULE;
  case Mod::Compare_GT: return fp ? CmpInst::FCMP_OGT : isSigned ? CmpInst::ICMP_SGT : CmpInst::ICMP_UGT;
  case Mod::Compare_GE: return fp ? CmpInst::FCMP_OGE : isSigned ? CmpInst::ICMP_SGE : CmpInst::ICMP_UGE;
  case Mod::Compare_LO: return CmpInst::ICMP_ULT;
  case Mod::Compare_LS: return CmpInst::ICMP_ULE;
  case Mod::Compare_HI: return CmpInst::ICMP_UGT;
  case Mod::Compare_HS: return CmpInst::ICMP_UGE;
  case Mod::Compare_EQU: return CmpInst::FCMP_UEQ;
  case Mod::Compare_NEU: return CmpInst::FCMP_UNE;
  case Mod::Compare_LTU: return CmpInst::FCMP_ULT;
  case Mod::Compare_LEU: return CmpInst::FCMP_ULE;
  case Mod::Compare_GTU: return CmpInst::FCMP_UGT;
  case Mod::Compare_GEU: return CmpInst::FCMP_UGE;
  case Mod::Compare_NUM: return CmpInst::FCMP_ORD;
  case Mod::Compare_NAN: return CmpInst::FCMP_UNO;
  default: return std::nullopt;
  }
}

} // namespace

bool lowerCompare(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  bool twoTypes = inst.opcode == ptx::Opcode::Set || inst.opcode == ptx::Opcode::Slct;
  if (types.size() != (twoTypes ? 2u : 1u))
    return l.unsupported(inst, "this type combination");
  ptx::Type t = types.back(); // the type compared (set's and slct's second type)
  llvm::IRBuilder<> &b = l.b;
  bool fp = FunctionLowering::isFloat(t);
  if (inst.opcode == ptx::Opcode::Slct) { // d = c >= 0 ? a : b
    ptx::Type dt = types[0];
    llvm::Value *x = l.read(inst.operands[1], dt), *y = l.read(inst.operands[2], dt);
    llvm::Value *c = l.read(inst.operands[3], t);
    if (!x || !y || !c)
      return l.unsupported(inst, "an operand");
    if (fp && inst.has(Mod::Ftz_FTZ))
      c = l.flushSubnormal(c);
    llvm::Value *take = fp ? b.CreateFCmpOGE(c, llvm::ConstantFP::get(c->getType(), 0.0))
                           : b.CreateICmpSGE(c, llvm::ConstantInt::get(c->getType(), 0));
    return l.write(inst.operands[0], b.CreateSelect(take, x, y), dt) || l.unsupported(inst, "the destination");
  }
  if (ptx::typeInfo(t).kind == ptx::TypeKind::Packed)
    return l.unsupported(inst, "packed types");
  if (inst.opcode == ptx::Opcode::Selp) {
    llvm::Value *x = l.read(inst.operands[1], t), *y = l.read(inst.operands[2], t);
    llvm::Value *c = l.predicate(inst.operands[3]);
    if (!x || !y || !c || !l.write(inst.operands[0], b.CreateSelect(c, x, y), t))
      return l.unsupported(inst, "an operand");
    return true;
  }
  auto cmp = predicateOf(inst.mod(ptx::ModGroup::Compare), fp, FunctionLowering::isSigned(t));
  llvm::Value *x = l.read(inst.operands[1], t), *y = l.read(inst.operands[2], t);
  if (!cmp || !x || !y)
    return l.unsupported(inst, "this comparison or its operands");
  if (fp && inst.has(Mod::Ftz_FTZ)) {
    x = l.flushSubnormal(x);
    y = l.flushSubnormal(y);
  }
  llvm::Value *p = fp ? b.CreateFCmp(*cmp, x, y) : b.CreateICmp(*cmp, x, y);
  llvm::Value *q = b.CreateNot(p);
  if (Mod op = inst.mod(ptx::ModGroup::BoolOp); op != Mod::None) {
    llvm::Value *c = inst.operands.size() > 3 ? l.predicate(inst.operands[3]) : nullptr;
    if (!c)
      return l.unsupported(inst, "the combining predicate");
    auto combine = [&](llvm::Value *v) {
      return op == Mod::BoolOp_And ? b.CreateAnd(v, c) : op == Mod::BoolOp_Or ? b.CreateOr(v, c)
                                                                                : b.CreateXor(v, c);
    };
    p = combine(p);
    q = combine(q);
  }
  const ptx::Operand &dest = inst.operands[0];
  if (inst.opcode == ptx::Opcode::Set) { // true: 1.0f or all ones; false: 0
    ptx::Type dt = types[0];
    llvm::Type *to = l.typeOf(dt);
    llvm::Value *yes = dt == ptx::Type::F32 ? llvm::ConstantFP::get(to, 1.0) : llvm::Constant::getAllOnesValue(to);
    return l.write(dest, b.CreateSelect(p, yes, llvm::Constant::getNullValue(to)), dt) ||
           l.unsupported(inst, "the destination");
  }
  if (dest.kind == ptx::Operand::Kind::PredPair) { // p|q: q receives the complement
    if (!l.write(dest.elements[0], p, ptx::Type::Pred) || !l.write(dest.elements[1], q, ptx::Type::Pred))
      return l.unsupported(inst, "a destination");
    return true;
  }
  if (!l.write(dest, p, ptx::Type::Pred))
    return l.unsupported(inst, "the destination");
  return true;
}

} // namespace oxptx::translate
