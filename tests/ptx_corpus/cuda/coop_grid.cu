// Grid-wide synchronization with cg::this_grid().sync() (needs cooperative launch; rdc not required).
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

__global__ void grid_two_phase(float *data, float *partial, int n) {
    cg::grid_group grid = cg::this_grid();
    float acc = 0.0f;
    for (int i = grid.thread_rank(); i < n; i += grid.size()) acc += data[i];
    partial[grid.thread_rank()] = acc;
    grid.sync();
    if (grid.thread_rank() == 0) {
        float total = 0.0f;
        for (unsigned long long k = 0; k < grid.size(); ++k) total += partial[k];
        partial[0] = total;
    }
    grid.sync();
    for (int i = grid.thread_rank(); i < n; i += grid.size()) data[i] /= partial[0];
}

__global__ void grid_jacobi(float *a, float *b, int n, int iters) {
    cg::grid_group grid = cg::this_grid();
    for (int it = 0; it < iters; ++it) {
        for (int i = grid.thread_rank(); i < n; i += grid.size()) {
            float l = i > 0 ? a[i - 1] : 0.0f;
            float r = i + 1 < n ? a[i + 1] : 0.0f;
            b[i] = 0.5f * (l + r);
        }
        grid.sync();
        float *t = a; a = b; b = t;
    }
}
