// min-arch: sm_80
// __match_any_sync/__match_all_sync (sm_70+), __reduce_*_sync (sm_80).
__global__ void match_ops(const int *keys, const long long *keys64, unsigned *out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned any = __match_any_sync(0xffffffffu, keys[i]);
    int pred;
    unsigned all = __match_all_sync(0xffffffffu, keys[i] & 1, &pred);
    unsigned any64 = __match_any_sync(0xffffffffu, keys64[i]);
    out[i * 4 + 0] = any;
    out[i * 4 + 1] = all;
    out[i * 4 + 2] = pred;
    out[i * 4 + 3] = any64;
}

__global__ void redux_ops(const int *in, const unsigned *uin, int *out, unsigned *uout) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int w = i / 32;
    int s = __reduce_add_sync(0xffffffffu, in[i]);
    int mn = __reduce_min_sync(0xffffffffu, in[i]);
    int mx = __reduce_max_sync(0xffffffffu, in[i]);
    unsigned umn = __reduce_min_sync(0xffffffffu, uin[i]);
    unsigned umx = __reduce_max_sync(0xffffffffu, uin[i]);
    unsigned a = __reduce_and_sync(0xffffffffu, uin[i]);
    unsigned o = __reduce_or_sync(0xffffffffu, uin[i]);
    unsigned x = __reduce_xor_sync(0xffffffffu, uin[i]);
    unsigned us = __reduce_add_sync(0xffffffffu, uin[i]);
    if ((threadIdx.x & 31) == 0) {
        out[w * 3 + 0] = s;
        out[w * 3 + 1] = mn;
        out[w * 3 + 2] = mx;
        uout[w * 6 + 0] = umn;
        uout[w * 6 + 1] = umx;
        uout[w * 6 + 2] = a;
        uout[w * 6 + 3] = o;
        uout[w * 6 + 4] = x;
        uout[w * 6 + 5] = us;
    }
}

__global__ void redux_partial_mask(const int *in, int *out) {
    int lane = threadIdx.x & 31;
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (lane < 8) {
        out[i] = __reduce_add_sync(0x000000ffu, in[i]);
    } else {
        unsigned grp = __match_any_sync(0xffffff00u, in[i] & 3);
        out[i] = __popc(grp);
    }
}

__global__ void elect_leader(const int *keys, int *counts) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    int k = keys[i];
    unsigned peers = __match_any_sync(__activemask(), k);
    int leader = __ffs(peers) - 1;
    if ((threadIdx.x & 31) == leader) atomicAdd(&counts[k & 255], __popc(peers));
}
