#include "sim/AtomicUnit.h"

#include "sim/Executor.h"
#include "sim/FloatFormat.h"

#include <array>
#include <atomic>
#include <bit>
#include <cfenv>
#include <cstring>

namespace oxptx::sim {
namespace {

enum class Op : uint8_t {
  Add, Min, Max, MinU, MaxU, And, Or, Xor, Exch, Cas, Inc, Dec, FAdd, FAddH2, FAddBH2
};

/// binary32 with subnormal operands and results flushed to a zero of the same sign (PTX
/// atom.add.f32), round to nearest even.
uint32_t addFlushed32(uint32_t a, uint32_t b) {
  auto flush = [](uint32_t v) { return (v & 0x7f800000u) == 0 ? v & 0x80000000u : v; };
  std::fesetround(FE_TOWARDZERO);
  FpBits r = fpEvaluate(FpFormat::Single, kRne, [&] {
    return fpSum(fpToLongDouble(FpFormat::Single, flush(a)),
                 fpToLongDouble(FpFormat::Single, flush(b)), kRne);
  });
  std::fesetround(FE_TONEAREST);
  return flush(uint32_t(r.bits));
}

/// IEEE addition in `format`, round to nearest even, no flush (f64, and the halves of
/// f16x2 / bf16x2).
uint64_t addExact(FpFormat format, uint64_t a, uint64_t b) {
  std::fesetround(FE_TOWARDZERO);
  FpBits r = fpEvaluate(format, kRne, [&] {
    return fpSum(fpToLongDouble(format, a), fpToLongDouble(format, b), kRne);
  });
  std::fesetround(FE_TONEAREST);
  return r.bits;
}

uint32_t addPairs(FpFormat half, uint32_t a, uint32_t b) {
  uint32_t lo = uint32_t(addExact(half, a & 0xffff, b & 0xffff));
  uint32_t hi = uint32_t(addExact(half, a >> 16, b >> 16));
  return hi << 16 | (lo & 0xffff);
}

/// The value written to memory, from the old value, the lane's operand and (cas) compare value.
template <typename T> T atomicResult(Op op, T old, T b, T compare) {
  using S = std::make_signed_t<T>;
  switch (op) {
  case Op::Add: return T(old + b);
  case Op::Min: return S(old) < S(b) ? old : b;
  case Op::Max: return S(old) > S(b) ? old : b;
  case Op::MinU: return old < b ? old : b;
  case Op::MaxU: return old > b ? old : b;
  case Op::And: return old & b;
  case Op::Or: return old | b;
  case Op::Xor: return old ^ b;
  case Op::Exch: return b;
  case Op::Cas: return old == compare ? b : old;
  case Op::Inc: return old >= b ? T(0) : T(old + 1);
  case Op::Dec: return old == 0 || old > b ? b : T(old - 1);
  case Op::FAdd:
    if constexpr (sizeof(T) == 4)
      return addFlushed32(old, b);
    else
      return addExact(FpFormat::Double, old, b);
  case Op::FAddH2:
    if constexpr (sizeof(T) == 4)
      return addPairs(FpFormat::Half, old, b);
    break;
  case Op::FAddBH2:
    if constexpr (sizeof(T) == 4)
      return addPairs(FpFormat::BFloat16, old, b);
    break;
  }
  return old;
}

/// Atomics may address global, local and shared memory (the windows below the end of SHARED);
/// the banks, the stack and the reserved ranges are not memory an atomic can act on.
bool atomicWindow(uint64_t address) { return address < kSharedBase + kSharedWindow; }

template <typename T>
std::optional<VectorTrap> perform(Hart &h, AddressSpace &memory, const Decoded &d, Op op,
                                  bool returns, Counters *counters) {
  uint8_t *regs = h.vector.v.data();
  auto element = [&](unsigned reg, unsigned lane, auto type) {
    decltype(type) v;
    std::memcpy(&v, regs + reg * kVlenBytes + lane * sizeof v, sizeof v);
    return v;
  };
  // Register groups: addresses are 64-bit (two registers, even); values take one register
  // (32-bit) or two (64-bit).
  unsigned valueRegs = sizeof(T) == 8 ? 2 : 1;
  auto misaligned = [](unsigned reg, unsigned n) { return reg % n != 0; };
  auto overlaps = [](unsigned a, unsigned na, unsigned b, unsigned nb) {
    return a < b + nb && b < a + na;
  };
  if (misaligned(d.rs1, 2) || misaligned(d.rs2, valueRegs) || (returns && misaligned(d.rd, valueRegs)))
    return VectorTrap{Fault::Kind::IllegalInstruction, 0,
                      "an atomic's register groups must be aligned (addresses: even register)"};
  if (returns && (overlaps(d.rd, valueRegs, d.rs1, 2) || overlaps(d.rd, valueRegs, d.rs2, valueRegs) ||
                  d.rd == 0))
    return VectorTrap{Fault::Kind::IllegalInstruction, 0,
                      "an atomic's destination overlaps its addresses, operands or v0"};
  uint32_t exec;
  std::memcpy(&exec, regs, 4);
  uint32_t lanes = exec & h.livemask;
  std::array<uint8_t *, 32> host{};
  for (unsigned lane = 0; lane < 32; ++lane) { // check every lane before performing any
    if (!(lanes >> lane & 1))
      continue;
    uint64_t address = element(d.rs1, lane, uint64_t{});
    uint8_t *p = address % sizeof(T) || !atomicWindow(address)
                     ? nullptr
                     : memory.translate(address, sizeof(T), Access::Write);
    if (!p)
      return VectorTrap{address % sizeof(T) ? Fault::Kind::Misaligned : Fault::Kind::OutOfBounds,
                        address, "lane " + std::to_string(lane)};
    host[lane] = p;
  }
  for (unsigned lane = 0; lane < 32; ++lane) { // ascending lane order
    if (!(lanes >> lane & 1))
      continue;
    T b = element(d.rs2, lane, T{}), compare = returns ? element(d.rd, lane, T{}) : T{};
    // Atomic on the host as well: other cores may run on other host threads.
    std::atomic_ref<T> cell(*reinterpret_cast<T *>(host[lane]));
    T old = cell.load();
    while (!cell.compare_exchange_weak(old, atomicResult<T>(op, old, b, compare))) {
    }
    if (returns)
      std::memcpy(regs + d.rd * kVlenBytes + lane * sizeof old, &old, sizeof old);
  }
  if (counters) {
    counters->indexedAccesses += 1;
    counters->memoryPipeExtra += std::popcount(lanes) > 1 ? std::popcount(lanes) - 1 : 0;
    counters->vectorElementSlots += 32;
    counters->vectorActiveElements += std::popcount(lanes);
    counters->vectorBeats += 1;
    (returns ? counters->vectorLoadBytes : counters->vectorStoreBytes) +=
        std::popcount(lanes) * sizeof(T);
  }
  return std::nullopt;
}

} // namespace

bool isAtomicInstruction(Insn insn) { return insnInfo(insn).format == Format::XoxAtomic; }

std::optional<VectorTrap> executeAtomic(Hart &hart, AddressSpace &memory, const Decoded &d,
                                        Counters *counters) {
  uint32_t match = insnInfo(d.insn).match;
  Op op = Op(match >> 28);
  bool wide = match >> 27 & 1, returns = match >> 14 & 1;
  return wide ? perform<uint64_t>(hart, memory, d, op, returns, counters)
              : perform<uint32_t>(hart, memory, d, op, returns, counters);
}

} // namespace oxptx::sim
