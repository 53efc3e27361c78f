// Executed corpus: device printf, assert and the device heap (malloc/free) from divergent code.
#include <cassert>
#include <cstdio>

extern "C" __global__ void printf_divergent(const int *in, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n && in[i] % 5 == 0)
    printf("thread %d: v=%d half=%.2f hex=%x %s\n", i, in[i], in[i] * 0.5, in[i], in[i] > 50 ? "big" : "small");
}

extern "C" __global__ void assert_below(const int *in, int n, int limit) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    assert(in[i] < limit);
}

extern "C" __global__ void heap_sums(const int *in, long long *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int count = in[i] % 40 + 1;
  long long *buffer = (long long *)malloc(count * sizeof(long long));
  if (!buffer) {
    out[i] = -1;
    return;
  }
  for (int k = 0; k < count; ++k)
    buffer[k] = (long long)k * in[i];
  long long sum = 0;
  for (int k = count - 1; k >= 0; --k)
    sum += buffer[k];
  free(buffer);
  out[i] = sum;
}
