// min-arch: sm_80
// mma.sync and ldmatrix via inline asm: f16/bf16/tf32/s8/f64 shapes, movmatrix-free fragments.
#include <cstdint>

__global__ void mma_m16n8k16_f16(const unsigned *a, const unsigned *b, float *c) {
    int lane = threadIdx.x & 31;
    unsigned a0 = a[lane * 4 + 0], a1 = a[lane * 4 + 1], a2 = a[lane * 4 + 2], a3 = a[lane * 4 + 3];
    unsigned b0 = b[lane * 2 + 0], b1 = b[lane * 2 + 1];
    float d0 = 0.f, d1 = 0.f, d2 = 0.f, d3 = 0.f;
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                 : "+f"(d0), "+f"(d1), "+f"(d2), "+f"(d3)
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
    c[lane * 4 + 0] = d0; c[lane * 4 + 1] = d1; c[lane * 4 + 2] = d2; c[lane * 4 + 3] = d3;
}

__global__ void mma_m16n8k8_bf16_and_tf32(const unsigned *a, const unsigned *b, float *c) {
    int lane = threadIdx.x & 31;
    float d[4] = {0.f, 0.f, 0.f, 0.f};
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5}, {%6}, {%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[lane * 2]), "r"(a[lane * 2 + 1]), "r"(b[lane]));
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[lane * 4]), "r"(a[lane * 4 + 1]), "r"(a[lane * 4 + 2]), "r"(a[lane * 4 + 3]),
                   "r"(b[lane * 2]), "r"(b[lane * 2 + 1]));
    for (int k = 0; k < 4; ++k) c[lane * 4 + k] = d[k];
}

__global__ void mma_m16n8k32_s8(const unsigned *a, const unsigned *b, int *c) {
    int lane = threadIdx.x & 31;
    int d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    asm volatile("mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                 : "+r"(d0), "+r"(d1), "+r"(d2), "+r"(d3)
                 : "r"(a[lane * 4]), "r"(a[lane * 4 + 1]), "r"(a[lane * 4 + 2]), "r"(a[lane * 4 + 3]),
                   "r"(b[lane * 2]), "r"(b[lane * 2 + 1]));
    c[lane * 4 + 0] = d0; c[lane * 4 + 1] = d1; c[lane * 4 + 2] = d2; c[lane * 4 + 3] = d3;
}

__global__ void mma_m8n8k4_f64(const double *a, const double *b, double *c) {
    int lane = threadIdx.x & 31;
    double d0 = c[lane * 2], d1 = c[lane * 2 + 1];
    asm volatile("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 {%0, %1}, {%2}, {%3}, {%0, %1};"
                 : "+d"(d0), "+d"(d1) : "d"(a[lane]), "d"(b[lane]));
    c[lane * 2] = d0; c[lane * 2 + 1] = d1;
}

__global__ void mma_m16n8k8_f16acc(const unsigned *a, const unsigned *b, unsigned *c) {
    int lane = threadIdx.x & 31;
    unsigned d0 = c[lane * 2], d1 = c[lane * 2 + 1];
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f16.f16.f16.f16 {%0, %1}, {%2, %3}, {%4}, {%0, %1};"
                 : "+r"(d0), "+r"(d1) : "r"(a[lane * 2]), "r"(a[lane * 2 + 1]), "r"(b[lane]));
    c[lane * 2] = d0; c[lane * 2 + 1] = d1;
}

__global__ void ldmatrix_variants(const uint16_t *g, unsigned *out) {
    __shared__ __align__(16) uint16_t tile[32 * 8 * 4];
    int lane = threadIdx.x & 31;
    for (int k = lane; k < 32 * 8 * 4; k += 32) tile[k] = g[k];
    __syncwarp();
    unsigned saddr = (unsigned)__cvta_generic_to_shared(&tile[(lane % 32) * 8]);
    unsigned r0, r1, r2, r3, t0, t1, s0;
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];"
                 : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(saddr));
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0, %1}, [%2];"
                 : "=r"(t0), "=r"(t1) : "r"(saddr));
    asm volatile("ldmatrix.sync.aligned.m8n8.x1.shared.b16 {%0}, [%1];" : "=r"(s0) : "r"(saddr));
    out[lane * 7 + 0] = r0; out[lane * 7 + 1] = r1; out[lane * 7 + 2] = r2; out[lane * 7 + 3] = r3;
    out[lane * 7 + 4] = t0; out[lane * 7 + 5] = t1; out[lane * 7 + 6] = s0;
}

__global__ void ldmatrix_then_mma(const uint16_t *ga, const uint16_t *gb, float *c) {
    __shared__ __align__(16) uint16_t sa[16 * 16];
    __shared__ __align__(16) uint16_t sb[16 * 8];
    int lane = threadIdx.x & 31;
    for (int k = lane; k < 256; k += 32) sa[k] = ga[k];
    for (int k = lane; k < 128; k += 32) sb[k] = gb[k];
    __syncwarp();
    unsigned a0, a1, a2, a3, b0, b1;
    unsigned pa = (unsigned)__cvta_generic_to_shared(&sa[(lane % 16) * 16 + (lane / 16) * 8]);
    unsigned pb = (unsigned)__cvta_generic_to_shared(&sb[(lane % 16) * 8]);
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
                 : "=r"(a0), "=r"(a1), "=r"(a2), "=r"(a3) : "r"(pa));
    asm volatile("ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16 {%0,%1}, [%2];" : "=r"(b0), "=r"(b1) : "r"(pb));
    float d0 = 0, d1 = 0, d2 = 0, d3 = 0;
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d0), "+f"(d1), "+f"(d2), "+f"(d3)
                 : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
    c[lane * 4] = d0; c[lane * 4 + 1] = d1; c[lane * 4 + 2] = d2; c[lane * 4 + 3] = d3;
}
