// Texture and surface instructions as per-thread code (docs/textures.md): each ox.tex.* /
// ox.suld.b.* / ox.sust.b.* operation the module uses gets a definition that reads the object's
// descriptor (TextureDescriptor.h) and its texels with ordinary loads, which is then inlined and
// vectorized like the kernel's own code: the descriptor's fields are usually warp-uniform
// (scalar loads and branches), the texel reads per lane (gathers).
//
// Sampling follows the CUDA Programming Guide's texture fetching rules: normalized coordinates
// are scaled by the size, wrap and mirror act on normalized coordinates only (else clamp),
// point sampling takes texel floor(x), linear filtering interpolates between the texels around
// x − 0.5 with weights in 1/256 steps (the hardware's 8-bit fraction), border texels read the
// border colour, and 8/16-bit integers read as normalized floats map to [0, 1] or [−1, 1].
#include "backend/Textures.h"

#include "backend/TextureDescriptor.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace oxptx::backend {
namespace {

using llvm::Value;
namespace field = texture_field;

/// What an operation's name says (ox.tex.2d.v4.f32.f32, ox.suld.b.3d.v4.b32.trap, ...).
struct Operation {
  enum Kind { Sample, Gather, Query, Surface } kind = Sample;
  bool store = false;
  unsigned component = 0;  // tld4: the channel gathered
  std::string query;       // txq/suq: the attribute
  unsigned dims = 1;       // coordinates that address texels
  bool layered = false;    // a1d / a2d / acube: a layer index comes first
  bool cube = false;       // cube / acube: a direction (x, y, z) picks a face
  bool level = false;      // tex.level/.grad: a level of detail or gradients follow (no mipmaps: level 0)
  bool floatResult = false, floatCoordinates = false;
  unsigned vector = 1, elementBits = 32; // surfaces: .v2/.v4 of .b8/.b16/.b32/.b64
  enum Clamp { Trap, ClampToEdge, Zero } clamp = Trap;
};

std::optional<Operation> parse(llvm::StringRef name) {
  llvm::SmallVector<llvm::StringRef, 8> parts;
  name.split(parts, '.');
  Operation op;
  size_t i = 0;
  auto next = [&]() -> llvm::StringRef { return i < parts.size() ? parts[i++] : ""; };
  if (next() != "ox")
    return std::nullopt;
  llvm::StringRef kind = next();
  if (kind == "txq" || kind == "suq") { // ox.txq.width.b32
    op.kind = Operation::Query;
    op.query = next().str();
    return llvm::is_contained({"width", "height", "depth", "normalized_coords", "filter_mode", "addr_mode_0",
                               "addr_mode_1", "addr_mode_2"}, op.query) && next() == "b32" && i == parts.size()
               ? std::optional(op)
               : std::nullopt;
  }
  if (kind == "tld4") { // ox.tld4.r.2d.v4.f32.f32
    op.kind = Operation::Gather;
    llvm::StringRef component = next();
    op.component = component == "r" ? 0 : component == "g" ? 1 : component == "b" ? 2 : component == "a" ? 3 : 4;
    if (op.component == 4 || next() != "2d")
      return std::nullopt;
    op.dims = 2;
    llvm::StringRef vec = next(), result = next(), coordinates = next();
    if (vec != "v4" || i != parts.size() || (result != "f32" && result != "s32" && result != "u32") ||
        coordinates != "f32")
      return std::nullopt;
    op.floatResult = result == "f32";
    op.floatCoordinates = true;
    return op;
  }
  if (kind == "tex") {
    llvm::StringRef geometry = next();
    if (geometry == "level" || geometry == "grad") {
      op.level = true;
      geometry = next();
    }
    op.layered = geometry.consume_front("a");
    op.cube = geometry == "cube";
    if (geometry != "1d" && geometry != "2d" && geometry != "3d" && !op.cube)
      return std::nullopt;
    op.dims = op.cube ? 2 : geometry[0] - '0';
    if (op.layered && geometry == "3d")
      return std::nullopt;
    llvm::StringRef vec = next(), result = next(), coordinates = next();
    if (vec != "v4" || i != parts.size() || (result != "f32" && result != "s32" && result != "u32") ||
        (coordinates != "f32" && coordinates != "s32"))
      return std::nullopt;
    op.floatResult = result == "f32";
    op.floatCoordinates = coordinates == "f32";
    return op;
  }
  if ((kind != "suld" && kind != "sust") || next() != "b")
    return std::nullopt;
  op.kind = Operation::Surface;
  op.store = kind == "sust";
  llvm::StringRef geometry = next();
  op.layered = geometry.consume_front("a");
  if ((geometry != "1d" && geometry != "2d" && geometry != "3d") || (op.layered && geometry == "3d"))
    return std::nullopt;
  op.dims = geometry[0] - '0';
  llvm::StringRef element = next();
  if (element == "v2" || element == "v4") {
    op.vector = element[1] - '0';
    element = next();
  }
  if (!element.consume_front("b") || element.getAsInteger(10, op.elementBits) ||
      (op.elementBits != 8 && op.elementBits != 16 && op.elementBits != 32 && op.elementBits != 64))
    return std::nullopt;
  llvm::StringRef clamp = next();
  if (i != parts.size() || (clamp != "trap" && clamp != "clamp" && clamp != "zero"))
    return std::nullopt;
  op.clamp = clamp == "trap" ? Operation::Trap : clamp == "clamp" ? Operation::ClampToEdge : Operation::Zero;
  return op;
}

/// A surface access's coordinate operands: {x}, {x, y}, {x, y, z, -}, {layer, x}, {layer, x, y, -}.
unsigned surfaceCoordinates(const Operation &op) {
  unsigned n = op.dims + op.layered;
  return n == 3 ? 4 : n;
}

/// Whether a call's signature is the one the operation's name implies (not, e.g., a texture
/// with a separate sampler of PTX's independent mode, which CUDA does not produce).
bool matches(const Operation &op, llvm::FunctionType *type) {
  auto param = [&](unsigned k) { return k < type->getNumParams() ? type->getParamType(k) : nullptr; };
  llvm::LLVMContext &ctx = type->getContext();
  if (param(0) != llvm::Type::getInt64Ty(ctx))
    return false;
  llvm::Type *i32 = llvm::Type::getInt32Ty(ctx), *f32 = llvm::Type::getFloatTy(ctx);
  auto *result = llvm::dyn_cast<llvm::StructType>(type->getReturnType());
  switch (op.kind) {
  case Operation::Query: return type->getNumParams() == 1 && result && result->getNumElements() == 1;
  case Operation::Sample:
  case Operation::Gather: {
    unsigned first = 1 + op.layered;
    if (op.layered && param(1) != i32)
      return false;
    if (op.cube)
      return param(first) == f32 && param(first + 1) == f32 && param(first + 2) == f32 && result &&
             result->getNumElements() == 4 &&
             llvm::all_of(result->elements(), [&](llvm::Type *t) { return t == (op.floatResult ? f32 : i32); });
    for (unsigned k = 0; k < op.dims; ++k)
      if (param(first + k) != (op.floatCoordinates ? f32 : i32))
        return false;
    return result && result->getNumElements() == 4 &&
           llvm::all_of(result->elements(), [&](llvm::Type *t) { return t == (op.floatResult ? f32 : i32); });
  }
  case Operation::Surface: {
    unsigned coordinates = surfaceCoordinates(op);
    for (unsigned k = 0; k < coordinates; ++k)
      if (param(1 + k) != i32)
        return false;
    if (op.store)
      return type->getNumParams() == 1 + coordinates + op.vector;
    return type->getNumParams() == 1 + coordinates && result && result->getNumElements() == op.vector;
  }
  }
  return false;
}

/// The descriptor's fields, loaded once per operation.
struct Descriptor {
  Value *base, *pitch, *slicePitch;       // i64
  std::array<Value *, 3> size;            // i32
  Value *kind, *channels, *channelBytes;  // i32
  Value *linear, *normalized, *readNormalized; // i1
  std::array<Value *, 3> mode;            // i32
  std::array<Value *, 4> border;          // f32
};

class Builder {
public:
  Builder(llvm::Function &f, const Operation &op)
      : f_(f), op_(op), b_(llvm::BasicBlock::Create(f.getContext(), "entry", &f)) {}

  void define() {
    d_ = load(f_.getArg(0));
    switch (op_.kind) {
    case Operation::Sample: sample(); break;
    case Operation::Gather: gather(); break;
    case Operation::Query: query(); break;
    case Operation::Surface: surface(); break;
    }
  }

private:
  llvm::Function &f_;
  const Operation &op_;
  llvm::IRBuilder<> b_;
  Descriptor d_{};

  llvm::Type *i32() { return b_.getInt32Ty(); }
  llvm::Type *f32() { return b_.getFloatTy(); }
  Value *c32(int64_t v) { return b_.getInt32(uint32_t(v)); }
  Value *cf(double v) { return llvm::ConstantFP::get(f32(), v); }

  Descriptor load(Value *handle) {
    Value *p = b_.CreateIntToPtr(handle, b_.getPtrTy());
    auto at = [&](unsigned offset, llvm::Type *t) {
      return b_.CreateAlignedLoad(t, b_.CreateConstGEP1_32(b_.getInt8Ty(), p, offset), llvm::Align(1));
    };
    auto byte = [&](unsigned offset) { return b_.CreateZExt(at(offset, b_.getInt8Ty()), i32()); };
    auto flag = [&](unsigned offset) { return b_.CreateICmpNE(byte(offset), c32(0)); };
    Descriptor d;
    d.base = at(field::kBase, b_.getInt64Ty());
    d.pitch = at(field::kPitch, b_.getInt64Ty());
    d.slicePitch = at(field::kSlicePitch, b_.getInt64Ty());
    for (unsigned k = 0; k < 3; ++k) {
      d.size[k] = at(field::kWidth + 4 * k, i32());
      d.mode[k] = byte(field::kAddress + k);
    }
    d.kind = byte(field::kKind);
    d.channels = byte(field::kChannels);
    d.channelBytes = byte(field::kChannelBytes);
    d.linear = b_.CreateICmpEQ(byte(field::kFilter), c32(uint8_t(FilterMode::Linear)));
    d.normalized = flag(field::kNormalized);
    d.readNormalized = flag(field::kReadNormalized);
    for (unsigned k = 0; k < 4; ++k)
      d.border[k] = at(field::kBorder + 4 * k, f32());
    return d;
  }

  // --- texels ---------------------------------------------------------------------------------

  llvm::BasicBlock *block(const char *name) { return llvm::BasicBlock::Create(f_.getContext(), name, &f_); }

  /// Per-operation facts about the format, computed once from the descriptor.
  struct Format {
    Value *shift;                  // 32 − channel bits
    Value *isFloat, *isSigned, *isHalf;
    Value *scale;                  // 1 / the largest integer when read as normalized float, else 1
  } format_{};

  void describeFormat() {
    Value *bits = b_.CreateMul(d_.channelBytes, c32(8));
    format_.shift = b_.CreateSub(c32(32), bits);
    format_.isFloat = b_.CreateICmpEQ(d_.kind, c32(uint8_t(ChannelKind::Float)));
    format_.isSigned = b_.CreateICmpEQ(d_.kind, c32(uint8_t(ChannelKind::Signed)));
    format_.isHalf = b_.CreateICmpEQ(d_.channelBytes, c32(2));
    // normalized: unsigned v / (2^w − 1), signed max(v, −(2^(w−1) − 1)) / (2^(w−1) − 1)
    Value *largest = b_.CreateLShr(b_.CreateSelect(format_.isSigned, c32(0x7fffffff), c32(-1)), format_.shift);
    Value *normalized = b_.CreateAnd(d_.readNormalized, b_.CreateNot(format_.isFloat));
    format_.scale = b_.CreateSelect(normalized, b_.CreateFDiv(cf(1.0), b_.CreateUIToFP(largest, f32())), cf(1.0));
  }

  /// The bits of channel c of the texel at byte address `texel` (zero-extended), zero when the
  /// format has fewer channels. One aligned 32-bit load: allocations are whole words (256-byte
  /// granules), so the word holding a texel byte is readable.
  Value *channelBits(Value *texel, unsigned c) {
    Value *present = b_.CreateICmpULT(c32(c), d_.channels);
    Value *channel = b_.CreateSelect(present, c32(c), c32(0));
    Value *address = b_.CreateAdd(texel, b_.CreateZExt(b_.CreateMul(channel, d_.channelBytes), b_.getInt64Ty()));
    Value *word = b_.CreateAlignedLoad(i32(), b_.CreateIntToPtr(b_.CreateAnd(address, b_.getInt64(~uint64_t(3))), b_.getPtrTy()),
                                       llvm::Align(4));
    Value *offset = b_.CreateShl(b_.CreateTrunc(b_.CreateAnd(address, b_.getInt64(3)), i32()), c32(3));
    Value *bits = b_.CreateLShr(b_.CreateShl(b_.CreateLShr(word, offset), format_.shift), format_.shift);
    return b_.CreateSelect(present, bits, c32(0));
  }

  /// The byte address of texel (x, y, z), indices already in range.
  Value *texelAddress(const std::array<Value *, 3> &index) {
    Value *texelBytes = b_.CreateZExt(b_.CreateMul(d_.channels, d_.channelBytes), b_.getInt64Ty());
    Value *at = b_.CreateAdd(d_.base, b_.CreateMul(b_.CreateZExt(index[0], b_.getInt64Ty()), texelBytes));
    at = b_.CreateAdd(at, b_.CreateMul(b_.CreateZExt(index[1], b_.getInt64Ty()), d_.pitch));
    return b_.CreateAdd(at, b_.CreateMul(b_.CreateZExt(index[2], b_.getInt64Ty()), d_.slicePitch));
  }

  Value *signExtended(Value *bits) { return b_.CreateAShr(b_.CreateShl(bits, format_.shift), format_.shift); }

  /// A channel's bits as the float a texture read returns (kind, width and read mode).
  Value *asFloat(Value *bits) {
    Value *half = b_.CreateFPExt(b_.CreateBitCast(b_.CreateTrunc(bits, b_.getInt16Ty()), b_.getHalfTy()), f32());
    Value *floatValue = b_.CreateSelect(format_.isHalf, half, b_.CreateBitCast(bits, f32()));
    Value *lowest = b_.CreateNeg(b_.CreateLShr(c32(0x7fffffff), format_.shift)); // −(2^(w−1) − 1)
    Value *signedValue = b_.CreateSIToFP(
        b_.CreateSelect(d_.readNormalized, b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, signExtended(bits), lowest),
                        signExtended(bits)),
        f32());
    Value *integer = b_.CreateSelect(format_.isSigned, signedValue, b_.CreateUIToFP(bits, f32()));
    return b_.CreateSelect(format_.isFloat, floatValue, b_.CreateFMul(integer, format_.scale));
  }

  /// A channel's bits as the integer a texture read returns (signed formats sign-extended).
  Value *asInteger(Value *bits) { return b_.CreateSelect(format_.isSigned, signExtended(bits), bits); }

  /// The four channels of texel `index` (or the border colour where `inside` is false), as the
  /// operation's result type.
  std::array<Value *, 4> texel(const std::array<Value *, 3> &index, Value *inside) {
    Value *address = texelAddress(index);
    std::array<Value *, 4> out;
    for (unsigned c = 0; c < 4; ++c) {
      Value *bits = channelBits(address, c);
      Value *border = op_.floatResult ? d_.border[c] : b_.CreateBitCast(d_.border[c], i32());
      out[c] = b_.CreateSelect(inside, op_.floatResult ? asFloat(bits) : asInteger(bits), border);
    }
    return out;
  }

  // --- coordinates ----------------------------------------------------------------------------

  /// Texel index i of a dimension of size n resolved by the address mode: (index in range,
  /// whether it is inside the texture; false only in border mode).
  std::pair<Value *, Value *> resolve(Value *i, unsigned dim) {
    Value *n = d_.size[dim], *mode = effectiveMode(dim);
    Value *inside = b_.CreateAnd(b_.CreateICmpSGE(i, c32(0)), b_.CreateICmpSLT(i, n));
    Value *clamped = b_.CreateSelect(b_.CreateICmpSLT(i, c32(0)), c32(0),
                                     b_.CreateSelect(b_.CreateICmpSGE(i, n), b_.CreateSub(n, c32(1)), i));
    auto positiveRem = [&](Value *x, Value *m) {
      Value *r = b_.CreateSRem(x, m);
      return b_.CreateSelect(b_.CreateICmpSLT(r, c32(0)), b_.CreateAdd(r, m), r);
    };
    Value *wrapped = positiveRem(i, n);
    Value *m = positiveRem(i, b_.CreateMul(n, c32(2)));
    Value *mirrored = b_.CreateSelect(b_.CreateICmpSLT(m, n), m, b_.CreateSub(b_.CreateSub(b_.CreateMul(n, c32(2)), c32(1)), m));
    auto is = [&](AddressMode a) { return b_.CreateICmpEQ(mode, c32(uint8_t(a))); };
    Value *index = b_.CreateSelect(is(AddressMode::Wrap), wrapped, b_.CreateSelect(is(AddressMode::Mirror), mirrored, clamped));
    return {index, b_.CreateOr(inside, b_.CreateNot(is(AddressMode::Border)))};
  }

  /// Wrap and mirror apply to normalized coordinates only; otherwise they act as clamp.
  Value *effectiveMode(unsigned dim) {
    Value *mode = d_.mode[dim];
    Value *repeats = b_.CreateOr(b_.CreateICmpEQ(mode, c32(uint8_t(AddressMode::Wrap))),
                                 b_.CreateICmpEQ(mode, c32(uint8_t(AddressMode::Mirror))));
    return b_.CreateSelect(b_.CreateAnd(repeats, b_.CreateNot(d_.normalized)), c32(uint8_t(AddressMode::Clamp)), mode);
  }

  /// A float coordinate in texels: scaled when normalized, after wrap/mirror of the normalized
  /// value (frac x; 1 − frac x on odd periods).
  Value *texelCoordinate(Value *x, unsigned dim) {
    Value *mode = d_.mode[dim];
    Value *whole = b_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x);
    Value *frac = b_.CreateFSub(x, whole);
    Value *odd = b_.CreateICmpNE(b_.CreateAnd(b_.CreateFPToSI(whole, i32()), c32(1)), c32(0));
    Value *mirrored = b_.CreateSelect(odd, b_.CreateFSub(cf(1.0), frac), frac);
    Value *repeated = b_.CreateSelect(b_.CreateICmpEQ(mode, c32(uint8_t(AddressMode::Wrap))), frac,
                                      b_.CreateSelect(b_.CreateICmpEQ(mode, c32(uint8_t(AddressMode::Mirror))), mirrored, x));
    Value *scaled = b_.CreateFMul(repeated, b_.CreateUIToFP(d_.size[dim], f32()));
    return b_.CreateSelect(d_.normalized, scaled, x);
  }

  /// A cubemap direction's face (0-5: +x, −x, +y, −y, +z, −z) and its coordinates in texels
  /// on that face, by the CUDA Programming Guide's table: the major axis m picks the face, and
  /// ((s/m + 1)/2, (t/m + 1)/2) scaled by the face's size are the coordinates.
  std::pair<Value *, std::vector<Value *>> cubeFace(Value *x, Value *y, Value *z) {
    auto abs = [&](Value *v) { return b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v); };
    Value *ax = abs(x), *ay = abs(y), *az = abs(z);
    Value *xMajor = b_.CreateAnd(b_.CreateFCmpOGE(ax, ay), b_.CreateFCmpOGE(ax, az));
    Value *yMajor = b_.CreateAnd(b_.CreateNot(xMajor), b_.CreateFCmpOGE(ay, az));
    auto pick = [&](Value *forX, Value *forY, Value *forZ) {
      return b_.CreateSelect(xMajor, forX, b_.CreateSelect(yMajor, forY, forZ));
    };
    auto neg = [&](Value *v) { return b_.CreateFNeg(v); };
    Value *negative = pick(b_.CreateFCmpOLT(x, cf(0)), b_.CreateFCmpOLT(y, cf(0)), b_.CreateFCmpOLT(z, cf(0)));
    Value *face = b_.CreateAdd(pick(c32(0), c32(2), c32(4)), b_.CreateZExt(negative, i32()));
    Value *m = pick(ax, ay, az);
    // s, t per face: +x (−z, −y), −x (z, −y), +y (x, z), −y (x, −z), +z (x, −y), −z (−x, −y)
    Value *s = pick(b_.CreateSelect(negative, z, neg(z)), x, b_.CreateSelect(negative, neg(x), x));
    Value *t = pick(neg(y), b_.CreateSelect(negative, neg(z), z), neg(y));
    std::vector<Value *> texels;
    for (auto [c, k] : {std::pair{s, 0u}, {t, 1u}}) {
      Value *unit = b_.CreateFMul(b_.CreateFAdd(b_.CreateFDiv(c, m), cf(1.0)), cf(0.5));
      texels.push_back(b_.CreateFMul(unit, b_.CreateUIToFP(d_.size[k], f32())));
    }
    return {face, texels};
  }

  void sample() {
    describeFormat();
    unsigned arg = 1;
    Value *layer = op_.layered ? f_.getArg(arg++) : nullptr;
    if (op_.cube) { // a face (of the layer's six) sampled as a 2-D slice
      auto [face, x] = cubeFace(f_.getArg(arg), f_.getArg(arg + 1), f_.getArg(arg + 2));
      Value *slice = layer ? b_.CreateAdd(b_.CreateMul(layer, c32(6)), face) : face;
      Value *last = b_.CreateSub(d_.size[2], c32(1));
      std::array<Value *, 3> fixedIndex = {c32(0), c32(0), b_.CreateSelect(b_.CreateICmpUGT(slice, last), last, slice)};
      return finish(op_.floatResult ? filtered(x, fixedIndex) : point(x, fixedIndex));
    }
    std::vector<Value *> coordinates;
    for (unsigned k = 0; k < op_.dims; ++k)
      coordinates.push_back(f_.getArg(arg++));
    // layers: a1d's layer is the row, a2d's the slice
    std::array<Value *, 3> fixedIndex = {c32(0), c32(0), c32(0)};
    if (layer) {
      unsigned dim = op_.dims; // 1 or 2
      Value *last = b_.CreateSub(d_.size[dim], c32(1));
      fixedIndex[dim] = b_.CreateSelect(b_.CreateICmpSLT(layer, c32(0)), c32(0),
                                        b_.CreateSelect(b_.CreateICmpSGT(layer, last), last, layer));
    }
    std::array<Value *, 4> result;
    if (!op_.floatCoordinates) { // texel indices: no scaling, no filtering
      std::array<Value *, 3> index = fixedIndex;
      Value *inside = b_.getTrue();
      for (unsigned k = 0; k < op_.dims; ++k) {
        auto [i, in] = resolve(coordinates[k], k);
        index[k] = i;
        inside = b_.CreateAnd(inside, in);
      }
      result = texel(index, inside);
    } else {
      std::vector<Value *> x;
      for (unsigned k = 0; k < op_.dims; ++k)
        x.push_back(texelCoordinate(coordinates[k], k));
      result = op_.floatResult ? filtered(x, fixedIndex) : point(x, fixedIndex);
    }
    finish(result);
  }

  void finish(const std::array<Value *, 4> &result) {
    Value *aggregate = llvm::PoisonValue::get(f_.getReturnType());
    for (unsigned c = 0; c < 4; ++c)
      aggregate = b_.CreateInsertValue(aggregate, result[c], c);
    b_.CreateRet(aggregate);
  }

  std::array<Value *, 4> point(const std::vector<Value *> &x, const std::array<Value *, 3> &fixedIndex) {
    std::array<Value *, 3> index = fixedIndex;
    Value *inside = b_.getTrue();
    for (unsigned k = 0; k < x.size(); ++k) {
      auto [i, in] = resolve(b_.CreateFPToSI(b_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x[k]), i32()), k);
      index[k] = i;
      inside = b_.CreateAnd(inside, in);
    }
    return texel(index, inside);
  }

  /// Point or linear by the descriptor's filter mode (a uniform branch when the handle is).
  std::array<Value *, 4> filtered(const std::vector<Value *> &x, const std::array<Value *, 3> &fixedIndex) {
    llvm::BasicBlock *nearest = block("point"), *linear = block("linear"), *join = block("sampled");
    b_.CreateCondBr(d_.linear, linear, nearest);
    b_.SetInsertPoint(nearest);
    std::array<Value *, 4> p = point(x, fixedIndex);
    llvm::BasicBlock *nearestEnd = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(linear);
    // corners i0 = floor(x − 0.5) and i0 + 1 per dimension, weight of i0 + 1: frac in 1/256
    std::vector<Value *> low, weight;
    for (Value *xk : x) {
      Value *shifted = b_.CreateFSub(xk, cf(0.5));
      Value *whole = b_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, shifted);
      Value *frac = b_.CreateFSub(shifted, whole);
      weight.push_back(b_.CreateFMul(b_.CreateUnaryIntrinsic(llvm::Intrinsic::rint, b_.CreateFMul(frac, cf(256.0))),
                                     cf(1.0 / 256)));
      low.push_back(b_.CreateFPToSI(whole, i32()));
    }
    std::array<Value *, 4> sum = {cf(0.0), cf(0.0), cf(0.0), cf(0.0)};
    for (unsigned corner = 0; corner < (1u << x.size()); ++corner) {
      std::array<Value *, 3> index = fixedIndex;
      Value *inside = b_.getTrue(), *w = cf(1.0);
      for (unsigned k = 0; k < x.size(); ++k) {
        bool high = corner >> k & 1;
        auto [i, in] = resolve(high ? b_.CreateAdd(low[k], c32(1)) : low[k], k);
        index[k] = i;
        inside = b_.CreateAnd(inside, in);
        w = b_.CreateFMul(w, high ? weight[k] : b_.CreateFSub(cf(1.0), weight[k]));
      }
      std::array<Value *, 4> t = texel(index, inside);
      for (unsigned c = 0; c < 4; ++c)
        sum[c] = b_.CreateFAdd(sum[c], b_.CreateFMul(w, t[c]));
    }
    llvm::BasicBlock *linearEnd = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    std::array<Value *, 4> out;
    for (unsigned c = 0; c < 4; ++c) {
      llvm::PHINode *phi = b_.CreatePHI(f32(), 2);
      phi->addIncoming(p[c], nearestEnd);
      phi->addIncoming(sum[c], linearEnd);
      out[c] = phi;
    }
    return out;
  }

  /// tld4: one channel of the four texels bilinear filtering would weigh, counter-clockwise
  /// from the lower left: (i0, j1), (i1, j1), (i1, j0), (i0, j0).
  void gather() {
    describeFormat();
    std::array<Value *, 2> low;
    for (unsigned k = 0; k < 2; ++k) {
      Value *x = texelCoordinate(f_.getArg(1 + k), k);
      low[k] = b_.CreateFPToSI(b_.CreateUnaryIntrinsic(llvm::Intrinsic::floor, b_.CreateFSub(x, cf(0.5))), i32());
    }
    static constexpr std::array<std::array<unsigned, 2>, 4> kCorners = {{{0, 1}, {1, 1}, {1, 0}, {0, 0}}};
    Value *aggregate = llvm::PoisonValue::get(f_.getReturnType());
    for (unsigned n = 0; n < 4; ++n) {
      std::array<Value *, 3> index = {c32(0), c32(0), c32(0)};
      Value *inside = b_.getTrue();
      for (unsigned k = 0; k < 2; ++k) {
        auto [i, in] = resolve(b_.CreateAdd(low[k], c32(kCorners[n][k])), k);
        index[k] = i;
        inside = b_.CreateAnd(inside, in);
      }
      aggregate = b_.CreateInsertValue(aggregate, texel(index, inside)[op_.component], n);
    }
    b_.CreateRet(aggregate);
  }

  /// txq/suq: an attribute of the object (address modes in PTX's numbering: wrap 0, mirror 1,
  /// clamp_to_edge 3, clamp_to_border 4).
  void query() {
    auto ptxMode = [&](Value *mode) {
      Value *mapped = c32(4); // border
      for (auto [from, to] : {std::pair{AddressMode::Wrap, 0}, {AddressMode::Mirror, 1}, {AddressMode::Clamp, 3}})
        mapped = b_.CreateSelect(b_.CreateICmpEQ(mode, c32(uint8_t(from))), c32(to), mapped);
      return mapped;
    };
    Value *v = op_.query == "width"               ? d_.size[0]
               : op_.query == "height"            ? d_.size[1]
               : op_.query == "depth"             ? d_.size[2]
               : op_.query == "normalized_coords" ? b_.CreateZExt(d_.normalized, i32())
               : op_.query == "filter_mode"       ? b_.CreateZExt(d_.linear, i32())
                                                  : ptxMode(d_.mode[op_.query.back() - '0']);
    b_.CreateRet(b_.CreateInsertValue(llvm::PoisonValue::get(f_.getReturnType()), v, 0));
  }

  // --- surfaces -------------------------------------------------------------------------------

  void surface() {
    llvm::Module &m = *f_.getParent();
    unsigned elementBytes = op_.elementBits / 8, accessBytes = elementBytes * op_.vector;
    std::array<Value *, 3> coordinate = {c32(0), c32(0), c32(0)};
    for (unsigned k = 0; k < op_.dims; ++k)
      coordinate[k] = f_.getArg(1 + op_.layered + k);
    if (op_.layered) // the layer is the row of a 1-D layered surface, the slice of a 2-D one
      coordinate[op_.dims] = f_.getArg(1);
    unsigned firstValue = 1 + surfaceCoordinates(op_), checked = op_.dims + op_.layered;
    // x is in bytes; y and z in rows and slices
    Value *rowBytes = b_.CreateMul(d_.size[0], b_.CreateMul(d_.channels, d_.channelBytes));
    std::array<Value *, 3> limit = {b_.CreateSub(rowBytes, c32(accessBytes)), b_.CreateSub(d_.size[1], c32(1)),
                                    b_.CreateSub(d_.size[2], c32(1))};
    Value *inside = b_.getTrue();
    for (unsigned k = 0; k < checked; ++k) {
      inside = b_.CreateAnd(inside, b_.CreateAnd(b_.CreateICmpSGE(coordinate[k], c32(0)),
                                                 b_.CreateICmpSLE(coordinate[k], limit[k])));
      if (op_.clamp == Operation::ClampToEdge)
        coordinate[k] = b_.CreateSelect(b_.CreateICmpSLT(coordinate[k], c32(0)), c32(0),
                                        b_.CreateSelect(b_.CreateICmpSGT(coordinate[k], limit[k]), limit[k], coordinate[k]));
    }
    llvm::BasicBlock *access = block("access"), *done = block("done"), *outside = nullptr;
    if (op_.clamp != Operation::ClampToEdge) { // outside: trap, or read zero and write nothing
      outside = block("outside");
      b_.CreateCondBr(inside, access, outside);
      b_.SetInsertPoint(outside);
      if (op_.clamp == Operation::Trap)
        b_.CreateCall(m.getOrInsertFunction("ox.trap.surface", b_.getVoidTy()));
      b_.CreateBr(done);
    } else {
      b_.CreateBr(access);
    }
    b_.SetInsertPoint(access);
    Value *at = b_.CreateAdd(d_.base, b_.CreateZExt(coordinate[0], b_.getInt64Ty()));
    at = b_.CreateAdd(at, b_.CreateMul(b_.CreateZExt(coordinate[1], b_.getInt64Ty()), d_.pitch));
    at = b_.CreateAdd(at, b_.CreateMul(b_.CreateZExt(coordinate[2], b_.getInt64Ty()), d_.slicePitch));
    llvm::Type *element = b_.getIntNTy(op_.elementBits);
    auto address = [&](unsigned e) {
      return b_.CreateIntToPtr(b_.CreateAdd(at, b_.getInt64(e * elementBytes)), b_.getPtrTy());
    };
    if (op_.store) {
      for (unsigned e = 0; e < op_.vector; ++e) {
        Value *v = f_.getArg(firstValue + e);
        b_.CreateAlignedStore(b_.CreateZExtOrTrunc(b_.CreateBitCast(v, b_.getIntNTy(v->getType()->getPrimitiveSizeInBits())), element),
                              address(e), llvm::Align(elementBytes));
      }
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
      b_.CreateRetVoid();
      return;
    }
    auto *type = llvm::cast<llvm::StructType>(f_.getReturnType());
    Value *loaded = llvm::PoisonValue::get(type);
    for (unsigned e = 0; e < op_.vector; ++e) {
      llvm::Type *t = type->getElementType(e);
      Value *v = b_.CreateAlignedLoad(element, address(e), llvm::Align(elementBytes));
      v = b_.CreateBitCast(b_.CreateZExtOrTrunc(v, b_.getIntNTy(t->getPrimitiveSizeInBits())), t);
      loaded = b_.CreateInsertValue(loaded, v, e);
    }
    llvm::BasicBlock *accessEnd = b_.GetInsertBlock();
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    llvm::PHINode *result = b_.CreatePHI(type, 2);
    result->addIncoming(loaded, accessEnd);
    if (outside)
      result->addIncoming(llvm::Constant::getNullValue(type), outside);
    b_.CreateRet(result);
  }
};

} // namespace

void defineTextures(llvm::Module &module) {
  std::vector<llvm::CallInst *> calls;
  for (llvm::Function &f : module)
    if (f.isDeclaration() && llvm::any_of(std::initializer_list<llvm::StringRef>{"ox.tex.", "ox.tld4.", "ox.txq.",
                                                                                  "ox.suq.", "ox.suld.", "ox.sust."},
                                          [&](llvm::StringRef prefix) { return f.getName().starts_with(prefix); }))
      for (llvm::User *u : f.users())
        if (auto *call = llvm::dyn_cast<llvm::CallInst>(u); call && call->getCalledFunction() == &f)
          calls.push_back(call);
  for (llvm::CallInst *call : calls) {
    llvm::StringRef name = call->getCalledFunction()->getName();
    std::optional<Operation> op = parse(name);
    if (!op || !matches(*op, call->getFunctionType()))
      continue; // left for the vectorizer to report
    std::string bodyName = ("oxptx." + name.drop_front(std::strlen("ox."))).str();
    llvm::Function *body = module.getFunction(bodyName);
    if (!body) {
      body = llvm::Function::Create(call->getFunctionType(), llvm::GlobalValue::InternalLinkage, bodyName, module);
      Builder(*body, *op).define();
    }
    call->setCalledFunction(body);
  }
}

} // namespace oxptx::backend
