// Separate compilation (compiled with -rdc=true): extern device functions/variables, dynamic parallelism.
#include <cstdio>

// Defined in another translation unit; only declared here -> .extern .func in PTX.
extern __device__ int external_transform(int x);
extern __device__ float external_scale;
extern __device__ int external_table[];

__device__ int visible_helper(int x) { return x * 3 + 1; }
static __device__ int internal_helper(int x) { return x ^ 0x5a5a; }
__device__ __noinline__ int weak_candidate(int x) { return x + 11; }

__global__ void use_externals(const int *in, int *out, float *fout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = external_transform(in[i]) + visible_helper(in[i]) + internal_helper(in[i]) +
                 weak_candidate(external_table[i & 15]);
        fout[i] = in[i] * external_scale;
    }
}

__global__ void child_kernel(int *data, int depth) {
    data[threadIdx.x] += depth;
}

__global__ void parent_kernel(int *data, int depth) {
    if (threadIdx.x == 0 && depth > 0) {
        child_kernel<<<1, 32>>>(data, depth);
        parent_kernel<<<1, 32, 0, cudaStreamFireAndForget>>>(data, depth - 1);
    }
}

__global__ void device_side_malloc(int n, int *out) {
    int *buf = (int *)malloc(n * sizeof(int));
    if (buf) {
        for (int k = 0; k < n; ++k) buf[k] = k * threadIdx.x;
        out[threadIdx.x] = buf[n - 1];
        free(buf);
    } else {
        out[threadIdx.x] = -1;
    }
}
