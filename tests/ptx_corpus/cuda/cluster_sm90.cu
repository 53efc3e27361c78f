// min-arch: sm_90
// sm_90 launch attributes and features: __cluster_dims__, __launch_bounds__ with maxclusterrank, cluster special registers, st.async-free
// distributed shared memory, cluster barriers, stmatrix, fp8 conversions.
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

__global__ void __cluster_dims__(4, 1, 1) __launch_bounds__(128) cluster_reduce(const int *in, int *out) {
    __shared__ int partial;
    cg::cluster_group cluster = cg::this_cluster();
    cg::thread_block block = cg::this_thread_block();
    if (block.thread_rank() == 0) partial = 0;
    block.sync();
    atomicAdd(&partial, in[blockIdx.x * blockDim.x + threadIdx.x]);
    cluster.sync();
    if (cluster.block_rank() == 0 && block.thread_rank() == 0) {
        int total = 0;
        for (unsigned r = 0; r < cluster.num_blocks(); ++r) total += *cluster.map_shared_rank(&partial, r);
        out[blockIdx.x / 4] = total;
    }
    cluster.sync();
}

__global__ void __launch_bounds__(256, 1, 4) cluster_barrier_asm(int *out) {   // maxclusterrank 4
    unsigned rank, is_explicit;
    asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(rank));
    asm volatile("{\n\t.reg .pred p;\n\tmov.pred p, %%is_explicit_cluster;\n\tselp.u32 %0, 1, 0, p;\n\t}"
                 : "=r"(is_explicit));
    asm volatile("barrier.cluster.arrive.release;" ::: "memory");
    asm volatile("barrier.cluster.wait.acquire;" ::: "memory");
    asm volatile("fence.acq_rel.cluster;" ::: "memory");
    out[blockIdx.x * blockDim.x + threadIdx.x] = rank + is_explicit * 100;
}

__global__ void stmatrix_asm(unsigned *out) {
    __shared__ __align__(16) unsigned short tile[8 * 8 * 4];
    unsigned lane = threadIdx.x & 31;
    unsigned addr = (unsigned)__cvta_generic_to_shared(&tile[(lane & 7) * 8 + (lane >> 3) * 64]);
    asm volatile("stmatrix.sync.aligned.m8n8.x4.shared.b16 [%0], {%1, %2, %3, %4};"
                 :: "r"(addr), "r"(lane), "r"(lane * 2), "r"(lane * 3), "r"(lane * 4) : "memory");
    __syncwarp();
    out[lane] = tile[lane] | (tile[lane + 64] << 16);
}

__global__ void cvt_fp8(const float *in, float *out, unsigned short *packed_out) {
    float v = in[threadIdx.x];
    unsigned short packed;
    asm("cvt.rn.satfinite.e4m3x2.f32 %0, %1, %2;" : "=h"(packed) : "f"(v), "f"(-v));
    unsigned h2;
    asm("cvt.rn.f16x2.e4m3x2 %0, %1;" : "=r"(h2) : "h"(packed));
    packed_out[threadIdx.x] = packed;
    out[threadIdx.x] = v + (float)(h2 & 0xffff);
}
