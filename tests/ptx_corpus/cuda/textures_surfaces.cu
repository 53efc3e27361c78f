// Texture and surface objects: tex1Dfetch, tex1D, tex2D, tex3D, tex2DLayered, surf2Dread/Write, surf1D.
__global__ void tex1d_fetch(cudaTextureObject_t tex, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = tex1Dfetch<float>(tex, i) + (float)tex1Dfetch<int>(tex, n - 1 - i);
}

__global__ void tex1d_float_coord(cudaTextureObject_t tex, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = tex1D<float>(tex, (i + 0.5f) / n);
}

__global__ void tex2d_sample(cudaTextureObject_t tex, float4 *out, int w, int h) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < w && y < h) {
        float u = (x + 0.5f) / w, v = (y + 0.5f) / h;
        float4 c = tex2D<float4>(tex, u, v);
        float4 l = tex2DLod<float4>(tex, u, v, 1.0f);
        out[y * w + x] = make_float4(c.x + l.x, c.y + l.y, c.z, c.w);
    }
}

__global__ void tex2d_gather_grad(cudaTextureObject_t tex, float4 *out, int w) {
    int x = threadIdx.x;
    float u = (x + 0.5f) / w;
    float4 g = tex2Dgather<float4>(tex, u, 0.5f, 0);
    float4 d = tex2DGrad<float4>(tex, u, 0.5f, make_float2(0.01f, 0.0f), make_float2(0.0f, 0.01f));
    out[x] = make_float4(g.x + d.x, g.y + d.y, g.z + d.z, g.w + d.w);
}

__global__ void tex3d_and_layered(cudaTextureObject_t t3, cudaTextureObject_t tl, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float f = (i + 0.5f) / n;
        out[i] = tex3D<float>(t3, f, 0.5f, 1.0f - f) + tex2DLayered<float>(tl, f, f, i & 3) +
                 tex1DLayered<float>(tl, f, 1);
    }
}

__global__ void tex_cubemap(cudaTextureObject_t tc, float *out) {
    int i = threadIdx.x;
    out[i] = texCubemap<float>(tc, 1.0f, (i - 16) / 16.0f, 0.25f);
}

__global__ void surf2d_copy_invert(cudaSurfaceObject_t src, cudaSurfaceObject_t dst, int w, int h) {
    int x = blockIdx.x * blockDim.x + threadIdx.x;
    int y = blockIdx.y * blockDim.y + threadIdx.y;
    if (x < w && y < h) {
        uchar4 p = surf2Dread<uchar4>(src, x * sizeof(uchar4), y);
        p = make_uchar4(255 - p.x, 255 - p.y, 255 - p.z, p.w);
        surf2Dwrite(p, dst, x * sizeof(uchar4), y);
    }
}

__global__ void surf1d_and_clamp(cudaSurfaceObject_t s, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = surf1Dread<float>(s, i * 4, cudaBoundaryModeClamp);
    surf1Dwrite(v * 2.0f, s, i * 4, cudaBoundaryModeZero);
    if (i < n) surf2Dwrite(i, s, i * 4, 0, cudaBoundaryModeTrap);
}

__global__ void surf3d_write(cudaSurfaceObject_t s, int d) {
    int x = threadIdx.x, y = threadIdx.y;
    for (int z = 0; z < d; ++z) surf3Dwrite(make_float2(x, y + z), s, x * sizeof(float2), y, z);
}

__global__ void tex_query_asm(cudaTextureObject_t tex, int *out) {
    int w, h;
    asm("txq.width.b32 %0, [%1];" : "=r"(w) : "l"(tex));
    asm("txq.height.b32 %0, [%1];" : "=r"(h) : "l"(tex));
    out[0] = w;
    out[1] = h;
}
