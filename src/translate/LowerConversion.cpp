// mov (including packing and unpacking vectors of registers) and cvt between integer and
// floating-point types. Float-to-integer conversions saturate and map NaN to 0, as PTX
// specifies, which is what llvm.fpto[su]i.sat computes.
#include "translate/FunctionLowering.h"

#include <llvm/IR/Intrinsics.h>

namespace oxptx::translate {
namespace {

using ptx::Mod;
using ptx::Type;

/// mov.vN: between vector registers and brace lists (expanded to their elements), or from a
/// whole vector special register (%tid, %ntid, ...: its .x, .y, .z, .w).
bool lowerVectorMov(FunctionLowering &l, const ptx::Instruction &inst, Type t) {
  const ptx::Operand &dest = inst.operands[0], &source = inst.operands[1];
  if (dest.kind != ptx::Operand::Kind::Vector)
    return l.unsupported(inst, "the destination");
  for (size_t k = 0; k < dest.elements.size(); ++k) {
    llvm::Value *v = nullptr;
    if (source.kind == ptx::Operand::Kind::Vector && k < source.elements.size()) {
      v = l.read(source.elements[k], t);
    } else if (source.kind == ptx::Operand::Kind::Name && k == 3) {
      v = l.b.getIntN(FunctionLowering::bitsOf(t), 0); // %tid.w and the like: always zero
    } else if (source.kind == ptx::Operand::Kind::Name && k < 3) { // %tid → %tid.x, .y, .z
      v = specialRegister(l, source, std::string_view("xyz").substr(k, 1));
      v = v ? l.b.CreateZExtOrTrunc(v, l.typeOf(t)) : nullptr;
    }
    if (!v || !l.write(dest.elements[k], v, t))
      return l.unsupported(inst, "a vector element");
  }
  return true;
}

bool lowerMov(FunctionLowering &l, const ptx::Instruction &inst, Type t) {
  llvm::IRBuilder<> &b = l.b;
  const ptx::Operand &dest = inst.operands[0], &source = inst.operands[1];
  unsigned bits = FunctionLowering::bitsOf(t);
  if (inst.vectorWidth() > 1) // mov.v4.f32 %v, {...} or %v, %tid: element by element
    return lowerVectorMov(l, inst, t);
  if (source.kind == ptx::Operand::Kind::Vector) { // mov.b64 %rd, {%r1, %r2}: element 0 low
    unsigned part = bits / unsigned(source.elements.size());
    llvm::Value *packed = b.getIntN(bits, 0);
    for (size_t i = 0; i < source.elements.size(); ++i) {
      llvm::Value *e = l.read(source.elements[i], part == 32 ? Type::B32 : part == 16 ? Type::B16 : Type::B8);
      if (!e)
        return l.unsupported(inst, "a vector element");
      packed = b.CreateOr(packed, b.CreateShl(b.CreateZExt(e, packed->getType()), part * i));
    }
    return l.write(dest, packed, t) || l.unsupported(inst, "the destination");
  }
  if (dest.kind == ptx::Operand::Kind::Vector) { // mov.b64 {%r1, %r2}, %rd
    unsigned part = bits / unsigned(dest.elements.size());
    llvm::Value *whole = l.read(source, bits == 64 ? Type::B64 : bits == 32 ? Type::B32 : Type::B16);
    if (!whole)
      return l.unsupported(inst, "the source");
    Type partType = part == 32 ? Type::B32 : part == 16 ? Type::B16 : Type::B8;
    for (size_t i = 0; i < dest.elements.size(); ++i)
      if (!l.write(dest.elements[i], b.CreateTrunc(b.CreateLShr(whole, part * i), b.getIntNTy(part)), partType))
        return l.unsupported(inst, "a vector element");
    return true;
  }
  llvm::Value *v = l.read(source, t);
  if (!v || !l.write(dest, v, t))
    return l.unsupported(inst, "an operand");
  return true;
}

/// Rounds a floating-point value to an integral value per the .rni/.rzi/.rmi/.rpi modifier.
llvm::Value *roundIntegral(llvm::IRBuilder<> &b, llvm::Value *v, Mod rounding) {
  llvm::Intrinsic::ID id = rounding == Mod::Rounding_RNI   ? llvm::Intrinsic::roundeven
                           : rounding == Mod::Rounding_RMI ? llvm::Intrinsic::floor
                           : rounding == Mod::Rounding_RPI ? llvm::Intrinsic::ceil
                                                           : llvm::Intrinsic::trunc;
  return b.CreateUnaryIntrinsic(id, v);
}

/// A conversion with a directed rounding mode (.rz/.rm/.rp), which LLVM IR has no operation
/// for: ox.<fptrunc|sitofp|uitofp>.<mode>.<to>.<from>, one RISC-V conversion with that static
/// rounding mode in the backend.
llvm::Value *directedConversion(FunctionLowering &l, const char *op, Mod rounding, Type to, Type from,
                                llvm::Value *v) {
  std::string name = std::string("ox.") + op + "." + std::string(ptx::modInfo(rounding).spelling) + "." +
                     std::string(ptx::typeInfo(to).spelling) + "." + std::string(ptx::typeInfo(from).spelling);
  return l.oxCall(name, l.typeOf(to), {v}, false);
}

/// cvt.rna.tf32.f32: the f32 rounded to 10 mantissa bits, ties away from zero (adding half an
/// ulp to the magnitude, then truncating, carries into the exponent and to infinity as IEEE
/// rounding would), kept in an f32 register with the low 13 bits zero; NaN gives 0x7fffffff.
bool lowerToTf32(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  llvm::Value *v = l.read(inst.operands[1], Type::F32);
  if (!v)
    return l.unsupported(inst, "the source");
  llvm::Value *bits = b.CreateBitCast(v, b.getInt32Ty());
  llvm::Value *rounded = b.CreateAnd(b.CreateAdd(bits, b.getInt32(0x1000)), b.getInt32(0xffffe000));
  llvm::Value *r = b.CreateSelect(b.CreateFCmpUNO(v, v), b.getInt32(0x7fffffff), rounded);
  return l.write(inst.operands[0], r, Type::B32) || l.unsupported(inst, "the destination");
}

/// The 8-, 6- and 4-bit float formats (single or packed pairs), which LLVM IR has no types for.
bool isNarrowFloat(Type t) {
  switch (t) {
  case Type::E4M3: case Type::E5M2: case Type::E4M3x2: case Type::E5M2x2: case Type::E2M1:
  case Type::E2M3: case Type::E3M2: case Type::E2M1x2: case Type::E2M3x2: case Type::E3M2x2:
  case Type::UE8M0x2: return true;
  default: return false;
  }
}

/// cvt.sat between integer types: v (of type `from`) clamped to the range of `to`.
llvm::Value *clampInteger(llvm::IRBuilder<> &b, llvm::Value *v, Type from, Type to) {
  unsigned toBits = FunctionLowering::bitsOf(to);
  bool toSigned = FunctionLowering::isSigned(to);
  llvm::Type *wide = b.getInt128Ty(); // holds every value of both types
  llvm::Value *w = b.CreateIntCast(v, wide, FunctionLowering::isSigned(from));
  llvm::APInt low = toSigned ? llvm::APInt::getSignedMinValue(toBits) : llvm::APInt::getMinValue(toBits);
  llvm::APInt high = toSigned ? llvm::APInt::getSignedMaxValue(toBits) : llvm::APInt::getMaxValue(toBits);
  llvm::Value *lo = llvm::ConstantInt::get(wide, toSigned ? low.sext(128) : low.zext(128));
  llvm::Value *hi = llvm::ConstantInt::get(wide, toSigned ? high.sext(128) : high.zext(128));
  llvm::Value *clamped = b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, w, lo), hi);
  return b.CreateTrunc(clamped, b.getIntNTy(toBits));
}

/// .relu of a half-precision result: negative values become +0, NaNs the canonical NaN 0x7fff.
llvm::Value *reluOf(llvm::IRBuilder<> &b, llvm::Value *h) {
  llvm::Value *zero = llvm::ConstantFP::get(h->getType(), 0.0);
  llvm::Value *nan = b.CreateBitCast(b.getInt16(0x7fff), h->getType());
  llvm::Value *clamped = b.CreateSelect(b.CreateFCmpOLT(h, zero), zero, h);
  return b.CreateSelect(b.CreateFCmpUNO(h, h), nan, clamped);
}

/// cvt.rn.f16x2.f32 d, a, b (and .bf16x2): both rounded to nearest, a in the upper half of d,
/// b in the lower; .relu applies to each half.
bool lowerPackPair(FunctionLowering &l, const ptx::Instruction &inst, llvm::Type *half, bool relu) {
  llvm::IRBuilder<> &b = l.b;
  if (inst.operands.size() != 3)
    return l.unsupported(inst, "a packed conversion without two sources");
  llvm::Value *upper = l.read(inst.operands[1], Type::F32), *lower = l.read(inst.operands[2], Type::F32);
  if (!upper || !lower)
    return l.unsupported(inst, "the sources");
  auto bits = [&](llvm::Value *v) {
    llvm::Value *h = b.CreateFPTrunc(v, half);
    return b.CreateZExt(b.CreateBitCast(relu ? reluOf(b, h) : h, b.getInt16Ty()), b.getInt32Ty());
  };
  llvm::Value *hi = bits(upper);
  llvm::Value *packed = b.CreateOr(b.CreateShl(hi, 16), bits(lower));
  return l.write(inst.operands[0], packed, Type::B32) || l.unsupported(inst, "the destination");
}

} // namespace

bool lowerConversion(FunctionLowering &l, const ptx::Instruction &inst) {
  auto types = inst.types();
  if (inst.opcode == ptx::Opcode::Mov)
    return types.size() == 1 ? lowerMov(l, inst, types[0]) : l.unsupported(inst, "this type");
  if (types.size() != 2)
    return l.unsupported(inst, "this type combination");
  Type to = types[0], from = types[1];
  llvm::IRBuilder<> &b = l.b;
  bool toFloat = FunctionLowering::isFloat(to), fromFloat = FunctionLowering::isFloat(from);
  Mod rounding = inst.mod(ptx::ModGroup::Rounding);
  if (isNarrowFloat(to) || isNarrowFloat(from)) // fp8/fp6/fp4 and ue8m0: no LLVM IR types
    return lowerConversionCall(l, inst);
  bool relu = inst.modifier(ptx::ModGroup::Relu).has_value();
  bool halfResult = to == Type::F16 || to == Type::BF16 || to == Type::F16x2 || to == Type::BF16x2;
  if ((relu && !halfResult) || inst.has(Mod::Sat_SatFinite))
    return l.unsupported(inst, ".satfinite, or .relu without a half result");
  bool ftz = inst.has(Mod::Ftz_FTZ), sat = inst.has(Mod::Sat_Sat);
  if (to == Type::TF32 && from == Type::F32 && rounding == Mod::Rounding_RNA && !relu && !sat)
    return lowerToTf32(l, inst);
  if ((to == Type::F16x2 || to == Type::BF16x2) && from == Type::F32 && rounding == Mod::Rounding_RN)
    return lowerPackPair(l, inst, to == Type::F16x2 ? b.getHalfTy() : b.getBFloatTy(), relu);
  if (ptx::typeInfo(to).kind == ptx::TypeKind::Packed || ptx::typeInfo(from).kind == ptx::TypeKind::Packed ||
      to == Type::TF32)
    return l.unsupported(inst, "packed or tf32 conversions");
  llvm::Value *v = l.read(inst.operands[1], from);
  if (!v)
    return l.unsupported(inst, "the source");
  if (ftz && from == Type::F32) // .ftz flushes f32 sources and results (even before rmi/rpi)
    v = l.flushSubnormal(v);
  llvm::Type *target = l.typeOf(to);
  llvm::Value *r;
  bool integral = rounding == Mod::Rounding_RNI || rounding == Mod::Rounding_RZI ||
                  rounding == Mod::Rounding_RMI || rounding == Mod::Rounding_RPI;
  if (!toFloat && !fromFloat) {
    r = sat ? clampInteger(b, v, from, to) : b.CreateIntCast(v, target, FunctionLowering::isSigned(from));
  } else if (toFloat && fromFloat) {
    unsigned toBits = FunctionLowering::bitsOf(to), fromBits = FunctionLowering::bitsOf(from);
    if (integral)
      r = b.CreateFPCast(roundIntegral(b, v, rounding), target);
    else if (toBits < fromBits && rounding != Mod::None && rounding != Mod::Rounding_RN)
      r = directedConversion(l, "fptrunc", rounding, to, from, v);
    else
      r = toBits == fromBits ? v : toBits > fromBits ? b.CreateFPExt(v, target) : b.CreateFPTrunc(v, target);
  } else if (toFloat) {
    bool isSigned = FunctionLowering::isSigned(from);
    if (rounding != Mod::None && rounding != Mod::Rounding_RN)
      r = directedConversion(l, isSigned ? "sitofp" : "uitofp", rounding, to, from, v);
    else
      r = isSigned ? b.CreateSIToFP(v, target) : b.CreateUIToFP(v, target);
  } else {
    if (rounding != Mod::None)
      v = roundIntegral(b, v, rounding);
    llvm::Intrinsic::ID id = FunctionLowering::isSigned(to) ? llvm::Intrinsic::fptosi_sat
                                                            : llvm::Intrinsic::fptoui_sat;
    r = b.CreateIntrinsic(id, {target, v->getType()}, {v});
  }
  if (ftz && to == Type::F32)
    r = l.flushSubnormal(r);
  if (sat && toFloat)
    r = l.saturate(r);
  if (relu)
    r = reluOf(b, r);
  if (!l.write(inst.operands[0], r, to))
    return l.unsupported(inst, "the destination");
  return true;
}

} // namespace oxptx::translate
