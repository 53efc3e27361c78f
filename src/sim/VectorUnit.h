// The vector engine of an OxCore hart: RVV 1.0 with VLEN = 1024 and ELEN = 64, Zvfh
// (docs/oxcore-isa.md §1, §6.2). One call executes one vector instruction over all its
// elements: configuration (vset{i}vl{i}), unit-stride/strided/indexed/segment/whole-register/
// mask loads and stores with every access checked before any is performed, integer, fixed-point
// and floating-point arithmetic including widening and narrowing forms, compares to masks, mask
// logic, merges and moves, slides, gathers, compress, reductions and conversions.
//
// Tail and masked-off elements are left undisturbed (a legal choice for both the agnostic and
// undisturbed policies, and the one qemu-riscv64 makes by default). Encodings the RVV
// specification reserves (misaligned register groups, illegal overlaps, EMUL out of range,
// vill) are illegal-instruction reports.
#pragma once

#include "sim/CacheModel.h"
#include "sim/Counters.h"
#include "sim/Decoder.h"
#include "sim/Memory.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace oxptx::sim {

constexpr unsigned kVlenBytes = 128;
constexpr uint64_t kVtypeVill = uint64_t(1) << 63;

struct VectorState {
  alignas(16) std::array<uint8_t, 32 * kVlenBytes> v{};
  uint64_t vl = 0, vtype = kVtypeVill, vstart = 0;
  uint8_t vxrm = 0; // fixed-point rounding mode
  bool vxsat = false;
};

/// Why a vector instruction stopped the hart.
struct VectorTrap {
  Fault::Kind kind;
  uint64_t address = 0;
  std::string detail;
};

struct Hart;

/// Whether `insn` belongs to the vector engine.
bool isVectorInstruction(Insn insn);

struct VectorOptions {
  Counters *counters = nullptr;    // events are added here when set
  uint32_t lineBytes = 128;        // memory line size, for counting lines touched
  bool trapOnDivideByZero = false; // report an active element's integer division by zero
  MemoryHierarchy *caches = nullptr; // with counters: where lines are served, for core `core`
  unsigned core = 0;
};

/// Executes one vector instruction on `hart` (its vector state, x and f registers, frm and
/// fflags). nullopt when it completed.
std::optional<VectorTrap> executeVector(Hart &hart, AddressSpace &memory, const Decoded &d,
                                        const VectorOptions &options = {});

} // namespace oxptx::sim
