// The driver shim's costs, each against a baseline in the same process:
//  - launch overhead: an empty kernel's round trip (cuLaunchKernel + cuCtxSynchronize) through
//    libcuda.so.1, against the same kernel launched directly through runtime::Device;
//  - module load: cuModuleLoadData with a cold kernel-image cache (every load a new build)
//    against a warm one (the image from the cache);
//  - a whole program: upload, a 128x128 tiled matmul, download, through the shim (wall time,
//    and the simulated time its events measure), against the same product computed natively.
// Usage: shim_bench [PTX] (default: bench/ptx/shim_bench.ptx)
#include "runtime/Device.h"

#include <cuda.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void check(CUresult r, const char *what) {
  if (r != CUDA_SUCCESS) {
    const char *name = "?";
    cuGetErrorName(r, &name);
    std::fprintf(stderr, "shim_bench: %s failed: %s\n", what, name);
    std::exit(1);
  }
}

} // namespace

int main(int argc, char **argv) {
  std::ifstream in(argc > 1 ? argv[1] : OXPTX_SHIM_BENCH_PTX);
  std::stringstream text;
  text << in.rdbuf();
  const std::string ptx = text.str();
  if (ptx.empty()) {
    std::fprintf(stderr, "shim_bench: cannot read the PTX\n");
    return 1;
  }
  auto cacheDir = std::filesystem::temp_directory_path() / ("oxptx-shim-bench-" + std::to_string(getpid()));
  setenv("OXPTX_CACHE_DIR", cacheDir.c_str(), 1);

  check(cuInit(0), "cuInit");
  CUcontext ctx;
  check(cuDevicePrimaryCtxRetain(&ctx, 0), "retain");
  check(cuCtxSetCurrent(ctx), "set current");

  // Module load, cold (a distinct PTX text each time: a new cache key) and warm.
  const int loads = 3;
  double cold = 0, warm = 0;
  for (int i = 0; i < loads; ++i) {
    std::string distinct = ptx + "\n// load " + std::to_string(i) + "\n";
    CUmodule m;
    auto t = Clock::now();
    check(cuModuleLoadData(&m, distinct.c_str()), "cold load");
    cold += secondsSince(t);
    check(cuModuleUnload(m), "unload");
    t = Clock::now();
    check(cuModuleLoadData(&m, distinct.c_str()), "warm load");
    warm += secondsSince(t);
    check(cuModuleUnload(m), "unload");
  }
  std::printf("module load:     cold cache %8.1f ms, warm cache %8.2f ms   cold/warm %.0fx\n",
              cold / loads * 1e3, warm / loads * 1e3, cold / warm);

  // Launch overhead: shim vs runtime::Device directly.
  CUmodule module;
  check(cuModuleLoadData(&module, ptx.c_str()), "load");
  CUfunction empty, matmul;
  check(cuModuleGetFunction(&empty, module, "empty"), "empty");
  check(cuModuleGetFunction(&matmul, module, "matmul"), "matmul");
  const int launches = 300;
  auto t = Clock::now();
  for (int i = 0; i < launches; ++i) {
    check(cuLaunchKernel(empty, 1, 1, 1, 32, 1, 1, 0, nullptr, nullptr, nullptr), "launch");
    check(cuCtxSynchronize(), "synchronize");
  }
  double shimLaunch = secondsSince(t) / launches;
  auto config = std::get<oxptx::sim::MachineConfig>(oxptx::sim::loadMachineConfig("mid"));
  oxptx::runtime::Device device(config, oxptx::runtime::ModuleCache(cacheDir.string()));
  auto loaded = device.loadPtx(ptx, "shim_bench");
  auto &direct = *std::get<std::shared_ptr<oxptx::runtime::Module>>(loaded);
  oxptx::runtime::LaunchConfig launch;
  launch.grid = {1, 1, 1};
  launch.block = {32, 1, 1};
  t = Clock::now();
  for (int i = 0; i < launches; ++i)
    if (!device.launch(direct, "empty", launch).ok())
      return 1;
  double runtimeLaunch = secondsSince(t) / launches;
  std::printf("empty launch:    shim %8.1f us, runtime::Device %8.1f us   shim/runtime %.2fx\n",
              shimLaunch * 1e6, runtimeLaunch * 1e6, shimLaunch / runtimeLaunch);

  // A whole program: upload, matmul, download.
  const int n = 128;
  std::vector<float> a(n * n), b(n * n), c(n * n), reference(n * n);
  for (int i = 0; i < n * n; ++i) {
    a[i] = float(i % 7) - 3.0f;
    b[i] = float(i % 5) * 0.5f;
  }
  CUevent start, stop;
  check(cuEventCreate(&start, 0), "event");
  check(cuEventCreate(&stop, 0), "event");
  t = Clock::now();
  CUdeviceptr da, db, dc;
  check(cuMemAlloc(&da, n * n * 4), "alloc");
  check(cuMemAlloc(&db, n * n * 4), "alloc");
  check(cuMemAlloc(&dc, n * n * 4), "alloc");
  check(cuEventRecord(start, nullptr), "record");
  check(cuMemcpyHtoD(da, a.data(), n * n * 4), "copy");
  check(cuMemcpyHtoD(db, b.data(), n * n * 4), "copy");
  int size = n;
  void *params[] = {&da, &db, &dc, &size};
  check(cuLaunchKernel(matmul, n / 16, n / 16, 1, 16, 16, 1, 0, nullptr, params, nullptr), "launch");
  check(cuMemcpyDtoH(c.data(), dc, n * n * 4), "copy");
  check(cuEventRecord(stop, nullptr), "record");
  check(cuEventSynchronize(stop), "synchronize");
  double shimProgram = secondsSince(t);
  float simulatedMs = 0;
  check(cuEventElapsedTime(&simulatedMs, start, stop), "elapsed");
  t = Clock::now();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      float s = 0;
      for (int k = 0; k < n; ++k)
        s += a[i * n + k] * b[k * n + j];
      reference[i * n + j] = s;
    }
  double native = secondsSince(t);
  for (int i = 0; i < n * n; ++i)
    if (std::abs(c[i] - reference[i]) > 1e-3f * (1 + std::abs(reference[i]))) {
      std::fprintf(stderr, "shim_bench: matmul result differs at %d\n", i);
      return 1;
    }
  std::printf("128x128 matmul:  shim %8.1f ms wall (%.3f ms simulated), native CPU %8.2f ms   shim/native %.0fx\n",
              shimProgram * 1e3, simulatedMs, native * 1e3, shimProgram / native);
  std::filesystem::remove_all(cacheDir);
  return 0;
}
