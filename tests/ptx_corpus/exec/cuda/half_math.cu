// Executed corpus: f16 and packed half2 arithmetic and conversions.
#include <cuda_fp16.h>

extern "C" __global__ void half2_ops(const __half2 *a, const __half2 *b, __half2 *sum, __half2 *prod,
                                     __half2 *fma, float *widened, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  __half2 x = a[i], y = b[i];
  sum[i] = __hadd2(x, y);
  prod[i] = __hmul2(x, y);
  fma[i] = __hfma2(x, y, sum[i]);
  widened[2 * i] = __low2float(x) + __high2float(y);
  widened[2 * i + 1] = __half2float(__float2half_rn(__low2float(y) * 3.0f));
}

extern "C" __global__ void half_compare(const __half *a, const __half *b, int *out, __half *mx, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  __half x = a[i], y = b[i];
  out[i] = (__hlt(x, y) ? 1 : 0) | (__heq(x, y) ? 2 : 0) | (__hgt(x, y) ? 4 : 0);
  mx[i] = __hmax(x, y);
}
