#include "driver_shim/Profile.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <vector>

namespace oxptx::shim {
namespace {

struct Event {
  std::string name, category;
  double startNs, durationNs;
  const void *stream;
  nlohmann::json args;
};

struct KernelTotals {
  uint64_t calls = 0;
  double ns = 0;
  uint64_t cycles = 0, dramBytes = 0;
  sim::Counters counters;
};

struct Profile {
  std::mutex mutex;
  std::vector<Event> events;
  std::map<std::string, KernelTotals> kernels;
};

Profile &profile() {
  static Profile *p = new Profile(); // written at exit, never destroyed
  return *p;
}

const char *tracePath() { return std::getenv("OXPTX_PROFILE"); }

uint64_t sumClasses(const sim::Counters &c, std::initializer_list<sim::InsnClass> classes) {
  uint64_t n = 0;
  for (sim::InsnClass k : classes)
    n += c.byClass[size_t(k)];
  return n;
}

void report() {
  std::fflush(stdout); // the program's own output first
  Profile &p = profile();
  std::lock_guard lock(p.mutex);
  using C = sim::InsnClass;
  std::fprintf(stderr, "\noxptx profile: kernels on the simulated OxCore (simulated time)\n");
  std::fprintf(stderr, "%7s %12s %12s %12s %10s %10s %8s %6s %10s %10s  %s\n", "calls", "total (us)", "avg (us)",
               "cycles", "scalar", "vector", "tensor", "lanes", "ld/st GB/s", "DRAM GB/s", "kernel");
  for (const auto &[name, k] : p.kernels) {
    const sim::Counters &c = k.counters;
    uint64_t scalar = sumClasses(c, {C::ScalarAlu, C::ScalarMul, C::ScalarDiv, C::ScalarFloat, C::ScalarFloatDiv,
                                     C::ScalarMemory, C::Branch, C::Control});
    uint64_t vector = sumClasses(c, {C::VectorAlu, C::VectorMul, C::VectorDiv, C::VectorFloat, C::VectorFloatDiv,
                                     C::VectorMemory});
    uint64_t tensor = c.byClass[size_t(C::Tensor)];
    double lanes = c.vectorElementSlots ? 100.0 * double(c.vectorActiveElements) / double(c.vectorElementSlots) : 0;
    double bytes = double(c.scalarLoadBytes + c.scalarStoreBytes + c.vectorLoadBytes + c.vectorStoreBytes);
    std::fprintf(stderr, "%7llu %12.2f %12.2f %12llu %10llu %10llu %8llu %5.1f%% %10.2f %10.2f  %s\n",
                 (unsigned long long)k.calls, k.ns / 1e3, k.ns / 1e3 / double(k.calls), (unsigned long long)k.cycles,
                 (unsigned long long)scalar, (unsigned long long)vector, (unsigned long long)tensor, lanes,
                 k.ns > 0 ? bytes / k.ns : 0.0, k.ns > 0 ? double(k.dramBytes) / k.ns : 0.0, name.c_str());
  }
  nlohmann::json trace = nlohmann::json::array();
  std::map<const void *, int> threads;
  for (const Event &e : p.events) {
    auto [it, fresh] = threads.emplace(e.stream, int(threads.size()) + 1);
    trace.push_back({{"name", e.name}, {"cat", e.category}, {"ph", "X"}, {"pid", 1}, {"tid", it->second},
                     {"ts", e.startNs / 1e3}, {"dur", e.durationNs / 1e3}, {"args", e.args}});
  }
  for (const auto &[stream, tid] : threads)
    trace.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", tid},
                     {"args", {{"name", "stream " + std::to_string(tid)}}}});
  std::ofstream out(tracePath());
  out << nlohmann::json{{"traceEvents", trace}, {"displayTimeUnit", "ns"}}.dump() << "\n";
  std::fprintf(stderr, "oxptx profile: timeline of %zu launches and copies in %s (chrome://tracing, Perfetto)\n",
               p.events.size(), tracePath());
}

} // namespace

bool profiling() {
  static const bool on = [] {
    const char *path = tracePath();
    if (path && *path)
      std::atexit(report);
    return path && *path;
  }();
  return on;
}

void recordLaunch(const std::string &kernel, sim::Dim3 grid, sim::Dim3 block, double startNs, double durationNs,
                  const sim::LaunchResult &result, uint64_t lineBytes, const void *stream) {
  if (!profiling())
    return;
  Profile &p = profile();
  std::lock_guard lock(p.mutex);
  KernelTotals &k = p.kernels[kernel];
  ++k.calls;
  k.ns += durationNs;
  k.cycles += result.timing.cycles;
  k.counters += result.counters;
  k.dramBytes += result.counters.dramLines * lineBytes;
  p.events.push_back({kernel, "kernel", startNs, durationNs, stream,
                      {{"grid", {grid.x, grid.y, grid.z}}, {"block", {block.x, block.y, block.z}},
                       {"cycles", result.timing.cycles}, {"instructions", result.counters.instructions()},
                       {"bound", result.timing.bound}}});
}

void recordCopy(const char *kind, uint64_t bytes, double startNs, double durationNs, const void *stream) {
  if (!profiling())
    return;
  Profile &p = profile();
  std::lock_guard lock(p.mutex);
  p.events.push_back({kind, "memcpy", startNs, durationNs, stream, {{"bytes", bytes}}});
}

} // namespace oxptx::shim
