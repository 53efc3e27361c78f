// Warp shuffles (up/down/xor/idx with width), votes, activemask, syncwarp.
__global__ void shfl_variants(const int *in, int *out) {
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    unsigned full = 0xffffffffu;
    int a = __shfl_sync(full, v, 3);
    int b = __shfl_up_sync(full, v, 1);
    int c = __shfl_down_sync(full, v, 2);
    int d = __shfl_xor_sync(full, v, 5);
    int e = __shfl_sync(full, v, 1, 8);
    int f = __shfl_up_sync(full, v, 1, 16);
    int g = __shfl_down_sync(full, v, 1, 4);
    int h = __shfl_xor_sync(full, v, 1, 2);
    out[blockIdx.x * blockDim.x + threadIdx.x] = a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8;
}

__global__ void shfl_types(const float *f, const double *d, const long long *l, float *of, double *od,
                           long long *ol) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    of[i] = __shfl_xor_sync(0xffffffffu, f[i], 16);
    od[i] = __shfl_down_sync(0xffffffffu, d[i], 1);
    ol[i] = __shfl_sync(0xffffffffu, l[i], threadIdx.x ^ 31);
}

__global__ void warp_reduce_sum(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? in[i] : 0.0f;
    for (int off = 16; off > 0; off >>= 1) v += __shfl_down_sync(0xffffffffu, v, off);
    if ((threadIdx.x & 31) == 0) atomicAdd(out, v);
}

__global__ void warp_inclusive_scan(const int *in, int *out) {
    int lane = threadIdx.x & 31;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int v = in[i];
    for (int off = 1; off < 32; off <<= 1) {
        int u = __shfl_up_sync(0xffffffffu, v, off);
        if (lane >= off) v += u;
    }
    out[i] = v;
}

__global__ void votes(const int *in, unsigned *out) {
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    unsigned ballot = __ballot_sync(0xffffffffu, v > 0);
    int all = __all_sync(0xffffffffu, v != 0);
    int any = __any_sync(0xffffffffu, v < 0);
    int uni = __uni_sync(0xffffffffu, v & 1);
    unsigned act = __activemask();
    if ((threadIdx.x & 31) == 0) {
        int w = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
        out[w * 5 + 0] = ballot;
        out[w * 5 + 1] = all;
        out[w * 5 + 2] = any;
        out[w * 5 + 3] = uni;
        out[w * 5 + 4] = act;
    }
}

__global__ void partial_mask_sync(const int *in, int *out) {
    __shared__ int s[256];
    int t = threadIdx.x;
    int lane = t & 31;
    s[t] = in[blockIdx.x * blockDim.x + t];
    if (lane < 16) {
        __syncwarp(0x0000ffffu);
        int v = s[t ^ 1];
        __syncwarp(0x0000ffffu);
        s[t] = v + __shfl_xor_sync(0x0000ffffu, v, 4, 16);
        __syncwarp(0x0000ffffu);
    } else {
        unsigned m = __activemask();
        __syncwarp(m);
        s[t] = __popc(m);
    }
    __syncwarp();
    out[blockIdx.x * blockDim.x + t] = s[t];
}

__global__ void lane_and_warp_ids(int *out) {
    unsigned lane, warp, nwarp, smid, lanemask_lt;
    asm("mov.u32 %0, %%laneid;" : "=r"(lane));
    asm("mov.u32 %0, %%warpid;" : "=r"(warp));
    asm("mov.u32 %0, %%nwarpid;" : "=r"(nwarp));
    asm("mov.u32 %0, %%smid;" : "=r"(smid));
    asm("mov.u32 %0, %%lanemask_lt;" : "=r"(lanemask_lt));
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    out[i] = lane + (warp << 8) + (nwarp << 16) + (__popc(lanemask_lt) << 24) + (smid >> 31);
}

__global__ void divergent_shuffle(const int *in, int *out) {
    int lane = threadIdx.x & 31;
    int v = in[blockIdx.x * blockDim.x + threadIdx.x];
    unsigned mask = __ballot_sync(0xffffffffu, lane % 3 == 0);
    if (lane % 3 == 0) {
        int leader = __ffs(mask) - 1;
        v = __shfl_sync(mask, v, leader);
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = v;
}

__global__ void vote_asm(const int *in, unsigned *out) {
    unsigned b;
    asm("{\n\t.reg .pred p;\n\tsetp.gt.s32 p, %1, 0;\n\tvote.sync.ballot.b32 %0, p, 0xffffffff;\n\t}"
        : "=r"(b) : "r"(in[threadIdx.x]));
    out[threadIdx.x] = b;
}
