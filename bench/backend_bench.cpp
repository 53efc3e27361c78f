// The generated-code benchmark: each kernel of bench/kernels/backend_bench.cu (PTX from nvcc in
// bench/ptx) built twice from the same PTX — by the full OxCore backend and by its generic SIMT
// baseline (no uniformity or stride analysis) — and launched on the same simulated machine.
// Prints simulated cycles, dynamic and static instruction counts, and the ratio generic/full
// with its geometric mean. The two builds must produce identical outputs (checked; a kernel whose
// outputs differ is reported as an error). Usage: backend_bench [-v] [--config PRESET|FILE] [PTX]
#include "backend/KernelImage.h"
#include "runtime/Device.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

namespace {

using namespace oxptx;

struct Buffer {
  std::vector<uint8_t> bytes;
  bool output = false;
};

/// One benchmark case: its buffers (inputs filled, outputs compared), parameters and launch.
struct Case {
  std::string kernel;
  sim::Dim3 grid, block;
  std::vector<Buffer> buffers;
  // the parameter list: a buffer's index, or a 32-bit value
  std::vector<std::pair<int, uint32_t>> params; // (buffer index or -1, value)
};

template <typename T> Buffer fill(size_t n, std::function<T(size_t)> f, bool output = false) {
  Buffer b;
  b.bytes.resize(n * sizeof(T));
  for (size_t i = 0; i < n; ++i) {
    T v = f(i);
    std::memcpy(b.bytes.data() + i * sizeof(T), &v, sizeof(T));
  }
  b.output = output;
  return b;
}

uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

std::vector<Case> cases() {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  auto randomFloats = [&](size_t n, bool output = false) {
    return fill<float>(n, [&](size_t) { return d(rng); }, output);
  };
  auto zeros = [](size_t bytes) { Buffer b; b.bytes.resize(bytes); b.output = true; return b; };
  std::vector<Case> c;
  const int n = 1 << 18; // large enough that every kernel runs several waves of warps
  c.push_back({"saxpy", {n / 256}, {256}, {randomFloats(n), randomFloats(n, true)},
               {{-1, n}, {-1, bitsOf(2.5f)}, {0, 0}, {1, 0}}});
  c.push_back({"reduce_sum", {n / 512}, {256}, {randomFloats(n), zeros(n / 512 * 4)},
               {{0, 0}, {1, 0}, {-1, n}}});
  c.push_back({"block_scan", {n / 256 / 4}, {256},
               {fill<int>(n / 4, [&](size_t i) { return int(i % 13) - 6; }), zeros(n)},
               {{0, 0}, {1, 0}, {-1, n / 4}}});
  const int w = 512, h = 256;
  c.push_back({"transpose", {w / 32, h / 32}, {32, 8}, {randomFloats(w * h), zeros(w * h * 4)},
               {{0, 0}, {1, 0}, {-1, w}, {-1, h}}});
  const int m = 128;
  c.push_back({"matmul_tiled", {m / 16, m / 16}, {16, 16},
               {randomFloats(m * m), randomFloats(m * m), zeros(m * m * 4)},
               {{0, 0}, {1, 0}, {2, 0}, {-1, m}}});
  c.push_back({"histogram256", {64}, {256},
               {fill<uint8_t>(n, [&](size_t i) { return uint8_t((i * 2654435761u) >> 13); }), zeros(256 * 4)},
               {{0, 0}, {1, 0}, {-1, n}}});
  c.push_back({"stencil2d", {w / 128, h}, {128}, {randomFloats(w * h), zeros(w * h * 4)},
               {{0, 0}, {1, 0}, {-1, w}, {-1, h}}});
  const int bodies = 2048;
  c.push_back({"nbody_forces", {bodies / 128}, {128},
               {randomFloats(bodies * 4), zeros(bodies * 12)}, {{0, 0}, {1, 0}, {-1, bodies}}});
  const int rows = 1024, cols = 256;
  c.push_back({"softmax_rows", {rows * 32 / 128}, {128}, {randomFloats(rows * cols), zeros(rows * cols * 4)},
               {{0, 0}, {1, 0}, {-1, rows}, {-1, cols}}});
  const int mw = 512, mh = 256;
  c.push_back({"mandelbrot", {mw / 64, mh}, {64}, {zeros(mw * mh * 4)},
               {{0, 0}, {-1, mw}, {-1, mh}, {-1, 64}}});
  return c;
}

struct Run {
  uint64_t cycles = 0, instructions = 0, staticInstructions = 0;
  sim::Counters counters;
  std::string bound;
  std::vector<std::vector<uint8_t>> outputs;
  std::string error;
};

Run runCase(const sim::MachineConfig &config, const std::string &image, const Case &k) {
  Run r;
  runtime::Device device(config);
  auto loaded = device.loadImage(image);
  if (auto *e = std::get_if<std::string>(&loaded)) {
    r.error = *e;
    return r;
  }
  auto module = std::get<std::shared_ptr<runtime::Module>>(loaded);
  std::vector<uint64_t> addresses;
  for (const Buffer &b : k.buffers) {
    uint64_t a = device.allocate(b.bytes.size());
    std::memcpy(device.hostView(a, b.bytes.size()), b.bytes.data(), b.bytes.size());
    addresses.push_back(a);
  }
  runtime::LaunchConfig launch;
  launch.grid = k.grid;
  launch.block = k.block;
  auto put = [&](const void *p, size_t size) {
    launch.parameters.resize((launch.parameters.size() + size - 1) / size * size);
    launch.parameters.insert(launch.parameters.end(), (const uint8_t *)p, (const uint8_t *)p + size);
  };
  for (auto [buffer, value] : k.params) {
    if (buffer >= 0)
      put(&addresses[buffer], 8);
    else
      put(&value, 4);
  }
  sim::LaunchResult result = device.launch(*module, k.kernel, launch);
  if (!result.ok()) {
    r.error = result.error.empty() ? result.fault->describe() : result.error;
    return r;
  }
  r.cycles = result.timing.cycles;
  r.counters = result.counters;
  r.bound = result.timing.bound;
  r.instructions = result.counters.instructions();
  r.staticInstructions = module->image.symbolSizes[k.kernel] / 4;
  for (size_t i = 0; i < k.buffers.size(); ++i)
    if (k.buffers[i].output) {
      const uint8_t *p = device.hostView(addresses[i], k.buffers[i].bytes.size());
      r.outputs.emplace_back(p, p + k.buffers[i].bytes.size());
    }
  return r;
}

} // namespace

/// The serial latency's terms (instructions × class latency, memory stalls, bank conflicts),
/// largest first: where a latency-bound kernel spends its cycles.
std::string latencyBreakdown(const sim::MachineConfig &machine, const sim::Counters &c) {
  std::vector<std::pair<uint64_t, std::string>> terms;
  for (size_t k = 0; k < c.byClass.size(); ++k)
    if (c.byClass[k])
      terms.push_back({c.byClass[k] * sim::latencyOf(machine, sim::InsnClass(k)),
                       sim::insnClassName(sim::InsnClass(k)) + std::string("×") + std::to_string(c.byClass[k])});
  terms.push_back({c.memoryStall, "memory stall"});
  terms.push_back({c.sharedBankConflicts * machine.latency.scratchpad, "bank conflicts"});
  std::sort(terms.begin(), terms.end(), std::greater<>());
  std::ostringstream out;
  for (const auto &[cycles, what] : terms)
    if (cycles)
      out << " " << what << " " << cycles << ";";
  return out.str();
}

int main(int argc, char **argv) {
  std::string configName = "mid", ptxPath = OXPTX_BENCH_PTX;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-v")
      verbose = true;
    else if (a == "--config" && i + 1 < argc)
      configName = argv[++i];
    else
      ptxPath = a;
  }
  auto config = sim::loadMachineConfig(configName);
  if (auto *errors = std::get_if<sim::ConfigErrors>(&config)) {
    for (const std::string &e : *errors)
      std::cerr << "backend_bench: " << e << "\n";
    return 2;
  }
  std::ifstream in(ptxPath);
  std::stringstream text;
  text << in.rdbuf();
  std::string images[2];
  for (int generic = 0; generic < 2; ++generic) {
    backend::BackendOptions options;
    options.genericSimt = generic;
    backend::ImageResult built = backend::buildImage(text.str(), ptxPath, options);
    if (built.image.empty() || !built.errors.empty()) {
      std::cerr << "backend_bench: cannot build " << ptxPath << ":\n" << built.errors;
      return 1;
    }
    images[generic] = built.image;
  }
  const auto &machine = std::get<sim::MachineConfig>(config);
  std::cout << "generated-code benchmark on '" << configName << "': simulated cycles, full backend vs "
            << "generic SIMT baseline (same PTX, same machine)\n\n"
            << std::left << std::setw(14) << "kernel" << std::right << std::setw(12) << "full cyc"
            << std::setw(12) << "generic cyc" << std::setw(8) << "ratio" << std::setw(12) << "full insn"
            << std::setw(12) << "gen insn" << std::setw(9) << "static" << std::setw(9) << "static"
            << "\n";
  double logSum = 0, staticLogSum = 0;
  int count = 0, status = 0;
  for (const Case &k : cases()) {
    Run full = runCase(machine, images[0], k), generic = runCase(machine, images[1], k);
    if (!full.error.empty() || !generic.error.empty()) {
      std::cout << k.kernel << ": error: " << full.error << generic.error << "\n";
      status = 1;
      continue;
    }
    if (full.outputs != generic.outputs) {
      std::cout << k.kernel << ": error: the two builds' outputs differ\n";
      status = 1;
    }
    double ratio = double(generic.cycles) / double(std::max<uint64_t>(full.cycles, 1));
    double staticRatio = double(generic.staticInstructions) / double(std::max<uint64_t>(full.staticInstructions, 1));
    logSum += std::log(ratio);
    staticLogSum += std::log(staticRatio);
    ++count;
    std::cout << std::left << std::setw(14) << k.kernel << std::right << std::setw(12) << full.cycles
              << std::setw(12) << generic.cycles << std::setw(7) << std::fixed << std::setprecision(2)
              << ratio << "x" << std::setw(12) << full.instructions << std::setw(12) << generic.instructions
              << std::setw(9) << full.staticInstructions << std::setw(9) << generic.staticInstructions << "\n";
    if (verbose)
      for (const Run *r : {&full, &generic})
        std::cout << "    " << (r == &full ? "full   " : "generic") << ": unit-stride " << r->counters.unitStrideAccesses
                  << ", strided " << r->counters.stridedAccesses << ", indexed " << r->counters.indexedAccesses
                  << ", vector beats " << r->counters.vectorBeats << ", memory pipe extra "
                  << r->counters.memoryPipeExtra << ", bound: " << r->bound << "\n"
                  << "             latency by class:" << latencyBreakdown(machine, r->counters) << "\n";
  }
  if (count)
    std::cout << "\ngeometric mean: generic/full cycles " << std::setprecision(2) << std::exp(logSum / count)
              << "x, static instructions " << std::exp(staticLogSum / count) << "x over " << count
              << " kernels\n";
  return status;
}
