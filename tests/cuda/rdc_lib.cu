// The other translation unit of rdc_main.cu.
#include <cstdio>

__device__ int calls = 0;

__device__ float scaleOf(int i) { return float(i % 5 + 1); }

__global__ void libraryTag() {
  if (threadIdx.x == 0)
    printf("%s translation unit\n", "library");
}
