// nvcc-flags: -fmad=false
// Executed corpus: one small kernel per operation and type (c[i] = op(a[i], b[i])), so that each
// integer, bit and float instruction family runs through the whole backend in its own kernel.
// The CPU references are the same expressions (tests/exec/OpsTableTest.cpp).
#include <cstdint>

#define BINARY(name, T, expr)                                                                      \
  extern "C" __global__ void name(const T *a, const T *b, T *c, int n) {                           \
    int i = blockIdx.x * blockDim.x + threadIdx.x;                                                 \
    if (i < n) {                                                                                   \
      T x = a[i], y = b[i];                                                                        \
      c[i] = (expr);                                                                               \
    }                                                                                              \
  }
#include "ops_table.inc"
