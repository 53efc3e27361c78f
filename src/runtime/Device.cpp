#include "runtime/Device.h"

#include "backend/KernelImage.h"
#include "runtime/IsolatedBuild.h"

#include <cstring>

namespace oxptx::runtime {
namespace {

constexpr uint64_t kFirstAllocation = 0x100000000ull; // device memory starts at 4 GiB
constexpr uint64_t kGap = 4096;                       // unmapped bytes between allocations
constexpr uint64_t kHeapBytes = 8ull << 20;           // device malloc heap (CUDA's default)

uint64_t roundUp(uint64_t x, uint64_t to) { return (x + to - 1) / to * to; }

} // namespace

const backend::KernelInfo *Module::kernel(std::string_view name) const {
  for (const backend::KernelInfo &k : image.kernels)
    if (k.name == name)
      return &k;
  return nullptr;
}

Device::Device(sim::MachineConfig config, ModuleCache cache)
    : config_(std::move(config)), cache_(std::move(cache)), next_(kFirstAllocation) {
  resizeHeap(kHeapBytes);
}

bool Device::resizeHeap(uint64_t bytes) {
  if (heap_ && heap_->inUse())
    return false;
  uint64_t base = allocate(bytes); // mapped lazily: untouched pages cost nothing
  if (!base)
    return false;
  allocations_.erase(base); // the device heap is not an allocation users can free
  if (heap_)
    memory_.unmap(heap_->base());
  heap_ = std::make_unique<sim::DeviceHeap>(base, bytes);
  return true;
}

uint64_t Device::allocate(uint64_t bytes) {
  uint64_t size = roundUp(std::max<uint64_t>(bytes, 1), 256);
  if (next_ + size + kGap >= 0xFFFFFFFF80000000ull)
    return 0;
  uint64_t address = next_;
  memory_.map(address, size);
  next_ = roundUp(address + size + kGap, 4096);
  allocations_[address] = {address, bytes, false};
  return address;
}

uint64_t Device::createTextureObject(const backend::TextureDescriptor &descriptor) {
  uint64_t address = allocate(sizeof descriptor);
  if (address)
    std::memcpy(hostView(address, sizeof descriptor), &descriptor, sizeof descriptor);
  return address;
}

uint64_t Device::allocateShared(uint64_t bytes) {
  uint64_t address = memory_.mapAtHostAddress(roundUp(std::max<uint64_t>(bytes, 1), 256));
  if (address)
    allocations_[address] = {address, bytes, true};
  return address;
}

bool Device::registerHost(uint8_t *host, uint64_t bytes) {
  if (!memory_.mapHostRange(host, bytes))
    return false;
  uint64_t address = reinterpret_cast<uint64_t>(host);
  allocations_[address] = {address, bytes, true};
  return true;
}

bool Device::release(uint64_t base) {
  if (!allocations_.erase(base))
    return false;
  memory_.unmap(base);
  return true;
}

std::optional<Device::Allocation> Device::allocationOf(uint64_t address) const {
  auto it = allocations_.upper_bound(address);
  if (it == allocations_.begin())
    return std::nullopt;
  --it;
  if (address - it->first >= std::max<uint64_t>(it->second.bytes, 1))
    return std::nullopt;
  return it->second;
}

uint8_t *Device::hostView(uint64_t address, uint64_t bytes) const {
  return memory_.translate(address, bytes);
}

std::variant<std::shared_ptr<Module>, std::string>
Device::loadPtx(std::string_view ptx, std::string_view name, const backend::BackendOptions &options,
                std::string *warnings) {
  std::string key = cache_.key(ptx, options);
  if (std::optional<std::string> cached = cache_.find(key)) {
    auto module = loadImage(*cached);
    if (std::holds_alternative<std::shared_ptr<Module>>(module))
      return module; // a damaged entry falls through and is rebuilt
  }
  backend::ImageResult built = buildImageIsolated(ptx, name, options);
  if (built.image.empty())
    return built.errors.empty() ? std::string(name) + ": no kernel to load" : built.errors;
  if (built.errors.empty()) // images with diagnostics are rebuilt, so the diagnostics show again
    cache_.store(key, built.image);
  else if (warnings)
    *warnings = built.errors;
  return loadImage(built.image);
}

std::variant<std::shared_ptr<Module>, std::string> Device::loadImage(std::string_view image) {
  auto footprint = imageFootprint(image);
  if (auto *error = std::get_if<std::string>(&footprint))
    return *error;
  uint64_t base = next_;
  next_ = roundUp(base + std::get<uint64_t>(footprint) + kGap, 4096);
  auto loaded = runtime::loadImage(image, memory_, base);
  if (auto *error = std::get_if<std::string>(&loaded))
    return *error;
  auto module = std::make_shared<Module>();
  module->image = std::move(std::get<LoadedImage>(loaded));
  module->code = std::make_unique<sim::DecodedProgram>(memory_, module->image.codeBase,
                                                       module->image.codeSize);
  return module;
}

sim::LaunchResult Device::launch(const Module &module, std::string_view kernel,
                                 const LaunchConfig &config) {
  sim::LaunchResult result;
  const backend::KernelInfo *info = module.kernel(kernel);
  auto symbol = module.image.symbols.find(kernel);
  if (!info || symbol == module.image.symbols.end()) {
    result.error = "the module has no kernel named '" + std::string(kernel) + "'";
    return result;
  }
  if (config.parameters.size() < info->parameterBytes) {
    result.error = "kernel " + std::string(kernel) + " takes " + std::to_string(info->parameterBytes) +
                   " bytes of parameters, " + std::to_string(config.parameters.size()) + " given";
    return result;
  }
  sim::KernelLaunch launch;
  launch.entry = symbol->second;
  launch.grid = config.grid;
  launch.block = config.block;
  launch.staticSharedBytes = info->staticSharedBytes;
  launch.dynamicSharedBytes = config.dynamicSharedBytes;
  launch.localBytesPerLane = info->localBytesPerLane + (info->callStack ? config.callStackBytes : 0);
  launch.stackBytes = info->stackBytes;
  launch.parameters = config.parameters;
  launch.hostThreads = config.hostThreads;
  launch.heap = heap_.get();
  if (!config.cooperative)
    return sim::launchKernel(config_, memory_, *module.code, launch);
  // cooperative_groups' grid.sync() counts arrivals in a zeroed word the driver provides, its
  // address in %envreg1:%envreg2.
  uint64_t workspace = allocate(256);
  if (!workspace) {
    result.error = "no device memory left for the cooperative launch's grid workspace";
    return result;
  }
  launch.environment[1] = uint32_t(workspace >> 32);
  launch.environment[2] = uint32_t(workspace);
  result = sim::launchKernel(config_, memory_, *module.code, launch);
  release(workspace);
  return result;
}

} // namespace oxptx::runtime
