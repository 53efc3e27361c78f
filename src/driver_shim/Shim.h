// The state behind oxptx's libcuda.so.1: the simulated device, contexts, streams with their
// workers, events, modules. Handles given to the program are pointers to the objects below;
// every handle is checked against a registry of live objects before use, so a stale or invalid
// handle is an error, never a crash.
//
// Execution: each stream has a worker thread running its operations in order; operations that
// touch the simulator take the device lock (runtime::Device is not thread-safe), so host code
// runs concurrently with kernels while kernels of different streams take turns. Each stream
// keeps a simulated clock: an operation starts when its stream and the operations it waits for
// have finished in simulated time, so events measure simulated OxCore time.
#pragma once

#include "driver_shim/Trace.h"
#include "ptx_parser/Ast.h"
#include "runtime/Device.h"

#include <cuda.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace oxptx::shim {

/// Completion of one queued operation, and the simulated time (ns) it ended.
class Completion {
public:
  void complete(double endNs);
  void wait() const;
  bool done() const;
  double endNs() const;

private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool done_ = false;
  double endNs_ = 0;
};
using CompletionPtr = std::shared_ptr<Completion>;

/// Work queued on a stream. `run` gets the simulated start time and returns the simulated
/// duration in ns.
struct Operation {
  std::function<double(double startNs)> run;
  bool usesDevice = true; // runs holding the device lock (host functions do not)
  std::vector<CompletionPtr> after;
  CompletionPtr done = std::make_shared<Completion>();
};

/// One simulated OxCore device.
struct DeviceState {
  explicit DeviceState(sim::MachineConfig config) : device(std::move(config)) {}
  runtime::Device device;
  std::mutex lock; // held while the simulator runs or device memory changes
  uint64_t allocatedBytes = 0;
  std::set<uint64_t> managed; // shared allocations made by cuMemAllocManaged (the others: pinned)
};

/// Per-launch record for oxrun --profile (written at exit when OXPTX_PROFILE is set).
struct LaunchRecord {
  std::string kernel;
  double startNs, durationNs;
  sim::Counters counters;
  uint64_t cycles;
  uint64_t threads;
};

} // namespace oxptx::shim

struct CUstream_st {
  CUctx_st *ctx = nullptr;
  unsigned flags = 0; // CU_STREAM_NON_BLOCKING or 0
  int priority = 0;
  bool legacy = false; // the context's legacy default stream (NULL / CU_STREAM_LEGACY)

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<oxptx::shim::Operation> queue;
  bool stopping = false;
  oxptx::shim::CompletionPtr last; // the last operation submitted
  double simNs = 0;                // the stream's simulated clock
  std::thread worker;
};

struct CUctx_st {
  CUdevice device = 0;
  unsigned flags = 0;
  bool primary = false;
  std::atomic<CUresult> sticky{CUDA_SUCCESS}; // a kernel fault: every later call reports it
  std::unique_ptr<CUstream_st> legacyStream;
  std::set<CUstream_st *> streams; // created streams and per-thread default streams
  struct Stored {
    void *value;
    void (*destructor)(CUcontext, void *, void *);
  };
  std::map<void *, Stored> localStorage; // export table c693336e…
  size_t limits[CU_LIMIT_MAX] = {};
};

struct CUmod_st {
  CUctx_st *ctx = nullptr;
  std::shared_ptr<oxptx::runtime::Module> module;
  std::map<std::string, oxptx::ptx::ParamLayout, std::less<>> parameters; // per kernel
  std::map<std::string, std::unique_ptr<CUfunc_st>, std::less<>> functions;
};

/// A kernel of a module: also what CUkernel handles point to (cudart passes a CUkernel where
/// a CUfunction is expected).
struct CUfunc_st {
  CUmod_st *module = nullptr;
  std::string name;
  const oxptx::backend::KernelInfo *info = nullptr;
  const oxptx::ptx::ParamLayout *parameters = nullptr;
  int maxDynamicSharedBytes = 48 * 1024;
};

struct CUlib_st {
  CUmod_st *module = nullptr; // a library is one module in one context (the primary one)
};

/// A CUDA array (docs/textures.md): texels in device memory, rows of Width texels without
/// padding, then the next row, slice or layer.
struct CUarray_st {
  CUdeviceptr base = 0;
  CUDA_ARRAY3D_DESCRIPTOR descriptor{}; // as created (Height/Depth 0 for 1-D/2-D arrays)
  size_t pitch = 0, slicePitch = 0;
  size_t bytes() const;
};

struct CUevent_st {
  unsigned flags = 0;
  oxptx::shim::CompletionPtr recorded; // the record operation; null until recorded
  double timeNs = 0;
};

namespace oxptx::shim {

/// The process's driver state.
class Driver {
public:
  bool initialized = false;
  std::recursive_mutex mutex; // guards the registries and the contexts' stream sets

  DeviceState &device(CUdevice ordinal = 0);
  int deviceCount() const { return 1; }
  CUctx_st *primaryContext(CUdevice device);

  // Registries of live handles.
  std::set<const void *> contexts, streams, events, modules, functions, libraries, arrays;
  /// Texture and surface objects (handle: the device address of the descriptor) with what
  /// they were created from.
  struct TextureObject {
    CUDA_RESOURCE_DESC resource;
    CUDA_TEXTURE_DESC texture; // zero for surfaces
    bool surface;
  };
  std::map<unsigned long long, TextureObject> textureObjects;

  std::vector<LaunchRecord> launches; // guarded by the device lock

private:
  std::unique_ptr<DeviceState> device_;
  std::unique_ptr<CUctx_st> primary_;
};

Driver &driver();

/// Whether `handle` is a live object of one of the registries, e.g. live(&Driver::streams, s).
bool live(std::set<const void *> Driver::*registry, const void *handle);

/// CUDA_ERROR_NOT_INITIALIZED before cuInit, CUDA_ERROR_INVALID_DEVICE for a bad ordinal.
CUresult checkDevice(CUdevice device);

/// The calling thread's current context (top of its context stack), or null.
CUctx_st *currentContext();
std::vector<CUctx_st *> &contextStack();

/// Runs an API body: exceptions become error codes (the host never sees one), the call is
/// traced under OXPTX_TRACE.
template <typename Body, typename... A> CUresult api(const char *name, Body body, const A &...args) {
  CUresult result;
  try {
    result = body();
  } catch (const std::bad_alloc &) {
    result = CUDA_ERROR_OUT_OF_MEMORY;
  } catch (...) {
    result = CUDA_ERROR_UNKNOWN;
  }
  if (tracing())
    traceCall(name, traceArguments(args...), result);
  return result;
}

/// CUDA_SUCCESS when the driver is initialized and a context is current; `ctx` receives it.
/// (Calls that queue or wait for work check the context's sticky error as well.)
CUresult currentOrError(CUctx_st *&ctx);

/// Gives a new context its legacy default stream and registers it.
void startContext(CUctx_st *ctx);
/// Finishes the context's work, destroys its created streams and runs its local-storage
/// destructors; the context itself stays usable (a primary context's reset).
void drainContext(CUctx_st *ctx);
/// drainContext, then stops the legacy stream and unregisters the context.
void stopContext(CUctx_st *ctx);

/// Resolves a stream handle of a call (NULL, CU_STREAM_LEGACY, CU_STREAM_PER_THREAD or a created
/// stream); `perThreadDefault`: the call is a _ptds/_ptsz variant, where NULL means the
/// per-thread stream. Null if the handle is not a live stream.
CUstream_st *resolveStream(CUctx_st *ctx, CUstream stream, bool perThreadDefault);

/// Queues an operation with the implicit dependencies of the legacy default stream.
CompletionPtr submit(CUstream_st *stream, Operation operation);
/// Waits for every operation submitted so far to the context's streams.
void synchronizeContext(CUctx_st *ctx);
void synchronizeStream(CUstream_st *stream);

CUstream_st *createStream(CUctx_st *ctx, unsigned flags, int priority);
void destroyStream(CUstream_st *stream);

constexpr int kDriverVersion = 13000; // cudart 13 refuses anything older
constexpr int kComputeMajor = 9, kComputeMinor = 0;
constexpr uint64_t kTotalMemory = 16ull << 30; // what the device reports; host memory backs it
constexpr int kPciDomain = 0, kPciBus = 0x0a, kPciDevice = 0;

/// The value of a device attribute for a machine configuration (ApiDevice.cpp).
int attributeValue(CUdevice_attribute attribute, const sim::MachineConfig &config);
int maxThreadsPerBlock(const sim::MachineConfig &config);
std::array<uint8_t, 16> deviceUuid(const sim::MachineConfig &config);

/// Records a kernel fault as the context's sticky error, with its message on stderr.
void setSticky(CUctx_st *ctx, CUresult error, const std::string &message);

/// Host pointer for [address, address+bytes) of device-accessible memory (device allocations,
/// shared allocations), or null; `hostOk`: an address outside them is host memory.
uint8_t *resolveAddress(CUdeviceptr address, size_t bytes, bool hostOk);

} // namespace oxptx::shim
