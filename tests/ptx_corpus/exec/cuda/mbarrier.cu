// Executed corpus: split-phase barriers (PTX mbarrier) through cuda::barrier and raw PTX, and
// asynchronous copies completing on them. CPU references in tests/exec/MbarrierTest.cpp.
#include <cuda/barrier>
#include <cooperative_groups.h>
#include <cooperative_groups/memcpy_async.h>

using block_barrier = cuda::barrier<cuda::thread_scope_block>;
// a __shared__ cuda::barrier is initialized by init() in the kernel, as CUDA's samples do
#pragma nv_diag_suppress static_var_with_dynamic_init

// several phases of one barrier: each thread reads what a neighbour wrote in the phase before
extern "C" __global__ void barrier_phases(const int *in, int *out) {
  __shared__ block_barrier bar;
  __shared__ int s[256];
  int t = threadIdx.x, n = blockDim.x;
  if (t == 0)
    init(&bar, n);
  __syncthreads();
  int v = in[blockIdx.x * n + t];
  for (int round = 0; round < 4; ++round) {
    s[t] = v;
    bar.arrive_and_wait();
    v = v + s[(t + 1 + round) % n] * (round + 1);
    bar.arrive_and_wait();
  }
  out[blockIdx.x * n + t] = v;
}

// split arrive and wait: each thread arrives, does independent work, then waits for the phase
extern "C" __global__ void split_arrive_wait(const int *in, int *out) {
  __shared__ block_barrier bar;
  __shared__ int s[128];
  int t = threadIdx.x, n = blockDim.x;
  if (t == 0)
    init(&bar, n);
  __syncthreads();
  s[t] = in[blockIdx.x * n + t] * 3;
  block_barrier::arrival_token token = bar.arrive();
  int own = 0;
  for (int k = 0; k < 20 + (t % 7); ++k) // work of different lengths before waiting
    own += (k * t) % 5;
  bar.wait(std::move(token));
  out[blockIdx.x * n + t] = own + s[n - 1 - t];
}

// warps leave the barrier's participants with arrive_and_drop: the later phases count fewer. (The
// decision is per warp: a lane waiting for the arrival of a lane of its own warp that took the
// other side of a branch needs independent thread scheduling, which OxCore's warps do not have.)
extern "C" __global__ void arrive_and_drop(const int *in, int *out) {
  __shared__ block_barrier bar;
  __shared__ int arrivals[4];
  int t = threadIdx.x, n = blockDim.x;
  if (t == 0)
    init(&bar, n);
  if (t < 4)
    arrivals[t] = 0;
  __syncthreads();
  int v = in[t];
  int rounds = 1 + t / 32 % 4; // warp w takes part in 1 + w % 4 phases
  for (int round = 0; round < 4; ++round) {
    if (round == rounds) {
      bar.arrive_and_drop();
      break;
    }
    atomicAdd(&arrivals[round], 1);
    bar.arrive_and_wait();
    v += arrivals[round] * (round + 1); // every participant of the phase has arrived
  }
  out[t] = v;
}

// cooperative_groups::memcpy_async into shared memory completing on a barrier, in two stages
extern "C" __global__ void memcpy_async_stages(const float *in, float *out, int chunk) {
  namespace cg = cooperative_groups;
  extern __shared__ float tile[]; // 2 * chunk floats
  __shared__ block_barrier bar;
  cg::thread_block block = cg::this_thread_block();
  if (block.thread_rank() == 0)
    init(&bar, block.size());
  block.sync();
  const float *src = in + blockIdx.x * 2 * chunk;
  cuda::memcpy_async(block, tile, src, sizeof(float) * chunk, bar);
  cuda::memcpy_async(block, tile + chunk, src + chunk, sizeof(float) * chunk, bar);
  bar.arrive_and_wait();
  float sum = 0;
  for (int k = block.thread_rank(); k < 2 * chunk; k += block.size())
    sum += tile[k] * tile[2 * chunk - 1 - k];
  out[blockIdx.x * block.size() + block.thread_rank()] = sum;
}

// raw PTX: init, arrive (returning the state), pending count, parity waits
extern "C" __global__ void raw_mbarrier(unsigned *out) {
  __shared__ unsigned long long bar;
  unsigned t = threadIdx.x, n = blockDim.x;
  unsigned address = static_cast<unsigned>(__cvta_generic_to_shared(&bar));
  if (t == 0)
    asm volatile("mbarrier.init.shared.b64 [%0], %1;" ::"r"(address), "r"(n));
  __syncthreads();
  unsigned done = 0, pending = 0;
  for (unsigned phase = 0; phase < 3; ++phase) {
    unsigned long long state;
    asm volatile("mbarrier.arrive.shared.b64 %0, [%1];" : "=l"(state) : "r"(address) : "memory");
    asm volatile("mbarrier.pending_count.b64 %0, %1;" : "=r"(pending) : "l"(state));
    unsigned complete = 0;
    while (!complete)
      asm volatile("{ .reg .pred p; mbarrier.test_wait.parity.shared.b64 p, [%1], %2; selp.u32 %0, 1, 0, p; }"
                   : "=r"(complete)
                   : "r"(address), "r"(phase & 1)
                   : "memory");
    done += complete;
  }
  // the state of an arrival holds the pending count before it: between 1 and n
  out[t] = done * 1000 + (pending >= 1 && pending <= n ? 1 : 0);
}
