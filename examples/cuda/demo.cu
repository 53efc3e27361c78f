// The make-demo program: an ordinary CUDA application, built by nvcc and run unmodified on the
// simulated OxCore through oxrun. A tiled matrix multiply in shared memory, a warp-shuffle
// reduction of the result, both checked against the CPU; two streams and events around them.
#include <cmath>
#include <cstdio>
#include <vector>

#define CHECK(call)                                                                                \
  do {                                                                                             \
    cudaError_t e = (call);                                                                        \
    if (e != cudaSuccess) {                                                                        \
      std::printf("%s failed: %s\n", #call, cudaGetErrorString(e));                                \
      return 1;                                                                                    \
    }                                                                                              \
  } while (0)

constexpr int kTile = 16;

__global__ void matmul(const float *a, const float *b, float *c, int n) {
  __shared__ float ta[kTile][kTile], tb[kTile][kTile];
  int row = blockIdx.y * kTile + threadIdx.y, col = blockIdx.x * kTile + threadIdx.x;
  float sum = 0;
  for (int t = 0; t < n; t += kTile) {
    ta[threadIdx.y][threadIdx.x] = a[row * n + t + threadIdx.x];
    tb[threadIdx.y][threadIdx.x] = b[(t + threadIdx.y) * n + col];
    __syncthreads();
    for (int k = 0; k < kTile; ++k)
      sum += ta[threadIdx.y][k] * tb[k][threadIdx.x];
    __syncthreads();
  }
  c[row * n + col] = sum;
}

__global__ void sumAll(const float *x, int n, float *total) {
  float v = 0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    v += x[i];
  for (int offset = 16; offset > 0; offset /= 2)
    v += __shfl_down_sync(0xffffffff, v, offset);
  if (threadIdx.x % 32 == 0)
    atomicAdd(total, v);
}

int main() {
  const int n = 128;
  std::vector<float> a(n * n), b(n * n), c(n * n);
  for (int i = 0; i < n * n; ++i) {
    a[i] = float(i % 7) - 3.0f;
    b[i] = float(i % 5) * 0.5f;
  }
  cudaDeviceProp prop;
  CHECK(cudaGetDeviceProperties(&prop, 0));
  std::printf("device: %s, %d cores, compute capability %d.%d\n", prop.name, prop.multiProcessorCount, prop.major,
              prop.minor);

  float *da, *db, *dc, *dtotal;
  CHECK(cudaMalloc(&da, n * n * sizeof(float)));
  CHECK(cudaMalloc(&db, n * n * sizeof(float)));
  CHECK(cudaMalloc(&dc, n * n * sizeof(float)));
  CHECK(cudaMalloc(&dtotal, sizeof(float)));
  cudaStream_t copyA, copyB;
  CHECK(cudaStreamCreate(&copyA));
  CHECK(cudaStreamCreate(&copyB));
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  CHECK(cudaMemcpyAsync(da, a.data(), n * n * sizeof(float), cudaMemcpyHostToDevice, copyA));
  CHECK(cudaMemcpyAsync(db, b.data(), n * n * sizeof(float), cudaMemcpyHostToDevice, copyB));
  CHECK(cudaMemset(dtotal, 0, sizeof(float)));
  CHECK(cudaDeviceSynchronize());

  CHECK(cudaEventRecord(start));
  matmul<<<dim3(n / kTile, n / kTile), dim3(kTile, kTile)>>>(da, db, dc, n);
  sumAll<<<8, 128>>>(dc, n * n, dtotal);
  CHECK(cudaEventRecord(stop));
  CHECK(cudaEventSynchronize(stop));
  float ms = 0, total = 0;
  CHECK(cudaEventElapsedTime(&ms, start, stop));
  CHECK(cudaMemcpy(c.data(), dc, n * n * sizeof(float), cudaMemcpyDeviceToHost));
  CHECK(cudaMemcpy(&total, dtotal, sizeof(float), cudaMemcpyDeviceToHost));

  double expectedTotal = 0;
  int wrong = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      float s = 0;
      for (int k = 0; k < n; ++k)
        s += a[i * n + k] * b[k * n + j];
      wrong += std::fabs(s - c[i * n + j]) > 1e-3f * (1 + std::fabs(s));
      expectedTotal += s;
    }
  bool totalOk = std::fabs(total - expectedTotal) <= 1e-4 * (1 + std::fabs(expectedTotal));
  std::printf("%dx%d matmul + reduction: %.3f ms of simulated time, sum %.1f (CPU %.1f), %d wrong elements\n", n,
              n, ms, total, expectedTotal, wrong);
  std::printf("%s\n", wrong == 0 && totalOk ? "PASS" : "FAIL");
  return wrong == 0 && totalOk ? 0 : 1;
}
