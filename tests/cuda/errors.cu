// CUDA's error semantics through the shim: argument and handle errors that leave the context
// usable, out of memory, an out-of-bounds kernel whose fault becomes the sticky
// cudaErrorIllegalAddress at the next synchronizing call (and stays until cudaDeviceReset),
// never a host crash.
#include "check.h"

__global__ void writeAt(int *data, long index) { data[index] = 1; }
__global__ void fine(int *data) { data[threadIdx.x] = threadIdx.x; }

int main() {
  int *data;
  CHECK(cudaMalloc(&data, 256 * sizeof(int)));

  // Recoverable errors.
  EXPECT(cudaFree(reinterpret_cast<void *>(0x1234)) == cudaErrorInvalidValue);
  void *huge = nullptr;
  EXPECT(cudaMalloc(&huge, size_t(1) << 50) == cudaErrorMemoryAllocation);
  EXPECT(cudaMemcpy(data, data + 1000000, 16, cudaMemcpyDeviceToDevice) == cudaErrorInvalidValue);
  fine<<<1, 4096>>>(data); // more threads than a block may have
  EXPECT(cudaGetLastError() != cudaSuccess);
  cudaEvent_t event;
  CHECK(cudaEventCreate(&event));
  float ms;
  EXPECT(cudaEventElapsedTime(&ms, event, event) != cudaSuccess); // never recorded
  CHECK(cudaEventDestroy(event));
  cudaGetLastError(); // clear the non-sticky ones

  // The context still works.
  fine<<<1, 64>>>(data);
  CHECK(cudaDeviceSynchronize());
  int host[64];
  CHECK(cudaMemcpy(host, data, sizeof host, cudaMemcpyDeviceToHost));
  for (int i = 0; i < 64; ++i)
    EXPECT(host[i] == i);

  // An out-of-bounds store: the launch itself succeeds, synchronization reports the fault.
  writeAt<<<1, 1>>>(data, 1 << 24);
  EXPECT(cudaGetLastError() == cudaSuccess);
  cudaError_t sync = cudaDeviceSynchronize();
  EXPECT(sync == cudaErrorIllegalAddress);
  // Sticky: later calls report it too.
  EXPECT(cudaMemcpy(host, data, sizeof host, cudaMemcpyDeviceToHost) == cudaErrorIllegalAddress);
  EXPECT(cudaDeviceSynchronize() == cudaErrorIllegalAddress);

  // cudaDeviceReset clears the sticky error: the program goes on with a fresh context.
  CHECK(cudaDeviceReset());
  int *again;
  CHECK(cudaMalloc(&again, 64 * sizeof(int)));
  fine<<<1, 64>>>(again);
  CHECK(cudaMemcpy(host, again, sizeof host, cudaMemcpyDeviceToHost));
  for (int i = 0; i < 64; ++i)
    EXPECT(host[i] == i);
  std::printf("PASS\n");
  return 0;
}
