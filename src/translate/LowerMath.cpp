// Floating-point functions: sqrt and rcp (IEEE with .rn; .approx computed exactly, which is
// within every bound PTX gives), rsqrt, and the .approx functions sin, cos, lg2, ex2 and tanh as
// the LLVM intrinsics the backend expands (their accuracy must meet the PTX bounds there).
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {

bool lowerMath(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  if (types.size() != 1 || !FunctionLowering::isFloat(types[0]))
    return l.unsupported(inst, "this type");
  ptx::Type t = types[0];
  bool ftz = inst.has(ptx::Mod::Ftz_FTZ);
  ptx::Mod rounding = inst.mod(ptx::ModGroup::Rounding);
  bool directed = rounding != ptx::Mod::None && rounding != ptx::Mod::Rounding_RN;
  if (directed && inst.opcode != ptx::Opcode::Sqrt && inst.opcode != ptx::Opcode::Rcp)
    return l.unsupported(inst, "this rounding mode here");
  llvm::IRBuilder<> &b = l.b;
  llvm::Value *x = l.read(inst.operands[1], t);
  if (!x)
    return l.unsupported(inst, "the source");
  if (ftz)
    x = l.flushSubnormal(x);
  llvm::Value *one = llvm::ConstantFP::get(x->getType(), 1.0);
  llvm::Value *r;
  // sqrt/rcp with .rz/.rm/.rp: ox.fsqrt/ox.fdiv with the static rounding mode (as in arithmetic)
  std::string suffix = directed ? "." + std::string(ptx::modInfo(rounding).spelling) + "." +
                                      std::string(ptx::typeInfo(t).spelling)
                                : "";
  switch (inst.opcode) {
  case ptx::Opcode::Sqrt:
    r = directed ? l.oxCall("ox.fsqrt" + suffix, x->getType(), {x}, false)
                 : b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x);
    break;
  case ptx::Opcode::Rcp:
    r = directed ? l.oxCall("ox.fdiv" + suffix, x->getType(), {one, x}, false) : b.CreateFDiv(one, x);
    break;
  case ptx::Opcode::Rsqrt: r = b.CreateFDiv(one, b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x)); break;
  case ptx::Opcode::Sin: r = b.CreateUnaryIntrinsic(llvm::Intrinsic::sin, x); break;
  case ptx::Opcode::Cos: r = b.CreateUnaryIntrinsic(llvm::Intrinsic::cos, x); break;
  case ptx::Opcode::Lg2: r = b.CreateUnaryIntrinsic(llvm::Intrinsic::log2, x); break;
  case ptx::Opcode::Ex2: r = b.CreateUnaryIntrinsic(llvm::Intrinsic::exp2, x); break;
  case ptx::Opcode::Tanh: r = b.CreateUnaryIntrinsic(llvm::Intrinsic::tanh, x); break;
  default: return l.unsupported(inst, "the instruction");
  }
  if (inst.modifier(ptx::ModGroup::Approx))
    if (auto *i = llvm::dyn_cast<llvm::Instruction>(r))
      i->setHasApproxFunc(true);
  if (ftz)
    r = l.flushSubnormal(r);
  if (!l.write(inst.operands[0], r, t))
    return l.unsupported(inst, "the destination");
  return true;
}

} // namespace oxptx::translate
