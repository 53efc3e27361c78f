// CUDA arrays and texture and surface objects (docs/textures.md). An array is device memory
// with its shape and format; a texture or surface object is a descriptor the runtime writes
// into device memory (backend/TextureDescriptor.h), and its handle is that address: the code
// the backend generates for tex/suld/sust reads the descriptor and samples the texels itself.
#include "driver_shim/Shim.h"

#include "backend/TextureDescriptor.h"

#include <optional>

using namespace oxptx;
using namespace oxptx::shim;
using backend::AddressMode;
using backend::ChannelKind;
using backend::FilterMode;
using backend::TextureDescriptor;

size_t CUarray_st::bytes() const {
  return slicePitch * std::max<size_t>(descriptor.Depth, 1);
}

namespace {

struct ChannelFormat {
  ChannelKind kind;
  uint8_t bytes;
};

/// The channel formats CUDA arrays and linear textures can have here (not the block-compressed
/// and packed video formats).
std::optional<ChannelFormat> channelFormat(CUarray_format format) {
  switch (format) {
  case CU_AD_FORMAT_UNSIGNED_INT8: return ChannelFormat{ChannelKind::Unsigned, 1};
  case CU_AD_FORMAT_UNSIGNED_INT16: return ChannelFormat{ChannelKind::Unsigned, 2};
  case CU_AD_FORMAT_UNSIGNED_INT32: return ChannelFormat{ChannelKind::Unsigned, 4};
  case CU_AD_FORMAT_SIGNED_INT8: return ChannelFormat{ChannelKind::Signed, 1};
  case CU_AD_FORMAT_SIGNED_INT16: return ChannelFormat{ChannelKind::Signed, 2};
  case CU_AD_FORMAT_SIGNED_INT32: return ChannelFormat{ChannelKind::Signed, 4};
  case CU_AD_FORMAT_HALF: return ChannelFormat{ChannelKind::Float, 2};
  case CU_AD_FORMAT_FLOAT: return ChannelFormat{ChannelKind::Float, 4};
  default: return std::nullopt;
  }
}

CUresult createArray(CUarray *out, const CUDA_ARRAY3D_DESCRIPTOR &d) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  if (!out)
    return CUDA_ERROR_INVALID_VALUE;
  // a cubemap: six square faces (per layer), stored as slices
  if ((d.Flags & CUDA_ARRAY3D_CUBEMAP) && (d.Width != d.Height || !d.Depth || d.Depth % 6 ||
                                           (d.Depth != 6 && !(d.Flags & CUDA_ARRAY3D_LAYERED))))
    return CUDA_ERROR_INVALID_VALUE;
  auto format = channelFormat(d.Format);
  if (!format || (d.NumChannels != 1 && d.NumChannels != 2 && d.NumChannels != 4) || d.Width == 0 ||
      (d.Depth && !d.Height && !(d.Flags & CUDA_ARRAY3D_LAYERED)))
    return CUDA_ERROR_INVALID_VALUE;
  auto array = std::make_unique<CUarray_st>();
  array->descriptor = d;
  array->pitch = d.Width * d.NumChannels * format->bytes;
  array->slicePitch = array->pitch * std::max<size_t>(d.Height, 1);
  DeviceState &state = driver().device();
  {
    std::lock_guard lock(state.lock);
    array->base = state.device.allocate(array->bytes());
    if (!array->base)
      return CUDA_ERROR_OUT_OF_MEMORY;
    state.allocatedBytes += array->bytes();
  }
  std::lock_guard lock(driver().mutex);
  driver().arrays.insert(array.get());
  *out = array.release();
  return CUDA_SUCCESS;
}

/// The descriptor of a resource's texels (shape, format, address); an error for what is not
/// offered (mipmapped arrays, unknown formats) or not live.
CUresult describeResource(const CUDA_RESOURCE_DESC &r, TextureDescriptor &d) {
  auto set = [&](CUdeviceptr base, CUarray_format f, unsigned channels, size_t w, size_t h, size_t depth,
                 size_t pitch) {
    auto format = channelFormat(f);
    if (!format || (channels != 1 && channels != 2 && channels != 4) || !w || w > UINT32_MAX || h > UINT32_MAX ||
        depth > UINT32_MAX)
      return CUDA_ERROR_INVALID_VALUE;
    d.base = base;
    d.kind = format->kind;
    d.channelBytes = format->bytes;
    d.channels = uint8_t(channels);
    d.width = uint32_t(w);
    d.height = uint32_t(std::max<size_t>(h, 1));
    d.depth = uint32_t(std::max<size_t>(depth, 1));
    d.pitch = pitch;
    d.slicePitch = pitch * d.height;
    return CUDA_SUCCESS;
  };
  switch (r.resType) {
  case CU_RESOURCE_TYPE_ARRAY: {
    std::lock_guard lock(driver().mutex);
    const CUarray_st *a = r.res.array.hArray;
    if (!live(&Driver::arrays, a))
      return CUDA_ERROR_INVALID_HANDLE;
    const CUDA_ARRAY3D_DESCRIPTOR &ad = a->descriptor;
    return set(a->base, ad.Format, ad.NumChannels, ad.Width, ad.Height, ad.Depth, a->pitch);
  }
  case CU_RESOURCE_TYPE_LINEAR: {
    auto format = channelFormat(r.res.linear.format);
    if (!format || !r.res.linear.numChannels)
      return CUDA_ERROR_INVALID_VALUE;
    size_t texelBytes = format->bytes * r.res.linear.numChannels;
    return set(r.res.linear.devPtr, r.res.linear.format, r.res.linear.numChannels,
               r.res.linear.sizeInBytes / texelBytes, 1, 1, r.res.linear.sizeInBytes);
  }
  case CU_RESOURCE_TYPE_PITCH2D:
    if (r.res.pitch2D.pitchInBytes <
        r.res.pitch2D.width * r.res.pitch2D.numChannels * channelFormat(r.res.pitch2D.format).value_or(ChannelFormat{}).bytes)
      return CUDA_ERROR_INVALID_VALUE;
    return set(r.res.pitch2D.devPtr, r.res.pitch2D.format, r.res.pitch2D.numChannels, r.res.pitch2D.width,
               r.res.pitch2D.height, 1, r.res.pitch2D.pitchInBytes);
  default: return CUDA_ERROR_NOT_SUPPORTED; // mipmapped arrays
  }
}

/// Writes the descriptor into device memory and registers the object under its address.
CUresult createObject(unsigned long long *out, const TextureDescriptor &d, const Driver::TextureObject &object) {
  uint64_t handle;
  {
    std::lock_guard lock(driver().device().lock);
    handle = driver().device().device.createTextureObject(d);
  }
  if (!handle)
    return CUDA_ERROR_OUT_OF_MEMORY;
  std::lock_guard lock(driver().mutex);
  driver().textureObjects[handle] = object;
  *out = handle;
  return CUDA_SUCCESS;
}

CUresult destroyObject(unsigned long long handle, bool surface) {
  {
    std::lock_guard lock(driver().mutex);
    auto it = driver().textureObjects.find(handle);
    if (it == driver().textureObjects.end() || it->second.surface != surface)
      return CUDA_ERROR_INVALID_VALUE;
    driver().textureObjects.erase(it);
  }
  std::lock_guard lock(driver().device().lock);
  driver().device().device.release(handle);
  return CUDA_SUCCESS;
}

/// Copies one descriptor an object was created from (`field`) to `out`.
template <typename T>
CUresult describeObject(T *out, unsigned long long handle, bool surface, T Driver::TextureObject::*field) {
  std::lock_guard lock(driver().mutex);
  auto it = driver().textureObjects.find(handle);
  if (!out || it == driver().textureObjects.end() || it->second.surface != surface)
    return CUDA_ERROR_INVALID_VALUE;
  *out = it->second.*field;
  return CUDA_SUCCESS;
}

} // namespace

extern "C" {

CUresult cuArray3DCreate_v2(CUarray *out, const CUDA_ARRAY3D_DESCRIPTOR *d) {
  return api(__func__, [&] { return d ? createArray(out, *d) : CUDA_ERROR_INVALID_VALUE; }, out, d);
}

CUresult cuArrayCreate_v2(CUarray *out, const CUDA_ARRAY_DESCRIPTOR *d) {
  return api(__func__, [&] {
    if (!d)
      return CUDA_ERROR_INVALID_VALUE;
    CUDA_ARRAY3D_DESCRIPTOR d3{d->Width, d->Height, 0, d->Format, d->NumChannels, 0};
    return createArray(out, d3);
  }, out, d);
}

CUresult cuArrayDestroy(CUarray array) {
  return api(__func__, [&] {
    {
      std::lock_guard lock(driver().mutex);
      if (!live(&Driver::arrays, array))
        return CUDA_ERROR_INVALID_HANDLE;
      driver().arrays.erase(array);
    }
    std::unique_ptr<CUarray_st> owned(array);
    if (CUctx_st *ctx = currentContext())
      synchronizeContext(ctx); // like cuMemFree: work that may use it finishes first
    DeviceState &state = driver().device();
    std::lock_guard lock(state.lock);
    state.allocatedBytes -= owned->bytes();
    state.device.release(owned->base);
    return CUDA_SUCCESS;
  }, array);
}

CUresult cuArray3DGetDescriptor_v2(CUDA_ARRAY3D_DESCRIPTOR *d, CUarray array) {
  return api(__func__, [&] {
    std::lock_guard lock(driver().mutex);
    if (!d || !live(&Driver::arrays, array))
      return d ? CUDA_ERROR_INVALID_HANDLE : CUDA_ERROR_INVALID_VALUE;
    *d = array->descriptor;
    return CUDA_SUCCESS;
  }, d, array);
}

CUresult cuArrayGetDescriptor_v2(CUDA_ARRAY_DESCRIPTOR *d, CUarray array) {
  return api(__func__, [&] {
    std::lock_guard lock(driver().mutex);
    if (!d || !live(&Driver::arrays, array))
      return d ? CUDA_ERROR_INVALID_HANDLE : CUDA_ERROR_INVALID_VALUE;
    if (array->descriptor.Depth)
      return CUDA_ERROR_INVALID_VALUE; // a 3-D or layered array
    const CUDA_ARRAY3D_DESCRIPTOR &a = array->descriptor;
    *d = {a.Width, a.Height, a.Format, a.NumChannels};
    return CUDA_SUCCESS;
  }, d, array);
}

CUresult cuTexObjectCreate(CUtexObject *out, const CUDA_RESOURCE_DESC *resource, const CUDA_TEXTURE_DESC *texture,
                           const CUDA_RESOURCE_VIEW_DESC *view) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!out || !resource || !texture)
      return CUDA_ERROR_INVALID_VALUE;
    if (view)
      return CUDA_ERROR_NOT_SUPPORTED; // resource views (reinterpreted formats)
    TextureDescriptor d;
    if (CUresult r = describeResource(*resource, d))
      return r;
    for (unsigned k = 0; k < 3; ++k) {
      if (texture->addressMode[k] > CU_TR_ADDRESS_MODE_BORDER)
        return CUDA_ERROR_INVALID_VALUE;
      d.address[k] = AddressMode(texture->addressMode[k]);
    }
    d.filter = texture->filterMode == CU_TR_FILTER_MODE_LINEAR ? FilterMode::Linear : FilterMode::Point;
    d.normalizedCoordinates = (texture->flags & CU_TRSF_NORMALIZED_COORDINATES) != 0;
    // 8- and 16-bit integers read as normalized floats unless read as integers
    d.readNormalizedFloat = !(texture->flags & CU_TRSF_READ_AS_INTEGER) && d.kind != ChannelKind::Float &&
                            d.channelBytes < 4;
    std::copy(std::begin(texture->borderColor), std::end(texture->borderColor), d.border);
    if (resource->resType == CU_RESOURCE_TYPE_LINEAR) { // tex1Dfetch: texel indices, zero outside
      d.filter = FilterMode::Point;
      std::fill(std::begin(d.address), std::end(d.address), AddressMode::Border);
      d.normalizedCoordinates = 0;
      std::fill(std::begin(d.border), std::end(d.border), 0.0f);
    }
    return createObject(out, d, {*resource, *texture, false});
  }, out, resource, texture, view);
}

CUresult cuTexObjectDestroy(CUtexObject handle) {
  return api(__func__, [&] { return destroyObject(handle, false); }, handle);
}

CUresult cuTexObjectGetResourceDesc(CUDA_RESOURCE_DESC *out, CUtexObject handle) {
  return api(__func__, [&] { return describeObject(out, handle, false, &Driver::TextureObject::resource); }, out,
             handle);
}

CUresult cuTexObjectGetTextureDesc(CUDA_TEXTURE_DESC *out, CUtexObject handle) {
  return api(__func__, [&] { return describeObject(out, handle, false, &Driver::TextureObject::texture); }, out,
             handle);
}

CUresult cuSurfObjectCreate(CUsurfObject *out, const CUDA_RESOURCE_DESC *resource) {
  return api(__func__, [&] {
    CUctx_st *ctx;
    if (CUresult r = currentOrError(ctx))
      return r;
    if (!out || !resource || resource->resType != CU_RESOURCE_TYPE_ARRAY)
      return CUDA_ERROR_INVALID_VALUE;
    {
      std::lock_guard lock(driver().mutex);
      const CUarray_st *a = resource->res.array.hArray;
      if (!live(&Driver::arrays, a))
        return CUDA_ERROR_INVALID_HANDLE;
      if (!(a->descriptor.Flags & CUDA_ARRAY3D_SURFACE_LDST))
        return CUDA_ERROR_INVALID_VALUE; // CUDA requires arrays made for surface load/store
    }
    TextureDescriptor d;
    if (CUresult r = describeResource(*resource, d))
      return r;
    return createObject(out, d, {*resource, {}, true});
  }, out, resource);
}

CUresult cuSurfObjectDestroy(CUsurfObject handle) {
  return api(__func__, [&] { return destroyObject(handle, true); }, handle);
}

CUresult cuSurfObjectGetResourceDesc(CUDA_RESOURCE_DESC *out, CUsurfObject handle) {
  return api(__func__, [&] { return describeObject(out, handle, true, &Driver::TextureObject::resource); }, out,
             handle);
}

} // extern "C"
