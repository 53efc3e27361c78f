// Operations on units the OxCore backend owns, each one call that keeps every operand.
//
// Operations on objects whose layout is the runtime's or the hardware's (tensormap.replace and
// tensormap.cp_fenceproxy on TMA descriptors, multimem.* on multicast memory) are ox.* calls
// on the object's address that read and write memory.
//
// mapa (the address of a variable in another CTA of the cluster) is a pure ox.mapa.* call: the
// cluster's shared-memory map is the backend's. So are conversions to and from the fp8/fp6/fp4
// formats (ox.cvt.rn.satfinite.e4m3x2.f32 ...), which LLVM IR has no types for.
//
// Texture and surface operations on object handles (tex, tld4, txq, suld, sust, sured, suq):
// ox.<instruction>(handle, coordinates..., other sources...) → the destination registers; the
// backend and runtime implement sampling, filtering and the clamp/trap/zero modes. Texture,
// sampler and surface references (.texref/.samplerref/.surfref variables and parameters) are
// 64-bit handles too (FunctionLowering::opaqueHandle).
//
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

#include "ptx_parser/Instructions.h"
#include "ptx_parser/Printer.h"

namespace oxptx::translate {

using ptx::Opcode;
using ptx::Operand;

namespace {

/// The instruction as one call to "ox." + its opcode and modifiers, with its sources flattened
/// in operand order (register lists element by element, addresses as pointers of their state
/// space, or for texture and surface operations as the handle and the coordinates) and its
/// destination (a register or a register list) returned as a struct of the registers' types.
/// How the call behaves: warp-collective (convergent), touching memory, or a pure computation.
enum class CallKind { Collective, Memory, Pure };

bool lowerAsCall(FunctionLowering &l, const ptx::Instruction &inst, CallKind kind, bool handles) {
  llvm::IRBuilder<> &b = l.b;
  std::string text = ptx::printInstruction(l.mod.ptx, inst);
  size_t start = text.find_first_not_of(" \t");
  std::string name = "ox." + text.substr(start, text.find_first_of(" \t;", start) - start);
  for (size_t at = name.find("::"); at != std::string::npos; at = name.find("::", at)) // shared::cta
    name.replace(at, 2, ".");
  // The first operand is the destination when the instruction table says so (d, or D for d|p).
  const auto &specs = inst.spec().operands;
  bool hasDestination = !specs.empty() && (specs.front().kind == ptx::OperandSpec::Kind::Dest ||
                                           specs.front().kind == ptx::OperandSpec::Kind::PredDest);

  llvm::SmallVector<llvm::Value *, 16> args;
  auto addRegisters = [&](const Operand &list) {
    for (const Operand &e : list.elements) {
      ptx::Type t = l.registerType(e);
      llvm::Value *v = t == ptx::Type::None ? l.read(e, ptx::Type::B32) : l.read(e, t);
      if (!v)
        return false;
      args.push_back(v);
    }
    return true;
  };
  // wgmma.mma_async accumulates into its destination fragment: d is a source too (first).
  bool accumulates = inst.opcode == Opcode::WgmmaMmaAsync;
  const Operand *destination = nullptr;
  for (size_t i = 0; i < inst.operands.size(); ++i) {
    const Operand &o = inst.operands[i];
    if (i == 0 && hasDestination) {
      destination = &o;
      if (!accumulates)
        continue;
    }
    if (o.kind == Operand::Kind::Address && handles) { // [texture{, sampler}{, {coordinates}}]
      llvm::Value *handle = l.opaqueHandle(FunctionLowering::registerOperand(o.name, o.loc));
      if (!handle)
        return l.unsupported(inst, "a texture, sampler or surface that is not a handle");
      args.push_back(handle);
      for (const Operand &e : o.elements) {
        if (e.kind == Operand::Kind::Vector) {
          if (!addRegisters(e))
            return l.unsupported(inst, "a coordinate");
        } else if (llvm::Value *sampler = l.opaqueHandle(e)) {
          args.push_back(sampler);
        } else {
          return l.unsupported(inst, "a sampler that is not a handle");
        }
      }
    } else if (o.kind == Operand::Kind::Address) {
      llvm::Value *p = l.address(o, inst.space());
      if (!p)
        return l.unsupported(inst, "an address");
      args.push_back(p);
    } else if (o.kind == Operand::Kind::Vector) {
      if (!addRegisters(o))
        return l.unsupported(inst, "a fragment register");
    } else { // strides, selectors, levels, sparsity metadata
      ptx::Type t = l.registerType(o);
      llvm::Value *v = l.read(o, t == ptx::Type::None ? ptx::Type::U32 : t);
      if (!v)
        return l.unsupported(inst, "an operand");
      args.push_back(v);
    }
  }
  auto emit = [&](llvm::Type *result) {
    return kind == CallKind::Collective ? l.convergentCall(name, result, args)
                                        : l.oxCall(name, result, args, kind == CallKind::Memory);
  };
  if (!destination) {
    emit(b.getVoidTy());
    return true;
  }
  llvm::SmallVector<const Operand *, 8> registers;
  if (destination->kind == Operand::Kind::Vector)
    for (const Operand &e : destination->elements)
      registers.push_back(&e);
  else
    registers.push_back(destination);
  // A sink `_` in the list takes the type of the list's registers.
  ptx::Type listType = ptx::Type::B32;
  for (const Operand *e : registers)
    if (ptx::Type t = l.registerType(*e); t != ptx::Type::None)
      listType = t;
  llvm::SmallVector<llvm::Type *, 8> fields;
  llvm::SmallVector<ptx::Type, 8> types;
  for (const Operand *e : registers) {
    ptx::Type t = e->kind == Operand::Kind::Sink ? listType : l.registerType(*e);
    if (t == ptx::Type::None)
      return l.unsupported(inst, "a destination that is not a register");
    types.push_back(t);
    fields.push_back(l.typeOf(t));
  }
  llvm::Value *result = emit(llvm::StructType::get(l.ctx, fields));
  for (size_t i = 0; i < types.size(); ++i)
    if (!l.write(*registers[i], b.CreateExtractValue(result, unsigned(i)), types[i]))
      return l.unsupported(inst, "a destination register");
  return true;
}

} // namespace

bool lowerTensor(FunctionLowering &l, const ptx::Instruction &inst) {
  return lowerAsCall(l, inst, CallKind::Collective, /*handles=*/false);
}

bool lowerTexture(FunctionLowering &l, const ptx::Instruction &inst) {
  return lowerAsCall(l, inst, CallKind::Memory, /*handles=*/true);
}

bool lowerClusterAddress(FunctionLowering &l, const ptx::Instruction &inst) {
  return lowerAsCall(l, inst, CallKind::Pure, /*handles=*/false);
}

bool lowerMemoryCall(FunctionLowering &l, const ptx::Instruction &inst) {
  return lowerAsCall(l, inst, CallKind::Memory, /*handles=*/false);
}

bool lowerConversionCall(FunctionLowering &l, const ptx::Instruction &inst) {
  return lowerAsCall(l, inst, CallKind::Pure, /*handles=*/false);
}

} // namespace oxptx::translate
