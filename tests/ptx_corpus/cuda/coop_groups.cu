// Cooperative groups: thread_block, tiled_partition, cg::reduce, coalesced groups.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
namespace cg = cooperative_groups;

__global__ void cg_block_sync(const int *in, int *out) {
    cg::thread_block block = cg::this_thread_block();
    __shared__ int s[256];
    unsigned t = block.thread_rank();
    s[t] = in[blockIdx.x * block.size() + t];
    block.sync();
    out[blockIdx.x * block.size() + t] = s[block.size() - 1 - t] + (int)block.group_index().x;
}

__global__ void cg_tiled_reduce(const float *in, float *out, int n) {
    cg::thread_block block = cg::this_thread_block();
    cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    float v = i < n ? in[i] : 0.0f;
    float sum = cg::reduce(warp, v, cg::plus<float>());
    if (warp.thread_rank() == 0) atomicAdd(out, sum);
}

__global__ void cg_tile16_ops(const int *in, int *out) {
    auto block = cg::this_thread_block();
    auto tile = cg::tiled_partition<16>(block);
    int v = in[block.thread_rank()];
    int mx = cg::reduce(tile, v, cg::greater<int>());
    int shuffled = tile.shfl_down(v, 1) + tile.shfl_xor(v, 3) + tile.shfl(v, 0);
    unsigned b = tile.ballot(v > 0);
    bool any = tile.any(v < 0);
    out[block.thread_rank()] = mx + shuffled + (int)b + any + (int)tile.meta_group_rank();
}

__global__ void cg_dynamic_partition(const int *in, int *out) {
    auto block = cg::this_thread_block();
    cg::thread_group tile4 = cg::tiled_partition(block, 4);
    int v = in[block.thread_rank()];
    tile4.sync();
    out[block.thread_rank()] = v + (int)tile4.thread_rank() * 100 + (int)tile4.size();
}

__global__ void cg_coalesced(const int *in, int *out) {
    int v = in[threadIdx.x];
    if (v & 1) {
        cg::coalesced_group active = cg::coalesced_threads();
        int rank = active.thread_rank();
        int total = cg::reduce(active, v, cg::plus<int>());
        out[threadIdx.x] = rank * 1000 + total;
    } else {
        out[threadIdx.x] = -1;
    }
}

__global__ void cg_inclusive_scan(const int *in, int *out) {
    auto tile = cg::tiled_partition<32>(cg::this_thread_block());
    int v = in[threadIdx.x];
    for (int off = 1; off < 32; off <<= 1) {
        int u = tile.shfl_up(v, off);
        if ((int)tile.thread_rank() >= off) v += u;
    }
    out[threadIdx.x] = v;
}
