// Conversions between type pairs, including saturating and rounding-mode intrinsics.
#include <cstdint>

__global__ void cvt_float_to_int(const float *a, int *oi, unsigned *ou, long long *oll,
                                 unsigned long long *oull, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i];
        oi[i * 4 + 0] = __float2int_rn(x);
        oi[i * 4 + 1] = __float2int_rz(x);
        oi[i * 4 + 2] = __float2int_ru(x);
        oi[i * 4 + 3] = __float2int_rd(x);
        ou[i * 4 + 0] = __float2uint_rn(x);
        ou[i * 4 + 1] = __float2uint_rz(x);
        ou[i * 4 + 2] = __float2uint_ru(x);
        ou[i * 4 + 3] = __float2uint_rd(x);
        oll[i * 2 + 0] = __float2ll_rn(x);
        oll[i * 2 + 1] = __float2ll_rz(x);
        oull[i * 2 + 0] = __float2ull_ru(x);
        oull[i * 2 + 1] = __float2ull_rd(x);
    }
}

__global__ void cvt_int_to_float(const int *a, const unsigned *ua, const long long *la,
                                 const unsigned long long *ula, float *of, double *od, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        of[i * 8 + 0] = __int2float_rn(a[i]);
        of[i * 8 + 1] = __int2float_rz(a[i]);
        of[i * 8 + 2] = __int2float_ru(a[i]);
        of[i * 8 + 3] = __int2float_rd(a[i]);
        of[i * 8 + 4] = __uint2float_rn(ua[i]);
        of[i * 8 + 5] = __uint2float_rd(ua[i]);
        of[i * 8 + 6] = __ll2float_rz(la[i]);
        of[i * 8 + 7] = __ull2float_ru(ula[i]);
        od[i * 4 + 0] = (double)a[i];
        od[i * 4 + 1] = (double)ua[i];
        od[i * 4 + 2] = __ll2double_rz(la[i]);
        od[i * 4 + 3] = __ull2double_rd(ula[i]);
    }
}

__global__ void cvt_double(const double *a, float *of, int *oi, unsigned *ou, long long *oll, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        double x = a[i];
        of[i * 4 + 0] = __double2float_rn(x);
        of[i * 4 + 1] = __double2float_rz(x);
        of[i * 4 + 2] = __double2float_ru(x);
        of[i * 4 + 3] = __double2float_rd(x);
        oi[i * 2 + 0] = __double2int_rn(x);
        oi[i * 2 + 1] = __double2int_rd(x);
        ou[i * 2 + 0] = __double2uint_ru(x);
        ou[i * 2 + 1] = __double2uint_rz(x);
        oll[i * 2 + 0] = __double2ll_rn(x);
        oll[i * 2 + 1] = (long long)x;
    }
}

__global__ void cvt_int_widths(const int8_t *s8, const uint8_t *u8, const int16_t *s16,
                               const uint16_t *u16, const int *s32, const long long *s64,
                               int8_t *o8, int16_t *o16, int *o32, long long *o64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        o64[i] = (long long)s8[i] + (long long)u8[i] + (long long)s16[i] + (long long)u16[i] +
                 (long long)s32[i] + (long long)(unsigned)s32[i];
        o32[i] = (int)s64[i] + (int)(short)s32[i] + (int)(signed char)s32[i];
        o16[i] = (int16_t)s64[i];
        o8[i] = (int8_t)(s16[i] >> 3);
    }
}

__global__ void cvt_small_int_float(const int8_t *s8, const uint8_t *u8, const int16_t *s16,
                                    float *of, int8_t *o8, uint8_t *ou8, int16_t *o16, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        of[i] = (float)s8[i] + (float)u8[i] * 2.0f + (float)s16[i];
        o8[i] = (int8_t)of[i];
        ou8[i] = (uint8_t)of[i];
        o16[i] = (int16_t)of[i];
    }
}

__global__ void cvt_saturating_asm(const float *a, const int *b, int8_t *o8, uint8_t *ou8,
                                   int16_t *o16, float *of, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        short s8v;
        asm("cvt.rni.sat.s8.f32 %0, %1;" : "=h"(s8v) : "f"(a[i]));
        unsigned short u8v;
        asm("cvt.rzi.sat.u8.f32 %0, %1;" : "=h"(u8v) : "f"(a[i]));
        short s16v;
        asm("cvt.sat.s16.s32 %0, %1;" : "=h"(s16v) : "r"(b[i]));
        float f;
        asm("cvt.rn.sat.f32.s32 %0, %1;" : "=f"(f) : "r"(b[i]));
        float g;
        asm("cvt.rpi.ftz.f32.f32 %0, %1;" : "=f"(g) : "f"(a[i]));
        o8[i] = (int8_t)s8v;
        ou8[i] = (uint8_t)u8v;
        o16[i] = s16v;
        of[i] = f + g;
    }
}

__global__ void reinterpret_bits(const float *a, const double *d, int *oi, long long *oll,
                                 float *of, double *od, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        oi[i] = __float_as_int(a[i]);
        of[i] = __int_as_float(oi[i] ^ 0x80000000) + __uint_as_float(0x3f800000u);
        oll[i] = __double_as_longlong(d[i]);
        od[i] = __longlong_as_double(oll[i] + 1) + __hiloint2double(__double2hiint(d[i]), __double2loint(d[i]));
    }
}

__global__ void cvt_bool_select(const float *a, const int *b, int *o, float *of, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        bool p = a[i] > 0.0f;
        bool q = b[i] != 0;
        o[i] = (int)p + (int)(p && q) * 2;
        of[i] = (float)(p ^ q);
    }
}
