// Scalar workload for the simulator benchmark: integer hashing and sorting (about
// 3.6x10^8 instructions). Freestanding, on the same runtime as the qemu differential tests.
#include "rt.h"

#define N 200000
static u32 data[N];
static volatile u32 seed = 2026;

static void insertion_runs(u32 *a, i64 n) {
  for (i64 start = 0; start < n; start += 32) {
    i64 end = start + 32 < n ? start + 32 : n;
    for (i64 i = start + 1; i < end; ++i) {
      u32 v = a[i];
      i64 j = i - 1;
      while (j >= start && a[j] > v) {
        a[j + 1] = a[j];
        --j;
      }
      a[j + 1] = v;
    }
  }
}

int main(void) {
  u32 state = seed;
  u64 hash = 0;
  for (int round = 0; round < 24; ++round) {
    for (int i = 0; i < N; ++i) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      data[i] = state;
    }
    insertion_runs(data, N);
    for (int i = 0; i < N; ++i)
      hash = (hash ^ data[i]) * 0x100000001b3ul + (u64)__builtin_popcount(data[i]);
  }
  print_hex(hash);
  return 0;
}
