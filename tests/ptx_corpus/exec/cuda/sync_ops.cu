// Executed corpus: barrier reductions, warps that exit before a barrier, named barriers with
// thread counts, exits from divergent code, and cooperative groups with per-lane member masks.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>

namespace cg = cooperative_groups;

extern "C" __global__ void barrier_reductions(const int *in, int *out) {
  int t = threadIdx.x, v = in[blockIdx.x * blockDim.x + t];
  int count = __syncthreads_count(v > 10);
  int all = __syncthreads_and(v >= 0);
  int any = __syncthreads_or(v > 95);
  if (t == 0) {
    out[3 * blockIdx.x] = count;
    out[3 * blockIdx.x + 1] = all;
    out[3 * blockIdx.x + 2] = any;
  }
}

// warps whose threads all leave early do not hold up the barrier of the others
extern "C" __global__ void exit_before_barrier(const int *in, int *out) {
  __shared__ int sum;
  int t = threadIdx.x;
  if (t == 0)
    sum = 0;
  __syncthreads();
  if (t >= 64) // warps 2 and 3 leave
    return;
  atomicAdd(&sum, in[blockIdx.x * blockDim.x + t]);
  __syncthreads();
  out[blockIdx.x * blockDim.x + t] = sum - in[blockIdx.x * blockDim.x + t];
}

// producer/consumer halves on named barrier 1 with an explicit thread count
extern "C" __global__ void named_barriers(const int *in, int *out) {
  __shared__ int stage[64];
  int t = threadIdx.x;
  if (t < 64) {
    stage[t] = in[blockIdx.x * 64 + t] * 3;
    asm volatile("bar.arrive 1, 128;" ::: "memory");
  } else {
    asm volatile("bar.sync 1, 128;" ::: "memory");
    out[blockIdx.x * 64 + t - 64] = stage[127 - t] + 1;
  }
}

// divergent exit: some lanes of every warp leave, the others keep working and write
extern "C" __global__ void divergent_exit(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int v = in[i];
  out[i] = -7;
  if ((v & 3) == 0)
    asm volatile("exit;");
  int acc = 0;
  for (int k = 0; k < (v & 15); ++k) {
    acc += k * v;
    if (acc > 1000 && (v & 1))
      asm volatile("exit;");
  }
  out[i] = acc;
}

// cooperative groups whose member masks differ per lane: votes over tiles of 8, and a max over
// labeled partitions (redux.sync with each lane's own group as its member mask)
extern "C" __global__ void per_group_votes(const int *in, int *out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int v = in[i];
  auto tile = cg::tiled_partition<8>(cg::this_thread_block());
  out[4 * i] = int(tile.ballot(v > 0));
  out[4 * i + 1] = tile.any(v > 50);
  out[4 * i + 2] = tile.all(v > -50);
  auto group = cg::labeled_partition(cg::coalesced_threads(), v & 3);
  out[4 * i + 3] = cg::reduce(group, v, cg::greater<int>());
}
