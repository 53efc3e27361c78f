// Executed conformance corpus: device functions that stay calls after nvcc -O3: recursion (direct,
// mutual, with per-frame local arrays and pointers into the caller's frame, divergent depth),
// function pointers in tables and in registers, and virtual functions. The expected results are
// computed by CPU references in tests/exec/CallsTest.cpp.
#include <cstdint>

// --- direct recursion, divergent depth ---------------------------------------------------------

__device__ __noinline__ int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

extern "C" __global__ void fib_recursive(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = fib(in[i]);
}

// 64-bit values and a result that is not a tail call
__device__ __noinline__ uint64_t binomial(int n, int k) {
  if (k == 0 || k == n)
    return 1;
  return binomial(n - 1, k - 1) + binomial(n - 1, k);
}

extern "C" __global__ void binomial_recursive(const int2 *in, unsigned long long *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = binomial(in[i].x, in[i].y);
}

// --- mutual recursion through floating point ---------------------------------------------------

__device__ __noinline__ float collatz_odd(int v, int depth);

__device__ __noinline__ float collatz_even(int v, int depth) {
  if (v <= 1 || depth > 60)
    return float(depth);
  return (v & 1) ? collatz_odd(v, depth + 1) : collatz_even(v >> 1, depth + 1) + 0.5f;
}

__device__ __noinline__ float collatz_odd(int v, int depth) {
  if (depth > 60)
    return -1.0f;
  return collatz_even(3 * v + 1, depth + 1) * 1.25f;
}

extern "C" __global__ void mutual_recursion(const int *in, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = collatz_even(in[i], 0);
}

// --- recursion over data in global memory: a binary tree per thread ----------------------------

struct Node {
  int value, left, right; // children as indices, -1 for none
};

__device__ __noinline__ int tree_depth_sum(const Node *nodes, int at, int depth) {
  if (at < 0)
    return 0;
  const Node &node = nodes[at];
  return node.value * depth + tree_depth_sum(nodes, node.left, depth + 1) +
         tree_depth_sum(nodes, node.right, depth + 1);
}

extern "C" __global__ void tree_walk(const Node *nodes, const int *roots, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tree_depth_sum(nodes, roots[i], 1);
}

// --- recursion with a local array per frame and pointers into the caller's frame ---------------

__device__ __noinline__ void quicksort(int *a, int lo, int hi) {
  while (lo < hi) {
    int pivot = a[(lo + hi) / 2], i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot)
        ++i;
      while (a[j] > pivot)
        --j;
      if (i <= j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        ++i;
        --j;
      }
    }
    if (j - lo < hi - i) { // recurse into the smaller side
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

constexpr int kSortLength = 24;

extern "C" __global__ void local_quicksort(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  int a[kSortLength];
  for (int k = 0; k < kSortLength; ++k)
    a[k] = in[i * kSortLength + k];
  quicksort(a, 0, kSortLength - 1);
  for (int k = 0; k < kSortLength; ++k)
    out[i * kSortLength + k] = a[k];
}

// every frame has its own array: digits of n in base b written into a local buffer, reversed by
// the recursion's unwinding, then summed with weights
__device__ __noinline__ int digit_frames(unsigned v, unsigned base, int depth) {
  int digits[4];
  for (int k = 0; k < 4; ++k) {
    digits[k] = int(v % base);
    v /= base;
  }
  int inner = v ? digit_frames(v, base, depth + 1) : 0;
  int sum = inner * 3;
  for (int k = 3; k >= 0; --k)
    sum = sum * 7 + digits[k] * (depth + k + 1);
  return sum;
}

extern "C" __global__ void local_frames(const unsigned *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = digit_frames(in[i], 2 + (i % 9), 0);
}

// --- function pointers ---------------------------------------------------------------------------

typedef int (*binary_op)(int, int);

__device__ __noinline__ int op_add(int a, int b) { return a + b; }
__device__ __noinline__ int op_sub(int a, int b) { return a - b; }
__device__ __noinline__ int op_mul(int a, int b) { return a * b; }
__device__ __noinline__ int op_max(int a, int b) { return a > b ? a : b; }

__device__ binary_op op_table[4] = {op_add, op_sub, op_mul, op_max};

// the callee chosen per thread from a table in global memory: up to four targets in a warp
extern "C" __global__ void pointer_table(const int *a, const int *b, const int *which, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = op_table[which[i] & 3](a[i], b[i]);
}

// a pointer chosen in code, applied in a loop (the same target for the whole loop per thread)
extern "C" __global__ void pointer_fold(const int *data, int *out, int n, int length) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  binary_op f = (i % 3 == 0) ? op_add : (i % 3 == 1) ? op_max : op_sub;
  int acc = data[i * length];
  for (int k = 1; k < length; ++k)
    acc = f(acc, data[i * length + k]);
  out[i] = acc;
}

// a recursive function called through a pointer
typedef int (*unary_op)(int);
__device__ __noinline__ int digit_sum(int v) { return v < 10 ? v : v % 10 + digit_sum(v / 10); }
__device__ __noinline__ int popcount_rec(int v) { return v == 0 ? 0 : (v & 1) + popcount_rec(unsigned(v) >> 1); }

extern "C" __global__ void pointer_to_recursive(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  unary_op f = (in[i] & 1) ? digit_sum : popcount_rec;
  out[i] = f(in[i]);
}

// callees with side effects: each must run for exactly the lanes that chose it
typedef void (*effect_op)(int *, int *, int);
__device__ __noinline__ void halve(int *counts, int *out, int v) {
  atomicAdd(&counts[0], 1);
  *out = v / 2;
}
__device__ __noinline__ void triple(int *counts, int *out, int v) {
  atomicAdd(&counts[1], 1);
  *out = 3 * v + 1;
}
__device__ __noinline__ void negate(int *counts, int *out, int v) {
  atomicAdd(&counts[2], v);
  *out = -v;
}
__device__ effect_op effect_table[3] = {halve, triple, negate};

extern "C" __global__ void pointer_side_effects(const int *in, int *counts, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n && in[i] % 5 != 0)
    effect_table[in[i] % 3](counts, &out[i], in[i]);
}

// --- virtual functions ---------------------------------------------------------------------------

struct Shape {
  __device__ virtual float area() const = 0;
  __device__ virtual float scaled(float k) const { return k * area(); }
};

struct Rect : Shape {
  float w, h;
  __device__ Rect(float w, float h) : w(w), h(h) {}
  __device__ float area() const override { return w * h; }
};

struct Circle : Shape {
  float r;
  __device__ explicit Circle(float r) : r(r) {}
  __device__ float area() const override { return 3.0f * r * r; }
  __device__ float scaled(float k) const override { return k * k * area(); }
};

extern "C" __global__ void virtual_calls(const float *x, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  Rect rect(x[i], 2.0f);
  Circle circle(x[i]);
  const Shape *s = (i % 3 == 1) ? static_cast<const Shape *>(&circle) : &rect;
  out[i] = s->scaled(1.5f) + s->area();
}

// --- calls under warp-level structure -------------------------------------------------------------

// recursion inside a block-wide loop with barriers around it: every thread calls, the results meet
// in shared memory
extern "C" __global__ void recursion_with_barriers(const int *in, int *out) {
  __shared__ int partial[128];
  int t = threadIdx.x;
  int total = 0;
  for (int round = 0; round < 3; ++round) {
    partial[t] = fib(in[blockIdx.x * blockDim.x * 3 + round * blockDim.x + t] & 15);
    __syncthreads();
    if (t == 0)
      for (int k = 0; k < blockDim.x; ++k)
        total += partial[k];
    __syncthreads();
  }
  if (t == 0)
    out[blockIdx.x] = total;
}

// deep recursion: the depth is a parameter (a uniform value) plus the thread's offset
__device__ __noinline__ long long deep_sum(const int *data, int k) {
  if (k < 0)
    return 0;
  return data[k] + 3 * deep_sum(data, k - 1) % 1000003;
}

extern "C" __global__ void deep_recursion(const int *data, long long *out, int depth) {
  int t = threadIdx.x;
  out[blockIdx.x * blockDim.x + t] = deep_sum(data, depth + (t & 7));
}

// a 64-byte local array per frame, each frame reading its caller's: with a large depth the frames
// outgrow the per-thread stack (a fault, not corrupted memory)
__device__ __noinline__ int chained_frames(const int *outer, int k) {
  int buf[16];
  for (int j = 0; j < 16; ++j)
    buf[j] = outer[(j + k) & 15] * 3 + j;
  if (k <= 0)
    return buf[0] + buf[15];
  return chained_frames(buf, k - 1) ^ buf[k & 15];
}

extern "C" __global__ void frame_chain(const int *seed, int *out, int depth) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  int first[16];
  for (int j = 0; j < 16; ++j)
    first[j] = seed[j] + t;
  out[t] = chained_frames(first, depth + (t & 3));
}
