// A multi-threaded host program: four threads share the device, each with its own stream (or the
// per-thread default stream when built with --default-stream per-thread), allocating,
// launching and copying concurrently.
#include "check.h"

#include <thread>
#include <vector>

__global__ void fill(int *data, int n, int value) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    data[i] = value * 1000 + i;
}

static bool worker(int id) {
  const int n = 2048 + id * 256;
  int *device;
  if (cudaMalloc(&device, n * sizeof(int)) != cudaSuccess)
    return false;
  cudaStream_t stream;
  if (cudaStreamCreate(&stream) != cudaSuccess)
    return false;
  std::vector<int> host(n);
  for (int round = 0; round < 3; ++round) {
    fill<<<(n + 127) / 128, 128, 0, round == 1 ? stream : 0>>>(device, n, id + round);
    if (cudaMemcpyAsync(host.data(), device, n * sizeof(int), cudaMemcpyDeviceToHost, round == 1 ? stream : 0) !=
            cudaSuccess ||
        cudaStreamSynchronize(round == 1 ? stream : 0) != cudaSuccess)
      return false;
    for (int i = 0; i < n; ++i)
      if (host[i] != (id + round) * 1000 + i)
        return false;
  }
  cudaStreamDestroy(stream);
  return cudaFree(device) == cudaSuccess;
}

int main() {
  CHECK(cudaFree(nullptr)); // initialize before the threads start
  std::vector<std::thread> threads;
  bool ok[4] = {};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &ok] { ok[t] = worker(t); });
  for (std::thread &t : threads)
    t.join();
  for (int t = 0; t < 4; ++t)
    EXPECT(ok[t]);
  CHECK(cudaDeviceSynchronize());
  std::printf("PASS\n");
  return 0;
}
