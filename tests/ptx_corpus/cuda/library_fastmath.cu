// min-arch: sm_80
// Kernels built on CUDA's own libraries (cooperative-groups reductions, CUB's block radix sort,
// cuda_fp16/cuda_bf16 packed math, warp match/reduce, double-precision rounding intrinsics),
// compiled with -use_fast_math so that nvcc emits its .ftz and .approx forms.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <cub/block/block_radix_sort.cuh>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace cg = cooperative_groups;

__global__ void tile_sum(const float *in, float *out, int n) {
  cg::thread_block block = cg::this_thread_block();
  cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
  unsigned i = block.group_index().x * block.size() + block.thread_rank();
  float v = i < unsigned(n) ? in[i] : 0.f;
  float s = cg::reduce(warp, __expf(v) / (1.f + v * v), cg::plus<float>());
  if (warp.thread_rank() == 0)
    atomicAdd(out, s);
}

__global__ void packed_math(__half2 *h, __nv_bfloat162 *b, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    h[i] = __hfma2(h[i], h[i], __float2half2_rn(0.5f));
    b[i] = __hmul2(b[i], __float2bfloat162_rn(__sinf(float(i))));
  }
}

__global__ void block_sort(int *keys) {
  using Sort = cub::BlockRadixSort<int, 128, 4>;
  __shared__ typename Sort::TempStorage storage;
  int k[4];
  for (int j = 0; j < 4; ++j)
    k[j] = keys[blockIdx.x * 512 + threadIdx.x * 4 + j];
  Sort(storage).Sort(k);
  for (int j = 0; j < 4; ++j)
    keys[blockIdx.x * 512 + threadIdx.x * 4 + j] = k[j];
}

__global__ void bits_and_rounding(unsigned *m, double *d) {
  unsigned x = __match_any_sync(0xffffffffu, m[threadIdx.x]);
  m[threadIdx.x] = __reduce_add_sync(0xffffffffu, x) + __popc(x) + __brev(x) + __byte_perm(x, 7, 0x3210);
  double v = d[threadIdx.x];
  d[threadIdx.x] = __dsqrt_rz(v) + __ddiv_ru(1.0, v) + rsqrt(v) + __dmul_rd(v, v);
}
