#include "driver_shim/Shim.h"

#include <cstdio>
#include <cstdlib>

namespace oxptx::shim {

void Completion::complete(double endNs) {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
    endNs_ = endNs;
  }
  changed_.notify_all();
}

void Completion::wait() const {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return done_; });
}

bool Completion::done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

double Completion::endNs() const {
  std::lock_guard lock(mutex_);
  return endNs_;
}

namespace {

/// The machine the device simulates: $OXPTX_CONFIG (a preset or an OxQuilt file), else "mid".
sim::MachineConfig machineConfig() {
  const char *name = std::getenv("OXPTX_CONFIG");
  auto loaded = sim::loadMachineConfig(name && *name ? name : "mid");
  if (auto *config = std::get_if<sim::MachineConfig>(&loaded))
    return *config;
  for (const std::string &error : std::get<sim::ConfigErrors>(loaded))
    std::fprintf(stderr, "oxptx: %s\n", error.c_str());
  std::fprintf(stderr, "oxptx: OXPTX_CONFIG=%s is not a usable machine configuration; using 'mid'\n", name);
  return std::get<sim::MachineConfig>(sim::loadMachineConfig("mid"));
}

void workerLoop(CUstream_st *stream) {
  for (;;) {
    Operation op;
    {
      std::unique_lock lock(stream->mutex);
      stream->wake.wait(lock, [&] { return stream->stopping || !stream->queue.empty(); });
      if (stream->queue.empty())
        return;
      op = std::move(stream->queue.front());
      stream->queue.pop_front();
    }
    double start = stream->simNs;
    for (const CompletionPtr &c : op.after) {
      c->wait();
      start = std::max(start, c->endNs());
    }
    double duration = 0;
    try {
      if (!op.usesDevice) {
        duration = op.run(start);
      } else if (stream->ctx->sticky == CUDA_SUCCESS) { // a faulted context runs nothing more
        std::lock_guard lock(driver().device(stream->ctx->device).lock);
        duration = op.run(start);
      }
    } catch (const std::exception &e) { // never escapes into the program's thread
      setSticky(stream->ctx, CUDA_ERROR_UNKNOWN, std::string("a queued operation failed: ") + e.what());
    }
    stream->simNs = start + duration;
    op.done->complete(stream->simNs);
  }
}

CompletionPtr lastOf(CUstream_st *stream) {
  std::lock_guard lock(stream->mutex);
  return stream->last;
}

void synchronizeAll() {
  Driver &d = driver();
  std::vector<CUctx_st *> contexts;
  {
    std::lock_guard lock(d.mutex);
    for (const void *c : d.contexts)
      contexts.push_back(static_cast<CUctx_st *>(const_cast<void *>(c)));
  }
  for (CUctx_st *c : contexts)
    synchronizeContext(c);
}

} // namespace

Driver &driver() {
  // Never destroyed: stream workers may still run while the process exits.
  static Driver *instance = [] {
    std::atexit(synchronizeAll);
    return new Driver();
  }();
  return *instance;
}

DeviceState &Driver::device(CUdevice) {
  std::lock_guard lock(mutex);
  if (!device_)
    device_ = std::make_unique<DeviceState>(machineConfig());
  return *device_;
}

CUctx_st *Driver::primaryContext(CUdevice device) {
  std::lock_guard lock(mutex);
  if (!primary_) {
    primary_ = std::make_unique<CUctx_st>();
    primary_->device = device;
    primary_->primary = true;
    startContext(primary_.get());
  }
  return primary_.get();
}

bool live(std::set<const void *> Driver::*registry, const void *handle) {
  std::lock_guard lock(driver().mutex);
  return handle && (driver().*registry).count(handle);
}

CUresult checkDevice(CUdevice device) {
  if (!driver().initialized)
    return CUDA_ERROR_NOT_INITIALIZED;
  return device >= 0 && device < driver().deviceCount() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

std::vector<CUctx_st *> &contextStack() {
  thread_local std::vector<CUctx_st *> stack;
  return stack;
}

CUctx_st *currentContext() {
  auto &stack = contextStack();
  return stack.empty() ? nullptr : stack.back();
}

CUresult currentOrError(CUctx_st *&ctx) {
  if (!driver().initialized)
    return CUDA_ERROR_NOT_INITIALIZED;
  ctx = currentContext();
  return ctx ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT;
}

namespace {

void stopWorker(CUstream_st *stream) {
  {
    std::lock_guard lock(stream->mutex);
    stream->stopping = true;
  }
  stream->wake.notify_one();
  stream->worker.join(); // its queued work finishes first, as CUDA's does
}

} // namespace

void startContext(CUctx_st *ctx) {
  auto stream = std::make_unique<CUstream_st>();
  stream->ctx = ctx;
  stream->legacy = true;
  stream->worker = std::thread(workerLoop, stream.get());
  ctx->legacyStream = std::move(stream);
  std::lock_guard lock(driver().mutex);
  driver().contexts.insert(ctx);
}

void drainContext(CUctx_st *ctx) {
  synchronizeContext(ctx);
  std::vector<CUstream_st *> streams;
  {
    std::lock_guard lock(driver().mutex);
    streams.assign(ctx->streams.begin(), ctx->streams.end());
  }
  for (CUstream_st *s : streams)
    destroyStream(s);
  std::map<void *, CUctx_st::Stored> storage;
  {
    std::lock_guard lock(driver().mutex);
    storage.swap(ctx->localStorage);
  }
  for (auto &[key, stored] : storage)
    if (stored.destructor)
      stored.destructor(ctx, key, stored.value);
}

void stopContext(CUctx_st *ctx) {
  drainContext(ctx);
  stopWorker(ctx->legacyStream.get());
  std::lock_guard lock(driver().mutex);
  driver().contexts.erase(ctx);
}

CUstream_st *createStream(CUctx_st *ctx, unsigned flags, int priority) {
  auto *stream = new CUstream_st();
  stream->ctx = ctx;
  stream->flags = flags;
  stream->priority = priority;
  stream->worker = std::thread(workerLoop, stream);
  std::lock_guard lock(driver().mutex);
  ctx->streams.insert(stream);
  driver().streams.insert(stream);
  return stream;
}

void destroyStream(CUstream_st *stream) {
  {
    std::lock_guard lock(driver().mutex);
    if (!driver().streams.erase(stream))
      return; // another thread destroyed it first
    stream->ctx->streams.erase(stream);
  }
  stopWorker(stream);
  delete stream;
}

CUstream_st *resolveStream(CUctx_st *ctx, CUstream stream, bool perThreadDefault) {
  if (stream == CU_STREAM_PER_THREAD || (!stream && perThreadDefault)) {
    thread_local std::map<CUctx_st *, CUstream_st *> perThread;
    CUstream_st *&s = perThread[ctx];
    if (!s || !live(&Driver::streams, s)) // a context reset destroys it
      s = createStream(ctx, 0, 0);
    return s;
  }
  if (!stream || stream == CU_STREAM_LEGACY)
    return ctx->legacyStream.get();
  std::lock_guard lock(driver().mutex);
  return driver().streams.count(stream) ? stream : nullptr;
}

CompletionPtr submit(CUstream_st *stream, Operation op) {
  CUctx_st *ctx = stream->ctx;
  {
    // The legacy default stream waits for every blocking stream, and they wait for it.
    std::lock_guard lock(driver().mutex);
    auto depend = [&](CUstream_st *other) {
      if (CompletionPtr last = lastOf(other))
        op.after.push_back(std::move(last));
    };
    if (stream->legacy) {
      for (CUstream_st *other : ctx->streams)
        if (!(other->flags & CU_STREAM_NON_BLOCKING))
          depend(other);
    } else if (!(stream->flags & CU_STREAM_NON_BLOCKING)) {
      depend(ctx->legacyStream.get());
    }
  }
  CompletionPtr done = op.done;
  {
    std::lock_guard lock(stream->mutex);
    stream->last = done;
    stream->queue.push_back(std::move(op));
  }
  stream->wake.notify_one();
  return done;
}

void synchronizeStream(CUstream_st *stream) {
  if (CompletionPtr last = lastOf(stream))
    last->wait();
}

void synchronizeContext(CUctx_st *ctx) {
  // The last operations, taken while the streams are registered (another thread may destroy
  // one as soon as the lock is released; its operations stay alive through these pointers).
  std::vector<CompletionPtr> last;
  {
    std::lock_guard lock(driver().mutex);
    for (CUstream_st *s : ctx->streams)
      last.push_back(lastOf(s));
    last.push_back(lastOf(ctx->legacyStream.get()));
  }
  for (const CompletionPtr &c : last)
    if (c)
      c->wait();
}

void setSticky(CUctx_st *ctx, CUresult error, const std::string &message) {
  CUresult expected = CUDA_SUCCESS;
  ctx->sticky.compare_exchange_strong(expected, error);
  std::fprintf(stderr, "oxptx: %s\n", message.c_str());
}

uint8_t *resolveAddress(CUdeviceptr address, size_t bytes, bool hostOk) {
  runtime::Device &device = driver().device().device;
  if (auto allocation = device.allocationOf(address)) {
    if (address - allocation->base + bytes > allocation->bytes)
      return nullptr;
    return device.hostView(address, std::max<size_t>(bytes, 1));
  }
  if (uint8_t *p = device.hostView(address, std::max<size_t>(bytes, 1))) // module globals
    return p;
  return hostOk ? reinterpret_cast<uint8_t *>(address) : nullptr;
}

} // namespace oxptx::shim
