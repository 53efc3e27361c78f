// Executed conformance corpus, first file: the control-flow and memory shapes every backend must
// get right. The expected results are computed by CPU references in tests/exec/BasicsTest.cpp.
#include <cstdint>

extern "C" __global__ void vector_add(const float *a, const float *b, float *c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    c[i] = a[i] + b[i];
}

extern "C" __global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}

// if/else on data, both sides with memory accesses and different work
extern "C" __global__ void divergent_if_else(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int v = in[i];
  int r;
  if (v % 3 == 0) {
    r = v * 2;
    if (v & 1)
      r += 100;
  } else if (v % 3 == 1) {
    r = v + 7;
  } else {
    r = -v;
    for (int k = 0; k < (v & 7); ++k)
      r += k * v;
  }
  out[i] = r;
}

// a loop with a data-dependent trip count and a divergent break
extern "C" __global__ void divergent_loop_break(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int v = in[i];
  int acc = 0;
  for (int j = 0; j < (v & 63); ++j) {
    acc += j ^ v;
    if (acc > 5000)
      break;
    if ((acc & 3) == 1)
      continue;
    acc += 3;
  }
  out[i] = acc;
}

// nested loops, the inner one divergent, with an early return in the middle
extern "C" __global__ void nested_loops(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int v = in[i];
  if (v < 0) {
    out[i] = -1;
    return;
  }
  unsigned h = 2166136261u;
  for (int a = 0; a < 4; ++a) {
    for (int b = 0; b < (v >> a) % 9; ++b) {
      h = (h ^ unsigned(a * 31 + b)) * 16777619u;
      if (h % 97 == 0)
        goto done;
    }
  }
done:
  out[i] = int(h);
}

// shared memory tree reduction with __syncthreads in a loop; one partial sum per block
extern "C" __global__ void block_reduce(const float *in, float *out, int n) {
  __shared__ float partial[256];
  int t = threadIdx.x;
  int i = blockIdx.x * blockDim.x + t;
  partial[t] = i < n ? in[i] : 0.0f;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (t < s)
      partial[t] += partial[t + s];
    __syncthreads();
  }
  if (t == 0)
    out[blockIdx.x] = partial[0];
}

// warp shuffles, votes and ballots with the full mask
extern "C" __global__ void warp_ops(const int *in, int *sums, unsigned *ballots, int *votes,
                                    int *xors) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int v = in[i];
  int s = v;
  for (int o = 16; o > 0; o >>= 1)
    s += __shfl_down_sync(0xffffffffu, s, o);
  int x = v;
  for (int o = 1; o < 32; o <<= 1)
    x ^= __shfl_xor_sync(0xffffffffu, x, o);
  unsigned b = __ballot_sync(0xffffffffu, v > 50);
  int any = __any_sync(0xffffffffu, v > 95);
  int all = __all_sync(0xffffffffu, v >= 0);
  int lane = threadIdx.x & 31;
  xors[i] = x + __shfl_sync(0xffffffffu, v, (lane * 7) & 31) + __shfl_up_sync(0xffffffffu, v, 3);
  if (lane == 0) {
    int w = i / 32;
    sums[w] = s;
    ballots[w] = b;
    votes[w] = any * 2 + all;
  }
}

// atomics under contention: a histogram in global memory
extern "C" __global__ void histogram(const unsigned *in, unsigned *bins, int n, int nbins) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    atomicAdd(&bins[in[i] % nbins], 1u);
}

// a per-thread array indexed with data: local memory
extern "C" __global__ void local_array(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int table[24];
  for (int k = 0; k < 24; ++k)
    table[k] = in[i] * (k + 1) - k;
  int idx = in[i] & 15;
  int r = 0;
  for (int k = 0; k < 8; ++k)
    r += table[(idx + k * 5) % 24];
  out[i] = r;
}

// 64-bit integers and doubles: a per-thread polynomial with division and remainder
extern "C" __global__ void wide_math(const long long *in, long long *q, double *d, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  long long v = in[i];
  long long divisor = (v % 13) + 14;
  q[i] = v / divisor + (v % divisor) * 1000003LL;
  double x = double(v) * 1e-3;
  d[i] = x * x * 0.5 - x / 3.0 + 1.0;
}

// thread indices in 3-D blocks whose size is not a multiple of the warp size
extern "C" __global__ void thread_ids_3d(unsigned *out) {
  unsigned block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  unsigned t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  unsigned threads = blockDim.x * blockDim.y * blockDim.z;
  out[block * threads + t] = (threadIdx.x << 20) | (threadIdx.y << 10) | threadIdx.z | (block << 26);
}

// a loop every thread runs the same number of times, around a divergent accumulation from
// memory (the shape of CUDA's reduction sample kernels 4 and 8): the value leaving the loop is
// per-thread even though all lanes leave together
extern "C" __global__ void uniform_loop_divergent_sum(const int *in, int *out) {
  __shared__ int tile[256];
  unsigned tid = threadIdx.x;
  tile[tid] = in[blockIdx.x * blockDim.x + tid];
  __syncthreads();
  int v = int(tid) * 3 + 1;
  for (unsigned s = blockDim.x / 2; s > 32; s >>= 1)
    if (tid < s)
      v += tile[tid + s] + in[tid + s];
  out[blockIdx.x * blockDim.x + tid] = v;
}

// %pm0 (a performance-monitor counter; OxCore: instructions retired) across a loop of n steps
extern "C" __global__ void perf_counter(unsigned *out, int n) {
  unsigned before, after;
  int acc = 0;
  asm volatile("mov.u32 %0, %%pm0;" : "=r"(before));
  for (int i = 0; i < n; ++i)
    acc += i * int(threadIdx.x) ^ acc;
  asm volatile("mov.u32 %0, %%pm0;" : "=r"(after));
  out[threadIdx.x] = after - before;
  out[32 + threadIdx.x] = unsigned(acc);
}

// inclusive Hillis-Steele scan of each block in shared memory, the array the CTA's only shared
// variable (offset 0): s[cur][t - offset] lies below the array for lanes t < offset, which are
// inactive, so warp 0's affine base wraps in 32 bits while its active lanes' addresses are valid
extern "C" __global__ void shared_scan(const int *in, int *out) {
  __shared__ int s[2][256];
  int t = threadIdx.x, cur = 0;
  s[0][t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  for (int offset = 1; offset < blockDim.x; offset <<= 1) {
    int v = s[cur][t];
    if (t >= offset)
      v += s[cur][t - offset];
    s[1 - cur][t] = v;
    cur = 1 - cur;
    __syncthreads();
  }
  out[blockIdx.x * blockDim.x + t] = s[cur][t];
}
