// Device functions that stay calls, through the shim: a recursive expression evaluator over a tree
// in device memory, objects with virtual functions constructed by one kernel and used by another
// (their vtables live in device memory), the per-thread stack limit (cudaDeviceSetLimit), and a
// recursion that outgrows it (a sticky cudaErrorHardwareStackError). CPU references.
#include "check.h"

#include <cuda_runtime.h>

#include <vector>

// --- recursion: expression trees -----------------------------------------------------------------

struct Expr {
  int op; // 0: constant, 1: add, 2: multiply, 3: subtract
  int value, left, right;
};

__host__ __device__ long long evaluate(const Expr *nodes, int at) {
  const Expr &e = nodes[at];
  if (e.op == 0)
    return e.value;
  long long l = evaluate(nodes, e.left), r = evaluate(nodes, e.right);
  return e.op == 1 ? l + r : e.op == 2 ? l * r % 1000003 : l - r;
}

__global__ void evaluate_all(const Expr *nodes, const int *roots, long long *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = evaluate(nodes, roots[i]);
}

// --- virtual functions on objects made on the device ---------------------------------------------

struct Shape {
  __device__ virtual ~Shape() {}
  __device__ virtual float area() const = 0;
  __device__ virtual int sides() const { return 0; }
};
struct Square : Shape {
  float a;
  __device__ explicit Square(float a) : a(a) {}
  __device__ float area() const override { return a * a; }
  __device__ int sides() const override { return 4; }
};
struct Triangle : Shape {
  float b, h;
  __device__ Triangle(float b, float h) : b(b), h(h) {}
  __device__ float area() const override { return 0.5f * b * h; }
  __device__ int sides() const override { return 3; }
};
struct Disc : Shape {
  float r;
  __device__ explicit Disc(float r) : r(r) {}
  __device__ float area() const override { return 3.14159265f * r * r; }
};

__global__ void make_shapes(Shape **shapes, const float *size, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  switch (i % 3) {
  case 0: shapes[i] = new Square(size[i]); break;
  case 1: shapes[i] = new Triangle(size[i], 2.0f); break;
  default: shapes[i] = new Disc(size[i]); break;
  }
}

__global__ void measure_shapes(Shape *const *shapes, float *area, int *sides, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  area[i] = shapes[i]->area();
  sides[i] = shapes[i]->sides();
}

// one block larger than the default 8 MiB heap
__global__ void big_block(char **out) {
  char *p = static_cast<char *>(malloc(24 << 20));
  if (p) {
    p[0] = 1;
    p[(24 << 20) - 1] = 2;
  }
  *out = p;
}

__global__ void free_shapes(Shape **shapes, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    delete shapes[i];
}

// --- the stack limit -------------------------------------------------------------------------------

__device__ __noinline__ int frames(const int *outer, int k) {
  int buf[32]; // 128 bytes per frame
  for (int j = 0; j < 32; ++j)
    buf[j] = outer[(j + k) & 31] + j;
  return k <= 0 ? buf[k & 31] : frames(buf, k - 1) + (buf[7] & 1);
}

__global__ void deep_frames(int *out, int depth) {
  int first[32];
  for (int j = 0; j < 32; ++j)
    first[j] = j * threadIdx.x;
  out[threadIdx.x] = frames(first, depth);
}

int hostFrames(const int *outer, int k) {
  int buf[32];
  for (int j = 0; j < 32; ++j)
    buf[j] = outer[(j + k) & 31] + j;
  return k <= 0 ? buf[k & 31] : hostFrames(buf, k - 1) + (buf[7] & 1);
}

int main() {
  // random expression trees of up to 12 levels, one per thread
  const int n = 500;
  std::vector<Expr> tree;
  unsigned seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u, int(seed >> 8); };
  auto grow = [&](auto &self, int depth) -> int {
    int at = int(tree.size());
    tree.push_back({0, next() % 100, 0, 0});
    if (depth < 12 && next() % 5 < 3) {
      int left = self(self, depth + 1), right = self(self, depth + 1);
      tree[at] = {1 + next() % 3, 0, left, right};
    }
    return at;
  };
  std::vector<int> roots(n);
  for (int &r : roots)
    r = grow(grow, 0);
  const int nodes = int(tree.size());
  Expr *dtree;
  int *droots;
  long long *dvalues;
  CHECK(cudaMalloc(&dtree, nodes * sizeof(Expr)));
  CHECK(cudaMalloc(&droots, n * sizeof(int)));
  CHECK(cudaMalloc(&dvalues, n * sizeof(long long)));
  CHECK(cudaMemcpy(dtree, tree.data(), nodes * sizeof(Expr), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(droots, roots.data(), n * sizeof(int), cudaMemcpyHostToDevice));
  evaluate_all<<<(n + 127) / 128, 128>>>(dtree, droots, dvalues, n);
  CHECK(cudaGetLastError());
  std::vector<long long> values(n);
  CHECK(cudaMemcpy(values.data(), dvalues, n * sizeof(long long), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i)
    EXPECT(values[i] == evaluate(tree.data(), roots[i]));

  // the device heap: 8 MiB by default, resizable while no block is in use
  size_t heap = 0;
  CHECK(cudaDeviceGetLimit(&heap, cudaLimitMallocHeapSize));
  EXPECT(heap == 8u << 20);
  char **dblock;
  CHECK(cudaMalloc(&dblock, sizeof(char *)));
  big_block<<<1, 1>>>(dblock);
  char *block = nullptr;
  CHECK(cudaMemcpy(&block, dblock, sizeof(char *), cudaMemcpyDeviceToHost));
  EXPECT(block == nullptr); // 24 MiB does not fit in 8
  CHECK(cudaDeviceSetLimit(cudaLimitMallocHeapSize, 64u << 20));
  CHECK(cudaDeviceGetLimit(&heap, cudaLimitMallocHeapSize));
  EXPECT(heap == 64u << 20);
  big_block<<<1, 1>>>(dblock);
  CHECK(cudaMemcpy(&block, dblock, sizeof(char *), cudaMemcpyDeviceToHost));
  EXPECT(block != nullptr);
  // the block is still allocated: the heap cannot change now
  EXPECT(cudaDeviceSetLimit(cudaLimitMallocHeapSize, 128u << 20) == cudaErrorInvalidValue);

  const int shapes = 300;
  std::vector<float> size(shapes);
  for (int i = 0; i < shapes; ++i)
    size[i] = 0.5f + float(i % 17);
  Shape **dshapes;
  float *dsize, *darea;
  int *dsides;
  CHECK(cudaMalloc(&dshapes, shapes * sizeof(Shape *)));
  CHECK(cudaMalloc(&dsize, shapes * sizeof(float)));
  CHECK(cudaMalloc(&darea, shapes * sizeof(float)));
  CHECK(cudaMalloc(&dsides, shapes * sizeof(int)));
  CHECK(cudaMemcpy(dsize, size.data(), shapes * sizeof(float), cudaMemcpyHostToDevice));
  make_shapes<<<3, 128>>>(dshapes, dsize, shapes);
  measure_shapes<<<3, 128>>>(dshapes, darea, dsides, shapes);
  free_shapes<<<3, 128>>>(dshapes, shapes);
  CHECK(cudaDeviceSynchronize());
  std::vector<float> area(shapes);
  std::vector<int> sides(shapes);
  CHECK(cudaMemcpy(area.data(), darea, shapes * sizeof(float), cudaMemcpyDeviceToHost));
  CHECK(cudaMemcpy(sides.data(), dsides, shapes * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < shapes; ++i) {
    float s = size[i];
    float expected = i % 3 == 0 ? s * s : i % 3 == 1 ? 0.5f * s * 2.0f : 3.14159265f * s * s;
    EXPECT(area[i] == expected);
    EXPECT(sides[i] == (i % 3 == 0 ? 4 : i % 3 == 1 ? 3 : 0));
  }

  // 60 frames of 128 bytes need 7.5 KiB per thread: above the default 1 KiB, within 16 KiB
  size_t stack = 0;
  CHECK(cudaDeviceGetLimit(&stack, cudaLimitStackSize));
  EXPECT(stack == 1024);
  CHECK(cudaDeviceSetLimit(cudaLimitStackSize, 16 * 1024));
  int *dout;
  CHECK(cudaMalloc(&dout, 64 * sizeof(int)));
  deep_frames<<<1, 64>>>(dout, 60);
  std::vector<int> out(64);
  CHECK(cudaMemcpy(out.data(), dout, 64 * sizeof(int), cudaMemcpyDeviceToHost));
  for (int t = 0; t < 64; ++t) {
    int first[32];
    for (int j = 0; j < 32; ++j)
      first[j] = j * t;
    EXPECT(out[t] == hostFrames(first, 60));
  }
  // back to the default: the same launch overflows the stack, a sticky error
  CHECK(cudaDeviceSetLimit(cudaLimitStackSize, 1024));
  deep_frames<<<1, 64>>>(dout, 60);
  cudaError_t e = cudaDeviceSynchronize();
  EXPECT(e == cudaErrorHardwareStackError);
  std::printf("PASS\n");
  return 0;
}
