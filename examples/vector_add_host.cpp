// The demo's host program: nvcc's PTX for vector_add (examples/vector_add.ptx) built by the
// OxCore backend and launched on the simulated "mid" machine through the runtime's C++ API —
// the path the libcuda shim will take for an unmodified CUDA program.
// Usage: vector_add_demo [examples/vector_add.ptx] [--config PRESET|FILE]
#include "runtime/Device.h"

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char **argv) {
  using namespace oxptx;
  std::string path = "examples/vector_add.ptx", configName = "mid";
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--config" && i + 1 < argc)
      configName = argv[++i];
    else
      path = argv[i];
  std::ifstream in(path);
  if (!in) {
    std::cerr << "vector_add_demo: cannot read " << path << "\n";
    return 2;
  }
  std::stringstream ptx;
  ptx << in.rdbuf();
  auto config = sim::loadMachineConfig(configName);
  if (auto *errors = std::get_if<sim::ConfigErrors>(&config)) {
    for (const std::string &e : *errors)
      std::cerr << "vector_add_demo: " << e << "\n";
    return 2;
  }
  runtime::Device device(std::get<sim::MachineConfig>(config));
  backend::BackendOptions options;
  auto loaded = device.loadPtx(ptx.str(), path, options);
  if (auto *error = std::get_if<std::string>(&loaded)) {
    std::cerr << *error;
    return 1;
  }
  auto module = std::get<std::shared_ptr<runtime::Module>>(loaded);

  const int n = 1000;
  std::vector<float> a(n), b(n);
  for (int i = 0; i < n; ++i) {
    a[i] = 0.5f * i;
    b[i] = 1000.0f - i;
  }
  uint64_t da = device.allocate(n * 4), db = device.allocate(n * 4), dc = device.allocate(n * 4);
  std::memcpy(device.hostView(da, n * 4), a.data(), n * 4);
  std::memcpy(device.hostView(db, n * 4), b.data(), n * 4);
  runtime::LaunchConfig launch;
  launch.grid = {(n + 255) / 256};
  launch.block = {256};
  for (uint64_t p : {da, db, dc}) // (const float *a, const float *b, float *c, int n)
    launch.parameters.insert(launch.parameters.end(), (uint8_t *)&p, (uint8_t *)&p + 8);
  launch.parameters.insert(launch.parameters.end(), (const uint8_t *)&n, (const uint8_t *)&n + 4);
  const char *kernel = "_Z10vector_addPKfS0_Pfi";
  sim::LaunchResult r = device.launch(*module, kernel, launch);
  if (!r.ok()) {
    std::cerr << "vector_add_demo: " << (r.error.empty() ? r.fault->describe() : r.error) << "\n";
    return 1;
  }
  std::vector<float> c(n);
  std::memcpy(c.data(), device.hostView(dc, n * 4), n * 4);
  int wrong = 0;
  for (int i = 0; i < n; ++i)
    wrong += c[i] != a[i] + b[i];
  std::cout << "vector_add on the simulated OxCore '" << configName << "': " << n << " elements, "
            << launch.grid.x << " CTAs of " << launch.block.x << " threads\n  c[0..7] =";
  for (int i = 0; i < 8; ++i)
    std::cout << " " << c[i];
  std::cout << "\n  " << (wrong ? std::to_string(wrong) + " WRONG results" : std::string("all results match the CPU"))
            << "; " << r.counters.instructions() << " instructions, " << r.timing.cycles
            << " simulated cycles (" << r.timing.bound << "-bound), unit-stride accesses "
            << r.counters.unitStrideAccesses << ", gathers/scatters " << r.counters.indexedAccesses << "\n";
  return wrong ? 1 : 0;
}
