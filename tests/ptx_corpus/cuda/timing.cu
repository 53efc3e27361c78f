// Clocks and timers: clock, clock64, %globaltimer via asm, __nanosleep, pmevent-free spin loops.
__global__ void clock_reads(long long *out, unsigned *out32) {
    long long t0 = clock64();
    unsigned c0 = clock();
    unsigned long long gt;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(gt));
    unsigned gt_lo;
    asm volatile("mov.u32 %0, %%globaltimer_lo;" : "=r"(gt_lo));
    long long t1 = clock64();
    out[threadIdx.x * 3 + 0] = t1 - t0;
    out[threadIdx.x * 3 + 1] = (long long)gt;
    out[threadIdx.x * 3 + 2] = gt_lo;
    out32[threadIdx.x] = clock() - c0;
}

__global__ void backoff_spin(volatile int *flag, int *out) {
    unsigned ns = 8;
    int tries = 0;
    while (*flag == 0 && tries < 64) {
        __nanosleep(ns);
        if (ns < 1024) ns *= 2;
        ++tries;
    }
    out[blockIdx.x * blockDim.x + threadIdx.x] = tries;
}

__global__ void timed_section(const float *in, float *out, long long *cycles, int n) {
    long long start = clock64();
    float acc = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) acc += in[i] * in[i];
    out[threadIdx.x] = acc;
    if (threadIdx.x == 0) cycles[blockIdx.x] = clock64() - start;
}

__global__ void special_registers(unsigned *out) {
    unsigned envreg, dynsm, totsm;
    unsigned long long hi_clk;
    asm volatile("mov.u32 %0, %%envreg0;" : "=r"(envreg));
    asm volatile("mov.u32 %0, %%dynamic_smem_size;" : "=r"(dynsm));
    asm volatile("mov.u32 %0, %%total_smem_size;" : "=r"(totsm));
    asm volatile("mov.u64 %0, %%clock64;" : "=l"(hi_clk));
    out[0] = envreg + dynsm + totsm + (unsigned)(hi_clk >> 40) + gridDim.x + blockDim.z + threadIdx.y;
}
