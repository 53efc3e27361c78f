// f32 arithmetic: operators, fmaf, rounding-mode intrinsics, sqrt/rsqrt/rcp, approximate math.
#include <cmath>

__global__ void f32_basic(const float *a, const float *b, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i], y = b[i];
        out[i] = x * y + x / y - (x - y) * 0.5f;
    }
}

__global__ void f32_rounding_intrinsics(const float *a, const float *b, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i], y = b[i];
        float r = __fadd_rn(x, y) + __fadd_rz(x, y) + __fadd_ru(x, y) + __fadd_rd(x, y);
        r += __fsub_rn(x, y) * __fsub_rz(y, x);
        r += __fmul_rn(x, y) - __fmul_rz(x, y) + __fmul_ru(x, y) - __fmul_rd(x, y);
        r += __fdiv_rn(x, y) + __fdiv_rz(x, y) + __fdiv_ru(x, y) + __fdiv_rd(x, y);
        r += __frcp_rn(x) + __frcp_rz(x) + __frcp_ru(x) + __frcp_rd(x);
        r += __fsqrt_rn(x) + __fsqrt_rz(x) + __fsqrt_ru(x) + __fsqrt_rd(x);
        r += __fmaf_rn(x, y, r) + __fmaf_rz(x, y, 1.0f) + __fmaf_ru(x, y, 2.0f) + __fmaf_rd(x, y, 3.0f);
        out[i] = r;
    }
}

__global__ void f32_fma_sqrt(const float *a, const float *b, const float *c, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float r = fmaf(a[i], b[i], c[i]);
        r += sqrtf(fabsf(a[i])) + rsqrtf(fabsf(b[i]) + 1.0f);
        r += 1.0f / c[i];
        r += __fdividef(a[i], b[i] + 2.0f);
        r += __frsqrt_rn(fabsf(c[i]) + 1.0f);
        out[i] = r;
    }
}

__global__ void f32_approx_math(const float *a, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i];
        out[i * 8 + 0] = __sinf(x);
        out[i * 8 + 1] = __cosf(x);
        out[i * 8 + 2] = __expf(x);
        out[i * 8 + 3] = __log2f(fabsf(x) + 1.0f);
        out[i * 8 + 4] = __logf(fabsf(x) + 1.0f);
        out[i * 8 + 5] = __powf(fabsf(x), 1.5f);
        out[i * 8 + 6] = __tanf(x);
        out[i * 8 + 7] = __exp10f(x);
    }
}

__global__ void f32_libm(const float *a, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i];
        out[i * 8 + 0] = tanhf(x);
        out[i * 8 + 1] = sinf(x);
        out[i * 8 + 2] = expf(x);
        out[i * 8 + 3] = logf(fabsf(x) + 1.0f);
        out[i * 8 + 4] = atan2f(x, 1.5f);
        out[i * 8 + 5] = powf(fabsf(x), 0.3f);
        out[i * 8 + 6] = erff(x);
        out[i * 8 + 7] = cbrtf(x);
    }
}

__global__ void f32_rounding_funcs(const float *a, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i];
        out[i * 6 + 0] = floorf(x);
        out[i * 6 + 1] = ceilf(x);
        out[i * 6 + 2] = truncf(x);
        out[i * 6 + 3] = rintf(x);
        out[i * 6 + 4] = roundf(x);
        out[i * 6 + 5] = fmodf(x, 3.25f);
    }
}

__global__ void f32_saturate_ftz(const float *a, const float *b, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float s = __saturatef(a[i] * b[i]);
        float r;
        asm("add.ftz.sat.f32 %0, %1, %2;" : "=f"(r) : "f"(a[i]), "f"(b[i]));
        float m;
        asm("mul.rz.ftz.f32 %0, %1, %2;" : "=f"(m) : "f"(a[i]), "f"(b[i]));
        float e;
        asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(e) : "f"(a[i]));
        float t;
        asm("tanh.approx.f32 %0, %1;" : "=f"(t) : "f"(b[i]));
        out[i] = s + r + m + e + t;
    }
}

__global__ void f32_minmax_neg(const float *a, const float *b, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = fminf(a[i], b[i]) - fmaxf(a[i], -b[i]) + fabsf(-a[i]) + fdimf(a[i], b[i]);
    }
}
