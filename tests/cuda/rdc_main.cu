// Relocatable device code (nvcc -rdc=true): kernels here call a device function and use a
// device variable defined in rdc_lib.cu; the shim links the two translation units' PTX.
#include "check.h"

extern __device__ float scaleOf(int i);
extern __device__ int calls;

__global__ void apply(float *x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    x[i] *= scaleOf(i);
    atomicAdd(&calls, 1);
  }
}

__global__ void tag() {
  if (threadIdx.x == 0)
    printf("%s translation unit\n", "main");
}

int main() {
  const int n = 777;
  float host[n];
  for (int i = 0; i < n; ++i)
    host[i] = 2.0f;
  float *x;
  CHECK(cudaMalloc(&x, sizeof host));
  CHECK(cudaMemcpy(x, host, sizeof host, cudaMemcpyHostToDevice));
  apply<<<(n + 127) / 128, 128>>>(x, n);
  CHECK(cudaMemcpy(host, x, sizeof host, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i)
    EXPECT(host[i] == 2.0f * float(i % 5 + 1));
  int count = 0;
  CHECK(cudaMemcpyFromSymbol(&count, calls, sizeof count));
  EXPECT(count == n);
  tag<<<1, 1>>>();
  CHECK(cudaDeviceSynchronize());
  std::printf("PASS\n");
  return 0;
}
