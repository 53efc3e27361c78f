// Xox host calls (docs/oxcore-isa.md §3.8): device-side printf, assert, malloc and free, run by the
// simulator on the host for each active lane in ascending order. The text goes to the launch's
// output stream (as CUDA's printf FIFO), never straight to the host's stdout.
#pragma once

#include "sim/Decoder.h"
#include "sim/Memory.h"
#include "sim/VectorUnit.h"

#include <optional>
#include <string>

namespace oxptx::sim {

struct Hart;
class WarpEnvironment;

bool isHostCall(Insn insn);

/// Executes ox.printf, ox.assert, ox.malloc or ox.free for `hart`'s effective mask (v0 & live
/// lanes). An assertion prints CUDA's message line and returns an AssertFailed trap; freeing an
/// address malloc did not return is an out-of-bounds fault.
std::optional<VectorTrap> executeHostCall(Hart &hart, AddressSpace &memory, const Decoded &d,
                                          WarpEnvironment &warp);

/// CUDA's vprintf on guest memory: `format` and the argument buffer `args` are generic
/// addresses. Returns the number of arguments consumed, or -1 if the format cannot be read.
int formatDevicePrintf(AddressSpace &memory, uint64_t format, uint64_t args, std::string &out);

} // namespace oxptx::sim
