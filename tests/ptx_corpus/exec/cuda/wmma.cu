// Executed corpus: the CUDA wmma API (m16n16k16 with f16, bf16, s8 and u8 inputs, m32n8k16 and
// m8n32k16, m16n16k8 with tf32, m8n8k4 with f64, m8n8k32 with u4) with every load layout, f32, f16,
// s32 and f64 accumulators, a tiled GEMM over several k-steps.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>
using namespace nvcuda;

// D = A (row-major, lda) x B (col-major, ldb) + C (row-major), f32 accumulator, stored row-major
extern "C" __global__ void wmma_row_col_f32(const __half *A, const __half *B, const float *C, float *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
  wmma::load_matrix_sync(a, A, 24);
  wmma::load_matrix_sync(b, B, 16);
  wmma::load_matrix_sync(c, C, 16, wmma::mem_row_major);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 16, wmma::mem_row_major);
}

// col-major A, row-major B, f16 accumulator stored column-major
extern "C" __global__ void wmma_col_row_f16(const __half *A, const __half *B, const __half *C, __half *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::col_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 16, __half> c;
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 16);
  wmma::load_matrix_sync(c, C, 16, wmma::mem_col_major);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 16, wmma::mem_col_major);
}

// one 16x16 tile of C = A (M x K, row-major) x B (K x N, row-major) per warp, K in steps of 16
extern "C" __global__ void wmma_gemm(const __half *A, const __half *B, float *C, int M, int N, int K) {
  int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
  int tilesN = N / 16, tm = warp / tilesN, tn = warp % tilesN;
  if (tm * 16 >= M)
    return;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
  wmma::fill_fragment(acc, 0.0f);
  for (int k = 0; k < K; k += 16) {
    wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> a;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::row_major> b;
    wmma::load_matrix_sync(a, A + tm * 16 * K + k, K);
    wmma::load_matrix_sync(b, B + k * N + tn * 16, N);
    wmma::mma_sync(acc, a, b, acc);
  }
  wmma::store_matrix_sync(C + tm * 16 * N + tn * 16, acc, N, wmma::mem_row_major);
}

// bf16 inputs (f32 accumulators only): row-major A with column-major B, and the reverse
extern "C" __global__ void wmma_bf16_row_col(const __nv_bfloat16 *A, const __nv_bfloat16 *B, const float *C,
                                             float *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 16);
  wmma::load_matrix_sync(c, C, 16, wmma::mem_row_major);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 16, wmma::mem_row_major);
}

extern "C" __global__ void wmma_bf16_col_row(const __nv_bfloat16 *A, const __nv_bfloat16 *B, float *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::col_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::row_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> c;
  wmma::fill_fragment(c, 0.0f);
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 16);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 16, wmma::mem_col_major);
}

// tf32 inputs (m16n16k8): a 16x32 by 32x16 product in four k-steps, inputs rounded to tf32 first
extern "C" __global__ void wmma_tf32(const float *A, const float *B, float *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 8, float> c;
  wmma::fill_fragment(c, 0.0f);
  for (int k0 = 0; k0 < 32; k0 += 8) {
    wmma::load_matrix_sync(a, A + k0, 32); // A: 16 x 32, row-major
    wmma::load_matrix_sync(b, B + k0, 32); // B: 32 x 16, column-major
    for (int i = 0; i < a.num_elements; ++i)
      a.x[i] = wmma::__float_to_tf32(a.x[i]);
    for (int i = 0; i < b.num_elements; ++i)
      b.x[i] = wmma::__float_to_tf32(b.x[i]);
    wmma::mma_sync(c, a, b, c);
  }
  wmma::store_matrix_sync(D, c, 16, wmma::mem_row_major);
}

// 8-bit integer inputs, s32 accumulators: signed with saturation, unsigned row-major B
extern "C" __global__ void wmma_s8_satfinite(const signed char *A, const signed char *B, const int *C, int *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, signed char, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, signed char, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 16, int> c;
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 16);
  wmma::load_matrix_sync(c, C, 16, wmma::mem_row_major);
  wmma::mma_sync(c, a, b, c, true);
  wmma::store_matrix_sync(D, c, 16, wmma::mem_row_major);
}

extern "C" __global__ void wmma_u8(const unsigned char *A, const unsigned char *B, int *D) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, unsigned char, wmma::col_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, unsigned char, wmma::row_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 16, int> c;
  wmma::fill_fragment(c, 0);
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 16);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 16, wmma::mem_col_major);
}

// m32n8k16: a 32x16 by 16x8 product, f32 accumulators (row-major A, column-major B) and f16
// accumulators (column-major A, row-major B)
extern "C" __global__ void wmma_m32n8_f32(const __half *A, const __half *B, const float *C, float *D) {
  wmma::fragment<wmma::matrix_a, 32, 8, 16, __half, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 32, 8, 16, __half, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 32, 8, 16, float> c;
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 16);
  wmma::load_matrix_sync(c, C, 8, wmma::mem_row_major);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 8, wmma::mem_row_major);
}

extern "C" __global__ void wmma_m32n8_f16(const __half *A, const __half *B, __half *D) {
  wmma::fragment<wmma::matrix_a, 32, 8, 16, __half, wmma::col_major> a;
  wmma::fragment<wmma::matrix_b, 32, 8, 16, __half, wmma::row_major> b;
  wmma::fragment<wmma::accumulator, 32, 8, 16, __half> c;
  wmma::fill_fragment(c, __float2half(0.0f));
  wmma::load_matrix_sync(a, A, 32);
  wmma::load_matrix_sync(b, B, 8);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 32, wmma::mem_col_major);
}

// m8n32k16: an 8x16 by 16x32 product, f16 inputs with f32 accumulators and u8 inputs
extern "C" __global__ void wmma_m8n32_f32(const __half *A, const __half *B, const float *C, float *D) {
  wmma::fragment<wmma::matrix_a, 8, 32, 16, __half, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 8, 32, 16, __half, wmma::row_major> b;
  wmma::fragment<wmma::accumulator, 8, 32, 16, float> c;
  wmma::load_matrix_sync(a, A, 16);
  wmma::load_matrix_sync(b, B, 32);
  wmma::load_matrix_sync(c, C, 32, wmma::mem_row_major);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 32, wmma::mem_row_major);
}

extern "C" __global__ void wmma_m8n32_u8(const unsigned char *A, const unsigned char *B, int *D) {
  wmma::fragment<wmma::matrix_a, 8, 32, 16, unsigned char, wmma::col_major> a;
  wmma::fragment<wmma::matrix_b, 8, 32, 16, unsigned char, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 8, 32, 16, int> c;
  wmma::fill_fragment(c, 7);
  wmma::load_matrix_sync(a, A, 8);
  wmma::load_matrix_sync(b, B, 16);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 8, wmma::mem_col_major);
}

// f64 (m8n8k4): double-precision inputs and accumulators, over two k-steps
extern "C" __global__ void wmma_f64(const double *A, const double *B, const double *C, double *D) {
  wmma::fragment<wmma::matrix_a, 8, 8, 4, double, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 8, 8, 4, double, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 8, 8, 4, double> c;
  wmma::load_matrix_sync(c, C, 8, wmma::mem_col_major);
  for (int k0 = 0; k0 < 8; k0 += 4) {
    wmma::load_matrix_sync(a, A + k0, 8); // A: 8 x 8, row-major
    wmma::load_matrix_sync(b, B + k0, 8); // B: 8 x 8, column-major
    wmma::mma_sync(c, a, b, c);
  }
  wmma::store_matrix_sync(D, c, 8, wmma::mem_row_major);
}

// 4-bit unsigned inputs (m8n8k32, CUDA's experimental precision::u4): row-major A, column-major B
extern "C" __global__ void wmma_u4(const unsigned *A, const unsigned *B, int *D) {
  using namespace wmma::experimental;
  wmma::fragment<wmma::matrix_a, 8, 8, 32, precision::u4, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 8, 8, 32, precision::u4, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 8, 8, 32, int> c;
  wmma::fill_fragment(c, -5);
  wmma::load_matrix_sync(a, A, 32);
  wmma::load_matrix_sync(b, B, 32);
  wmma::mma_sync(c, a, b, c);
  wmma::store_matrix_sync(D, c, 8, wmma::mem_row_major);
}
