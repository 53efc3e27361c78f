// Texture and surface objects: each thread samples or accesses at coordinates the test gives,
// so one kernel covers every filter, address mode, coordinate mode and format (the test builds
// the descriptors; tests/exec/TextureTest.cpp holds the CPU reference of CUDA's rules).

extern "C" __global__ void tex1d_float4(cudaTextureObject_t t, const float *x, float4 *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex1D<float4>(t, x[i]);
}

extern "C" __global__ void tex2d_float4(cudaTextureObject_t t, const float2 *xy, float4 *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex2D<float4>(t, xy[i].x, xy[i].y);
}

extern "C" __global__ void tex3d_float(cudaTextureObject_t t, const float4 *xyz, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex3D<float>(t, xyz[i].x, xyz[i].y, xyz[i].z);
}

extern "C" __global__ void tex2d_layered(cudaTextureObject_t t, const float2 *xy, const int *layer, float *out,
                                         int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex2DLayered<float>(t, xy[i].x, xy[i].y, layer[i]);
}

// integer results: element reads of integer formats
extern "C" __global__ void tex2d_int4(cudaTextureObject_t t, const float2 *xy, int4 *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex2D<int4>(t, xy[i].x, xy[i].y);
}

// linear memory by texel index (out of range: zero)
extern "C" __global__ void tex1d_fetch(cudaTextureObject_t t, const int *index, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex1Dfetch<int>(t, index[i]);
}

// a uniform sample point, a divergent branch around the fetch
extern "C" __global__ void tex2d_divergent(cudaTextureObject_t t, float *out, int w) {
  int x = threadIdx.x, y = blockIdx.x;
  float v = -1.0f;
  if ((x + y) % 3 != 0)
    v = tex2D<float>(t, x + 0.5f, y + 0.5f) + tex2D<float>(t, 0.25f, 0.75f);
  out[y * w + x] = v;
}

// surfaces: byte x coordinates; reads with zero/clamp boundaries, writes that trap outside
extern "C" __global__ void surf2d_copy(cudaSurfaceObject_t in, cudaSurfaceObject_t out, int w, int h, int shift) {
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y;
  if (x >= w || y >= h)
    return;
  float zero = surf2Dread<float>(in, (x + shift) * 4, y, cudaBoundaryModeZero);
  float clamp = surf2Dread<float>(in, (x + shift) * 4, y - shift, cudaBoundaryModeClamp);
  surf2Dwrite(zero + 1000.0f * clamp, out, x * 4, y);
}

extern "C" __global__ void surf1d_uchar4(cudaSurfaceObject_t s, int n) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  if (x < n) {
    uchar4 v = surf1Dread<uchar4>(s, x * 4);
    surf1Dwrite(make_uchar4(v.w, v.z, v.y, v.x + 1), s, x * 4);
  }
}

extern "C" __global__ void surf2d_write_outside(cudaSurfaceObject_t s, int x, int y) {
  surf2Dwrite(1.0f, s, x * 4, y); // the default boundary mode traps
}

// tld4: the bilinear footprint's texels, one channel
extern "C" __global__ void tex2d_gather(cudaTextureObject_t t, const float2 *xy, float4 *out, int n, int comp) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = comp == 0 ? tex2Dgather<float4>(t, xy[i].x, xy[i].y, 0) : tex2Dgather<float4>(t, xy[i].x, xy[i].y, 2);
}

// txq: the object's attributes
extern "C" __global__ void tex_query(cudaTextureObject_t t, int *out) {
  int w, h, d, normalized, filter, mode;
  asm("txq.width.b32 %0, [%1];" : "=r"(w) : "l"(t));
  asm("txq.height.b32 %0, [%1];" : "=r"(h) : "l"(t));
  asm("txq.depth.b32 %0, [%1];" : "=r"(d) : "l"(t));
  asm("txq.normalized_coords.b32 %0, [%1];" : "=r"(normalized) : "l"(t));
  asm("txq.filter_mode.b32 %0, [%1];" : "=r"(filter) : "l"(t));
  asm("txq.addr_mode_1.b32 %0, [%1];" : "=r"(mode) : "l"(t));
  if (threadIdx.x == 0) {
    out[0] = w, out[1] = h, out[2] = d, out[3] = normalized, out[4] = filter, out[5] = mode;
  }
}

// cubemaps: the direction picks a face, then a 2-D sample on it
extern "C" __global__ void tex_cubemap(cudaTextureObject_t t, const float4 *dir, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = texCubemap<float>(t, dir[i].x, dir[i].y, dir[i].z);
}
