// Executed corpus: one kernel per CUDA math-library function (nvcc inlines its implementation:
// range reductions, polynomials, special cases, the .approx instructions), checked against long
// double references within the ulp bounds the CUDA Math API documents.
#define MATH(name, T, expr, reference, ulps, lo, hi)                                               \
  extern "C" __global__ void name(const T *in, T *out, int n) {                                    \
    int i = blockIdx.x * blockDim.x + threadIdx.x;                                                 \
    if (i < n) {                                                                                   \
      T x = in[i];                                                                                 \
      out[i] = (expr);                                                                             \
    }                                                                                              \
  }
#include "math_table.inc"
