// A failing device-side assert: its message reaches stderr and cudaErrorAssert is reported.
#include "check.h"

#include <cassert>

__global__ void checkPositive(const int *data) {
  assert(data[threadIdx.x] > 0);
}

int main() {
  int host[32];
  for (int i = 0; i < 32; ++i)
    host[i] = i == 17 ? -5 : i + 1;
  int *data;
  CHECK(cudaMalloc(&data, sizeof host));
  CHECK(cudaMemcpy(data, host, sizeof host, cudaMemcpyHostToDevice));
  checkPositive<<<1, 32>>>(data);
  EXPECT(cudaDeviceSynchronize() == cudaErrorAssert);
  std::printf("PASS\n");
  return 0;
}
