// min-arch: sm_80
// Fences, volatile, cuda::atomic_ref with memory orders and scopes, ld.acquire/st.release.
#include <cuda/atomic>

__global__ void fences(int *data, volatile int *flag, int *out) {
    int t = threadIdx.x;
    if (blockIdx.x == 0 && t == 0) {
        data[0] = 42;
        __threadfence();
        data[1] = 43;
        __threadfence_block();
        data[2] = 44;
        __threadfence_system();
        *flag = 1;
    } else if (t == 0) {
        while (*flag == 0) {}
        __threadfence();
        out[blockIdx.x] = data[0] + data[1] + data[2];
    }
}

__global__ void atomic_ref_orders(int *data, int *flag, int *out) {
    cuda::atomic_ref<int, cuda::thread_scope_device> f(*flag);
    cuda::atomic_ref<int, cuda::thread_scope_device> d(*data);
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        d.store(7, cuda::memory_order_relaxed);
        f.store(1, cuda::memory_order_release);
    } else if (threadIdx.x == 0) {
        while (f.load(cuda::memory_order_acquire) == 0) {}
        out[blockIdx.x] = d.load(cuda::memory_order_relaxed);
    }
}

__global__ void atomic_ref_rmw(int *ctr, unsigned long long *c64, float *fs, int *out) {
    cuda::atomic_ref<int, cuda::thread_scope_device> c(*ctr);
    cuda::atomic_ref<unsigned long long, cuda::thread_scope_system> s(*c64);
    cuda::atomic_ref<float, cuda::thread_scope_block> f(*fs);
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int old = c.fetch_add(1, cuda::memory_order_acq_rel);
    s.fetch_or(1ull << (i & 63), cuda::memory_order_relaxed);
    f.fetch_add(1.0f, cuda::memory_order_seq_cst);
    int expected = old;
    c.compare_exchange_strong(expected, old + 100, cuda::memory_order_acq_rel, cuda::memory_order_acquire);
    int mx = c.fetch_max(i, cuda::memory_order_release);
    out[i] = old + expected + mx + c.exchange(5, cuda::memory_order_seq_cst);
}

__global__ void atomic_block_scope_shared(int *out) {
    __shared__ int s;
    if (threadIdx.x == 0) s = 0;
    __syncthreads();
    cuda::atomic_ref<int, cuda::thread_scope_block> r(s);
    r.fetch_add(threadIdx.x, cuda::memory_order_relaxed);
    __syncthreads();
    if (threadIdx.x == 0) out[blockIdx.x] = r.load(cuda::memory_order_acquire);
}

__global__ void ld_st_ordering_asm(int *p, int *out) {
    int v0, v1, v2;
    asm volatile("ld.acquire.gpu.global.u32 %0, [%1];" : "=r"(v0) : "l"(p) : "memory");
    asm volatile("ld.relaxed.sys.global.u32 %0, [%1];" : "=r"(v1) : "l"(p + 1) : "memory");
    asm volatile("ld.volatile.global.u32 %0, [%1];" : "=r"(v2) : "l"(p + 2) : "memory");
    asm volatile("st.release.gpu.global.u32 [%0], %1;" :: "l"(p + 3), "r"(v0 + 1) : "memory");
    asm volatile("st.relaxed.cta.global.u32 [%0], %1;" :: "l"(p + 4), "r"(v1) : "memory");
    asm volatile("fence.acq_rel.gpu;" ::: "memory");
    asm volatile("fence.sc.sys;" ::: "memory");
    int old;
    asm volatile("atom.acq_rel.gpu.global.add.u32 %0, [%1], 1;" : "=r"(old) : "l"(p + 5) : "memory");
    asm volatile("membar.cta;" ::: "memory");
    out[threadIdx.x] = v0 + v1 + v2 + old;
}

__global__ void volatile_spin(volatile unsigned *flag, unsigned *out) {
    if (threadIdx.x == 0) {
        unsigned v;
        int spins = 0;
        do { v = *flag; ++spins; } while (v == 0 && spins < 1000);
        out[blockIdx.x] = v + spins;
    }
}
