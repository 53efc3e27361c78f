// FP edge cases: NaN/inf classification, copysign, fminf/fmaxf NaN semantics, IEEE fma, signed zero,
// denormals, nextafter, frexp/ldexp, special constants.
#include <cmath>
#include <cfloat>

__global__ void nan_inf_handling(const float *a, float *out, int *cls, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i];
        float inf = __int_as_float(0x7f800000);
        float qnan = __int_as_float(0x7fc00000);
        out[i * 4 + 0] = isnan(x) ? 0.0f : x;
        out[i * 4 + 1] = fminf(x, qnan);       // returns x when one operand is NaN
        out[i * 4 + 2] = fmaxf(-inf, x);
        out[i * 4 + 3] = x * 0.0f;             // NaN for inf inputs
        cls[i] = (isnan(x) ? 1 : 0) | (isinf(x) ? 2 : 0) | (signbit(x) ? 4 : 0) |
                 ((x != 0.0f && fabsf(x) < FLT_MIN) ? 8 : 0) | (x == -0.0f ? 16 : 0);
    }
}

__global__ void copysign_and_zero(const float *a, const float *b, const double *da, const double *db,
                                  float *out, double *dout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i * 3 + 0] = copysignf(a[i], b[i]);
        out[i * 3 + 1] = -0.0f + a[i];
        out[i * 3 + 2] = 1.0f / copysignf(0.0f, b[i]);   // +/- inf
        dout[i * 2 + 0] = copysign(da[i], db[i]);
        dout[i * 2 + 1] = fabs(db[i]) * -1.0;
    }
}

__global__ void ieee_fma_intrinsics(const float *a, const float *b, const float *c, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i * 3 + 0] = __fmaf_ieee_rn(a[i], b[i], c[i]);
        out[i * 3 + 1] = __fmaf_ieee_rz(a[i], b[i], c[i]);
        out[i * 3 + 2] = __fmaf_ieee_ru(a[i], b[i], c[i]) - __fmaf_ieee_rd(a[i], b[i], c[i]);
    }
}

__global__ void denormals_and_limits(const float *a, const double *d, float *out, double *dout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float tiny = FLT_MIN * 0.5f;  // subnormal
        out[i * 4 + 0] = a[i] * tiny;
        out[i * 4 + 1] = a[i] + FLT_MAX;
        out[i * 4 + 2] = nextafterf(a[i], INFINITY);
        out[i * 4 + 3] = ldexpf(a[i], -140);
        dout[i * 3 + 0] = d[i] * DBL_MIN * 1e-10;
        dout[i * 3 + 1] = nextafter(d[i], -1.0e300);
        int e;
        dout[i * 3 + 2] = frexp(d[i], &e) + e;
    }
}

__global__ void ftz_vs_ieee_asm(const float *a, const float *b, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float r0, r1, r2;
        unsigned r3;
        asm("mul.rn.f32 %0, %1, %2;" : "=f"(r0) : "f"(a[i]), "f"(b[i]));
        asm("mul.rn.ftz.f32 %0, %1, %2;" : "=f"(r1) : "f"(a[i]), "f"(b[i]));
#if __CUDA_ARCH__ >= 800
        asm("min.NaN.f32 %0, %1, %2;" : "=f"(r2) : "f"(a[i]), "f"(b[i]));   // NaN-propagating min (sm_80+)
#else
        asm("min.f32 %0, %1, %2;" : "=f"(r2) : "f"(a[i]), "f"(b[i]));
#endif
        asm("{\n\t.reg .pred p, q;\n\t"
            "testp.notanumber.f32 p, %1;\n\t"
            "testp.subnormal.f32 q, %2;\n\t"
            "selp.u32 %0, 1, 0, p;\n\t"
            "@q or.b32 %0, %0, 2;\n\t}"
            : "=r"(r3) : "f"(a[i]), "f"(b[i]));
        out[i] = r0 + r1 + r2 + (float)r3;
    }
}

__global__ void nan_payloads(const unsigned *bits, unsigned *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = __uint_as_float(bits[i]);
        float y = x + 1.0f;          // canonicalizes NaN payload on the GPU
        float z = -x;                // neg flips sign bit only
        float w = fabsf(x);          // abs clears sign bit only
        out[i * 3 + 0] = __float_as_uint(y);
        out[i * 3 + 1] = __float_as_uint(z);
        out[i * 3 + 2] = __float_as_uint(w);
    }
}

__global__ void int_overflow_edges(const int *a, int *out, long long *out64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int x = a[i];
        out[i * 3 + 0] = (int)((unsigned)x + 0x7fffffffu);   // wraparound
        out[i * 3 + 1] = x == (-2147483647 - 1) ? 0 : -x;
        out[i * 3 + 2] = __float2int_rz((float)x * 4.0f);      // saturates at INT_MAX/INT_MIN
        out64[i] = (long long)x * 0x100000001LL;
    }
}
