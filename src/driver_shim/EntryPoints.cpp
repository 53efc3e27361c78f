// The driver's entry points: every (name, version, flags) → symbol of DriverEntries.inc, which
// scripts/gen-driver-entries.py generates from the toolkit's headers. This file deliberately
// does not include cuda.h: each symbol gets a weak stub here that reports
// CUDA_ERROR_NOT_SUPPORTED (naming itself), and the implemented ones (Api*.cpp, with their real
// signatures) replace their stubs at link time. A stub ignores its arguments, which the x86-64
// calling convention makes safe for any signature.
#include "driver_shim/EntryPoints.h"
#include "driver_shim/Trace.h"


#define OX_DRIVER_ENTRY(name, version, flags, symbol)                                               \
  extern "C" __attribute__((weak, visibility("default"))) int symbol() {                          \
    return ::oxptx::shim::notSupported(#symbol);                                                   \
  }
#include "driver_shim/DriverEntries.inc"
#undef OX_DRIVER_ENTRY

namespace oxptx::shim {
namespace {

struct Entry {
  std::string_view name;
  int version;
  unsigned flags;
  EntryPoint point;
};

const Entry kEntries[] = {
#define OX_DRIVER_ENTRY(name, version, flags, symbol)                                               \
  {#name, version, flags, {#symbol, reinterpret_cast<void *>(&symbol)}},
#include "driver_shim/DriverEntries.inc"
#undef OX_DRIVER_ENTRY
};

} // namespace

const EntryPoint *findEntryPoint(std::string_view name, int cudaVersion, uint64_t flags,
                                 bool *versionTooLow) {
  const Entry *plain = nullptr, *perThread = nullptr;
  bool known = false;
  for (const Entry &e : kEntries) {
    if (e.name != name)
      continue;
    known = true;
    if (e.version > cudaVersion)
      continue;
    const Entry *&best = e.flags ? perThread : plain;
    if (!best || e.version > best->version)
      best = &e;
  }
  if (versionTooLow)
    *versionTooLow = known && !plain && !perThread;
  const Entry *chosen = (flags & 2) && perThread ? perThread : plain;
  return chosen ? &chosen->point : nullptr;
}

size_t entryPointCount() { return std::size(kEntries); }

} // namespace oxptx::shim
