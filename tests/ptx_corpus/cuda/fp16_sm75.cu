// Half-precision operations available on sm_75 (no bf16 arithmetic).
#include <cuda_fp16.h>

__global__ void half_axpy(const __half *x, __half *y, float alpha, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __half a = __float2half(alpha);
        y[i] = __hfma(a, x[i], y[i]);
    }
}

__global__ void half2_dot(const __half2 *a, const __half2 *b, float *out, int n) {
    __half2 acc = __float2half2_rn(0.0f);
    for (int i = threadIdx.x; i < n; i += blockDim.x)
        acc = __hfma2(a[i], b[i], acc);
    out[threadIdx.x] = __low2float(acc) + __high2float(acc);
}

__global__ void half_compare(const __half *a, const __half *b, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int r = 0;
        r |= __heq(a[i], b[i]) << 0;
        r |= __hne(a[i], b[i]) << 1;
        r |= __hlt(a[i], b[i]) << 2;
        r |= __hge(a[i], b[i]) << 3;
        r |= __hisnan(a[i]) << 4;
        r |= __hisinf(b[i]) << 5;
        r |= __hequ(a[i], b[i]) << 6;
        out[i] = r;
    }
}
