// oxptx_runtime: a simulated OxCore device behind a C++ API (used by tests, tools and, next, the
// libcuda shim): device memory, modules built from PTX through the backend, kernel launches.
//
// Device memory is global memory of the simulator: each allocation is its own mapped region
// (rounded up to 256 bytes, with unmapped gaps between allocations, so an access past the end
// of one faults instead of reaching the next). Not thread-safe: callers serialize.
#pragma once

#include "backend/Backend.h"
#include "backend/TextureDescriptor.h"
#include "runtime/ImageLoader.h"
#include "runtime/ModuleCache.h"
#include "sim/DeviceHeap.h"
#include "sim/Executor.h"
#include "sim/Launch.h"
#include "sim/MachineConfig.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace oxptx::runtime {

/// A module loaded on a device: its image in device memory and the decoded code.
struct Module {
  LoadedImage image;
  std::unique_ptr<sim::DecodedProgram> code;
  const backend::KernelInfo *kernel(std::string_view name) const;
};

/// CUDA's default per-thread stack size (cudaLimitStackSize).
constexpr uint32_t kDefaultCallStackBytes = 1024;

struct LaunchConfig {
  sim::Dim3 grid, block;
  uint32_t dynamicSharedBytes = 0;
  std::vector<uint8_t> parameters; // the .param buffer as PTX lays it out
  unsigned hostThreads = 1;
  bool cooperative = false; // the grid may synchronize (cooperative groups): a workspace for it
  /// Bytes per thread for the frames of device functions, in kernels that call them (CUDA's
  /// cudaLimitStackSize; its default).
  uint32_t callStackBytes = kDefaultCallStackBytes;
};

class Device {
public:
  /// `cache`: where built images are kept (ModuleCache.h; by default the user's cache).
  explicit Device(sim::MachineConfig config, ModuleCache cache = ModuleCache());

  /// Device memory: a fresh, zero-filled allocation, or 0 if the address space is exhausted.
  uint64_t allocate(uint64_t bytes);
  /// Memory host code and kernels share: its device address is its host address (CUDA's
  /// managed and mapped host memory); 0 if the host has no memory left.
  uint64_t allocateShared(uint64_t bytes);
  /// Makes the caller's host memory [host, host+bytes) device memory at the same address
  /// (CUDA's registered host memory); false if it overlaps device memory.
  bool registerHost(uint8_t *host, uint64_t bytes);
  /// Frees an allocation made by allocate or allocateShared, or unregisters host memory; false
  /// if `base` is none of them.
  bool release(uint64_t base);
  /// The device heap (device malloc; CUDA's cudaLimitMallocHeapSize): its size can change while
  /// no block of it is in use (false otherwise, or when the address space has no room).
  bool resizeHeap(uint64_t bytes);
  uint64_t heapBytes() const { return heap_->bytes(); }
  /// A texture or surface object: its descriptor in device memory, whose address is the
  /// 64-bit handle kernels take (0 if the address space is exhausted); release() frees it.
  uint64_t createTextureObject(const backend::TextureDescriptor &descriptor);
  struct Allocation {
    uint64_t base, bytes;
    bool shared;
  };
  /// The allocation holding `address`, if any.
  std::optional<Allocation> allocationOf(uint64_t address) const;
  /// Host pointer to [address, address + bytes) of device memory, or nullptr if not mapped.
  uint8_t *hostView(uint64_t address, uint64_t bytes) const;

  /// Builds a PTX module (translator + backend, in a child process: IsolatedBuild.h), or takes
  /// its image from the cache, and loads it; errors are the diagnostics. A module some of whose
  /// kernels could not be built loads with the others, their diagnostics in `warnings`.
  std::variant<std::shared_ptr<Module>, std::string> loadPtx(std::string_view ptx,
                                                              std::string_view name,
                                                              const backend::BackendOptions &options = {},
                                                              std::string *warnings = nullptr);
  /// Loads a kernel image built earlier (backend::buildImage).
  std::variant<std::shared_ptr<Module>, std::string> loadImage(std::string_view image);

  sim::LaunchResult launch(const Module &module, std::string_view kernel, const LaunchConfig &config);

  const sim::MachineConfig &config() const { return config_; }

private:
  sim::MachineConfig config_;
  ModuleCache cache_;
  sim::Memory memory_;
  uint64_t next_;
  std::map<uint64_t, Allocation> allocations_; // by base
  std::unique_ptr<sim::DeviceHeap> heap_;
};

} // namespace oxptx::runtime
