// Executed corpus: bf16 conversions and arithmetic (OxCore has no bf16 instructions; the backend
// computes in f32/f64 and rounds once).
#include <cuda_bf16.h>

extern "C" __global__ void bf16_ops(const float *a, const float *b, unsigned short *out, float *back, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  __nv_bfloat16 x = __float2bfloat16_rn(a[i]), y = __float2bfloat16_rn(b[i]);
  __nv_bfloat16 r[5] = {x, __hadd(x, y), __hmul(x, y), __hfma(x, y, x), __hmax(x, y)};
  for (int k = 0; k < 5; ++k)
    out[5 * i + k] = __bfloat16_as_ushort(r[k]);
  back[i] = __bfloat162float(__hsub(x, y));
}
