// __constant__ and __device__ symbols (cudaMemcpyToSymbol/FromSymbol), device printf, dynamic
// shared memory, memset, function attributes and the occupancy API.
#include "check.h"

#include <vector>

__constant__ float coefficients[4];
__device__ int counter;
__device__ float table[64];

__global__ void polynomial(const float *x, float *y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    float v = x[i];
    y[i] = ((coefficients[3] * v + coefficients[2]) * v + coefficients[1]) * v + coefficients[0];
    atomicAdd(&counter, 1);
  }
}

__global__ void reverseBlock(int *data) {
  extern __shared__ int tile[];
  int t = threadIdx.x;
  tile[t] = data[blockIdx.x * blockDim.x + t];
  __syncthreads();
  data[blockIdx.x * blockDim.x + t] = tile[blockDim.x - 1 - t];
}

__global__ void fillTable() { table[threadIdx.x] = threadIdx.x * 1.5f; }

__global__ void hello(int value) {
  if (threadIdx.x == 0)
    printf("hello from block %d, value %d\n", blockIdx.x, value);
}

int main() {
  const int n = 1000;
  float c[4] = {1.0f, -2.0f, 0.5f, 0.25f};
  CHECK(cudaMemcpyToSymbol(coefficients, c, sizeof c));
  int zero = 0;
  CHECK(cudaMemcpyToSymbol(counter, &zero, sizeof zero));
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i)
    x[i] = float(i) / 100.0f;
  float *dx, *dy;
  CHECK(cudaMalloc(&dx, n * sizeof(float)));
  CHECK(cudaMalloc(&dy, n * sizeof(float)));
  CHECK(cudaMemcpy(dx, x.data(), n * sizeof(float), cudaMemcpyHostToDevice));
  polynomial<<<(n + 127) / 128, 128>>>(dx, dy, n);
  CHECK(cudaMemcpy(y.data(), dy, n * sizeof(float), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) {
    float v = x[i], want = ((c[3] * v + c[2]) * v + c[1]) * v + c[0];
    if (std::abs(y[i] - want) > 1e-5f * (1 + std::abs(want))) {
      std::printf("FAIL: y[%d] = %f, expected %f\n", i, y[i], want);
      return 1;
    }
  }
  int count = 0;
  CHECK(cudaMemcpyFromSymbol(&count, counter, sizeof count));
  EXPECT(count == n);

  fillTable<<<1, 64>>>();
  float t[64];
  CHECK(cudaMemcpyFromSymbol(t, table, sizeof t));
  for (int i = 0; i < 64; ++i)
    EXPECT(t[i] == i * 1.5f);
  float *tableAddress;
  CHECK(cudaGetSymbolAddress((void **)&tableAddress, table));
  size_t tableSize = 0;
  CHECK(cudaGetSymbolSize(&tableSize, table));
  EXPECT(tableAddress != nullptr && tableSize == sizeof t);

  const int blocks = 4, threads = 256;
  std::vector<int> data(blocks * threads);
  int *dd;
  CHECK(cudaMalloc(&dd, data.size() * sizeof(int)));
  CHECK(cudaMemset(dd, 0, data.size() * sizeof(int)));
  CHECK(cudaMemcpy(data.data(), dd, data.size() * sizeof(int), cudaMemcpyDeviceToHost));
  for (int v : data)
    EXPECT(v == 0);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = int(i);
  CHECK(cudaMemcpy(dd, data.data(), data.size() * sizeof(int), cudaMemcpyHostToDevice));
  reverseBlock<<<blocks, threads, threads * sizeof(int)>>>(dd);
  CHECK(cudaMemcpy(data.data(), dd, data.size() * sizeof(int), cudaMemcpyDeviceToHost));
  for (int b = 0; b < blocks; ++b)
    for (int t = 0; t < threads; ++t)
      EXPECT(data[b * threads + t] == b * threads + threads - 1 - t);

  cudaFuncAttributes attributes;
  CHECK(cudaFuncGetAttributes(&attributes, reverseBlock));
  EXPECT(attributes.maxThreadsPerBlock >= threads && attributes.sharedSizeBytes == 0);
  int perCore = 0;
  CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&perCore, reverseBlock, threads, threads * sizeof(int)));
  EXPECT(perCore >= 1);
  int minGrid = 0, blockSize = 0;
  CHECK(cudaOccupancyMaxPotentialBlockSize(&minGrid, &blockSize, polynomial));
  EXPECT(blockSize >= 32 && minGrid >= 1);

  hello<<<2, 32>>>(42);
  CHECK(cudaDeviceSynchronize());
  std::fflush(stdout);
  CHECK(cudaFree(dx));
  CHECK(cudaFree(dy));
  CHECK(cudaFree(dd));
  std::printf("PASS\n");
  return 0;
}
