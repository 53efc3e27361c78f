// Memory: device allocations (simulated global memory), host-pinned, mapped and managed memory
// (allocations whose device address is their host address, so host code and kernels share
// them), memset and memcpy in every direction, 1D/2D/3D, synchronous or on a stream, and pointer
// queries. Copies are stream operations; their simulated time follows the machine's DRAM
// bandwidth on the device side and a PCIe-class host link (kHostLinkGBs) across it.
#include "driver_shim/Profile.h"
#include "driver_shim/Shim.h"

#include <cstring>

using namespace oxptx;
using namespace oxptx::shim;

namespace {

constexpr double kHostLinkGBs = 25.0, kHostLinkLatencyNs = 2000; // PCIe 4.0 x16-class link
constexpr double kDeviceCopyLatencyNs = 1000;

runtime::Device &simDevice() { return driver().device().device; }
std::mutex &deviceLock() { return driver().device().lock; }

/// A strided region: `depth` slices of `height` rows of `width` bytes.
struct Region {
  CUdeviceptr base;
  size_t pitch, slicePitch;
  bool hostOk; // may be host memory
};

struct Shape {
  size_t width, height = 1, depth = 1;
  size_t bytes() const { return width * height * depth; }
};

uint64_t rowAddress(const Region &r, size_t y, size_t z) { return r.base + z * r.slicePitch + y * r.pitch; }

/// Whether every row of the region resolves (device lock held).
bool resolves(const Region &r, const Shape &s) {
  for (size_t z = 0; z < s.depth; ++z)
    for (size_t y = 0; y < s.height; ++y)
      if (!resolveAddress(rowAddress(r, y, z), s.width, r.hostOk))
        return false;
  return true;
}

bool isDeviceMemory(CUdeviceptr address) {
  return simDevice().hostView(address, 1) != nullptr;
}

double transferNs(size_t bytes, bool crossesHost) {
  if (crossesHost)
    return kHostLinkLatencyNs + double(bytes) / kHostLinkGBs;
  double bandwidth = driver().device().device.config().memory.dramBandwidthGBs;
  return kDeviceCopyLatencyNs + 2.0 * double(bytes) / bandwidth; // read and write
}

/// Queues (and, unless async, waits for) a copy between two regions.
CUresult copy(CUstream stream, bool perThread, bool async, Region dst, Region src, Shape shape) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  if (CUresult r = ctx->sticky)
    return r;
  if (shape.bytes() == 0)
    return CUDA_SUCCESS;
  CUstream_st *s = resolveStream(ctx, stream, perThread);
  if (!s)
    return CUDA_ERROR_INVALID_HANDLE;
  bool srcHost, dstHost;
  {
    std::lock_guard lock(deviceLock());
    if (!resolves(dst, shape) || !resolves(src, shape))
      return CUDA_ERROR_INVALID_VALUE;
    srcHost = !isDeviceMemory(src.base);
    dstHost = !isDeviceMemory(dst.base);
  }
  // Host sources are read now: the caller may reuse its buffer once an async copy is queued
  // (CUDA stages pageable memory the same way).
  std::vector<uint8_t> staged;
  if (srcHost) {
    staged.resize(shape.bytes());
    size_t at = 0;
    for (size_t z = 0; z < shape.depth; ++z)
      for (size_t y = 0; y < shape.height; ++y, at += shape.width)
        std::memcpy(staged.data() + at, reinterpret_cast<const void *>(rowAddress(src, y, z)), shape.width);
  }
  Operation op;
  op.run = [=, staged = std::move(staged)](double startNs) {
    size_t at = 0;
    for (size_t z = 0; z < shape.depth; ++z)
      for (size_t y = 0; y < shape.height; ++y, at += shape.width) {
        uint8_t *to = resolveAddress(rowAddress(dst, y, z), shape.width, dst.hostOk);
        const uint8_t *from =
            srcHost ? staged.data() + at : resolveAddress(rowAddress(src, y, z), shape.width, src.hostOk);
        if (to && from) // freed since it was queued: nothing to copy into
          std::memmove(to, from, shape.width);
      }
    double ns = transferNs(shape.bytes(), srcHost || dstHost);
    recordCopy(srcHost ? (dstHost ? "memcpy HtoH" : "memcpy HtoD") : dstHost ? "memcpy DtoH" : "memcpy DtoD",
               shape.bytes(), startNs, ns, s);
    return ns;
  };
  CompletionPtr done = submit(s, std::move(op));
  if (!async)
    done->wait();
  return ctx->sticky;
}

CUresult copy1D(CUstream stream, bool perThread, bool async, CUdeviceptr dst, bool dstHostOk, CUdeviceptr src,
                bool srcHostOk, size_t bytes) {
  return copy(stream, perThread, async, {dst, 0, 0, dstHostOk}, {src, 0, 0, srcHostOk}, {bytes});
}

/// A live CUDA array, or null.
const CUarray_st *liveArray(CUarray array) {
  std::lock_guard lock(driver().mutex);
  return live(&Driver::arrays, array) ? array : nullptr;
}

/// A CUDA_MEMCPY2D/3D side: host, device or unified pointer, or a CUDA array (its own pitches);
/// null for an array that is not live or an unknown memory type.
std::optional<Region> side(CUmemorytype type, const void *host, CUdeviceptr device, CUarray array, size_t x,
                           size_t y, size_t z, size_t pitch, size_t heightRows) {
  Region r;
  switch (type) {
  case CU_MEMORYTYPE_HOST: r = {reinterpret_cast<CUdeviceptr>(host), pitch, pitch * heightRows, true}; break;
  case CU_MEMORYTYPE_DEVICE: r = {device, pitch, pitch * heightRows, false}; break;
  case CU_MEMORYTYPE_UNIFIED: r = {device, pitch, pitch * heightRows, true}; break;
  case CU_MEMORYTYPE_ARRAY: {
    const CUarray_st *a = liveArray(array);
    if (!a)
      return std::nullopt;
    r = {a->base, a->pitch, a->slicePitch, false};
    break;
  }
  default: return std::nullopt;
  }
  r.base += z * r.slicePitch + y * r.pitch + x;
  return r;
}

CUresult copy2D(const CUDA_MEMCPY2D *p, CUstream stream, bool perThread, bool async) {
  if (!p)
    return CUDA_ERROR_INVALID_VALUE;
  auto src = side(p->srcMemoryType, p->srcHost, p->srcDevice, p->srcArray, p->srcXInBytes, p->srcY, 0,
                  p->srcPitch ? p->srcPitch : p->WidthInBytes, 0);
  auto dst = side(p->dstMemoryType, p->dstHost, p->dstDevice, p->dstArray, p->dstXInBytes, p->dstY, 0,
                  p->dstPitch ? p->dstPitch : p->WidthInBytes, 0);
  if (!src || !dst)
    return CUDA_ERROR_INVALID_VALUE;
  if (p->Height > 1 && (src->pitch < p->WidthInBytes || dst->pitch < p->WidthInBytes))
    return CUDA_ERROR_INVALID_VALUE;
  return copy(stream, perThread, async, *dst, *src, {p->WidthInBytes, p->Height, 1});
}

CUresult copy3D(const CUDA_MEMCPY3D *p, CUstream stream, bool perThread, bool async) {
  if (!p)
    return CUDA_ERROR_INVALID_VALUE;
  auto src = side(p->srcMemoryType, p->srcHost, p->srcDevice, p->srcArray, p->srcXInBytes, p->srcY, p->srcZ,
                  p->srcPitch ? p->srcPitch : p->WidthInBytes, p->srcHeight ? p->srcHeight : p->Height);
  auto dst = side(p->dstMemoryType, p->dstHost, p->dstDevice, p->dstArray, p->dstXInBytes, p->dstY, p->dstZ,
                  p->dstPitch ? p->dstPitch : p->WidthInBytes, p->dstHeight ? p->dstHeight : p->Height);
  if (!src || !dst)
    return CUDA_ERROR_INVALID_VALUE;
  return copy(stream, perThread, async, *dst, *src, {p->WidthInBytes, p->Height, p->Depth});
}

/// Copies `bytes` between a CUDA array, at a byte offset of its (unpadded) texels, and `other`.
CUresult copyWithArray(bool toArray, CUarray array, size_t offset, Region other, size_t bytes, bool async,
                       CUstream stream) {
  const CUarray_st *a = liveArray(array);
  if (!a || offset + bytes > a->bytes())
    return CUDA_ERROR_INVALID_VALUE;
  Region inArray{a->base + offset, 0, 0, false};
  return copy(stream, false, async, toArray ? inArray : other, toArray ? other : inArray, {bytes});
}

/// Queues a memset of `height` rows of `count` elements of `elementBytes` each.
CUresult memset(CUstream stream, bool perThread, bool async, CUdeviceptr dst, size_t pitch, uint32_t value,
                unsigned elementBytes, size_t count, size_t height) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  if (CUresult r = ctx->sticky)
    return r;
  CUstream_st *s = resolveStream(ctx, stream, perThread);
  if (!s)
    return CUDA_ERROR_INVALID_HANDLE;
  Region region{dst, pitch, 0, false};
  Shape shape{count * elementBytes, height, 1};
  if (dst % elementBytes)
    return CUDA_ERROR_INVALID_VALUE;
  {
    std::lock_guard lock(deviceLock());
    if (!resolves(region, shape))
      return CUDA_ERROR_INVALID_VALUE;
  }
  Operation op;
  op.run = [=](double) {
    for (size_t y = 0; y < height; ++y)
      if (uint8_t *row = resolveAddress(rowAddress(region, y, 0), shape.width, false))
        for (size_t i = 0; i < count; ++i)
          std::memcpy(row + i * elementBytes, &value, elementBytes);
    return transferNs(shape.bytes() / 2, false); // writes only
  };
  CompletionPtr done = submit(s, std::move(op));
  if (!async)
    done->wait();
  return ctx->sticky;
}

enum class Kind { Device, Pinned, Managed };

CUresult allocate(CUdeviceptr *dptr, size_t bytes, Kind kind) {
  bool shared = kind != Kind::Device;
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  if (!dptr || bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  DeviceState &state = driver().device();
  std::lock_guard lock(state.lock);
  if (!shared && state.allocatedBytes + bytes > kTotalMemory)
    return CUDA_ERROR_OUT_OF_MEMORY;
  uint64_t address = shared ? state.device.allocateShared(bytes) : state.device.allocate(bytes);
  if (!address)
    return CUDA_ERROR_OUT_OF_MEMORY;
  if (!shared)
    state.allocatedBytes += bytes;
  if (kind == Kind::Managed)
    state.managed.insert(address);
  *dptr = address;
  return CUDA_SUCCESS;
}

/// cuMemFree frees device and managed memory, cuMemFreeHost pinned host memory.
CUresult release(CUdeviceptr address, bool pinned) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  if (!address)
    return CUDA_SUCCESS;
  synchronizeContext(ctx); // cuMemFree waits for the work that may use the memory
  DeviceState &state = driver().device();
  std::lock_guard lock(state.lock);
  auto allocation = state.device.allocationOf(address);
  bool isPinned = allocation && allocation->shared && !state.managed.count(address);
  if (!allocation || allocation->base != address || isPinned != pinned)
    return CUDA_ERROR_INVALID_VALUE;
  if (!allocation->shared)
    state.allocatedBytes -= allocation->bytes;
  state.managed.erase(address);
  state.device.release(address);
  return CUDA_SUCCESS;
}

CUdeviceptr ptr(const void *p) { return reinterpret_cast<CUdeviceptr>(p); }

} // namespace

extern "C" {

CUresult cuMemAlloc(CUdeviceptr *dptr, size_t bytes) {
  return api(__func__, [&] { return allocate(dptr, bytes, Kind::Device); }, dptr, bytes);
}

CUresult cuMemAllocPitch(CUdeviceptr *dptr, size_t *pitch, size_t width, size_t height, unsigned int elementBytes) {
  return api(__func__, [&] {
    if (!pitch || (elementBytes != 4 && elementBytes != 8 && elementBytes != 16))
      return CUDA_ERROR_INVALID_VALUE;
    *pitch = (width + 511) / 512 * 512;
    return allocate(dptr, *pitch * height, Kind::Device);
  }, dptr, pitch, width, height, elementBytes);
}

CUresult cuMemFree(CUdeviceptr dptr) {
  return api(__func__, [&] { return release(dptr, false); }, dptr);
}

CUresult cuMemAllocManaged(CUdeviceptr *dptr, size_t bytes, unsigned int flags) {
  return api(__func__, [&] { return allocate(dptr, bytes, Kind::Managed); }, dptr, bytes, flags);
}

CUresult cuMemHostAlloc(void **pp, size_t bytes, unsigned int flags) {
  return api(__func__, [&] {
    CUdeviceptr p = 0;
    CUresult r = allocate(&p, bytes, Kind::Pinned);
    if (pp)
      *pp = reinterpret_cast<void *>(p);
    return r;
  }, pp, bytes, flags);
}

CUresult cuMemAllocHost(void **pp, size_t bytes) { return cuMemHostAlloc(pp, bytes, 0); }

CUresult cuMemFreeHost(void *p) {
  return api(__func__, [&] { return release(ptr(p), true); }, p);
}

CUresult cuMemHostGetDevicePointer(CUdeviceptr *dptr, void *p, unsigned int flags) {
  return api(__func__, [&] {
    if (!dptr || flags != 0)
      return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard lock(deviceLock());
    auto allocation = simDevice().allocationOf(ptr(p));
    if (!allocation || !allocation->shared)
      return CUDA_ERROR_INVALID_VALUE;
    *dptr = ptr(p); // mapped memory has one address for host and device
    return CUDA_SUCCESS;
  }, dptr, p, flags);
}

CUresult cuMemHostGetFlags(unsigned int *flags, void *p) {
  return api(__func__, [&] {
    if (!flags)
      return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard lock(deviceLock());
    auto allocation = simDevice().allocationOf(ptr(p));
    if (!allocation || !allocation->shared)
      return CUDA_ERROR_INVALID_VALUE;
    *flags = CU_MEMHOSTALLOC_DEVICEMAP | CU_MEMHOSTALLOC_PORTABLE;
    return CUDA_SUCCESS;
  }, flags, p);
}

CUresult cuMemGetInfo(size_t *free, size_t *total) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!free || !total)
      return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard lock(deviceLock());
    *total = kTotalMemory;
    *free = kTotalMemory - driver().device().allocatedBytes;
    return CUDA_SUCCESS;
  }, free, total);
}

CUresult cuMemGetAddressRange(CUdeviceptr *base, size_t *size, CUdeviceptr dptr) {
  return api(__func__, [&] {
    std::lock_guard lock(deviceLock());
    auto allocation = simDevice().allocationOf(dptr);
    if (!allocation)
      return CUDA_ERROR_NOT_FOUND;
    if (base)
      *base = allocation->base;
    if (size)
      *size = allocation->bytes;
    return CUDA_SUCCESS;
  }, base, size, dptr);
}

CUresult cuPointerGetAttribute(void *data, CUpointer_attribute attribute, CUdeviceptr p) {
  return api(__func__, [&] {
    if (!data)
      return CUDA_ERROR_INVALID_VALUE;
    std::optional<runtime::Device::Allocation> allocation;
    bool managed;
    {
      std::lock_guard lock(deviceLock());
      allocation = simDevice().allocationOf(p);
      managed = allocation && driver().device().managed.count(allocation->base);
    }
    if (!allocation)
      return CUDA_ERROR_INVALID_VALUE; // host memory oxptx does not know
    switch (attribute) {
    case CU_POINTER_ATTRIBUTE_CONTEXT:
      *static_cast<CUcontext *>(data) = driver().primaryContext(0);
      return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_MEMORY_TYPE:
      *static_cast<unsigned *>(data) = allocation->shared && !managed ? CU_MEMORYTYPE_HOST : CU_MEMORYTYPE_DEVICE;
      return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_DEVICE_POINTER: *static_cast<CUdeviceptr *>(data) = p; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_HOST_POINTER:
      if (!allocation->shared)
        return CUDA_ERROR_INVALID_VALUE;
      *static_cast<void **>(data) = reinterpret_cast<void *>(p);
      return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_IS_MANAGED: *static_cast<int *>(data) = managed; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_MAPPED: *static_cast<int *>(data) = allocation->shared; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL: *static_cast<int *>(data) = 0; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_RANGE_START_ADDR: *static_cast<CUdeviceptr *>(data) = allocation->base; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_RANGE_SIZE: *static_cast<size_t *>(data) = allocation->bytes; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_BUFFER_ID: *static_cast<unsigned long long *>(data) = allocation->base; return CUDA_SUCCESS;
    case CU_POINTER_ATTRIBUTE_SYNC_MEMOPS: *static_cast<int *>(data) = 1; return CUDA_SUCCESS;
    default: return CUDA_ERROR_INVALID_VALUE;
    }
  }, data, attribute, p);
}

CUresult cuPointerGetAttributes(unsigned int count, CUpointer_attribute *attributes, void **data, CUdeviceptr p) {
  return api(__func__, [&] {
    if (!attributes || !data)
      return CUDA_ERROR_INVALID_VALUE;
    for (unsigned i = 0; i < count; ++i) {
      if (!data[i])
        continue;
      CUresult r = cuPointerGetAttribute(data[i], attributes[i], p);
      if (r != CUDA_SUCCESS) { // unknown pointers read as unregistered host memory, as CUDA's do
        if (attributes[i] == CU_POINTER_ATTRIBUTE_MEMORY_TYPE || attributes[i] == CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL)
          *static_cast<int *>(data[i]) = attributes[i] == CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL ? -2 : 0;
        else if (attributes[i] == CU_POINTER_ATTRIBUTE_CONTEXT || attributes[i] == CU_POINTER_ATTRIBUTE_DEVICE_POINTER ||
                 attributes[i] == CU_POINTER_ATTRIBUTE_HOST_POINTER)
          *static_cast<void **>(data[i]) = nullptr;
        else
          *static_cast<int *>(data[i]) = 0;
      }
    }
    return CUDA_SUCCESS;
  }, count, attributes, data, p);
}

// --- copies: legacy default stream (plain names) and per-thread default stream (_ptds/_ptsz).
#define OX_COPY_1D(NAME, SIG_DST, SIG_SRC, DST, DST_HOST, SRC, SRC_HOST, ASYNC, PER_THREAD, STREAM_PARAM, STREAM) \
  CUresult NAME(SIG_DST, SIG_SRC, size_t bytes STREAM_PARAM) {                                                \
    return api(__func__, [&] { return copy1D(STREAM, PER_THREAD, ASYNC, DST, DST_HOST, SRC, SRC_HOST, bytes); }, \
               dst, src, bytes);                                                                              \
  }
#define OX_COMMA ,
#define OX_COPY_VARIANTS(BASE, SYNC_PT, ASYNC_NAME, ASYNC_PT, SIG_DST, SIG_SRC, DST, DST_HOST, SRC, SRC_HOST)         \
  OX_COPY_1D(BASE, SIG_DST, SIG_SRC, DST, DST_HOST, SRC, SRC_HOST, false, false, , nullptr)                          \
  OX_COPY_1D(SYNC_PT, SIG_DST, SIG_SRC, DST, DST_HOST, SRC, SRC_HOST, false, true, , nullptr)                        \
  OX_COPY_1D(ASYNC_NAME, SIG_DST, SIG_SRC, DST, DST_HOST, SRC, SRC_HOST, true, false, OX_COMMA CUstream stream, stream) \
  OX_COPY_1D(ASYNC_PT, SIG_DST, SIG_SRC, DST, DST_HOST, SRC, SRC_HOST, true, true, OX_COMMA CUstream stream, stream)

OX_COPY_VARIANTS(cuMemcpyHtoD_v2, cuMemcpyHtoD_v2_ptds, cuMemcpyHtoDAsync_v2, cuMemcpyHtoDAsync_v2_ptsz,
                 CUdeviceptr dst, const void *src, dst, false, ptr(src), true)
OX_COPY_VARIANTS(cuMemcpyDtoH_v2, cuMemcpyDtoH_v2_ptds, cuMemcpyDtoHAsync_v2, cuMemcpyDtoHAsync_v2_ptsz,
                 void *dst, CUdeviceptr src, ptr(dst), true, src, false)
OX_COPY_VARIANTS(cuMemcpyDtoD_v2, cuMemcpyDtoD_v2_ptds, cuMemcpyDtoDAsync_v2, cuMemcpyDtoDAsync_v2_ptsz,
                 CUdeviceptr dst, CUdeviceptr src, dst, false, src, false)
OX_COPY_VARIANTS(cuMemcpy, cuMemcpy_ptds, cuMemcpyAsync, cuMemcpyAsync_ptsz, CUdeviceptr dst, CUdeviceptr src,
                 dst, true, src, true)

// --- copies to and from CUDA arrays by byte offset
#define OX_COPY_ARRAY(NAME, SIGNATURE, TO_ARRAY, ARRAY, OTHER, ASYNC, STREAM, ...)                              \
  CUresult NAME SIGNATURE {                                                                                     \
    return api(__func__, [&] { return copyWithArray(TO_ARRAY, ARRAY, offset, OTHER, bytes, ASYNC, STREAM); },   \
               __VA_ARGS__);                                                                                    \
  }
OX_COPY_ARRAY(cuMemcpyHtoA_v2, (CUarray dst, size_t offset, const void *src, size_t bytes), true, dst,
              (Region{ptr(src), 0, 0, true}), false, nullptr, dst, offset, src, bytes)
OX_COPY_ARRAY(cuMemcpyHtoAAsync_v2, (CUarray dst, size_t offset, const void *src, size_t bytes, CUstream stream),
              true, dst, (Region{ptr(src), 0, 0, true}), true, stream, dst, offset, src, bytes, stream)
OX_COPY_ARRAY(cuMemcpyAtoH_v2, (void *dst, CUarray src, size_t offset, size_t bytes), false, src,
              (Region{ptr(dst), 0, 0, true}), false, nullptr, dst, src, offset, bytes)
OX_COPY_ARRAY(cuMemcpyAtoHAsync_v2, (void *dst, CUarray src, size_t offset, size_t bytes, CUstream stream), false,
              src, (Region{ptr(dst), 0, 0, true}), true, stream, dst, src, offset, bytes, stream)
OX_COPY_ARRAY(cuMemcpyDtoA_v2, (CUarray dst, size_t offset, CUdeviceptr src, size_t bytes), true, dst,
              (Region{src, 0, 0, false}), false, nullptr, dst, offset, src, bytes)
OX_COPY_ARRAY(cuMemcpyAtoD_v2, (CUdeviceptr dst, CUarray src, size_t offset, size_t bytes), false, src,
              (Region{dst, 0, 0, false}), false, nullptr, dst, src, offset, bytes)

#define OX_COPY_ND(NAME, KIND, PARAMS, ASYNC, PER_THREAD, STREAM_PARAM, STREAM)                                 \
  CUresult NAME(const PARAMS *p STREAM_PARAM) {                                                               \
    return api(__func__, [&] { return KIND(p, STREAM, PER_THREAD, ASYNC); }, p);                               \
  }
OX_COPY_ND(cuMemcpy2D_v2, copy2D, CUDA_MEMCPY2D, false, false, , nullptr)
OX_COPY_ND(cuMemcpy2D_v2_ptds, copy2D, CUDA_MEMCPY2D, false, true, , nullptr)
OX_COPY_ND(cuMemcpy2DUnaligned_v2, copy2D, CUDA_MEMCPY2D, false, false, , nullptr)
OX_COPY_ND(cuMemcpy2DUnaligned_v2_ptds, copy2D, CUDA_MEMCPY2D, false, true, , nullptr)
OX_COPY_ND(cuMemcpy2DAsync_v2, copy2D, CUDA_MEMCPY2D, true, false, OX_COMMA CUstream stream, stream)
OX_COPY_ND(cuMemcpy2DAsync_v2_ptsz, copy2D, CUDA_MEMCPY2D, true, true, OX_COMMA CUstream stream, stream)
OX_COPY_ND(cuMemcpy3D_v2, copy3D, CUDA_MEMCPY3D, false, false, , nullptr)
OX_COPY_ND(cuMemcpy3D_v2_ptds, copy3D, CUDA_MEMCPY3D, false, true, , nullptr)
OX_COPY_ND(cuMemcpy3DAsync_v2, copy3D, CUDA_MEMCPY3D, true, false, OX_COMMA CUstream stream, stream)
OX_COPY_ND(cuMemcpy3DAsync_v2_ptsz, copy3D, CUDA_MEMCPY3D, true, true, OX_COMMA CUstream stream, stream)

// --- memsets
#define OX_MEMSET(NAME, T, BYTES, ASYNC, PER_THREAD, STREAM_PARAM, STREAM)                                     \
  CUresult NAME(CUdeviceptr dst, T value, size_t count STREAM_PARAM) {                                        \
    return api(__func__, [&] { return memset(STREAM, PER_THREAD, ASYNC, dst, 0, value, BYTES, count, 1); },  \
               dst, value, count);                                                                            \
  }
#define OX_MEMSET2D(NAME, T, BYTES, ASYNC, PER_THREAD, STREAM_PARAM, STREAM)                                   \
  CUresult NAME(CUdeviceptr dst, size_t pitch, T value, size_t width, size_t height STREAM_PARAM) {           \
    return api(__func__, [&] { return memset(STREAM, PER_THREAD, ASYNC, dst, pitch, value, BYTES, width, height); }, \
               dst, pitch, value, width, height);                                                             \
  }
#define OX_MEMSET_VARIANTS(SUFFIX, T, BYTES)                                                                   \
  OX_MEMSET(cuMemsetD##SUFFIX##_v2, T, BYTES, false, false, , nullptr)                                        \
  OX_MEMSET(cuMemsetD##SUFFIX##_v2_ptds, T, BYTES, false, true, , nullptr)                                    \
  OX_MEMSET(cuMemsetD##SUFFIX##Async, T, BYTES, true, false, OX_COMMA CUstream stream, stream)                \
  OX_MEMSET(cuMemsetD##SUFFIX##Async_ptsz, T, BYTES, true, true, OX_COMMA CUstream stream, stream)            \
  OX_MEMSET2D(cuMemsetD2D##SUFFIX##_v2, T, BYTES, false, false, , nullptr)                                    \
  OX_MEMSET2D(cuMemsetD2D##SUFFIX##_v2_ptds, T, BYTES, false, true, , nullptr)                                \
  OX_MEMSET2D(cuMemsetD2D##SUFFIX##Async, T, BYTES, true, false, OX_COMMA CUstream stream, stream)            \
  OX_MEMSET2D(cuMemsetD2D##SUFFIX##Async_ptsz, T, BYTES, true, true, OX_COMMA CUstream stream, stream)
OX_MEMSET_VARIANTS(8, unsigned char, 1)
OX_MEMSET_VARIANTS(16, unsigned short, 2)
OX_MEMSET_VARIANTS(32, unsigned int, 4)

// --- registered host memory: the caller's pages become device memory at the same address.
CUresult cuMemHostRegister(void *p, size_t bytes, unsigned int flags) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!p || !bytes)
      return CUDA_ERROR_INVALID_VALUE;
    std::lock_guard lock(deviceLock());
    return simDevice().registerHost(static_cast<uint8_t *>(p), bytes) ? CUDA_SUCCESS
                                                                       : CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED;
  }, p, bytes, flags);
}

CUresult cuMemHostUnregister(void *p) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    synchronizeContext(ctx);
    std::lock_guard lock(deviceLock());
    auto allocation = simDevice().allocationOf(ptr(p));
    if (!allocation || allocation->base != ptr(p) || !allocation->shared || driver().device().managed.count(ptr(p)))
      return CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED;
    simDevice().release(ptr(p));
    return CUDA_SUCCESS;
  }, p);
}

// --- stream-ordered allocation: allocated at once, freed when the stream reaches the free.
namespace {

CUresult freeAsync(CUdeviceptr dptr, CUstream stream, bool perThread) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  CUstream_st *s = resolveStream(ctx, stream, perThread);
  if (!s)
    return CUDA_ERROR_INVALID_HANDLE;
  {
    std::lock_guard lock(deviceLock());
    auto allocation = simDevice().allocationOf(dptr);
    if (!allocation || allocation->base != dptr || allocation->shared)
      return CUDA_ERROR_INVALID_VALUE;
  }
  Operation op;
  op.run = [dptr](double) {
    DeviceState &state = driver().device();
    if (auto allocation = state.device.allocationOf(dptr)) {
      state.allocatedBytes -= allocation->bytes;
      state.device.release(dptr);
    }
    return 0.0;
  };
  submit(s, std::move(op));
  return CUDA_SUCCESS;
}

/// Prefetches and advice have nothing to move: managed memory is one mapping for both sides.
CUresult managedHint(CUdeviceptr dptr, size_t bytes) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  std::lock_guard lock(deviceLock());
  auto allocation = simDevice().allocationOf(dptr);
  return allocation && dptr - allocation->base + bytes <= allocation->bytes ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE;
}

} // namespace

CUresult cuMemAllocAsync(CUdeviceptr *dptr, size_t bytes, CUstream stream) {
  return api(__func__, [&] { return allocate(dptr, bytes, Kind::Device); }, dptr, bytes, stream);
}
CUresult cuMemAllocAsync_ptsz(CUdeviceptr *dptr, size_t bytes, CUstream stream) {
  return api(__func__, [&] { return allocate(dptr, bytes, Kind::Device); }, dptr, bytes, stream);
}
CUresult cuMemFreeAsync(CUdeviceptr dptr, CUstream stream) {
  return api(__func__, [&] { return freeAsync(dptr, stream, false); }, dptr, stream);
}
CUresult cuMemFreeAsync_ptsz(CUdeviceptr dptr, CUstream stream) {
  return api(__func__, [&] { return freeAsync(dptr, stream, true); }, dptr, stream);
}

CUresult cuMemPrefetchAsync(CUdeviceptr dptr, size_t bytes, CUmemLocation, unsigned int, CUstream) {
  return api(__func__, [&] { return managedHint(dptr, bytes); }, dptr, bytes);
}
CUresult cuMemPrefetchAsync_v2_ptsz(CUdeviceptr dptr, size_t bytes, CUmemLocation, unsigned int, CUstream) {
  return api(__func__, [&] { return managedHint(dptr, bytes); }, dptr, bytes);
}
CUresult cuMemAdvise(CUdeviceptr dptr, size_t bytes, CUmem_advise advice, CUmemLocation) {
  return api(__func__, [&] { return managedHint(dptr, bytes); }, dptr, bytes, advice);
}

// The older variants, whose names cuda.h maps to the newer ones.
#undef cuMemPrefetchAsync
CUresult cuMemPrefetchAsync(CUdeviceptr dptr, size_t bytes, CUdevice, CUstream) {
  return api(__func__, [&] { return managedHint(dptr, bytes); }, dptr, bytes);
}
CUresult cuMemPrefetchAsync_ptsz(CUdeviceptr dptr, size_t bytes, CUdevice, CUstream) {
  return api(__func__, [&] { return managedHint(dptr, bytes); }, dptr, bytes);
}
#undef cuMemAdvise
CUresult cuMemAdvise(CUdeviceptr dptr, size_t bytes, CUmem_advise advice, CUdevice) {
  return api(__func__, [&] { return managedHint(dptr, bytes); }, dptr, bytes, advice);
}

} // extern "C"
