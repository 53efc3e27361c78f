#include "sim/TensorUnit.h"

#include "sim/Executor.h"
#include "sim/FloatFormat.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <vector>

namespace oxptx::sim {
namespace {

/// Element bits of each class's A/B inputs (f64 holds one element per 64-bit lane element).
constexpr unsigned kInputBits[] = {16, 16, 32, 64, 8, 4, 1};

/// Reads and writes fragment elements of one register group per the layout of §3.7.
struct Fragments {
  uint8_t *regs;
  template <typename T> T lane(unsigned reg, unsigned l) const {
    T v;
    std::memcpy(&v, regs + reg * kVlenBytes + l * sizeof v, sizeof v);
    return v;
  }
  template <typename T> void setLane(unsigned reg, unsigned l, T v) {
    std::memcpy(regs + reg * kVlenBytes + l * sizeof v, &v, sizeof v);
  }
};

} // namespace

bool isMmaInstruction(Insn insn) { return insnInfo(insn).format == Format::XoxMma; }

MmaKind mmaKind(Insn insn) {
  uint32_t f7 = insnInfo(insn).match >> 25;
  MmaKind kind;
  kind.mmaClass = f7 >> 4;
  kind.accumulator16 = f7 >> 3 & 1;
  bool m16 = f7 >> 2 & 1;
  static constexpr unsigned kBaseK[] = {8, 8, 4, 4, 16, 32, 128};
  kind.m = m16 ? 16 : 8;
  kind.n = 8;
  kind.k = kBaseK[kind.mmaClass] << (f7 & 3);
  // Registers per lane: elements per lane of each matrix times element bits over 32.
  unsigned bits = kInputBits[kind.mmaClass];
  kind.aRegs = kind.m * kind.k * bits / (32 * 32);
  kind.bRegs = std::max(1u, kind.k * kind.n * bits / (32 * 32));
  unsigned accumulatorBits = kind.mmaClass == 3 ? 64 : kind.accumulator16 ? 16 : 32;
  kind.cdRegs = kind.m * kind.n * accumulatorBits / (32 * 32);
  return kind;
}

std::optional<VectorTrap> executeMma(Hart &hart, const Decoded &d) {
  MmaKind kind = mmaKind(d.insn);
  auto aligned = [](unsigned reg, unsigned n) { return reg % n == 0 && reg + n <= 32; };
  auto overlap = [](unsigned a, unsigned na, unsigned b, unsigned nb) { return a < b + nb && b < a + na; };
  if (!aligned(d.rd, kind.cdRegs) || !aligned(d.rs1, kind.aRegs) || !aligned(d.rs2, kind.bRegs))
    return VectorTrap{Fault::Kind::IllegalInstruction, 0,
                      "ox.mma register groups must be aligned to their sizes (D " +
                          std::to_string(kind.cdRegs) + ", A " + std::to_string(kind.aRegs) +
                          ", B " + std::to_string(kind.bRegs) + " registers)"};
  if (overlap(d.rd, kind.cdRegs, d.rs1, kind.aRegs) || overlap(d.rd, kind.cdRegs, d.rs2, kind.bRegs))
    return VectorTrap{Fault::Kind::IllegalInstruction, 0,
                      "ox.mma's accumulator group overlaps A or B"};

  const unsigned M = kind.m, N = kind.n, K = kind.k, c = kind.mmaClass;
  const bool f64 = c == 3, integer = c >= 4;
  const unsigned bits = kInputBits[c], e = f64 ? 1 : 32 / bits;
  Fragments regs{hart.vector.v.data()};
  // A[m][k], B[k][n] as raw element bits; C as exact values (long double) or integers.
  std::vector<uint64_t> a(M * K), b(K * N);
  auto element = [&](unsigned group, unsigned r, unsigned l, unsigned j) -> uint64_t {
    if (f64)
      return regs.lane<uint64_t>(group + 2 * r, l);
    uint32_t word = regs.lane<uint32_t>(group + r, l);
    return bits == 32 ? word : word >> (bits * j) & ((1u << bits) - 1);
  };
  for (unsigned l = 0; l < 32; ++l) {
    unsigned g = l >> 2, t = l & 3;
    unsigned aElements = f64 ? kind.aRegs / 2 : kind.aRegs;
    for (unsigned r = 0; r < aElements; ++r)
      for (unsigned j = 0; j < e; ++j) {
        unsigned row = M == 16 ? g + 8 * (r & 1) : g;
        unsigned col = t * e + j + (M == 16 ? 4 * e * (r >> 1) : 0);
        a[row * K + col] = element(d.rs1, r, l, j);
      }
    unsigned bElements = f64 ? std::max(1u, kind.bRegs / 2) : kind.bRegs;
    for (unsigned r = 0; r < bElements; ++r)
      for (unsigned j = 0; j < e; ++j)
        b[(t * e + j + 4 * e * r) * N + g] = element(d.rs2, r, l, j);
  }
  // C/D positions: accumulator element i of lane l.
  unsigned perLane = M * N / 32;
  auto position = [&](unsigned l, unsigned i) {
    unsigned g = l >> 2, t = l & 3;
    return (g + 8 * (i >> 1)) * N + 2 * t + (i & 1);
  };
  auto readC = [&](unsigned l, unsigned i) -> uint64_t {
    if (f64)
      return regs.lane<uint64_t>(d.rd + 2 * i, l);
    if (kind.accumulator16)
      return regs.lane<uint32_t>(d.rd + (i >> 1), l) >> (16 * (i & 1)) & 0xffff;
    return regs.lane<uint32_t>(d.rd + i, l);
  };
  auto writeD = [&](unsigned l, unsigned i, uint64_t v) {
    if (f64) {
      regs.setLane<uint64_t>(d.rd + 2 * i, l, v);
    } else if (kind.accumulator16) {
      uint32_t word = regs.lane<uint32_t>(d.rd + (i >> 1), l);
      unsigned shift = 16 * (i & 1);
      word = (word & ~(0xffffu << shift)) | uint32_t(v & 0xffff) << shift;
      regs.setLane<uint32_t>(d.rd + (i >> 1), l, word);
    } else {
      regs.setLane<uint32_t>(d.rd + i, l, uint32_t(v));
    }
  };
  auto toFloat = [&](uint64_t raw) -> float { // exact widening of an f16/bf16/tf32 input
    switch (c) {
    case 0: return float(fpToLongDouble(FpFormat::Half, raw));
    case 1: return std::bit_cast<float>(uint32_t(raw) << 16);
    default: return std::bit_cast<float>(uint32_t(raw) & ~0x1fffu); // tf32: 13 bits ignored
    }
  };
  auto signedInput = [&](uint64_t raw, bool isUnsigned) -> int64_t {
    if (c == 6 || isUnsigned)
      return int64_t(raw);
    return int64_t(raw << (64 - bits)) >> (64 - bits);
  };
  bool saturate = d.rm & 1, aUnsigned = d.rm & 2, bUnsigned = d.rm & 4, andPopc = d.rm & 2;
  std::vector<uint64_t> result(M * N);
  for (unsigned l = 0; l < 32; ++l)
    for (unsigned i = 0; i < perLane; ++i) {
      unsigned p = position(l, i), row = p / N, col = p % N;
      uint64_t cRaw = readC(l, i);
      uint64_t out;
      if (integer) {
        int64_t acc = int32_t(uint32_t(cRaw));
        for (unsigned k = 0; k < K; ++k) {
          if (c == 6)
            acc += andPopc ? (a[row * K + k] & b[k * N + col]) : (a[row * K + k] ^ b[k * N + col]);
          else
            acc += signedInput(a[row * K + k], aUnsigned) * signedInput(b[k * N + col], bUnsigned);
        }
        if (saturate && c != 6)
          acc = std::clamp<int64_t>(acc, INT32_MIN, INT32_MAX);
        out = uint32_t(acc);
      } else if (f64) {
        double acc = std::bit_cast<double>(cRaw);
        for (unsigned k = 0; k < K; ++k)
          acc = std::fma(std::bit_cast<double>(a[row * K + k]), std::bit_cast<double>(b[k * N + col]), acc);
        out = std::isnan(acc) ? fpCanonicalNaN(FpFormat::Double) : std::bit_cast<uint64_t>(acc);
      } else {
        float acc = kind.accumulator16 ? float(fpToLongDouble(FpFormat::Half, cRaw))
                                       : std::bit_cast<float>(uint32_t(cRaw));
        for (unsigned k = 0; k < K; ++k)
          acc = std::fma(toFloat(a[row * K + k]), toFloat(b[k * N + col]), acc);
        if (kind.accumulator16)
          out = fpRound(FpFormat::Half, acc, false, kRne).bits;
        else
          out = std::isnan(acc) ? fpCanonicalNaN(FpFormat::Single) : std::bit_cast<uint32_t>(acc);
      }
      result[l * perLane + i] = out;
    }
  for (unsigned l = 0; l < 32; ++l) // all of C is read before any of D is written
    for (unsigned i = 0; i < perLane; ++i)
      writeD(l, i, result[l * perLane + i]);
  return std::nullopt;
}

} // namespace oxptx::sim
