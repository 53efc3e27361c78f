// min-arch: sm_90
// mbarrier via cuda::barrier, inline asm mbarrier ops with tx counts, clusters, elect.sync, griddepcontrol.
#include <cuda/barrier>
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

// cuda::barrier / pipeline_shared_state in __shared__ are initialized explicitly via init().
#pragma nv_diag_suppress static_var_with_dynamic_init

__global__ void barrier_arrive_wait(int *out) {
    __shared__ cuda::barrier<cuda::thread_scope_block> bar;
    __shared__ int data[128];
    if (threadIdx.x == 0) init(&bar, blockDim.x);
    __syncthreads();
    data[threadIdx.x & 127] = threadIdx.x;
    auto token = bar.arrive();
    bar.wait(std::move(token));
    out[threadIdx.x] = data[(threadIdx.x + 1) & 127];
    bar.arrive_and_drop();
}

__global__ void mbarrier_asm(int *out) {
    __shared__ __align__(8) unsigned long long mbar;
    unsigned addr = (unsigned)__cvta_generic_to_shared(&mbar);
    if (threadIdx.x == 0)
        asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" :: "r"(addr), "r"(blockDim.x) : "memory");
    __syncthreads();
    unsigned long long state;
    asm volatile("mbarrier.arrive.shared::cta.b64 %0, [%1];" : "=l"(state) : "r"(addr) : "memory");
    unsigned done = 0;
    while (!done) {
        asm volatile("{\n\t.reg .pred p;\n\t"
                     "mbarrier.test_wait.shared::cta.b64 p, [%1], %2;\n\t"
                     "selp.u32 %0, 1, 0, p;\n\t}"
                     : "=r"(done) : "r"(addr), "l"(state) : "memory");
    }
    unsigned parity_ok;
    asm volatile("{\n\t.reg .pred p;\n\t"
                 "mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\n\t"
                 "selp.u32 %0, 1, 0, p;\n\t}"
                 : "=r"(parity_ok) : "r"(addr), "r"(0) : "memory");
    if (threadIdx.x == 0) {
        asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" :: "r"(addr), "r"(0) : "memory");
        asm volatile("mbarrier.inval.shared::cta.b64 [%0];" :: "r"(addr) : "memory");
    }
    out[threadIdx.x] = (int)done + (int)parity_ok;
}

__global__ void __cluster_dims__(2, 1, 1) cluster_dsmem(int *out) {
    __shared__ int s[64];
    cg::cluster_group cluster = cg::this_cluster();
    unsigned rank = cluster.block_rank();
    s[threadIdx.x & 63] = rank * 1000 + threadIdx.x;
    cluster.sync();
    int *peer = cluster.map_shared_rank(s, rank ^ 1);
    int v = peer[threadIdx.x & 63];
    cluster.sync();
    out[blockIdx.x * blockDim.x + threadIdx.x] = v + (int)cluster.num_blocks();
}

__global__ void elect_and_special_regs(int *out) {
    unsigned is_leader, cid, ncta;
    asm volatile("{\n\t.reg .pred p;\n\t.reg .b32 lane;\n\t"
                 "elect.sync lane|p, 0xffffffff;\n\t"
                 "selp.u32 %0, 1, 0, p;\n\t}" : "=r"(is_leader));
    asm("mov.u32 %0, %%clusterid.x;" : "=r"(cid));
    asm("mov.u32 %0, %%cluster_nctarank;" : "=r"(ncta));
    out[blockIdx.x * blockDim.x + threadIdx.x] = is_leader + cid * 10 + ncta * 100;
}

__global__ void fence_proxy_and_griddep(int *out) {
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    asm volatile("griddepcontrol.wait;" ::: "memory");
    out[threadIdx.x] = threadIdx.x;
    asm volatile("griddepcontrol.launch_dependents;");
}
