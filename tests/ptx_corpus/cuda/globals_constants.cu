// Module-scope variables: __constant__ arrays, __device__ globals with initializers (scalars, arrays,
// structs, pointers to other globals), __managed__, string literals, static and const data.
struct Coeffs { float a, b; int n; short tag[4]; };

__constant__ float c_weights[16] = {0.5f, 0.25f, 0.125f, 0.0625f, 1.0f, 2.0f, 3.0f, 4.0f,
                                    -1.0f, -2.0f, 1e-3f, 1e3f, 3.14159f, 2.71828f, 0.0f, -0.0f};
__constant__ Coeffs c_coeffs = {1.5f, -0.5f, 7, {1, -2, 3, -4}};
__constant__ int c_uninit[64];
__constant__ double c_poly[4] = {1.0, -0.5, 0.041666666666666664, -0.001388888888888889};

__device__ int g_counter = 0;
__device__ unsigned long long g_big = 0xdeadbeefcafebabeull;
__device__ int g_matrix[3][4] = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};
__device__ float g_vec[8];
__device__ int *g_ptr_to_matrix = &g_matrix[1][2];
__device__ const char g_message[] = "hello, ptx";
__device__ __managed__ int m_managed_value = 17;
static __device__ short s_private_table[5] = {-1, 2, -3, 4, -5};
__device__ unsigned char g_bytes[6] = {0x00, 0x7f, 0x80, 0xff, 'A', '\n'};

__global__ void use_constants(const float *in, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float acc = 0.0f;
#pragma unroll
        for (int k = 0; k < 16; ++k) acc += c_weights[k] * in[(i + k) % n];
        acc = acc * c_coeffs.a + c_coeffs.b * c_coeffs.n + c_coeffs.tag[i & 3];
        out[i] = acc + c_weights[i & 15] + c_uninit[i & 63];
    }
}

__global__ void horner_constant(const double *x, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double x2 = x[i] * x[i];
        double r = c_poly[3];
        for (int k = 2; k >= 0; --k) r = r * x2 + c_poly[k];
        out[i] = r;
    }
}

__global__ void use_device_globals(int *out) {
    int t = threadIdx.x;
    int old = atomicAdd(&g_counter, 1);
    g_vec[t & 7] = (float)t;
    out[t] = old + g_matrix[t % 3][t % 4] + *g_ptr_to_matrix + g_message[t % 10] + m_managed_value +
             s_private_table[t % 5] + (int)(g_big >> (t & 63)) + g_bytes[t % 6];
}

__global__ void local_const_table(const int *in, int *out, int n) {
    const int lut[8] = {3, 1, 4, 1, 5, 9, 2, 6};
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) out[i] = lut[in[i] & 7];
}

__global__ void static_shared_and_global_ptrs(int **out_ptrs, int *out) {
    static __shared__ int counter;   // static __shared__ at function scope
    if (threadIdx.x == 0) counter = 0;
    __syncthreads();
    atomicAdd(&counter, 1);
    __syncthreads();
    out_ptrs[0] = &g_counter;
    out_ptrs[1] = &g_matrix[2][0];
    out[blockIdx.x] = counter;
}
