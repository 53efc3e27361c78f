// Executed corpus: dynamic shared memory (with and without static shared variables), strided
// scratchpad patterns and barriers between phases.
extern "C" __global__ void reverse_dynamic(const float *in, float *out, int n) {
  extern __shared__ float buffer[];
  int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;
  buffer[t] = i < n ? in[i] : -1.0f;
  __syncthreads();
  int j = blockIdx.x * blockDim.x + (blockDim.x - 1 - t);
  if (j < n)
    out[j] = buffer[t];
}

extern "C" __global__ void static_and_dynamic(const int *in, int *out) {
  __shared__ int header[3];
  extern __shared__ int rows[]; // blockDim.x ints after the static ones
  int t = threadIdx.x;
  if (t < 3)
    header[t] = (t + 1) * 100;
  rows[t] = in[blockIdx.x * blockDim.x + t];
  __syncthreads();
  // a stride-2 (two-way bank conflict) read and a column read of a 16-wide row-major tile
  int a = rows[(2 * t) % blockDim.x];
  int b = rows[(t % 16) * (blockDim.x / 16) + t / 16];
  out[blockIdx.x * blockDim.x + t] = a + 3 * b + header[t % 3];
}

// which state space a generic pointer points into (isspacep); .const is left out: OxCore v1
// keeps __constant__ data in global memory (docs/backend.md)
extern "C" __global__ void pointer_spaces(int *global, unsigned *out) {
  __shared__ int shared[32];
  int local[8];
  int t = threadIdx.x;
  local[t & 7] = t;
  shared[t] = local[(t * 3) & 7];
  const void *pointers[3] = {global + t, &shared[t], &local[t & 7]};
  const void *p = pointers[(t + global[t]) % 3];
  out[t] = __isGlobal(p) | __isShared(p) << 1 | __isLocal(p) << 2;
}
