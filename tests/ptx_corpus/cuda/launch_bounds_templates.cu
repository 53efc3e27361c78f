// Performance annotations and C++ features: __launch_bounds__ (maxntid, minnctapersm, maxclusterrank),
// __maxnreg__, templates, #pragma unroll/nounroll, __restrict__, __builtin_assume, __builtin_expect.
template <typename T, int N>
__device__ T sum_n(const T *p) {
    T acc = T(0);
#pragma unroll
    for (int k = 0; k < N; ++k) acc += p[k];
    return acc;
}

template <typename T, int BLOCK>
__global__ void __launch_bounds__(BLOCK) block_sum(const T *in, T *out, int n) {
    __shared__ T s[BLOCK];
    int t = threadIdx.x;
    int i = blockIdx.x * BLOCK + t;
    s[t] = i < n ? in[i] : T(0);
    __syncthreads();
#pragma unroll
    for (int st = BLOCK / 2; st > 0; st >>= 1) {
        if (t < st) s[t] += s[t + st];
        __syncthreads();
    }
    if (t == 0) out[blockIdx.x] = s[0];
}

template __global__ void block_sum<float, 256>(const float *, float *, int);
template __global__ void block_sum<int, 128>(const int *, int *, int);
template __global__ void block_sum<double, 64>(const double *, double *, int);
template __global__ void block_sum<long long, 32>(const long long *, long long *, int);

__global__ void __launch_bounds__(512, 2) bounded_min_blocks(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i + 8 <= n) out[i] = sum_n<float, 8>(in + i);
}

__global__ void __maxnreg__(32) reg_limited(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = in[i] * in[i] + 1.0f;
}

__global__ void no_unroll_loop(const int *in, int *out, int n) {
    int acc = 0;
#pragma unroll 1
    for (int k = 0; k < n; ++k) acc = acc * 31 + in[k];
    out[threadIdx.x] = acc;
}

__global__ void partial_unroll(const float *__restrict__ in, float *__restrict__ out, int n) {
    float acc = 0.0f;
#pragma unroll 4
    for (int k = threadIdx.x; k < n; k += blockDim.x) acc += in[k];
    out[threadIdx.x] = acc;
}

__global__ void assumptions(const int *in, int *out, int n) {
    __builtin_assume(n > 0);
    __builtin_assume(n % 4 == 0);
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (__builtin_expect(i < n, 1)) out[i] = in[i] / 4 + in[i] % 4;
}

__global__ void __launch_bounds__(128, 4) reqd_block_size(int *out) {
    out[blockIdx.x * blockDim.x + threadIdx.x] = blockDim.x * gridDim.x;
}

template <typename F>
__device__ int apply_lambda(F f, int x) { return f(x) + f(x + 1); }

__global__ void lambdas(const int *in, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int k = 3;
    auto f = [k](int v) { return v * k - 1; };
    if (i < n) out[i] = apply_lambda(f, in[i]);
}
