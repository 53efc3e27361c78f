// Cache-hint loads/stores (__ldg, __ldcs, __ldcg, __ldca, __ldlu, __ldcv, __stcs, __stcg, __stwb, __stwt),
// vector loads/stores (float2/float4/int4/double2/longlong2), restrict/const, misaligned byte access.
__global__ void ldg_readonly(const float *__restrict__ in, float *__restrict__ out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = __ldg(&in[i]) + __ldg(&in[(i + 1) % n]);
}

__global__ void cache_hint_loads(const int *in, const float4 *in4, int *out, float4 *out4, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int a = __ldcs(&in[i]);
        int b = __ldcg(&in[(i + 1) % n]);
        int c = __ldca(&in[(i + 2) % n]);
        int d = __ldlu(&in[(i + 3) % n]);
        int e = __ldcv(&in[(i + 4) % n]);
        float4 v = __ldg(&in4[i]);
        float4 w = __ldcs(&in4[(i + 1) % n]);
        __stcs(&out[i], a + b + c + d + e);
        __stcg(&out4[i], make_float4(v.x + w.x, v.y + w.y, v.z + w.z, v.w + w.w));
        __stwb(&out[n + i], a);
        __stwt(&out[2 * n + i], b);
    }
}

__global__ void vector_loads(const float2 *f2, const float4 *f4, const int4 *i4, const double2 *d2,
                             const longlong2 *l2, const uchar4 *c4, const short2 *s2, float4 *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float2 a = f2[i];
        float4 b = f4[i];
        int4 c = i4[i];
        double2 d = d2[i];
        longlong2 l = l2[i];
        uchar4 u = c4[i];
        short2 s = s2[i];
        out[i] = make_float4(a.x + b.x + c.x + (float)d.x + (float)l.x + u.x + s.x,
                             a.y + b.y + c.y + (float)d.y + (float)l.y + u.y + s.y,
                             b.z + c.z + u.z, b.w + c.w + u.w);
    }
}

__global__ void vector_stores(double2 *d2, int4 *i4, float2 *f2, ushort4 *u4, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        d2[i] = make_double2(i * 0.5, -i * 0.25);
        i4[i] = make_int4(i, -i, i * 2, i ^ 7);
        f2[i] = make_float2((float)i, 1.0f / (i + 1));
        u4[i] = make_ushort4(i, i + 1, i + 2, i + 3);
    }
}

__global__ void ldg_vector_types(const int2 *a, const double2 *b, const char4 *c, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int2 x = __ldg(&a[i]);
        double2 y = __ldg(&b[i]);
        char4 z = __ldg(&c[i]);
        out[i] = x.x + x.y + (int)(y.x + y.y) + z.x + z.w;
    }
}

__global__ void byte_and_short_access(const unsigned char *b, const short *s, unsigned char *ob, short *os, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        ob[i] = b[i] ^ b[(i * 3) % n];
        os[i] = s[i] - s[n - 1 - i];
    }
}

__global__ void ld_st_asm_variants(const int *in, int *out) {
    int a, b, c;
    float4 v;
    asm volatile("ld.global.nc.L1::no_allocate.b32 %0, [%1];" : "=r"(a) : "l"(in));
    asm volatile("ld.global.L2::128B.b32 %0, [%1+4];" : "=r"(b) : "l"(in));
    asm volatile("ld.global.lu.b32 %0, [%1+8];" : "=r"(c) : "l"(in));
    asm volatile("ld.global.v4.f32 {%0, %1, %2, %3}, [%4+16];" : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w) : "l"(in));
    asm volatile("st.global.cs.v2.b32 [%0], {%1, %2};" :: "l"(out), "r"(a), "r"(b) : "memory");
    asm volatile("st.global.wt.b32 [%0+8], %1;" :: "l"(out), "r"(c) : "memory");
    asm volatile("prefetch.global.L2 [%0];" :: "l"(in + 64));
    asm volatile("prefetchu.L1 [%0];" :: "l"(in + 128));
    out[3] = (int)(v.x + v.y + v.z + v.w);
}

__global__ void address_space_conversion(int *g, int *out) {
    __shared__ int s[32];
    s[threadIdx.x & 31] = g[threadIdx.x];
    __syncthreads();
    size_t sa = __cvta_generic_to_shared(&s[(threadIdx.x + 1) & 31]);
    int *back = (int *)__cvta_shared_to_generic(sa);
    size_t ga = __cvta_generic_to_global(g);
    int *gback = (int *)__cvta_global_to_generic(ga);
    out[threadIdx.x] = *back + gback[0];
}
