// Helpers for the executed conformance corpus: a simulated device per test, device buffers
// filled from host vectors, parameter buffers laid out as PTX does (natural alignment), and
// launches whose faults fail the test with the simulator's report.
#pragma once

#include "runtime/Device.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace oxptx::exec {

inline std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// n integers uniformly in [lo, hi] from a fixed seed.
inline std::vector<int> randomInts(size_t n, int lo, int hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int> v(n);
  for (int &x : v)
    x = d(rng);
  return v;
}

/// n floats uniformly in [lo, hi) from a fixed seed.
inline std::vector<float> randomFloats(size_t n, float lo, float hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

/// IEEE binary16 on the host (GCC's _Float16) and its bits, for half-precision references.
using half = _Float16;

inline uint16_t halfBits(half h) {
  uint16_t b;
  std::memcpy(&b, &h, 2);
  return b;
}

inline half fromBits(uint16_t b) {
  half h;
  std::memcpy(&h, &b, 2);
  return h;
}

/// n halves (as bits) uniformly in [-range, range] from a fixed seed.
inline std::vector<uint16_t> randomHalves(size_t n, unsigned seed, float range) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-range, range);
  std::vector<uint16_t> v(n);
  for (uint16_t &x : v)
    x = halfBits(half(d(rng)));
  return v;
}

/// The kernel parameter buffer: each value at its natural alignment, in order.
class Params {
public:
  template <typename T> Params &add(T value) {
    size_t align = alignof(T);
    bytes_.resize((bytes_.size() + align - 1) / align * align);
    size_t at = bytes_.size();
    bytes_.resize(at + sizeof(T));
    std::memcpy(bytes_.data() + at, &value, sizeof(T));
    return *this;
  }
  const std::vector<uint8_t> &bytes() const { return bytes_; }

private:
  std::vector<uint8_t> bytes_;
};

class Harness {
public:
  /// `genericSimt`: build with the backend's generic SIMT baseline instead of the full backend.
  explicit Harness(bool genericSimt = false);
  runtime::Device &device() { return *device_; }

  /// Loads tests/ptx_corpus/exec/ptx/<name>.ptx; a build error fails the test.
  std::shared_ptr<runtime::Module> load(const std::string &name);

  template <typename T> uint64_t upload(const std::vector<T> &data) {
    uint64_t address = device_->allocate(data.size() * sizeof(T));
    std::memcpy(device_->hostView(address, data.size() * sizeof(T)), data.data(), data.size() * sizeof(T));
    return address;
  }
  template <typename T> uint64_t zeros(size_t n) { return upload(std::vector<T>(n)); }
  template <typename T> std::vector<T> download(uint64_t address, size_t n) {
    std::vector<T> out(n);
    std::memcpy(out.data(), device_->hostView(address, n * sizeof(T)), n * sizeof(T));
    return out;
  }

  /// Bytes per thread for device-function frames in the launches (cudaLimitStackSize).
  uint32_t callStackBytes = runtime::kDefaultCallStackBytes;

  /// Launches without judging the result (for tests of faults).
  sim::LaunchResult run(const runtime::Module &module, const std::string &kernel, sim::Dim3 grid,
                        sim::Dim3 block, const Params &params, uint32_t dynamicShared = 0);
  /// Launches and checks that the launch completed.
  sim::LaunchResult launch(const runtime::Module &module, const std::string &kernel, sim::Dim3 grid,
                           sim::Dim3 block, const Params &params, uint32_t dynamicShared = 0);

private:
  std::unique_ptr<runtime::Device> device_;
  backend::BackendOptions options_;
};

/// Fixtures run each case twice: full backend and generic SIMT baseline (both must be right).
class BothBackends : public ::testing::TestWithParam<bool> {
protected:
  BothBackends() : h(GetParam()) {}
  Harness h;
};

inline std::string backendName(const ::testing::TestParamInfo<bool> &info) {
  return info.param ? "generic" : "full";
}

} // namespace oxptx::exec
