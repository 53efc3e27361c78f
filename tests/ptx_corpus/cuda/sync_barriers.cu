// Barriers: __syncthreads, count/and/or variants, named barriers via asm, bar.arrive.
__global__ void syncthreads_reductions(const int *in, int *out) {
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    int cnt = __syncthreads_count(v > 0);
    int all = __syncthreads_and(v != 0);
    int any = __syncthreads_or(v < 0);
    if (threadIdx.x == 0) {
        out[blockIdx.x * 3 + 0] = cnt;
        out[blockIdx.x * 3 + 1] = all;
        out[blockIdx.x * 3 + 2] = any;
    }
}

// Two producer/consumer groups using named barriers 1 and 2 (64 threads each).
__global__ void named_barriers(int *data, int *out) {
    __shared__ int buf[64];
    int t = threadIdx.x;
    if (t < 64) {
        buf[t] = data[t] * 2;
        asm volatile("bar.sync 1, 64;");
        out[t] = buf[63 - t];
    } else if (t < 128) {
        asm volatile("bar.arrive 2, 64;");
        out[t] = t;
    } else {
        asm volatile("bar.sync 2, 64;" ::: "memory");
    }
}

__global__ void named_barrier_variable(int *out, int id) {
    __shared__ int flag[4];
    if (threadIdx.x < 4) flag[threadIdx.x] = threadIdx.x;
    unsigned nthreads = blockDim.x;
    asm volatile("barrier.sync %0, %1;" :: "r"(id), "r"(nthreads) : "memory");
    out[threadIdx.x] = flag[threadIdx.x & 3];
}

__global__ void barrier_red_asm(const int *in, int *out) {
    int v = in[threadIdx.x];
    unsigned popc;
    int pred_and;
    asm volatile("{\n\t.reg .pred p, q;\n\t"
                 "setp.ne.s32 p, %2, 0;\n\t"
                 "bar.red.popc.u32 %0, 0, p;\n\t"
                 "bar.red.and.pred q, 0, p;\n\t"
                 "selp.s32 %1, 1, 0, q;\n\t}"
                 : "=r"(popc), "=r"(pred_and) : "r"(v));
    if (threadIdx.x == 0) { out[0] = popc; out[1] = pred_and; }
}

__global__ void two_phase_stencil(const float *in, float *out, int n) {
    __shared__ float s[258];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    s[t + 1] = i < n ? in[i] : 0.0f;
    if (t == 0) s[0] = i > 0 ? in[i - 1] : 0.0f;
    if (t == blockDim.x - 1) s[t + 2] = i + 1 < n ? in[i + 1] : 0.0f;
    __syncthreads();
    float v = 0.25f * s[t] + 0.5f * s[t + 1] + 0.25f * s[t + 2];
    __syncthreads();
    s[t + 1] = v;
    __syncthreads();
    if (i < n) out[i] = s[t + 1] - s[(t + 2) % blockDim.x];
}
