// Streams, events, kernel launches and host functions. A launch is a stream operation: it packs
// the parameters now (kernelParams point into the caller's frame) and runs the kernel on the
// simulator when the stream reaches it. A fault becomes the context's sticky error.
#include "driver_shim/Profile.h"
#include "driver_shim/Shim.h"

#include <cstdlib>
#include <cstring>

using namespace oxptx;
using namespace oxptx::shim;

namespace {

/// The CUDA error a kernel fault reports.
CUresult faultError(const sim::Fault &fault) {
  switch (fault.kind) {
  case sim::Fault::Kind::OutOfBounds: return CUDA_ERROR_ILLEGAL_ADDRESS;
  case sim::Fault::Kind::Misaligned: return CUDA_ERROR_MISALIGNED_ADDRESS;
  case sim::Fault::Kind::AssertFailed: return CUDA_ERROR_ASSERT;
  case sim::Fault::Kind::IllegalInstruction: return CUDA_ERROR_ILLEGAL_INSTRUCTION;
  case sim::Fault::Kind::Watchdog: return CUDA_ERROR_LAUNCH_TIMEOUT;
  case sim::Fault::Kind::StackOverflow: return CUDA_ERROR_HARDWARE_STACK_ERROR;
  default: return CUDA_ERROR_LAUNCH_FAILED;
  }
}

unsigned simulatorThreads() {
  const char *v = std::getenv("OXPTX_SIM_THREADS"); // 1 (default): deterministic runs
  int n = v ? std::atoi(v) : 1;
  return n > 0 ? unsigned(n) : 1;
}

/// Fills the .param buffer from kernelParams (one pointer per parameter) or from `extra`.
CUresult packParameters(const CUfunc_st *f, void **params, void **extra, std::vector<uint8_t> &buffer) {
  const ptx::ParamLayout &layout = *f->parameters;
  buffer.assign(layout.bytes, 0);
  if (params) {
    for (size_t i = 0; i < layout.slots.size(); ++i) {
      if (!params[i])
        return CUDA_ERROR_INVALID_VALUE;
      std::memcpy(buffer.data() + layout.slots[i].offset, params[i], layout.slots[i].size);
    }
    return CUDA_SUCCESS;
  }
  if (extra) {
    const void *pointer = nullptr;
    size_t size = 0;
    for (void **e = extra; *e != CU_LAUNCH_PARAM_END; e += 2) {
      if (e[0] == CU_LAUNCH_PARAM_BUFFER_POINTER)
        pointer = e[1];
      else if (e[0] == CU_LAUNCH_PARAM_BUFFER_SIZE)
        size = *static_cast<size_t *>(e[1]);
      else
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (!pointer || size < layout.bytes)
      return CUDA_ERROR_INVALID_VALUE;
    std::memcpy(buffer.data(), pointer, layout.bytes);
    return CUDA_SUCCESS;
  }
  return layout.slots.empty() ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

struct LaunchShape {
  sim::Dim3 grid, block;
  unsigned sharedBytes;
  bool cooperative = false;
};

CUresult launch(CUfunction f, const LaunchShape &shape, CUstream stream, void **params, void **extra,
                bool perThread) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  if (CUresult r = ctx->sticky)
    return r;
  if (!live(&Driver::functions, f))
    return CUDA_ERROR_INVALID_HANDLE;
  const sim::MachineConfig &config = driver().device(ctx->device).device.config();
  uint64_t threads = shape.block.count();
  if (!threads || !shape.grid.count() || threads > uint64_t(maxThreadsPerBlock(config)) || shape.block.z > 64 ||
      shape.grid.y > 65535 || shape.grid.z > 65535) {
    std::fprintf(stderr, "oxptx: launch of %s: block (%u,%u,%u), grid (%u,%u,%u) exceed what the device allows "
                 "(%d threads per block on '%s')\n", f->name.c_str(), shape.block.x, shape.block.y, shape.block.z,
                 shape.grid.x, shape.grid.y, shape.grid.z, maxThreadsPerBlock(config), config.name.c_str());
    return CUDA_ERROR_INVALID_VALUE;
  }
  if (shape.sharedBytes > unsigned(f->maxDynamicSharedBytes) ||
      f->info->staticSharedBytes + shape.sharedBytes + sim::kReservedSharedBytes > config.core.scratchpadBytes)
    return CUDA_ERROR_INVALID_VALUE;
  if (shape.cooperative) {
    uint64_t warps = (threads + 31) / 32;
    if (shape.grid.count() > config.core.count * (config.core.hardwareThreads / warps))
      return CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE;
  }
  CUstream_st *s = resolveStream(ctx, stream, perThread);
  if (!s)
    return CUDA_ERROR_INVALID_HANDLE;
  runtime::LaunchConfig launch;
  launch.grid = shape.grid;
  launch.block = shape.block;
  launch.dynamicSharedBytes = shape.sharedBytes;
  launch.hostThreads = simulatorThreads();
  launch.cooperative = shape.cooperative;
  if (size_t stack = ctx->limits[CU_LIMIT_STACK_SIZE]) // cudaDeviceSetLimit(cudaLimitStackSize)
    launch.callStackBytes = uint32_t(stack);
  if (CUresult r = packParameters(f, params, extra, launch.parameters))
    return r;
  Operation op;
  op.run = [ctx, s, module = f->module->module, name = f->name, launch = std::move(launch)](double startNs) {
    DeviceState &state = driver().device(ctx->device);
    sim::LaunchResult result = state.device.launch(*module, name, launch);
    if (!result.output.empty()) {
      std::fwrite(result.output.data(), 1, result.output.size(), stdout);
      std::fflush(stdout);
    }
    double ns = result.timing.seconds * 1e9;
    recordLaunch(name, launch.grid, launch.block, startNs, ns, result, state.device.config().memory.lineBytes, s);
    if (!result.error.empty())
      setSticky(ctx, CUDA_ERROR_LAUNCH_FAILED, "kernel " + name + " could not start: " + result.error);
    else if (result.fault)
      setSticky(ctx, faultError(result.fault->fault), "kernel " + name + ": " + result.fault->describe());
    return ns;
  };
  submit(s, std::move(op));
  return CUDA_SUCCESS;
}

CUresult launchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                      unsigned shared, CUstream stream, void **params, void **extra, bool perThread,
                      bool cooperative) {
  return launch(f, {{gx, gy, gz}, {bx, by, bz}, shared, cooperative}, stream, params, extra, perThread);
}

CUresult launchKernelEx(const CUlaunchConfig *config, CUfunction f, void **params, void **extra, bool perThread) {
  if (!config)
    return CUDA_ERROR_INVALID_VALUE;
  LaunchShape shape{{config->gridDimX, config->gridDimY, config->gridDimZ},
                    {config->blockDimX, config->blockDimY, config->blockDimZ},
                    config->sharedMemBytes};
  for (unsigned i = 0; i < config->numAttrs; ++i) {
    const CUlaunchAttribute &a = config->attrs[i];
    if (a.id == CU_LAUNCH_ATTRIBUTE_COOPERATIVE)
      shape.cooperative = a.value.cooperative != 0;
    else if (a.id == CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION &&
             a.value.clusterDim.x * a.value.clusterDim.y * a.value.clusterDim.z > 1) {
      std::fprintf(stderr, "oxptx: thread-block clusters of more than one CTA are not supported\n");
      return CUDA_ERROR_NOT_SUPPORTED;
    }
  }
  return launch(f, shape, config->hStream, params, extra, perThread);
}

CUresult streamOf(CUstream stream, bool perThread, CUstream_st *&s) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  s = resolveStream(ctx, stream, perThread);
  return s ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

CUresult streamSynchronize(CUstream stream, bool perThread) {
  CUstream_st *s;
  if (CUresult r = streamOf(stream, perThread, s))
    return r;
  synchronizeStream(s);
  return s->ctx->sticky;
}

CUresult streamQuery(CUstream stream, bool perThread) {
  CUstream_st *s;
  if (CUresult r = streamOf(stream, perThread, s))
    return r;
  std::lock_guard lock(s->mutex);
  if (s->ctx->sticky)
    return s->ctx->sticky;
  return !s->last || s->last->done() ? CUDA_SUCCESS : CUDA_ERROR_NOT_READY;
}

CUresult streamWaitEvent(CUstream stream, CUevent event, bool perThread) {
  CUstream_st *s;
  if (CUresult r = streamOf(stream, perThread, s))
    return r;
  if (!live(&Driver::events, event))
    return CUDA_ERROR_INVALID_HANDLE;
  if (!event->recorded)
    return CUDA_SUCCESS; // waiting on a never-recorded event waits for nothing
  Operation op;
  op.usesDevice = false;
  op.after.push_back(event->recorded);
  op.run = [](double) { return 0.0; };
  submit(s, std::move(op));
  return CUDA_SUCCESS;
}

CUresult hostFunction(CUstream stream, bool perThread, std::function<void(CUresult)> fn) {
  CUstream_st *s;
  if (CUresult r = streamOf(stream, perThread, s))
    return r;
  Operation op;
  op.usesDevice = false;
  op.run = [fn = std::move(fn), ctx = s->ctx](double) {
    fn(ctx->sticky);
    return 0.0;
  };
  submit(s, std::move(op));
  return CUDA_SUCCESS;
}

CUresult eventRecord(CUevent event, CUstream stream, bool perThread) {
  CUstream_st *s;
  if (CUresult r = streamOf(stream, perThread, s))
    return r;
  if (!live(&Driver::events, event))
    return CUDA_ERROR_INVALID_HANDLE;
  Operation op;
  op.usesDevice = false;
  op.run = [](double) { return 0.0; };
  event->recorded = submit(s, std::move(op));
  return CUDA_SUCCESS;
}

} // namespace

extern "C" {

CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, CUstream stream, void **params, void **extra) {
  return api(__func__, [&] { return launchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra, false, false); },
             f, gx, gy, gz, bx, by, bz, shared, stream, params, extra);
}

CUresult cuLaunchKernel_ptsz(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                             unsigned bz, unsigned shared, CUstream stream, void **params, void **extra) {
  return api(__func__, [&] { return launchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, extra, true, false); },
             f, gx, gy, gz, bx, by, bz, shared, stream, params, extra);
}

CUresult cuLaunchCooperativeKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                                   unsigned bz, unsigned shared, CUstream stream, void **params) {
  return api(__func__, [&] { return launchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, nullptr, false, true); },
             f, gx, gy, gz, bx, by, bz, shared, stream, params);
}

CUresult cuLaunchCooperativeKernel_ptsz(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                                        unsigned by, unsigned bz, unsigned shared, CUstream stream, void **params) {
  return api(__func__, [&] { return launchKernel(f, gx, gy, gz, bx, by, bz, shared, stream, params, nullptr, true, true); },
             f, gx, gy, gz, bx, by, bz, shared, stream, params);
}

CUresult cuLaunchKernelEx(const CUlaunchConfig *config, CUfunction f, void **params, void **extra) {
  return api(__func__, [&] { return launchKernelEx(config, f, params, extra, false); }, config, f, params, extra);
}

CUresult cuLaunchKernelEx_ptsz(const CUlaunchConfig *config, CUfunction f, void **params, void **extra) {
  return api(__func__, [&] { return launchKernelEx(config, f, params, extra, true); }, config, f, params, extra);
}

CUresult cuStreamCreate(CUstream *stream, unsigned int flags) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!stream || (flags & ~unsigned(CU_STREAM_NON_BLOCKING)))
      return CUDA_ERROR_INVALID_VALUE;
    *stream = createStream(ctx, flags, 0);
    return CUDA_SUCCESS;
  }, stream, flags);
}

CUresult cuStreamCreateWithPriority(CUstream *stream, unsigned int flags, int priority) {
  return api(__func__, [&] {
    CUresult r = cuStreamCreate(stream, flags);
    if (r == CUDA_SUCCESS)
      (*stream)->priority = std::clamp(priority, -5, 0);
    return r;
  }, stream, flags, priority);
}

CUresult cuStreamDestroy_v2(CUstream stream) {
  return api(__func__, [&] {
    if (!live(&Driver::streams, stream))
      return CUDA_ERROR_INVALID_HANDLE;
    destroyStream(stream);
    return CUDA_SUCCESS;
  }, stream);
}

CUresult cuStreamSynchronize(CUstream stream) {
  return api(__func__, [&] { return streamSynchronize(stream, false); }, stream);
}
CUresult cuStreamSynchronize_ptsz(CUstream stream) {
  return api(__func__, [&] { return streamSynchronize(stream, true); }, stream);
}
CUresult cuStreamQuery(CUstream stream) {
  return api(__func__, [&] { return streamQuery(stream, false); }, stream);
}
CUresult cuStreamQuery_ptsz(CUstream stream) {
  return api(__func__, [&] { return streamQuery(stream, true); }, stream);
}
CUresult cuStreamWaitEvent(CUstream stream, CUevent event, unsigned int flags) {
  return api(__func__, [&] { return streamWaitEvent(stream, event, false); }, stream, event, flags);
}
CUresult cuStreamWaitEvent_ptsz(CUstream stream, CUevent event, unsigned int flags) {
  return api(__func__, [&] { return streamWaitEvent(stream, event, true); }, stream, event, flags);
}

CUresult cuStreamAddCallback(CUstream stream, CUstreamCallback callback, void *data, unsigned int flags) {
  return api(__func__, [&] {
    if (!callback || flags)
      return CUDA_ERROR_INVALID_VALUE;
    return hostFunction(stream, false, [=](CUresult status) { callback(stream, status, data); });
  }, stream, data, flags);
}
CUresult cuStreamAddCallback_ptsz(CUstream stream, CUstreamCallback callback, void *data, unsigned int flags) {
  return api(__func__, [&] {
    if (!callback || flags)
      return CUDA_ERROR_INVALID_VALUE;
    return hostFunction(stream, true, [=](CUresult status) { callback(stream, status, data); });
  }, stream, data, flags);
}
CUresult cuLaunchHostFunc(CUstream stream, CUhostFn fn, void *data) {
  return api(__func__, [&] {
    if (!fn)
      return CUDA_ERROR_INVALID_VALUE;
    return hostFunction(stream, false, [=](CUresult) { fn(data); });
  }, stream, data);
}
CUresult cuLaunchHostFunc_ptsz(CUstream stream, CUhostFn fn, void *data) {
  return api(__func__, [&] {
    if (!fn)
      return CUDA_ERROR_INVALID_VALUE;
    return hostFunction(stream, true, [=](CUresult) { fn(data); });
  }, stream, data);
}

CUresult cuStreamGetFlags(CUstream stream, unsigned int *flags) {
  return api(__func__, [&] {
    CUstream_st *s;
    if (CUresult r = streamOf(stream, false, s))
      return r;
    if (!flags)
      return CUDA_ERROR_INVALID_VALUE;
    *flags = s->flags;
    return CUDA_SUCCESS;
  }, stream, flags);
}

CUresult cuStreamGetPriority(CUstream stream, int *priority) {
  return api(__func__, [&] {
    CUstream_st *s;
    if (CUresult r = streamOf(stream, false, s))
      return r;
    if (!priority)
      return CUDA_ERROR_INVALID_VALUE;
    *priority = s->priority;
    return CUDA_SUCCESS;
  }, stream, priority);
}

CUresult cuStreamGetCtx(CUstream stream, CUcontext *ctx) {
  return api(__func__, [&] {
    CUstream_st *s;
    if (CUresult r = streamOf(stream, false, s))
      return r;
    if (!ctx)
      return CUDA_ERROR_INVALID_VALUE;
    *ctx = s->ctx;
    return CUDA_SUCCESS;
  }, stream, ctx);
}

CUresult cuEventCreate(CUevent *event, unsigned int flags) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!event)
      return CUDA_ERROR_INVALID_VALUE;
    auto *e = new CUevent_st();
    e->flags = flags;
    std::lock_guard lock(driver().mutex);
    driver().events.insert(e);
    *event = e;
    return CUDA_SUCCESS;
  }, event, flags);
}

CUresult cuEventDestroy_v2(CUevent event) {
  return api(__func__, [&] {
    if (!live(&Driver::events, event))
      return CUDA_ERROR_INVALID_HANDLE;
    {
      std::lock_guard lock(driver().mutex);
      driver().events.erase(event);
    }
    delete event; // queued operations hold the completion, not the event
    return CUDA_SUCCESS;
  }, event);
}

CUresult cuEventRecord(CUevent event, CUstream stream) {
  return api(__func__, [&] { return eventRecord(event, stream, false); }, event, stream);
}
CUresult cuEventRecord_ptsz(CUevent event, CUstream stream) {
  return api(__func__, [&] { return eventRecord(event, stream, true); }, event, stream);
}
CUresult cuEventRecordWithFlags(CUevent event, CUstream stream, unsigned int flags) {
  return api(__func__, [&] { return eventRecord(event, stream, false); }, event, stream, flags);
}
CUresult cuEventRecordWithFlags_ptsz(CUevent event, CUstream stream, unsigned int flags) {
  return api(__func__, [&] { return eventRecord(event, stream, true); }, event, stream, flags);
}

CUresult cuEventQuery(CUevent event) {
  return api(__func__, [&] {
    if (!live(&Driver::events, event))
      return CUDA_ERROR_INVALID_HANDLE;
    return !event->recorded || event->recorded->done() ? CUDA_SUCCESS : CUDA_ERROR_NOT_READY;
  }, event);
}

CUresult cuEventSynchronize(CUevent event) {
  return api(__func__, [&] {
    if (!live(&Driver::events, event))
      return CUDA_ERROR_INVALID_HANDLE;
    if (event->recorded)
      event->recorded->wait();
    CUctx_st *ctx = currentContext();
    return ctx ? ctx->sticky.load() : CUDA_SUCCESS;
  }, event);
}

CUresult cuEventElapsedTime(float *ms, CUevent start, CUevent end) {
  return api(__func__, [&] {
    if (!ms)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::events, start) || !live(&Driver::events, end) || !start->recorded || !end->recorded ||
        (start->flags & CU_EVENT_DISABLE_TIMING) || (end->flags & CU_EVENT_DISABLE_TIMING))
      return CUDA_ERROR_INVALID_HANDLE;
    if (!start->recorded->done() || !end->recorded->done())
      return CUDA_ERROR_NOT_READY;
    *ms = float((end->recorded->endNs() - start->recorded->endNs()) / 1e6); // simulated time
    return CUDA_SUCCESS;
  }, ms, start, end);
}

#undef cuEventElapsedTime
CUresult cuEventElapsedTime(float *ms, CUevent start, CUevent end) { return cuEventElapsedTime_v2(ms, start, end); }

} // extern "C"
