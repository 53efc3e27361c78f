// min-arch: sm_90
// Vector float atomics and half/bf16 atomics that need newer architectures.
#include <cuda_fp16.h>
#include <cuda_bf16.h>

__global__ void atomic_half_types(__half *h, __half2 *h2, __nv_bfloat16 *b, __nv_bfloat162 *b2, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicAdd(h, __float2half(1.0f));
        atomicAdd(h2, __floats2half2_rn(1.0f, 2.0f));
        atomicAdd(b, __float2bfloat16(0.5f));
        atomicAdd(b2, __floats2bfloat162_rn(0.5f, 0.25f));
    }
}

__global__ void atomic_vector_float(float2 *f2, float4 *f4, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        atomicAdd(f2, make_float2(1.0f, 2.0f));
        atomicAdd(f4, make_float4(1.0f, 2.0f, 3.0f, 4.0f));
    }
}

__global__ void red_vector_asm(float *f, unsigned *h2) {
    asm volatile("red.global.v2.f32.add [%0], {%1, %2};" :: "l"(f), "f"(1.0f), "f"(2.0f) : "memory");
    asm volatile("red.global.add.noftz.f16x2 [%0], %1;" :: "l"(h2), "r"(0x3c003c00u) : "memory");
}
