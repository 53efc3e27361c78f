// Executed corpus: the atomic operations under contention, in global and shared memory.
extern "C" __global__ void atomic_mix(const int *in, int *ints, unsigned *uints,
                                      unsigned long long *wide, float *floats, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int v = in[i];
  atomicMin(&ints[0], v);
  atomicMax(&ints[1], v);
  atomicAdd(&ints[2], v);
  atomicSub(&ints[3], v & 7);
  atomicAnd(&uints[0], ~(1u << (v & 31)));
  atomicOr(&uints[1], 1u << (v & 31));
  atomicXor(&uints[2], (unsigned)v);
  atomicInc(&uints[3], 100u);        // wraps to 0 after 100
  atomicDec(&uints[4], 50u);         // wraps to 50 below 1
  atomicAdd(&wide[0], (unsigned long long)v * 1000003ull);
  atomicMax(&wide[1], (unsigned long long)v << 33);
  atomicAdd(&floats[0], 0.25f * (v & 15)); // exact: every partial sum is a multiple of 0.25 < 2^22
}

// float max through a compare-and-swap loop (each lane retries until its CAS wins)
extern "C" __global__ void cas_float_max(const float *in, float *best, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float v = in[i];
  int *addr = (int *)best;
  int old = *addr;
  while (__int_as_float(old) < v) {
    int assumed = old;
    old = atomicCAS(addr, assumed, __float_as_int(v));
    if (old == assumed)
      break;
  }
}

// per-block counters in shared memory, then exchanged into global
extern "C" __global__ void shared_counters(const int *in, int *out, unsigned *last) {
  __shared__ int counts[4];
  __shared__ int total;
  if (threadIdx.x < 4)
    counts[threadIdx.x] = 0;
  if (threadIdx.x == 0)
    total = 0;
  __syncthreads();
  int v = in[blockIdx.x * blockDim.x + threadIdx.x];
  atomicAdd(&counts[v & 3], 1);
  atomicAdd(&total, v);              // every lane of the CTA on one address
  __syncthreads();
  if (threadIdx.x < 4)
    out[blockIdx.x * 5 + threadIdx.x] = counts[threadIdx.x];
  if (threadIdx.x == 0) {
    out[blockIdx.x * 5 + 4] = total;
    atomicExch(last, blockIdx.x + 1000u);
  }
}
