// Executed corpus: warp-level mma.sync on the OxCore tensor unit. Each lane packs its fragment
// from row-major matrices with the PTX ISA's fragment formulas (g = lane / 4, t = lane % 4).
#include <cuda_fp16.h>
#include <cstdint>

// D (16x8) = A (16x16, f16) x B (16x8, f16) + C (16x8, f32)
extern "C" __global__ void mma_f16_f32(const __half *A, const __half *B, const float *C, float *D) {
  int l = threadIdx.x, g = l >> 2, t = l & 3;
  unsigned a[4], b[2];
  float c[4], d[4];
  for (int r = 0; r < 4; ++r) {
    int row = g + 8 * (r & 1), col = t * 2 + 8 * (r >> 1);
    __half2 h = __halves2half2(A[row * 16 + col], A[row * 16 + col + 1]);
    a[r] = *reinterpret_cast<unsigned *>(&h);
  }
  for (int r = 0; r < 2; ++r) {
    int k = t * 2 + 8 * r;
    __half2 h = __halves2half2(B[k * 8 + g], B[(k + 1) * 8 + g]);
    b[r] = *reinterpret_cast<unsigned *>(&h);
  }
  for (int i = 0; i < 4; ++i)
    c[i] = C[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)];
  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
               "{%10,%11,%12,%13};"
               : "=f"(d[0]), "=f"(d[1]), "=f"(d[2]), "=f"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "f"(c[0]), "f"(c[1]),
                 "f"(c[2]), "f"(c[3]));
  for (int i = 0; i < 4; ++i)
    D[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)] = d[i];
}

// D (16x8, s32) = A (16x32, s8) x B (32x8, s8) + C, saturating
extern "C" __global__ void mma_s8_s32(const int8_t *A, const int8_t *B, const int *C, int *D) {
  int l = threadIdx.x, g = l >> 2, t = l & 3;
  unsigned a[4], b[2];
  int c[4], d[4];
  for (int r = 0; r < 4; ++r) {
    int row = g + 8 * (r & 1), col = t * 4 + 16 * (r >> 1);
    a[r] = 0;
    for (int j = 0; j < 4; ++j)
      a[r] |= unsigned(uint8_t(A[row * 32 + col + j])) << (8 * j);
  }
  for (int r = 0; r < 2; ++r) {
    b[r] = 0;
    for (int j = 0; j < 4; ++j)
      b[r] |= unsigned(uint8_t(B[(t * 4 + j + 16 * r) * 8 + g])) << (8 * j);
  }
  for (int i = 0; i < 4; ++i)
    c[i] = C[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)];
  asm volatile("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
               "{%8,%9}, {%10,%11,%12,%13};"
               : "=r"(d[0]), "=r"(d[1]), "=r"(d[2]), "=r"(d[3])
               : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "r"(c[0]), "r"(c[1]),
                 "r"(c[2]), "r"(c[3]));
  for (int i = 0; i < 4; ++i)
    D[(g + 8 * (i >> 1)) * 8 + 2 * t + (i & 1)] = d[i];
}

// ldmatrix: four 8x8 b16 matrices in shared memory (rows of 16 bytes, padded to 24), each
// lane supplying one row address; plain x4 and transposed x2 loads, every lane's words out
extern "C" __global__ void ldmatrix_words(const unsigned short *in, unsigned *out) {
  __shared__ unsigned short tile[4 * 8 * 12];
  int l = threadIdx.x;
  for (int i = l; i < 4 * 8 * 12; i += 32)
    tile[i] = in[i];
  __syncthreads();
  unsigned row = (unsigned)__cvta_generic_to_shared(&tile[l * 12]); // matrix l/8, row l%8
  unsigned r[4], s[2];
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3]) : "r"(row));
  asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];" : "=r"(s[0]), "=r"(s[1]) : "r"(row));
  for (int q = 0; q < 4; ++q)
    out[l * 6 + q] = r[q];
  out[l * 6 + 4] = s[0];
  out[l * 6 + 5] = s[1];
}
