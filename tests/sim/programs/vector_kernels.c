// Loops as clang 19 auto-vectorizes them for OxCore's vector configuration (V, VLEN 1024): the
// instruction sequences LLVM really emits (vsetvli strip-mining, unit-stride and strided
// accesses, gathers and scatters, masked tails and conditionals, widening and narrowing,
// reductions, conversions). Each kernel prints a checksum; oxsim must agree with qemu.
#include "rt.h"

#define N 1000 // not a multiple of the vector length: tails are exercised

typedef signed char i8;
typedef unsigned char u8;
typedef short i16;

static float fa[N], fb[N], fc[N];
static double da[N], db[N];
static i32 ia[N], ib[N], ic[N];
static i64 la[N], lb[N];
static i8 ca[N], cb[N];
static i16 sa[N];
static u32 idx[N];

static u64 seed = 88172645463325252ull;
static u64 next(void) { return xorshift(&seed); }

static u64 checksum_bytes(const void *p, u64 n) {
  const u8 *b = p;
  u64 h = 0xcbf29ce484222325ull;
  for (u64 i = 0; i < n; ++i) {
    h ^= b[i];
    h *= 0x100000001b3ull;
  }
  return h;
}
#define REPORT(name, array) (print(name " "), print_hex(checksum_bytes(array, sizeof array)))

__attribute__((noinline)) static void saxpy(float a, const float *x, float *y) {
  for (int i = 0; i < N; ++i)
    y[i] = a * x[i] + y[i];
}

__attribute__((noinline)) static i64 dot_int(const i32 *x, const i32 *y) {
  i64 s = 0;
  for (int i = 0; i < N; ++i)
    s += (i64)x[i] * y[i];
  return s;
}

__attribute__((noinline)) static void clamp_select(const i32 *x, i32 *y, i32 lo, i32 hi) {
  for (int i = 0; i < N; ++i)
    y[i] = x[i] < lo ? lo : x[i] > hi ? hi : (x[i] & 1 ? -x[i] : x[i] * 3);
}

__attribute__((noinline)) static void gather(const u32 *index, const double *src, double *dst) {
  for (int i = 0; i < N; ++i)
    dst[i] = src[index[i]] * 0.5 + 1.0;
}

__attribute__((noinline)) static void scatter(const u32 *index, const i32 *src, i32 *dst) {
  for (int i = 0; i < N; ++i)
    dst[index[i]] = src[i] + i;
}

__attribute__((noinline)) static void strided(const i32 *src, i32 *dst) {
  for (int i = 0; i < N / 3; ++i)
    dst[i] = src[3 * i] + src[3 * i + 1] * src[3 * i + 2];
}

__attribute__((noinline)) static i32 byte_sum(const i8 *x, const i8 *y) {
  i32 s = 0;
  for (int i = 0; i < N; ++i)
    s += x[i] * y[i];
  return s;
}

__attribute__((noinline)) static void narrow(const i32 *x, i16 *y) {
  for (int i = 0; i < N; ++i)
    y[i] = (i16)((x[i] >> 3) + 7);
}

__attribute__((noinline)) static void convert(const float *x, i32 *y, double *z) {
  for (int i = 0; i < N; ++i) {
    y[i] = (i32)(x[i] * 100.0f);
    z[i] = (double)x[i] * 3.0;
  }
}

__attribute__((noinline)) static i32 find_max(const i32 *x) {
  i32 m = x[0];
  for (int i = 1; i < N; ++i)
    m = x[i] > m ? x[i] : m;
  return m;
}

__attribute__((noinline)) static void int64_ops(const i64 *x, i64 *y) {
  for (int i = 0; i < N; ++i)
    y[i] = (x[i] >> 5) * 7 - (x[i] / 3) + (x[i] < 0 ? -x[i] : x[i]);
}

__attribute__((noinline)) static void matmul(const float *a, const float *b, float *c, int n) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      float s = 0;
      for (int k = 0; k < n; ++k)
        s += a[i * n + k] * b[k * n + j];
      c[i * n + j] = s;
    }
}

__attribute__((noinline)) static void conditional_store(const float *x, float *y) {
  for (int i = 0; i < N; ++i)
    if (x[i] > 0.25f)
      y[i] = x[i] * x[i];
}

int main(void) {
  for (int i = 0; i < N; ++i) {
    u64 r = next();
    fa[i] = (float)(i64)(r % 20001 - 10000) / 997.0f;
    fb[i] = (float)(i64)(r >> 20 & 1023) / 311.0f;
    da[i] = (double)(i64)(r % 1000003) / 7.0;
    ia[i] = (i32)(r >> 3);
    ib[i] = (i32)(r >> 29) % 1000;
    la[i] = (i64)next();
    ca[i] = (i8)(r >> 11);
    cb[i] = (i8)(r >> 37);
    idx[i] = (u32)((r >> 40) % N);
  }
  saxpy(1.75f, fa, fb);
  REPORT("saxpy", fb);
  print("dot_int ");
  print_dec(dot_int(ia, ib));
  clamp_select(ia, ic, -1000000, 1000000);
  REPORT("clamp_select", ic);
  gather(idx, da, db);
  REPORT("gather", db);
  scatter(idx, ib, ic);
  REPORT("scatter", ic);
  strided(ia, ic);
  REPORT("strided", ic);
  print("byte_sum ");
  print_dec(byte_sum(ca, cb));
  narrow(ia, sa);
  REPORT("narrow", sa);
  convert(fa, ic, db);
  REPORT("convert_int", ic);
  REPORT("convert_double", db);
  print("find_max ");
  print_dec(find_max(ia));
  int64_ops(la, lb);
  REPORT("int64_ops", lb);
  matmul(fa, fb, fc, 31);
  REPORT("matmul", fc);
  conditional_store(fa, fb);
  REPORT("conditional_store", fb);
  return 0;
}
