// A cooperative launch: the whole grid synchronizes (cooperative_groups::this_grid().sync())
// between writing and reading other blocks' elements; a grid larger than the device holds at
// once is refused.
#include "check.h"

#include <cooperative_groups.h>
#include <vector>

namespace cg = cooperative_groups;

__global__ void rotate(int *data, int *out, int n) {
  cg::grid_group grid = cg::this_grid();
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  data[i] = i * 3;
  grid.sync();
  out[i] = data[(i + blockDim.x) % n]; // written by the next block
}

int main() {
  int perCore = 0, cores = 0;
  CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&perCore, rotate, 128, 0));
  CHECK(cudaDeviceGetAttribute(&cores, cudaDevAttrMultiProcessorCount, 0));
  int supported = 0;
  CHECK(cudaDeviceGetAttribute(&supported, cudaDevAttrCooperativeLaunch, 0));
  EXPECT(supported == 1 && perCore >= 1);
  int blocks = std::min(perCore * cores, 8), n = blocks * 128;
  int *data, *out;
  CHECK(cudaMalloc(&data, n * sizeof(int)));
  CHECK(cudaMalloc(&out, n * sizeof(int)));
  void *args[] = {&data, &out, &n};
  CHECK(cudaLaunchCooperativeKernel((void *)rotate, blocks, 128, args));
  std::vector<int> host(n);
  CHECK(cudaMemcpy(host.data(), out, n * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i)
    EXPECT(host[i] == ((i + 128) % n) * 3);
  int tooMany = perCore * cores + 1;
  EXPECT(cudaLaunchCooperativeKernel((void *)rotate, tooMany, 128, args) == cudaErrorCooperativeLaunchTooLarge);
  std::printf("PASS\n");
  return 0;
}
