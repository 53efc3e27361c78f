// Integer arithmetic of every width: add/sub/mul, mul.hi/mul.wide, div/rem, min/max/abs.
#include <cstdint>

__global__ void int8_arith(const int8_t *a, const int8_t *b, int8_t *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int8_t x = a[i], y = b[i];
        out[i] = (int8_t)(x * y + x - y);
    }
}

__global__ void uint16_arith(const uint16_t *a, const uint16_t *b, uint16_t *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        uint16_t x = a[i], y = b[i];
        out[i] = (uint16_t)((x + y) ^ (x * 3u));
    }
}

__global__ void int32_arith(const int *a, const int *b, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int x = a[i], y = b[i];
        int r = x * y - (x << 3) + (y >> 2);
        r += (unsigned)x >> 5;
        out[i] = r;
    }
}

__global__ void int64_arith(const long long *a, const long long *b, long long *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        long long x = a[i], y = b[i];
        out[i] = x * y + (x >> 7) - (y << 11) + ((unsigned long long)x >> 60);
    }
}

__global__ void mul_hi_wide(const int *a, const int *b, const unsigned *ua, const unsigned *ub,
                            int *hi, unsigned *uhi, long long *wide, unsigned long long *uwide,
                            long long *hi64, unsigned long long *uhi64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        hi[i] = __mulhi(a[i], b[i]);
        uhi[i] = __umulhi(ua[i], ub[i]);
        wide[i] = (long long)a[i] * (long long)b[i];
        uwide[i] = (unsigned long long)ua[i] * (unsigned long long)ub[i];
        hi64[i] = __mul64hi((long long)a[i] << 20, (long long)b[i] << 20);
        uhi64[i] = __umul64hi((unsigned long long)ua[i] << 30, (unsigned long long)ub[i] << 30);
    }
}

__global__ void mul24_sad(const int *a, const int *b, int *out, unsigned *uout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = __mul24(a[i], b[i]) + __mulhi(a[i], 7);
        uout[i] = __sad(a[i], b[i], 5u) + __usad((unsigned)a[i], (unsigned)b[i], 1u);
    }
}

__global__ void divrem32(const int *a, const int *b, int *q, int *r,
                         const unsigned *ua, const unsigned *ub, unsigned *uq, unsigned *ur, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        q[i] = a[i] / b[i];
        r[i] = a[i] % b[i];
        uq[i] = ua[i] / ub[i];
        ur[i] = ua[i] % ub[i];
    }
}

__global__ void divrem64(const long long *a, const long long *b, long long *q, long long *r,
                         const unsigned long long *ua, const unsigned long long *ub,
                         unsigned long long *uq, unsigned long long *ur, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        q[i] = a[i] / b[i];
        r[i] = a[i] % b[i];
        uq[i] = ua[i] / ub[i];
        ur[i] = ua[i] % ub[i];
    }
}

__global__ void div_by_constants(const int *a, const unsigned *ua, int *out, unsigned *uout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i] = a[i] / 7 + a[i] % 13 + a[i] / -3;
        uout[i] = ua[i] / 10u + ua[i] % 1000u + ua[i] / 16u;
    }
}

__global__ void minmax_abs(const int *a, const int *b, const long long *la, const long long *lb,
                           int *o32, unsigned *ou32, long long *o64, unsigned long long *ou64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        o32[i] = min(a[i], b[i]) + max(a[i], b[i]) * 2 + abs(a[i]);
        ou32[i] = umin((unsigned)a[i], (unsigned)b[i]) ^ umax((unsigned)a[i], (unsigned)b[i]);
        o64[i] = llmin(la[i], lb[i]) - llmax(la[i], lb[i]) + llabs(la[i]);
        ou64[i] = ullmin((unsigned long long)la[i], (unsigned long long)lb[i]) |
                  ullmax((unsigned long long)la[i], 3ull);
    }
}

__global__ void hadd_rhadd(const int *a, const int *b, int *o, unsigned *uo, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        o[i] = __hadd(a[i], b[i]) + __rhadd(a[i], b[i]);
        uo[i] = __uhadd((unsigned)a[i], (unsigned)b[i]) + __urhadd((unsigned)a[i], 1u);
    }
}

__global__ void saturating_int_ops(const int *a, int *o, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int r;
        asm("add.sat.s32 %0, %1, %2;" : "=r"(r) : "r"(a[i]), "r"(0x7ffffff0));
        int s;
        asm("sub.sat.s32 %0, %1, %2;" : "=r"(s) : "r"(a[i]), "r"(0x7ffffff0));
        o[i] = r ^ s;
    }
}

__global__ void add_carry_chain(const unsigned *a, const unsigned *b, unsigned *o, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned r0, r1, r2, r3;
        asm("add.cc.u32 %0, %4, %5;\n\t"
            "addc.cc.u32 %1, %4, %5;\n\t"
            "addc.u32 %2, %4, 0;\n\t"
            "sub.cc.u32 %3, %4, %5;\n\t"
            "subc.u32 %3, %3, 0;"
            : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(a[i]), "r"(b[i]));
        unsigned m;
        asm("mad.lo.cc.u32 %0, %1, %2, %3;\n\tmadc.hi.u32 %0, %1, %2, %0;" : "=r"(m) : "r"(a[i]), "r"(b[i]), "r"(r0));
        o[i] = r0 + r1 + r2 + r3 + m;
    }
}

__global__ void negate_and_mad(const int *a, const short *s, int *o, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int x = -a[i];
        int w = (int)s[i] * (int)s[(i + 1) % n];  // mul.wide.s16 candidate
        o[i] = x * 17 + w + a[i] * a[i];
    }
}
