// Initialization, versions, entry-point lookup, devices and their attributes, error strings.
// The one device is the simulated OxCore machine of $OXPTX_CONFIG; its attributes follow that
// configuration (docs/driver-shim.md lists them).
#include "driver_shim/EntryPoints.h"
#include "driver_shim/Shim.h"

#include <cudaProfiler.h>

#include <algorithm>
#include <cstring>

using namespace oxptx;
using namespace oxptx::shim;

namespace oxptx::shim {

int maxThreadsPerBlock(const sim::MachineConfig &c) {
  return int(std::min<uint64_t>(1024, c.core.hardwareThreads * 32)); // a CTA runs on one core
}

/// The value of a device attribute for a machine configuration.
int attributeValue(CUdevice_attribute a, const sim::MachineConfig &c) {
  const int sharedPerCore = int(c.core.scratchpadBytes), reserved = int(sim::kReservedSharedBytes);
  switch (a) {
  case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X:
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y:
    return maxThreadsPerBlock(c);
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z: return std::min(64, maxThreadsPerBlock(c));
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X: return 0x7fffffff;
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y:
  case CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z: return 65535;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK: return std::min(48 * 1024, sharedPerCore - reserved);
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: return sharedPerCore - reserved;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_MULTIPROCESSOR: return sharedPerCore;
  case CU_DEVICE_ATTRIBUTE_RESERVED_SHARED_MEMORY_PER_BLOCK: return reserved;
  case CU_DEVICE_ATTRIBUTE_TOTAL_CONSTANT_MEMORY: return 64 * 1024;
  case CU_DEVICE_ATTRIBUTE_WARP_SIZE: return 32;
  case CU_DEVICE_ATTRIBUTE_MAX_PITCH: return 0x7fffffff;
  case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_BLOCK:
  case CU_DEVICE_ATTRIBUTE_MAX_REGISTERS_PER_MULTIPROCESSOR: return 65536;
  case CU_DEVICE_ATTRIBUTE_CLOCK_RATE: return int(c.clockMhz * 1000); // kHz
  case CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE: return int(c.clockMhz * 1000);
  case CU_DEVICE_ATTRIBUTE_GLOBAL_MEMORY_BUS_WIDTH: // bits such that 2 x clock x width = bandwidth
    return int(c.memory.dramBandwidthGBs * 1e9 * 8 / (2 * c.clockMhz * 1e6));
  case CU_DEVICE_ATTRIBUTE_TEXTURE_ALIGNMENT: return 512;
  case CU_DEVICE_ATTRIBUTE_TEXTURE_PITCH_ALIGNMENT: return 32;
  case CU_DEVICE_ATTRIBUTE_SURFACE_ALIGNMENT: return 512;
  case CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT: return int(c.core.count);
  case CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_MULTIPROCESSOR: return int(c.core.hardwareThreads * 32);
  case CU_DEVICE_ATTRIBUTE_MAX_BLOCKS_PER_MULTIPROCESSOR: return int(c.core.hardwareThreads);
  case CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE: return int(c.memory.l2Bytes);
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR: return kComputeMajor;
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR: return kComputeMinor;
  case CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID: return kPciDomain;
  case CU_DEVICE_ATTRIBUTE_PCI_BUS_ID: return kPciBus;
  case CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID: return kPciDevice;
  case CU_DEVICE_ATTRIBUTE_ASYNC_ENGINE_COUNT: return 1;
  case CU_DEVICE_ATTRIBUTE_SINGLE_TO_DOUBLE_PRECISION_PERF_RATIO: return 2;
  case CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY:
  case CU_DEVICE_ATTRIBUTE_GPU_OVERLAP:
  case CU_DEVICE_ATTRIBUTE_CONCURRENT_KERNELS:
  case CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING:
  case CU_DEVICE_ATTRIBUTE_STREAM_PRIORITIES_SUPPORTED:
  case CU_DEVICE_ATTRIBUTE_GLOBAL_L1_CACHE_SUPPORTED:
  case CU_DEVICE_ATTRIBUTE_LOCAL_L1_CACHE_SUPPORTED:
  case CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY:
  case CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS: // managed memory is one host mapping
  case CU_DEVICE_ATTRIBUTE_DIRECT_MANAGED_MEM_ACCESS_FROM_HOST:
  case CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH:
  case CU_DEVICE_ATTRIBUTE_CAN_USE_HOST_POINTER_FOR_REGISTERED_MEM:
    return 1;
  default: return 0; // textures, surfaces, ECC, interop, pools, clusters: not offered
  }
}

std::array<uint8_t, 16> deviceUuid(const sim::MachineConfig &c) {
  std::array<uint8_t, 16> uuid{'O', 'x', 'C', 'o', 'r', 'e'};
  for (size_t i = 0; i < c.name.size() && 6 + i < uuid.size(); ++i)
    uuid[6 + i] = uint8_t(c.name[i]);
  return uuid;
}

} // namespace oxptx::shim

namespace {

const sim::MachineConfig &config() { return driver().device().device.config(); }

#define OX_ERRORS(X)                                                                                \
  X(CUDA_SUCCESS, "no error")                                                                       \
  X(CUDA_ERROR_INVALID_VALUE, "invalid argument")                                                   \
  X(CUDA_ERROR_OUT_OF_MEMORY, "out of memory")                                                      \
  X(CUDA_ERROR_NOT_INITIALIZED, "initialization error")                                             \
  X(CUDA_ERROR_DEINITIALIZED, "driver shutting down")                                               \
  X(CUDA_ERROR_NO_DEVICE, "no CUDA-capable device is detected")                                     \
  X(CUDA_ERROR_INVALID_DEVICE, "invalid device ordinal")                                            \
  X(CUDA_ERROR_INVALID_IMAGE, "device kernel image is invalid")                                     \
  X(CUDA_ERROR_INVALID_CONTEXT, "invalid device context")                                           \
  X(CUDA_ERROR_NO_BINARY_FOR_GPU, "no kernel image is available for execution on the device")       \
  X(CUDA_ERROR_INVALID_PTX, "a PTX JIT compilation failed")                                         \
  X(CUDA_ERROR_INVALID_SOURCE, "device kernel image is invalid")                                    \
  X(CUDA_ERROR_FILE_NOT_FOUND, "file not found")                                                    \
  X(CUDA_ERROR_INVALID_HANDLE, "invalid resource handle")                                           \
  X(CUDA_ERROR_NOT_FOUND, "named symbol not found")                                                 \
  X(CUDA_ERROR_NOT_READY, "device not ready")                                                       \
  X(CUDA_ERROR_ILLEGAL_ADDRESS, "an illegal memory access was encountered")                         \
  X(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES, "too many resources requested for launch")                  \
  X(CUDA_ERROR_LAUNCH_TIMEOUT, "the launch timed out and was terminated")                           \
  X(CUDA_ERROR_ASSERT, "device-side assert triggered")                                              \
  X(CUDA_ERROR_ILLEGAL_INSTRUCTION, "an illegal instruction was encountered")                       \
  X(CUDA_ERROR_MISALIGNED_ADDRESS, "misaligned address")                                            \
  X(CUDA_ERROR_LAUNCH_FAILED, "unspecified launch failure")                                         \
  X(CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE, "too many blocks in cooperative launch")               \
  X(CUDA_ERROR_NOT_SUPPORTED, "operation not supported")                                            \
  X(CUDA_ERROR_INVALID_ADDRESS_SPACE, "operation not supported on global/shared address space")    \
  X(CUDA_ERROR_CONTEXT_ALREADY_IN_USE, "context already in use")                                    \
  X(CUDA_ERROR_PEER_ACCESS_UNSUPPORTED, "peer access is not supported between these two devices")   \
  X(CUDA_ERROR_UNKNOWN, "unknown error")

struct ErrorText {
  CUresult code;
  const char *name, *text;
};
constexpr ErrorText kErrors[] = {
#define OX_ERROR_ROW(code, text) {code, #code, text},
    OX_ERRORS(OX_ERROR_ROW)
#undef OX_ERROR_ROW
};

const ErrorText *errorText(CUresult error) {
  for (const ErrorText &e : kErrors)
    if (e.code == error)
      return &e;
  return nullptr;
}

} // namespace

extern "C" {

CUresult cuInit(unsigned int flags) {
  return api(__func__, [&] {
    if (flags != 0)
      return CUDA_ERROR_INVALID_VALUE;
    driver().device(); // reads the machine configuration
    driver().initialized = true;
    return CUDA_SUCCESS;
  }, flags);
}

CUresult cuDriverGetVersion(int *version) {
  return api(__func__, [&] {
    if (!version)
      return CUDA_ERROR_INVALID_VALUE;
    *version = kDriverVersion;
    return CUDA_SUCCESS;
  }, version);
}

CUresult cuGetProcAddress_v2(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags,
                             CUdriverProcAddressQueryResult *status) {
  bool versionTooLow = false;
  const EntryPoint *entry = symbol ? findEntryPoint(symbol, cudaVersion, flags, &versionTooLow) : nullptr;
  if (pfn)
    *pfn = entry ? entry->function : nullptr;
  if (status)
    *status = entry           ? CU_GET_PROC_ADDRESS_SUCCESS
              : versionTooLow ? CU_GET_PROC_ADDRESS_VERSION_NOT_SUFFICIENT
                              : CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
  if (tracing())
    std::fprintf(stderr, "oxptx: cuGetProcAddress(\"%s\", %d, %llu) -> %s\n", symbol ? symbol : "", cudaVersion,
                 static_cast<unsigned long long>(flags), entry ? entry->symbol : "not found");
  if (!symbol || !pfn)
    return CUDA_ERROR_INVALID_VALUE;
  return entry ? CUDA_SUCCESS : CUDA_ERROR_NOT_FOUND;
}

CUresult cuGetErrorString(CUresult error, const char **text) {
  const ErrorText *e = errorText(error);
  if (!text)
    return CUDA_ERROR_INVALID_VALUE;
  *text = e ? e->text : nullptr;
  return e ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

CUresult cuGetErrorName(CUresult error, const char **name) {
  const ErrorText *e = errorText(error);
  if (!name)
    return CUDA_ERROR_INVALID_VALUE;
  *name = e ? e->name : nullptr;
  return e ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

CUresult cuDeviceGetCount(int *count) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    if (!count)
      return CUDA_ERROR_INVALID_VALUE;
    *count = driver().deviceCount();
    return CUDA_SUCCESS;
  }, count);
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(ordinal))
      return r;
    if (!device)
      return CUDA_ERROR_INVALID_VALUE;
    *device = ordinal;
    return CUDA_SUCCESS;
  }, device, ordinal);
}

CUresult cuDeviceGetName(char *name, int length, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!name || length <= 0)
      return CUDA_ERROR_INVALID_VALUE;
    std::string text = "OxCore " + config().name + " (oxptx simulator)";
    std::snprintf(name, size_t(length), "%s", text.c_str());
    return CUDA_SUCCESS;
  }, name, length, device);
}

CUresult cuDeviceTotalMem(size_t *bytes, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!bytes)
      return CUDA_ERROR_INVALID_VALUE;
    *bytes = kTotalMemory;
    return CUDA_SUCCESS;
  }, bytes, device);
}

CUresult cuDeviceGetAttribute(int *value, CUdevice_attribute attribute, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!value || attribute <= 0 || attribute >= CU_DEVICE_ATTRIBUTE_MAX)
      return CUDA_ERROR_INVALID_VALUE;
    *value = attributeValue(attribute, config());
    return CUDA_SUCCESS;
  }, value, attribute, device);
}

CUresult cuDeviceComputeCapability(int *major, int *minor, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!major || !minor)
      return CUDA_ERROR_INVALID_VALUE;
    *major = kComputeMajor;
    *minor = kComputeMinor;
    return CUDA_SUCCESS;
  }, major, minor, device);
}

CUresult cuDeviceGetUuid(CUuuid *uuid, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!uuid)
      return CUDA_ERROR_INVALID_VALUE;
    auto bytes = deviceUuid(config());
    std::memcpy(uuid->bytes, bytes.data(), bytes.size());
    return CUDA_SUCCESS;
  }, uuid, device);
}

CUresult cuDeviceGetPCIBusId(char *busId, int length, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!busId || length <= 0)
      return CUDA_ERROR_INVALID_VALUE;
    std::snprintf(busId, size_t(length), "%08x:%02x:%02x.0", kPciDomain, kPciBus, kPciDevice);
    return CUDA_SUCCESS;
  }, busId, length, device);
}

CUresult cuDeviceGetByPCIBusId(CUdevice *device, const char *busId) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    unsigned domain = 0, bus = 0, dev = 0;
    if (!device || !busId ||
        (std::sscanf(busId, "%x:%x:%x", &domain, &bus, &dev) != 3 && std::sscanf(busId, "%x:%x", &bus, &dev) != 2))
      return CUDA_ERROR_INVALID_VALUE;
    if (int(domain) != kPciDomain || int(bus) != kPciBus || int(dev) != kPciDevice)
      return CUDA_ERROR_INVALID_DEVICE;
    *device = 0;
    return CUDA_SUCCESS;
  }, device, busId);
}

CUresult cuDeviceCanAccessPeer(int *canAccess, CUdevice device, CUdevice peer) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device); r || (r = checkDevice(peer)))
      return r;
    if (!canAccess)
      return CUDA_ERROR_INVALID_VALUE;
    *canAccess = 0;
    return CUDA_SUCCESS;
  }, canAccess, device, peer);
}

CUresult cuDeviceGetTexture1DLinearMaxWidth(size_t *width, CUarray_format, unsigned, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!width)
      return CUDA_ERROR_INVALID_VALUE;
    *width = 0; // textures are not offered
    return CUDA_SUCCESS;
  }, width, device);
}

// Profiler control (cudaProfilerStart/Stop): accepted; oxptx's profile (OXPTX_PROFILE) covers
// the whole run.
CUresult cuProfilerStart() {
  return api(__func__, [&] { return driver().initialized ? CUDA_SUCCESS : CUDA_ERROR_NOT_INITIALIZED; });
}

CUresult cuProfilerStop() {
  return api(__func__, [&] { return driver().initialized ? CUDA_SUCCESS : CUDA_ERROR_NOT_INITIALIZED; });
}

// The older variants, whose names cuda.h maps to the newer ones.
#undef cuGetProcAddress
CUresult cuGetProcAddress(const char *symbol, void **pfn, int cudaVersion, cuuint64_t flags) {
  return cuGetProcAddress_v2(symbol, pfn, cudaVersion, flags, nullptr);
}

#undef cuDeviceGetUuid
CUresult cuDeviceGetUuid(CUuuid *uuid, CUdevice device) { return cuDeviceGetUuid_v2(uuid, device); }

} // extern "C"
