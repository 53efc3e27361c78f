// Executed corpus: warp operations with widths, varying source lanes and partial member masks.
extern "C" __global__ void shuffle_widths(const int *in, int *out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int v = in[i], lane = threadIdx.x & 31;
  int *o = out + 6 * i;
  o[0] = __shfl_down_sync(0xffffffffu, v, 1, 8);
  o[1] = __shfl_up_sync(0xffffffffu, v, 2, 16);
  o[2] = __shfl_xor_sync(0xffffffffu, v, 5, 16);
  o[3] = __shfl_sync(0xffffffffu, v, (lane * 3 + v) & 7, 8); // varying source within groups of 8
  o[4] = __shfl_sync(0xffffffffu, v, v & 31);                // varying source, whole warp
  o[5] = __shfl_down_sync(0xffffffffu, v, 4);
}

extern "C" __global__ void partial_masks(const int *in, unsigned *out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int v = in[i], lane = threadIdx.x & 31;
  unsigned *o = out + 4 * i;
  o[0] = o[1] = o[2] = o[3] = 0xdeadbeefu;
  if (v % 3 != 0) { // a data-dependent subset of the warp
    unsigned active = __activemask();
    o[0] = active;
    o[1] = __ballot_sync(active, v > 50);
    o[2] = __any_sync(active, v > 90) * 2 + __all_sync(active, v > 5);
    o[3] = __match_any_sync(active, v & 3);
  }
  if (lane < 20) {
    unsigned low = 0xfffffu;
    o[3] += __popc(__ballot_sync(low, v & 1));
  }
}

extern "C" __global__ void warp_reductions(const unsigned *in, unsigned *out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned v = in[i];
  unsigned *o = out + 4 * i;
  o[0] = __reduce_add_sync(0xffffffffu, v);
  o[1] = __reduce_max_sync(0xffffffffu, v);
  o[2] = __reduce_min_sync(0xffffffffu, v);
  int pred;
  unsigned all = __match_all_sync(0xffffffffu, v >> 30, &pred);
  o[3] = all ^ (unsigned)pred;
  __syncwarp();
}

// 64-bit match: values that differ only in their high word must not match
extern "C" __global__ void match_64(const unsigned long long *in, unsigned *out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned long long v = in[i];
  unsigned *o = out + 2 * i;
  o[0] = o[1] = 0xdeadbeefu;
  if (v & 4) { // a data-dependent subset of the warp
    unsigned active = __activemask();
    o[0] = __match_any_sync(active, v & 0x300000003ull);
    int pred;
    unsigned all = __match_all_sync(active, v >> 40, &pred);
    o[1] = all ^ unsigned(pred);
  }
}
