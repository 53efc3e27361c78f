// oxrun --profile: every kernel launch and copy on the simulated timeline. With OXPTX_PROFILE set
// (to the path of a trace file), the process prints an nsys-style summary per kernel at exit
// (calls, simulated time, cycles, instructions per engine, lane utilization, load/store and DRAM
// throughput)
// and writes a Chrome/Perfetto trace (JSON trace events) of launches and copies.
#pragma once

#include "sim/Launch.h"

#include <string>

namespace oxptx::shim {

bool profiling();
void recordLaunch(const std::string &kernel, sim::Dim3 grid, sim::Dim3 block, double startNs, double durationNs,
                  const sim::LaunchResult &result, uint64_t lineBytes, const void *stream);
void recordCopy(const char *kind, uint64_t bytes, double startNs, double durationNs, const void *stream);

} // namespace oxptx::shim
