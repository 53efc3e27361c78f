// Warp-collective matrix operations: wmma.load/store/mma, mma(.sp), ldmatrix and stmatrix. Each
// thread holds a fragment: a list of registers. The instruction becomes one convergent call,
// named "ox." + the instruction with its modifiers and types (wmma.mma.sync.aligned.row.col.
// m16n16k16.f32.f32 → ox.wmma.mma.sync.aligned.row.col.m16n16k16.f32.f32), taking this thread's
// source fragment registers, addresses (as pointers of their state space) and scalars in operand
// order, and returning its destination fragment as a struct of the registers' types. The
// OxCore backend implements them on the tensor engine. Fragment layouts: for mma, mma.sp,
// ldmatrix and stmatrix the PTX ISA fixes which lane holds which element, and the backend
// follows it; for wmma PTX leaves the layout unspecified, so OxCore's (the backend's) is the
// only one that wmma.load, wmma.mma and wmma.store have to agree on.
#include "translate/FunctionLowering.h"

#include "ptx_parser/Printer.h"

namespace oxptx::translate {

using ptx::Opcode;
using ptx::Operand;

bool lowerTensor(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  std::string text = ptx::printInstruction(l.mod.ptx, inst);
  size_t start = text.find_first_not_of(" \t");
  std::string name = "ox." + text.substr(start, text.find_first_of(" \t", start) - start);
  bool storesFromFragment = inst.opcode == Opcode::WmmaStore || inst.opcode == Opcode::Stmatrix;

  const Operand *destination = nullptr;
  llvm::SmallVector<llvm::Value *, 16> args;
  for (size_t i = 0; i < inst.operands.size(); ++i) {
    const Operand &o = inst.operands[i];
    if (i == 0 && !storesFromFragment) {
      destination = &o;
      continue;
    }
    if (o.kind == Operand::Kind::Address) {
      llvm::Value *p = l.address(o, inst.space());
      if (!p)
        return l.unsupported(inst, "an address");
      args.push_back(p);
    } else if (o.kind == Operand::Kind::Vector) {
      for (const Operand &e : o.elements) {
        ptx::Type t = l.registerType(e);
        llvm::Value *v = t == ptx::Type::None ? nullptr : l.read(e, t);
        if (!v)
          return l.unsupported(inst, "a fragment register");
        args.push_back(v);
      }
    } else { // strides, selectors, sparsity metadata
      llvm::Value *v = l.read(o, ptx::Type::U32);
      if (!v)
        return l.unsupported(inst, "an operand");
      args.push_back(v);
    }
  }
  if (!destination) {
    l.convergentCall(name, b.getVoidTy(), args);
    return true;
  }
  if (destination->kind != Operand::Kind::Vector)
    return l.unsupported(inst, "a destination that is not a register list");
  llvm::SmallVector<llvm::Type *, 8> fields;
  llvm::SmallVector<ptx::Type, 8> types;
  for (const Operand &e : destination->elements) {
    ptx::Type t = l.registerType(e);
    if (t == ptx::Type::None)
      return l.unsupported(inst, "a fragment register");
    types.push_back(t);
    fields.push_back(l.typeOf(t));
  }
  llvm::Value *fragment = l.convergentCall(name, llvm::StructType::get(l.ctx, fields), args);
  for (size_t i = 0; i < types.size(); ++i)
    if (!l.write(destination->elements[i], b.CreateExtractValue(fragment, unsigned(i)), types[i]))
      return l.unsupported(inst, "a fragment register");
  return true;
}

} // namespace oxptx::translate
