// Device printf (vprintf with local buffers) and assert (__assertfail).
#include <cstdio>
#include <cassert>

__global__ void printf_basic(const int *in, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n && (i & 63) == 0) printf("thread %d value %d\n", i, in[i]);
}

__global__ void printf_many_types(const double *d, const char *s) {
    if (threadIdx.x == 0) {
        printf("char=%c short=%hd long=%lld ull=%llu\n", 'x', (short)-3, -1234567890123LL, 18446744073709551615ull);
        printf("float=%f double=%.10e hex=%#x ptr=%p str=%s\n", 1.5f, d[0], 0xbeefu, (const void *)d, s);
        printf("no args\n");
    }
}

__global__ void assert_bounds(const int *in, int *out, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        assert(in[i] >= 0);
        assert(in[i] < 1000 && "value out of range");
        out[i] = in[i] * 2;
    }
}

__global__ void trap_and_brkpt(const int *in, int *out) {
    int v = in[threadIdx.x];
    if (v == -12345) __trap();
    if (v == -54321) __brkpt();
    out[threadIdx.x] = v;
}
