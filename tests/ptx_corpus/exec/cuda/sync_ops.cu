// Executed corpus: barrier reductions, warps that exit before a barrier, named barriers with
// thread counts, and exits from divergent code.
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
