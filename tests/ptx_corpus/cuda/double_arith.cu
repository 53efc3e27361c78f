// f64 arithmetic: operators, fma, rounding-mode intrinsics, sqrt/rcp, libm.
#include <cmath>

__global__ void f64_basic(const double *a, const double *b, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double x = a[i], y = b[i];
        out[i] = x * y + x / y - (x - y) * 0.25;
    }
}

__global__ void f64_rounding_intrinsics(const double *a, const double *b, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double x = a[i], y = b[i];
        double r = __dadd_rn(x, y) + __dadd_rz(x, y) + __dadd_ru(x, y) + __dadd_rd(x, y);
        r += __dsub_rn(x, y) - __dsub_ru(x, y);
        r += __dmul_rn(x, y) + __dmul_rz(x, y) + __dmul_ru(x, y) + __dmul_rd(x, y);
        r += __ddiv_rn(x, y) + __ddiv_rz(x, y) + __ddiv_ru(x, y) + __ddiv_rd(x, y);
        r += __drcp_rn(x) + __drcp_rz(x) + __drcp_ru(x) + __drcp_rd(x);
        r += __dsqrt_rn(x) + __dsqrt_rz(x) + __dsqrt_ru(x) + __dsqrt_rd(x);
        r += __fma_rn(x, y, r) + __fma_rz(x, y, 1.0) + __fma_ru(x, y, 2.0) + __fma_rd(x, y, 3.0);
        out[i] = r;
    }
}

__global__ void f64_math(const double *a, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double x = a[i];
        out[i * 8 + 0] = sqrt(fabs(x));
        out[i * 8 + 1] = rsqrt(fabs(x) + 1.0);
        out[i * 8 + 2] = fma(x, x, 1.0);
        out[i * 8 + 3] = exp(x);
        out[i * 8 + 4] = log(fabs(x) + 1.0);
        out[i * 8 + 5] = sin(x);
        out[i * 8 + 6] = tanh(x);
        out[i * 8 + 7] = floor(x) + ceil(x) + trunc(x) + rint(x);
    }
}

__global__ void f64_minmax(const double *a, const double *b, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = fmin(a[i], b[i]) + fmax(a[i], b[i]) * 2.0 - copysign(a[i], b[i]);
    }
}

__global__ void f64_dot(const double *a, const double *b, double *out, int n) {
    double acc = 0.0;
    for (int i = threadIdx.x; i < n; i += blockDim.x)
        acc = fma(a[i], b[i], acc);
    out[threadIdx.x] = acc;
}

__global__ void f64_asm_approx(const double *a, double *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double r, s;
        asm("rcp.approx.ftz.f64 %0, %1;" : "=d"(r) : "d"(a[i]));
        asm("rsqrt.approx.f64 %0, %1;" : "=d"(s) : "d"(fabs(a[i]) + 1.0));
        out[i] = r + s;
    }
}
