// Bit manipulation: popc, clz, ffs, brev, byte_perm, funnel shifts, bfe/bfi/lop3 via asm, dp4a/dp2a.
__global__ void bit_count(const unsigned *a, const unsigned long long *b, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i * 6 + 0] = __popc(a[i]);
        out[i * 6 + 1] = __clz((int)a[i]);
        out[i * 6 + 2] = __ffs((int)a[i]);
        out[i * 6 + 3] = __popcll(b[i]);
        out[i * 6 + 4] = __clzll((long long)b[i]);
        out[i * 6 + 5] = __ffsll((long long)b[i]);
    }
}

__global__ void bit_reverse_perm(const unsigned *a, const unsigned *b, const unsigned long long *c,
                                 unsigned *out, unsigned long long *out64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i * 4 + 0] = __brev(a[i]);
        out[i * 4 + 1] = __byte_perm(a[i], b[i], 0x5140);
        out[i * 4 + 2] = __byte_perm(a[i], b[i], b[i] & 0x7777);
        out[i * 4 + 3] = __byte_perm(a[i], 0, 0x0123);
        out64[i] = __brevll(c[i]);
    }
}

__global__ void funnel_shifts(const unsigned *lo, const unsigned *hi, const unsigned *sh, unsigned *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i * 4 + 0] = __funnelshift_l(lo[i], hi[i], sh[i]);
        out[i * 4 + 1] = __funnelshift_r(lo[i], hi[i], sh[i]);
        out[i * 4 + 2] = __funnelshift_lc(lo[i], hi[i], sh[i]);
        out[i * 4 + 3] = __funnelshift_rc(lo[i], hi[i], sh[i]);
    }
}

__global__ void rotates(const unsigned *a, const unsigned long long *b, unsigned *o, unsigned long long *o64, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned x = a[i];
        o[i] = (x << 13) | (x >> 19);
        unsigned long long y = b[i];
        o64[i] = (y << 7) | (y >> 57);
    }
}

__global__ void bitfield_asm(const unsigned *a, const int *s, unsigned *out, int *sout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned u;
        asm("bfe.u32 %0, %1, %2, %3;" : "=r"(u) : "r"(a[i]), "r"(4), "r"(9));
        int v;
        asm("bfe.s32 %0, %1, 3, 5;" : "=r"(v) : "r"(s[i]));
        unsigned w;
        asm("bfi.b32 %0, %1, %2, %3, %4;" : "=r"(w) : "r"(u), "r"(a[i]), "r"(8), "r"(6));
        unsigned long long x;
        asm("bfe.u64 %0, %1, 17, 30;" : "=l"(x) : "l"((unsigned long long)a[i] << 20));
        out[i] = u ^ w ^ (unsigned)x;
        sout[i] = v;
    }
}

__global__ void lop3_asm(const unsigned *a, const unsigned *b, const unsigned *c, unsigned *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned r0, r1, r2;
        // (a & b) | c
        asm("lop3.b32 %0, %1, %2, %3, 0xEA;" : "=r"(r0) : "r"(a[i]), "r"(b[i]), "r"(c[i]));
        // a ^ b ^ c
        asm("lop3.b32 %0, %1, %2, %3, 0x96;" : "=r"(r1) : "r"(a[i]), "r"(b[i]), "r"(c[i]));
        // majority
        asm("lop3.b32 %0, %1, %2, %3, 0xE8;" : "=r"(r2) : "r"(a[i]), "r"(b[i]), "r"(c[i]));
        out[i] = r0 + r1 + r2 + ((a[i] & ~b[i]) ^ (c[i] | b[i]));
    }
}

__global__ void dot_products(const int *a, const int *b, const unsigned *ua, const unsigned *ub,
                             int *out, unsigned *uout, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        out[i * 3 + 0] = __dp4a(a[i], b[i], 10);
        out[i * 3 + 1] = __dp2a_lo(a[i], b[i], -3);
        out[i * 3 + 2] = __dp2a_hi(a[i], b[i], 0);
        uout[i * 2 + 0] = __dp4a(ua[i], ub[i], 1u);
        uout[i * 2 + 1] = __dp2a_lo(ua[i], ub[i], 2u);
    }
}

__global__ void prmt_modes_asm(const unsigned *a, const unsigned *b, unsigned *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned r0, r1, r2;
        asm("prmt.b32.f4e %0, %1, %2, %3;" : "=r"(r0) : "r"(a[i]), "r"(b[i]), "r"(1));
        asm("prmt.b32.ecl %0, %1, %2, %3;" : "=r"(r1) : "r"(a[i]), "r"(b[i]), "r"(2));
        asm("prmt.b32.rc16 %0, %1, %2, %3;" : "=r"(r2) : "r"(a[i]), "r"(b[i]), "r"(0));
        out[i] = r0 ^ r1 ^ r2;
    }
}

__global__ void shifts_all_widths(const unsigned char *a, const unsigned short *b, const unsigned *c,
                                  const unsigned long long *d, const int *sh, unsigned long long *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int s = sh[i] & 63;
        unsigned short sb = b[i] >> (s & 15);
        unsigned sc = c[i] << (s & 31);
        long long sd = (long long)d[i] >> s;
        unsigned r;
        asm("shf.l.wrap.b32 %0, %1, %2, %3;" : "=r"(r) : "r"(c[i]), "r"((unsigned)a[i]), "r"(s));
        out[i] = (unsigned long long)a[i] + sb + sc + (unsigned long long)sd + r;
    }
}
