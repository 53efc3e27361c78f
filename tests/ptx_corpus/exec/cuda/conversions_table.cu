// nvcc-flags: -fmad=false
// Executed corpus: one kernel per conversion or bit-manipulation intrinsic (r[i] = f(x[i])).
// The CPU references are the same expressions with host versions of the intrinsics
// (tests/exec/OpsTableTest.cpp).
#include <cstdint>

#define CONVERT(name, From, To, expr)                                                              \
  extern "C" __global__ void name(const From *in, To *out, int n) {                                \
    int i = blockIdx.x * blockDim.x + threadIdx.x;                                                 \
    if (i < n) {                                                                                   \
      From x = in[i];                                                                              \
      out[i] = (expr);                                                                             \
    }                                                                                              \
  }
#include "conversions_table.inc"
