// The Xox near-memory vector atomics and reductions (docs/oxcore-isa.md §3.6): per active lane,
// in ascending lane order, one read-modify-write of a 4- or 8-byte location in global, shared
// or local memory, returning the old values (ox.atom) or not (ox.red). Every lane's address is
// checked before any is performed.
#pragma once

#include "sim/Counters.h"
#include "sim/Decoder.h"
#include "sim/Memory.h"
#include "sim/VectorUnit.h"

#include <optional>

namespace oxptx::sim {

struct Hart;

bool isAtomicInstruction(Insn insn);

/// Executes one ox.atom/ox.red on `hart` over its effective mask (v0 & the hart's live lanes).
/// nullopt when it completed.
std::optional<VectorTrap> executeAtomic(Hart &hart, AddressSpace &memory, const Decoded &d,
                                        Counters *counters);

} // namespace oxptx::sim
