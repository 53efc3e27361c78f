// Device functions: noinline calls, recursion, function pointers (indirect calls), struct by value.
struct Vec3 { float x, y, z; };

__device__ __noinline__ int square_noinline(int x) { return x * x; }

__device__ __noinline__ float dot3(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }

__device__ __noinline__ Vec3 cross3(const Vec3 &a, const Vec3 &b) {
    return Vec3{a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

__device__ __noinline__ void out_params(int x, int *q, int *r) { *q = x / 10; *r = x % 10; }

__device__ __noinline__ int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__device__ __noinline__ unsigned long long factorial(unsigned n) { return n <= 1 ? 1ull : n * factorial(n - 1); }

struct Node { int value; int left; int right; };

__device__ __noinline__ int tree_sum(const Node *nodes, int idx) {
    if (idx < 0) return 0;
    const Node &nd = nodes[idx];
    return nd.value + tree_sum(nodes, nd.left) + tree_sum(nodes, nd.right);
}

__device__ __noinline__ int tree_depth(const Node *nodes, int idx) {
    if (idx < 0) return 0;
    int l = tree_depth(nodes, nodes[idx].left), r = tree_depth(nodes, nodes[idx].right);
    return 1 + (l > r ? l : r);
}

// mutual recursion
__device__ __noinline__ bool is_odd(unsigned n);
__device__ __noinline__ bool is_even(unsigned n) { return n == 0 ? true : is_odd(n - 1); }
__device__ __noinline__ bool is_odd(unsigned n) { return n == 0 ? false : is_even(n - 1); }

__global__ void call_noinline(const int *in, const float *f, int *out, float *fo, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int q, r;
        out_params(in[i], &q, &r);
        out[i] = square_noinline(in[i]) + q * 100 + r;
        Vec3 a{f[i], f[i] + 1, f[i] + 2}, b{1.0f, -1.0f, 0.5f};
        Vec3 c = cross3(a, b);
        fo[i] = dot3(a, b) + c.x + c.y + c.z;
    }
}

__global__ void recursion(const int *in, const Node *nodes, int root, long long *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int k = in[i] & 15;
        out[i * 5 + 0] = fib(k);
        out[i * 5 + 1] = (long long)factorial(k);
        out[i * 5 + 2] = tree_sum(nodes, root);
        out[i * 5 + 3] = tree_depth(nodes, root);
        out[i * 5 + 4] = is_even(in[i] & 31);
    }
}

typedef float (*unary_fn)(float);
__device__ float op_neg(float x) { return -x; }
__device__ float op_sq(float x) { return x * x; }
__device__ float op_half(float x) { return x * 0.5f; }
__device__ float op_inc(float x) { return x + 1.0f; }
__device__ unary_fn d_table[4] = {op_neg, op_sq, op_half, op_inc};

__global__ void indirect_calls(const float *in, const int *sel, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unary_fn f = d_table[sel[i] & 3];
        out[i] = f(in[i]);
    }
}

typedef int (*binop)(int, int);
__device__ int add_op(int a, int b) { return a + b; }
__device__ int mul_op(int a, int b) { return a * b; }
__device__ int max_op(int a, int b) { return a > b ? a : b; }

__device__ __noinline__ int fold(const int *v, int n, binop op, int init) {
    int acc = init;
    for (int k = 0; k < n; ++k) acc = op(acc, v[k]);
    return acc;
}

__global__ void fold_with_fnptr(const int *in, int *out, int n, int which) {
    binop ops[3] = {add_op, mul_op, max_op};
    if (threadIdx.x == 0) out[blockIdx.x] = fold(in, n, ops[which % 3], which == 1 ? 1 : 0);
}

class Shape {
  public:
    __device__ virtual float area() const = 0;
    __device__ virtual ~Shape() {}
};
class Square : public Shape {
    float s;
  public:
    __device__ Square(float s) : s(s) {}
    __device__ float area() const override { return s * s; }
};
class Circle : public Shape {
    float r;
  public:
    __device__ Circle(float r) : r(r) {}
    __device__ float area() const override { return 3.14159265f * r * r; }
};

__global__ void virtual_dispatch(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        Square sq(in[i]);
        Circle ci(in[i]);
        const Shape *s = (i & 1) ? static_cast<const Shape *>(&sq) : static_cast<const Shape *>(&ci);
        out[i] = s->area();
    }
}
