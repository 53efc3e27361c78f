// Vector workload for the simulator benchmark: auto-vectorized kernels at VLEN 1024 (saxpy,
// an int32 dot product, an f64 gather, a masked conditional, an int8 widening sum) repeated
// over arrays larger than one vector. Freestanding, on the qemu differential tests' runtime.
#include "rt.h"

#define N 8192
typedef signed char i8;

static float x[N], y[N];
static i32 a[N], b[N];
static double d[N], e[N];
static u32 index[N];
static i8 p[N], q[N];

__attribute__((noinline)) static void saxpy(float s) {
  for (int i = 0; i < N; ++i)
    y[i] = s * x[i] + y[i];
}
__attribute__((noinline)) static i64 dot(void) {
  i64 sum = 0;
  for (int i = 0; i < N; ++i)
    sum += (i64)a[i] * b[i];
  return sum;
}
__attribute__((noinline)) static void gather(void) {
  for (int i = 0; i < N; ++i)
    e[i] = d[index[i]] * 0.5 + e[i];
}
__attribute__((noinline)) static void conditional(void) {
  for (int i = 0; i < N; ++i)
    if (x[i] > 0.5f)
      y[i] = y[i] * 0.25f;
}
__attribute__((noinline)) static i32 bytes(void) {
  i32 sum = 0;
  for (int i = 0; i < N; ++i)
    sum += p[i] * q[i];
  return sum;
}

int main(void) {
  u32 state = 2026;
  for (int i = 0; i < N; ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    x[i] = (float)(state % 1000) / 1000.0f;
    y[i] = (float)(state % 777) / 777.0f;
    a[i] = (i32)state;
    b[i] = (i32)(state >> 7);
    d[i] = (double)(state % 100003);
    index[i] = state % N;
    p[i] = (i8)state;
    q[i] = (i8)(state >> 9);
  }
  u64 hash = 0;
  for (int round = 0; round < 400; ++round) {
    saxpy(1.0001f);
    hash = hash * 31 + (u64)dot();
    gather();
    conditional();
    hash = hash * 31 + (u64)bytes();
  }
  u32 bits;
  __builtin_memcpy(&bits, &y[N / 2], 4);
  print_hex(hash ^ bits ^ (u64)e[N / 3]);
  return 0;
}
