// Streams with real asynchrony and ordering, pinned memory, async copies, events measuring
// simulated time, stream queries, host functions and callbacks, the legacy default stream.
#include "check.h"

#include <atomic>
#include <cuda_profiler_api.h>
#include <vector>

__global__ void scale(float *x, int n, float factor, int rounds) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    for (int r = 0; r < rounds; ++r)
      x[i] = x[i] * factor + 1.0f;
}

static std::atomic<int> hostCalls{0};
static void CUDART_CB onHost(void *data) { hostCalls += *static_cast<int *>(data); }
static void CUDART_CB onCallback(cudaStream_t, cudaError_t status, void *data) {
  if (status == cudaSuccess)
    hostCalls += *static_cast<int *>(data);
}

int main() {
  const int streams = 3, n = 4096;
  float *host;
  CHECK(cudaMallocHost(&host, streams * n * sizeof(float)));
  for (int i = 0; i < streams * n; ++i)
    host[i] = float(i % 97);
  std::vector<float> expected(host, host + streams * n);
  for (int s = 0; s < streams; ++s)
    for (int i = 0; i < n; ++i)
      for (int r = 0; r < s + 1; ++r)
        expected[s * n + i] = expected[s * n + i] * 0.5f + 1.0f;

  float *device;
  CHECK(cudaProfilerStart());
  CHECK(cudaMalloc(&device, streams * n * sizeof(float)));
  cudaStream_t stream[streams];
  cudaEvent_t start[streams], stop[streams];
  for (int s = 0; s < streams; ++s) {
    CHECK(cudaStreamCreate(&stream[s]));
    CHECK(cudaEventCreate(&start[s]));
    CHECK(cudaEventCreate(&stop[s]));
  }
  int one = 1, ten = 10;
  for (int s = 0; s < streams; ++s) {
    float *h = host + s * n, *d = device + s * n;
    CHECK(cudaEventRecord(start[s], stream[s]));
    CHECK(cudaMemcpyAsync(d, h, n * sizeof(float), cudaMemcpyHostToDevice, stream[s]));
    scale<<<n / 128, 128, 0, stream[s]>>>(d, n, 0.5f, s + 1);
    CHECK(cudaGetLastError());
    CHECK(cudaMemcpyAsync(h, d, n * sizeof(float), cudaMemcpyDeviceToHost, stream[s]));
    CHECK(cudaEventRecord(stop[s], stream[s]));
    CHECK(cudaLaunchHostFunc(stream[s], onHost, &one));
    CHECK(cudaStreamAddCallback(stream[s], onCallback, &ten, 0));
  }
  for (int s = 0; s < streams; ++s) {
    CHECK(cudaStreamSynchronize(stream[s]));
    EXPECT(cudaStreamQuery(stream[s]) == cudaSuccess);
    EXPECT(cudaEventQuery(stop[s]) == cudaSuccess);
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, start[s], stop[s]));
    EXPECT(ms > 0.0f && ms < 1000.0f); // simulated time of two copies and a kernel
  }
  EXPECT(hostCalls == streams * 11);
  for (int i = 0; i < streams * n; ++i)
    if (host[i] != expected[i]) {
      std::printf("FAIL: element %d = %f, expected %f\n", i, host[i], expected[i]);
      return 1;
    }

  // Sixteen times the work takes more simulated time: events measure the device, not the host.
  float *big, shortMs, longMs;
  CHECK(cudaMalloc(&big, 16 * n * sizeof(float)));
  CHECK(cudaEventRecord(start[0]));
  scale<<<n / 128, 128>>>(big, n, 0.5f, 1);
  CHECK(cudaEventRecord(stop[0]));
  CHECK(cudaEventSynchronize(stop[0]));
  CHECK(cudaEventElapsedTime(&shortMs, start[0], stop[0]));
  CHECK(cudaEventRecord(start[0]));
  scale<<<16 * n / 128, 128>>>(big, 16 * n, 0.5f, 1);
  CHECK(cudaEventRecord(stop[0]));
  CHECK(cudaEventSynchronize(stop[0]));
  CHECK(cudaEventElapsedTime(&longMs, start[0], stop[0]));
  EXPECT(longMs > 2 * shortMs);
  CHECK(cudaFree(big));

  // A stream waits for an event recorded in another one.
  CHECK(cudaMemset(device, 0, n * sizeof(float)));
  scale<<<n / 128, 128, 0, stream[1]>>>(device, n, 1.0f, 3); // 0 -> 3
  CHECK(cudaEventRecord(stop[1], stream[1]));
  CHECK(cudaStreamWaitEvent(stream[2], stop[1], 0));
  scale<<<n / 128, 128, 0, stream[2]>>>(device, n, 2.0f, 1); // 3 -> 7
  CHECK(cudaMemcpyAsync(host, device, n * sizeof(float), cudaMemcpyDeviceToHost, stream[2]));
  CHECK(cudaDeviceSynchronize());
  for (int i = 0; i < n; ++i)
    EXPECT(host[i] == 7.0f);

  for (int s = 0; s < streams; ++s) {
    CHECK(cudaStreamDestroy(stream[s]));
    CHECK(cudaEventDestroy(start[s]));
    CHECK(cudaEventDestroy(stop[s]));
  }
  CHECK(cudaFree(device));
  CHECK(cudaFreeHost(host));
  CHECK(cudaProfilerStop());
  std::printf("PASS\n");
  return 0;
}
