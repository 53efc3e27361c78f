// Contexts: the primary context of the device (what cudart uses), created contexts, and the
// calling thread's context stack.
#include "driver_shim/Shim.h"

#include <algorithm>

using namespace oxptx;
using namespace oxptx::shim;

namespace {

int primaryRetains = 0; // guarded by driver().mutex

CUresult createContext(CUcontext *result, unsigned flags, CUdevice device) {
  if (CUresult r = checkDevice(device))
    return r;
  if (!result)
    return CUDA_ERROR_INVALID_VALUE;
  auto *ctx = new CUctx_st();
  ctx->device = device;
  ctx->flags = flags;
  startContext(ctx);
  contextStack().push_back(ctx);
  *result = ctx;
  return CUDA_SUCCESS;
}

} // namespace

extern "C" {

CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!ctx)
      return CUDA_ERROR_INVALID_VALUE;
    *ctx = driver().primaryContext(device);
    std::lock_guard lock(driver().mutex);
    ++primaryRetains;
    return CUDA_SUCCESS;
  }, ctx, device);
}

CUresult cuDevicePrimaryCtxRelease(CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    bool last;
    {
      std::lock_guard lock(driver().mutex);
      if (primaryRetains == 0)
        return CUDA_ERROR_INVALID_CONTEXT;
      last = --primaryRetains == 0;
    }
    if (last)
      synchronizeContext(driver().primaryContext(device));
    return CUDA_SUCCESS;
  }, device);
}

CUresult cuDevicePrimaryCtxGetState(CUdevice device, unsigned int *flags, int *active) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    if (!flags || !active)
      return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard lock(driver().mutex);
    *flags = driver().primaryContext(device)->flags;
    *active = primaryRetains > 0;
    return CUDA_SUCCESS;
  }, device, flags, active);
}

CUresult cuDevicePrimaryCtxSetFlags(CUdevice device, unsigned int flags) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    driver().primaryContext(device)->flags = flags;
    return CUDA_SUCCESS;
  }, device, flags);
}

CUresult cuDevicePrimaryCtxReset(CUdevice device) {
  return api(__func__, [&] {
    if (CUresult r = checkDevice(device))
      return r;
    CUctx_st *ctx = driver().primaryContext(device);
    drainContext(ctx);
    ctx->sticky = CUDA_SUCCESS; // a reset is how a program recovers from a sticky error
    return CUDA_SUCCESS;
  }, device);
}

CUresult cuCtxCreate_v2(CUcontext *ctx, unsigned int flags, CUdevice device) {
  return api(__func__, [&] { return createContext(ctx, flags, device); }, ctx, flags, device);
}

CUresult cuCtxCreate_v3(CUcontext *ctx, CUexecAffinityParam *, int, unsigned int flags, CUdevice device) {
  return api(__func__, [&] { return createContext(ctx, flags, device); }, ctx, flags, device);
}

CUresult cuCtxCreate(CUcontext *ctx, CUctxCreateParams *, unsigned int flags, CUdevice device) {
  return api(__func__, [&] { return createContext(ctx, flags, device); }, ctx, flags, device);
}

CUresult cuCtxDestroy(CUcontext ctx) {
  return api(__func__, [&] {
    if (!live(&Driver::contexts, ctx) || ctx->primary)
      return CUDA_ERROR_INVALID_CONTEXT;
    stopContext(ctx);
    auto &stack = contextStack();
    stack.erase(std::remove(stack.begin(), stack.end(), ctx), stack.end());
    delete ctx;
    return CUDA_SUCCESS;
  }, ctx);
}

CUresult cuCtxGetCurrent(CUcontext *ctx) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    if (!ctx)
      return CUDA_ERROR_INVALID_VALUE;
    *ctx = currentContext();
    return CUDA_SUCCESS;
  }, ctx);
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    auto &stack = contextStack();
    if (!ctx) {
      if (!stack.empty())
        stack.pop_back();
      return CUDA_SUCCESS;
    }
    if (!live(&Driver::contexts, ctx))
      return CUDA_ERROR_INVALID_CONTEXT;
    if (stack.empty())
      stack.push_back(ctx);
    else
      stack.back() = ctx;
    return CUDA_SUCCESS;
  }, ctx);
}

CUresult cuCtxPushCurrent(CUcontext ctx) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    if (!live(&Driver::contexts, ctx))
      return CUDA_ERROR_INVALID_CONTEXT;
    contextStack().push_back(ctx);
    return CUDA_SUCCESS;
  }, ctx);
}

CUresult cuCtxPopCurrent(CUcontext *ctx) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    auto &stack = contextStack();
    if (stack.empty())
      return CUDA_ERROR_INVALID_CONTEXT;
    if (ctx)
      *ctx = stack.back();
    stack.pop_back();
    return CUDA_SUCCESS;
  }, ctx);
}

CUresult cuCtxGetDevice_v2(CUdevice *device, CUcontext ctx) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    CUctx_st *c = ctx ? ctx : currentContext();
    if (!c || !live(&Driver::contexts, c))
      return CUDA_ERROR_INVALID_CONTEXT;
    if (!device)
      return CUDA_ERROR_INVALID_VALUE;
    *device = c->device;
    return CUDA_SUCCESS;
  }, device, ctx);
}

CUresult cuCtxGetDevice(CUdevice *device) { return cuCtxGetDevice_v2(device, nullptr); }

CUresult cuCtxSynchronize_v2(CUcontext ctx) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    CUctx_st *c = ctx ? ctx : currentContext();
    if (!c || !live(&Driver::contexts, c))
      return CUDA_ERROR_INVALID_CONTEXT;
    synchronizeContext(c);
    return c->sticky.load();
  }, ctx);
}

CUresult cuCtxSynchronize(void) { return cuCtxSynchronize_v2(nullptr); }

CUresult cuCtxGetFlags(unsigned int *flags) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!flags)
      return CUDA_ERROR_INVALID_VALUE;
    *flags = ctx->flags;
    return CUDA_SUCCESS;
  }, flags);
}

CUresult cuCtxGetApiVersion(CUcontext ctx, unsigned int *version) {
  return api(__func__, [&] {
    if (!driver().initialized)
      return CUDA_ERROR_NOT_INITIALIZED;
    if (ctx && !live(&Driver::contexts, ctx))
      return CUDA_ERROR_INVALID_CONTEXT;
    if (!version)
      return CUDA_ERROR_INVALID_VALUE;
    *version = 3020; // the context API version of every CUDA context since 3.2
    return CUDA_SUCCESS;
  }, ctx, version);
}

CUresult cuCtxGetLimit(size_t *value, CUlimit limit) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!value || limit < 0 || limit >= CU_LIMIT_MAX)
      return CUDA_ERROR_INVALID_VALUE;
    static constexpr size_t kDefaults[CU_LIMIT_MAX] = { // stack, printf FIFO, heap, ...
        runtime::kDefaultCallStackBytes, 1 << 20, 8 << 20, 2, 2048, 128, 0, 0, 0, 0};
    *value = limit == CU_LIMIT_MALLOC_HEAP_SIZE ? driver().device(ctx->device).device.heapBytes()
             : ctx->limits[limit]                ? ctx->limits[limit]
                                                 : kDefaults[limit];
    return CUDA_SUCCESS;
  }, value, limit);
}

CUresult cuCtxSetLimit(CUlimit limit, size_t value) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (limit < 0 || limit >= CU_LIMIT_MAX)
      return CUDA_ERROR_INVALID_VALUE;
    if (limit == CU_LIMIT_MALLOC_HEAP_SIZE) { // before kernels have malloc'ed blocks still in use
      synchronizeContext(ctx);
      DeviceState &state = driver().device(ctx->device);
      std::lock_guard guard(state.lock);
      return value && value <= (uint64_t(4) << 30) && state.device.resizeHeap(value) ? CUDA_SUCCESS
                                                                                    : CUDA_ERROR_INVALID_VALUE;
    }
    if (limit == CU_LIMIT_STACK_SIZE && value > (8u << 20))
      return CUDA_ERROR_INVALID_VALUE; // a lane's LOCAL space (frame and call stack) is 16 MiB
    ctx->limits[limit] = value;
    return CUDA_SUCCESS;
  }, limit, value);
}

CUresult cuCtxGetCacheConfig(CUfunc_cache *config) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!config)
      return CUDA_ERROR_INVALID_VALUE;
    *config = CU_FUNC_CACHE_PREFER_NONE;
    return CUDA_SUCCESS;
  }, config);
}

CUresult cuCtxSetCacheConfig(CUfunc_cache config) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    return currentOrError(ctx); // OxCore's scratchpad and L1 are separate: nothing to choose
  }, config);
}

CUresult cuCtxGetStreamPriorityRange(int *least, int *greatest) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (least)
      *least = 0;
    if (greatest)
      *greatest = -5;
    return CUDA_SUCCESS;
  }, least, greatest);
}

CUresult cuCtxSetFlags(unsigned int flags) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    ctx->flags = flags;
    return CUDA_SUCCESS;
  }, flags);
}

CUresult cuCtxGetId(CUcontext ctx, unsigned long long *id) {
  return api(__func__, [&] {
    CUctx_st *c = ctx ? ctx : currentContext();
    if (!c || !live(&Driver::contexts, c))
      return CUDA_ERROR_INVALID_CONTEXT;
    if (!id)
      return CUDA_ERROR_INVALID_VALUE;
    *id = reinterpret_cast<uintptr_t>(c);
    return CUDA_SUCCESS;
  }, ctx, id);
}

// The older variants, whose names cuda.h maps to the newer ones.
#undef cuDevicePrimaryCtxRelease
CUresult cuDevicePrimaryCtxRelease(CUdevice device) { return cuDevicePrimaryCtxRelease_v2(device); }
#undef cuDevicePrimaryCtxSetFlags
CUresult cuDevicePrimaryCtxSetFlags(CUdevice device, unsigned int flags) {
  return cuDevicePrimaryCtxSetFlags_v2(device, flags);
}
#undef cuDevicePrimaryCtxReset
CUresult cuDevicePrimaryCtxReset(CUdevice device) { return cuDevicePrimaryCtxReset_v2(device); }

} // extern "C"
