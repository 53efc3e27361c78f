// Atomics on global and shared memory: every op, every type, scoped variants.
__global__ void atomic_add_types(int *i32, unsigned *u32, unsigned long long *u64, float *f32,
                                 double *f64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicAdd(i32, i);
        atomicAdd(u32, 1u);
        atomicAdd(u64, (unsigned long long)i << 33);
        atomicAdd(f32, 0.5f * i);
        atomicAdd(f64, 0.25 * i);
    }
}

__global__ void atomic_return_values(int *ctr, int *slots, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int old = atomicAdd(ctr, 1);
        slots[old] = i;
    }
}

__global__ void atomic_minmax(int *imin, int *imax, unsigned *umin, unsigned *umax,
                              long long *llmin, unsigned long long *ullmax, const int *v, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicMin(imin, v[i]);
        atomicMax(imax, v[i]);
        atomicMin(umin, (unsigned)v[i]);
        atomicMax(umax, (unsigned)v[i]);
        atomicMin(llmin, (long long)v[i] * 1000000007LL);
        atomicMax(ullmax, (unsigned long long)v[i] << 20);
    }
}

__global__ void atomic_bitwise(unsigned *a, unsigned *o, unsigned *x, unsigned long long *a64,
                               unsigned long long *o64, unsigned long long *x64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicAnd(a, ~(1u << (i & 31)));
        atomicOr(o, 1u << (i & 31));
        atomicXor(x, (unsigned)i * 2654435761u);
        atomicAnd(a64, ~(1ull << (i & 63)));
        atomicOr(o64, 1ull << (i & 63));
        atomicXor(x64, (unsigned long long)i * 0x9E3779B97F4A7C15ull);
    }
}

__global__ void atomic_inc_dec_exch(unsigned *inc, unsigned *dec, int *ex, unsigned long long *ex64,
                                    float *exf, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicInc(inc, 17u);
        atomicDec(dec, 9u);
        atomicExch(ex, i);
        atomicExch(ex64, (unsigned long long)i);
        atomicExch(exf, (float)i);
    }
}

__global__ void atomic_cas_loop_float_max(float *addr, const float *v, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int *ia = reinterpret_cast<int *>(addr);
        int old = *ia, assumed;
        do {
            assumed = old;
            float cur = __int_as_float(assumed);
            if (cur >= v[i]) break;
            old = atomicCAS(ia, assumed, __float_as_int(v[i]));
        } while (assumed != old);
    }
}

__global__ void atomic_cas_64(unsigned long long *addr, unsigned long long *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = atomicCAS(addr, (unsigned long long)i, (unsigned long long)(i + 1));
}

__global__ void atomic_cas_16(unsigned short *addr, unsigned short *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = atomicCAS(addr, (unsigned short)i, (unsigned short)(i + 1));
}

__global__ void atomic_shared_all_ops(const int *in, int *out) {
    __shared__ int s_add, s_min, s_max, s_and, s_or, s_xor, s_exch, s_cas;
    __shared__ unsigned s_inc;
    __shared__ float s_fadd;
    __shared__ double s_dadd;
    __shared__ unsigned long long s_u64;
    if (threadIdx.x == 0) {
        s_add = 0; s_min = 0x7fffffff; s_max = -0x7fffffff; s_and = -1; s_or = 0; s_xor = 0;
        s_exch = 0; s_cas = 0; s_inc = 0; s_fadd = 0.0f; s_dadd = 0.0; s_u64 = 0;
    }
    __syncthreads();
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    atomicAdd(&s_add, v);
    atomicMin(&s_min, v);
    atomicMax(&s_max, v);
    atomicAnd(&s_and, v);
    atomicOr(&s_or, v);
    atomicXor(&s_xor, v);
    atomicExch(&s_exch, v);
    atomicCAS(&s_cas, (int)threadIdx.x, (int)threadIdx.x + 1);
    atomicInc(&s_inc, 100u);
    atomicAdd(&s_fadd, (float)v);
    atomicAdd(&s_dadd, (double)v);
    atomicAdd(&s_u64, (unsigned long long)v);
    __syncthreads();
    if (threadIdx.x == 0) {
        int *o = out + blockIdx.x * 12;
        o[0] = s_add; o[1] = s_min; o[2] = s_max; o[3] = s_and; o[4] = s_or; o[5] = s_xor;
        o[6] = s_exch; o[7] = s_cas; o[8] = s_inc; o[9] = (int)s_fadd; o[10] = (int)s_dadd;
        o[11] = (int)s_u64;
    }
}

__global__ void atomic_scoped(int *g, unsigned long long *g64, float *gf, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicAdd_block(g, 1);
        atomicAdd_system(g + 1, 1);
        atomicMax_block(g + 2, i);
        atomicMin_system(g + 3, i);
        atomicCAS_block(g + 4, i, i + 1);
        atomicExch_system(g + 5, i);
        atomicOr_block(g + 6, 1 << (i & 31));
        atomicAdd_block(g64, 3ull);
        atomicAdd_system(gf, 1.0f);
    }
}

__global__ void red_asm(unsigned *g, float *gf) {
    asm volatile("red.global.add.u32 [%0], %1;" :: "l"(g), "r"(1u) : "memory");
    asm volatile("red.relaxed.gpu.global.max.u32 [%0], %1;" :: "l"(g + 1), "r"(threadIdx.x) : "memory");
    asm volatile("red.global.add.f32 [%0], %1;" :: "l"(gf), "f"(1.0f) : "memory");
    unsigned old;
    asm volatile("atom.global.cta.exch.b32 %0, [%1], %2;" : "=r"(old) : "l"(g + 2), "r"(threadIdx.x) : "memory");
    g[3 + threadIdx.x] = old;
}
