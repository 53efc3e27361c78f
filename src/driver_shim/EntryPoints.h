// Lookup in the table of driver entry points (EntryPoints.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace oxptx::shim {

struct EntryPoint {
  const char *symbol; // the exported symbol, e.g. "cuMemAlloc_v2"
  void *function;
};

/// cuGetProcAddress's choice: the newest variant of `name` not newer than `cudaVersion`; with
/// flags bit 1 (per-thread default stream) its _ptds/_ptsz variant where one exists. nullptr if
/// none; `versionTooLow` tells a known name asked with too old a version.
const EntryPoint *findEntryPoint(std::string_view name, int cudaVersion, uint64_t flags,
                                 bool *versionTooLow = nullptr);

size_t entryPointCount();

} // namespace oxptx::shim
