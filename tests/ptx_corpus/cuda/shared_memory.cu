// Shared memory: static, dynamic extern, 2-D tiles, bank-conflict patterns, padding.
#define TILE 32

__global__ void static_shared_reverse(const int *in, int *out, int n) {
    __shared__ int buf[256];
    int t = threadIdx.x;
    int base = blockIdx.x * blockDim.x;
    if (base + t < n) buf[t] = in[base + t];
    __syncthreads();
    int src = blockDim.x - 1 - t;
    if (base + src < n && base + t < n) out[base + t] = buf[src];
}

__global__ void dynamic_shared_sum(const float *in, float *out, int n) {
    extern __shared__ float sdata[];
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    sdata[t] = i < n ? in[i] : 0.0f;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (t < s) sdata[t] += sdata[t + s];
        __syncthreads();
    }
    if (t == 0) out[blockIdx.x] = sdata[0];
}

__global__ void dynamic_shared_two_arrays(const int *in, int *out, int n) {
    extern __shared__ unsigned char smem[];
    int *ia = reinterpret_cast<int *>(smem);
    double *da = reinterpret_cast<double *>(smem + ((blockDim.x * sizeof(int) + 7) & ~7u));
    int t = threadIdx.x;
    int i = blockIdx.x * blockDim.x + t;
    ia[t] = i < n ? in[i] : 0;
    da[t] = (double)ia[t] * 0.5;
    __syncthreads();
    if (i < n) out[i] = ia[(t + 1) % blockDim.x] + (int)da[blockDim.x - 1 - t];
}

// Transpose with padded tile (bank-conflict free) vs unpadded
__global__ void transpose_padded(const float *in, float *out, int w, int h) {
    __shared__ float tile[TILE][TILE + 1];
    int x = blockIdx.x * TILE + threadIdx.x;
    int y = blockIdx.y * TILE + threadIdx.y;
    if (x < w && y < h) tile[threadIdx.y][threadIdx.x] = in[y * w + x];
    __syncthreads();
    x = blockIdx.y * TILE + threadIdx.x;
    y = blockIdx.x * TILE + threadIdx.y;
    if (x < h && y < w) out[y * h + x] = tile[threadIdx.x][threadIdx.y];
}

__global__ void bank_stride_access(int *out, int stride) {
    __shared__ int banks[32 * 33];
    int t = threadIdx.x;
    for (int k = t; k < 32 * 33; k += blockDim.x) banks[k] = k;
    __syncthreads();
    out[blockIdx.x * blockDim.x + t] = banks[(t * stride) % (32 * 33)];
}

__global__ void shared_atomics_histogram(const unsigned char *data, unsigned *hist, int n) {
    __shared__ unsigned local[256];
    for (int k = threadIdx.x; k < 256; k += blockDim.x) local[k] = 0;
    __syncthreads();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
        atomicAdd(&local[data[i]], 1u);
    __syncthreads();
    for (int k = threadIdx.x; k < 256; k += blockDim.x) atomicAdd(&hist[k], local[k]);
}

__global__ void shared_mixed_types(short *o16, double *o64, int n) {
    __shared__ short s16[128];
    __shared__ double s64[128];
    __shared__ char s8[128];
    int t = threadIdx.x & 127;
    s16[t] = (short)(t * 3);
    s64[t] = t * 1.5;
    s8[t] = (char)t;
    __syncthreads();
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        o16[i] = s16[127 - t] + s8[(t + 5) & 127];
        o64[i] = s64[(t * 7) & 127];
    }
}

__global__ void generic_pointer_to_shared(int *out, int sel) {
    __shared__ int sh[64];
    int local_val = 7;
    sh[threadIdx.x & 63] = threadIdx.x;
    __syncthreads();
    int *p = sel ? &sh[(threadIdx.x + 1) & 63] : out + threadIdx.x;
    out[threadIdx.x] = *p + __isShared(p) + __isGlobal(p) + local_val;
}
