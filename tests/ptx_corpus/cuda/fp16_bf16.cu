// min-arch: sm_80
// half and bf16 arithmetic, half2/bfloat162 ops, conversions.
#include <cuda_fp16.h>
#include <cuda_bf16.h>

__global__ void half_scalar(const __half *a, const __half *b, __half *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __half x = a[i], y = b[i];
        __half r = __hadd(x, y);
        r = __hmul(r, __hsub(x, y));
        r = __hfma(x, y, r);
        r = __hadd_sat(r, __float2half(0.25f));
        if (__hgt(r, __float2half(100.0f))) r = __hdiv(r, y);
        r = __hmax(r, __hneg(x));
        r = __hmin(r, __habs(y));
        out[i] = r;
    }
}

__global__ void half2_vector(const __half2 *a, const __half2 *b, __half2 *out, float *sum, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __half2 x = a[i], y = b[i];
        __half2 r = __hfma2(x, y, __hmul2(x, x));
        r = __hadd2(r, __hsub2(y, x));
        r = __hmax2(r, __hmin2(x, y));
        r = __hfma2_relu(r, x, y);
        r = __lowhigh2highlow(r);
        out[i] = r;
        float2 f = __half22float2(r);
        sum[i] = f.x + f.y + __low2float(x) + __high2float(y);
    }
}

__global__ void half_math(const __half *a, __half *out, __half2 *out2, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __half x = a[i];
        out[i * 6 + 0] = hsqrt(__habs(x));
        out[i * 6 + 1] = hrsqrt(__hadd(__habs(x), __float2half(1.0f)));
        out[i * 6 + 2] = hrcp(x);
        out[i * 6 + 3] = hexp(x);
        out[i * 6 + 4] = hsin(x);
        out[i * 6 + 5] = hfloor(x);
        out2[i] = h2exp2(__halves2half2(x, __hneg(x)));
    }
}

__global__ void half_conversions(const float *f, const int *iv, const double *d, __half *oh,
                                 float *of, int *oi, short *os, unsigned *ou, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        oh[i * 6 + 0] = __float2half_rn(f[i]);
        oh[i * 6 + 1] = __float2half_rz(f[i]);
        oh[i * 6 + 2] = __float2half_ru(f[i]);
        oh[i * 6 + 3] = __float2half_rd(f[i]);
        oh[i * 6 + 4] = __int2half_rn(iv[i]);
        oh[i * 6 + 5] = __double2half(d[i]);
        __half h = oh[i * 6];
        of[i] = __half2float(h);
        oi[i] = __half2int_rz(h) + __half2int_rn(h);
        os[i] = __half_as_short(h);
        ou[i] = __half2uint_rd(h);
    }
}

__global__ void bf16_scalar(const __nv_bfloat16 *a, const __nv_bfloat16 *b, __nv_bfloat16 *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __nv_bfloat16 x = a[i], y = b[i];
        __nv_bfloat16 r = __hadd(x, y);
        r = __hmul(r, y);
        r = __hfma(x, y, r);
        r = __hmax(r, __hneg(x));
        out[i] = r;
    }
}

__global__ void bf162_vector(const __nv_bfloat162 *a, const __nv_bfloat162 *b, __nv_bfloat162 *out,
                             float *sum, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        __nv_bfloat162 r = __hfma2(a[i], b[i], __hmul2(a[i], a[i]));
        r = __hmin2(r, __habs2(b[i]));
        out[i] = r;
        float2 f = __bfloat1622float2(r);
        sum[i] = f.x - f.y;
    }
}

__global__ void bf16_conversions(const float *f, const __nv_bfloat16 *b, const __half *h,
                                 __nv_bfloat16 *ob, float *of, int *oi, __half *oh, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        ob[i * 4 + 0] = __float2bfloat16(f[i]);
        ob[i * 4 + 1] = __float2bfloat16_rz(f[i]);
        ob[i * 4 + 2] = __float2bfloat16_ru(f[i]);
        ob[i * 4 + 3] = __int2bfloat16_rn(i);
        of[i] = __bfloat162float(b[i]);
        oi[i] = __bfloat162int_rz(b[i]);
        // bf16 -> half through float
        oh[i] = __float2half(__bfloat162float(b[i])) + h[i];
    }
}

__global__ void packed_cvt_asm(const float *a, const float *b, unsigned *oh2, unsigned *ob2, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned r, s;
        asm("cvt.rn.f16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(a[i]), "f"(b[i]));
        asm("cvt.rn.relu.bf16x2.f32 %0, %1, %2;" : "=r"(s) : "f"(a[i]), "f"(b[i]));
        oh2[i] = r;
        ob2[i] = s;
    }
}
