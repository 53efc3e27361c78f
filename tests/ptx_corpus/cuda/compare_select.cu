// Comparisons, selects, predicates, NaN-aware compares, branches.
#include <cmath>

__global__ void int_compares(const int *a, const int *b, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        int x = a[i], y = b[i];
        int r = 0;
        r |= (x < y) << 0;
        r |= (x <= y) << 1;
        r |= (x > y) << 2;
        r |= (x >= y) << 3;
        r |= (x == y) << 4;
        r |= (x != y) << 5;
        r |= ((unsigned)x < (unsigned)y) << 6;
        r |= ((unsigned)x >= (unsigned)y) << 7;
        out[i] = r;
    }
}

__global__ void int64_compare_select(const long long *a, const long long *b, long long *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        long long x = a[i], y = b[i];
        out[i] = (x < y) ? x * 2 : y - 1;
        if ((unsigned long long)x > (unsigned long long)y) out[i] += 5;
    }
}

__global__ void float_compares(const float *a, const float *b, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i], y = b[i];
        int r = 0;
        r |= (x < y) << 0;
        r |= (x <= y) << 1;
        r |= (x == y) << 2;
        r |= (x != y) << 3;
        r |= !(x >= y) << 4;   // unordered-or-less
        r |= isnan(x) << 5;
        r |= isinf(y) << 6;
        r |= isfinite(x) << 7;
        r |= signbit(y) << 8;
        out[i] = r;
    }
}

__global__ void select_chain(const float *a, const float *b, float *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float x = a[i];
        float r = x > 0.0f ? x : (x < -1.0f ? -1.0f : x * 0.5f);
        out[i] = (b[i] != b[i]) ? 0.0f : r;
    }
}

__global__ void set_and_slct_asm(const int *a, const int *b, const float *f, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        unsigned s;
        asm("set.gt.u32.s32 %0, %1, %2;" : "=r"(s) : "r"(a[i]), "r"(b[i]));
        int t;
        asm("slct.s32.f32 %0, %1, %2, %3;" : "=r"(t) : "r"(a[i]), "r"(b[i]), "f"(f[i]));
        int u;
        asm("{\n\t.reg .pred p, q;\n\t"
            "setp.lt.and.s32 p|q, %1, %2, 1;\n\t"
            "selp.s32 %0, %1, %2, q;\n\t}"
            : "=r"(u) : "r"(a[i]), "r"(b[i]));
        int v;
        asm("{\n\t.reg .pred p;\n\t"
            "setp.nan.f32 p, %1, %1;\n\t"
            "selp.s32 %0, 1, 0, !p;\n\t}"
            : "=r"(v) : "f"(f[i]));
        out[i] = (int)s + t + u + v;
    }
}

__global__ void branchy(const int *a, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int x = a[i];
    int r;
    switch (x & 7) {
    case 0: r = x + 1; break;
    case 1: r = x * 3; break;
    case 2: r = x - 7; break;
    case 3: r = x ^ 0x55; break;
    case 4: r = x << 2; break;
    case 5: r = -x; break;
    case 6: r = x / 3; break;
    default: r = 42; break;
    }
    out[i] = r;
}

__global__ void loops_and_breaks(const int *a, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) return;
    int x = a[i], steps = 0;
    while (x != 1 && steps < 1000) {   // Collatz
        x = (x & 1) ? 3 * x + 1 : x >> 1;
        ++steps;
    }
    out[i] = steps;
}
