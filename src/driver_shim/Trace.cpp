#include "driver_shim/Trace.h"

#include <cstdlib>
#include <mutex>
#include <set>

namespace oxptx::shim {

bool tracing() {
  static const bool on = [] {
    const char *v = std::getenv("OXPTX_TRACE");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

void traceCall(const char *name, const std::string &arguments, int result) {
  if (tracing())
    std::fprintf(stderr, "oxptx: %s(%s) = %d\n", name, arguments.c_str(), result);
}

int notSupported(const char *name) {
  static std::mutex mutex;
  static std::set<std::string> told;
  {
    std::lock_guard lock(mutex);
    if (told.insert(name).second)
      std::fprintf(stderr, "oxptx: %s is not supported by oxptx's libcuda (CUDA_ERROR_NOT_SUPPORTED)\n", name);
  }
  traceCall(name, "...", 801);
  return 801; // CUDA_ERROR_NOT_SUPPORTED
}

} // namespace oxptx::shim
