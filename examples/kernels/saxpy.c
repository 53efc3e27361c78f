// A hand-written OxCore kernel for `make demo`, standing in for the backend's output until the
// translator exists: y[i] = a * x[i] + y[i] over a 1-D grid, one warp of 32 threads per vector
// register (docs/oxcore-isa.md §7 for the entry registers, tests/sim/kernels/ox.h for Xox).
// Each thread first sets its own x[i] = i and y[i] = 1000 - i, so y[i] ends as 1000 + (a-1)*i.
#include "ox.h"

#define N 1000
float x[N], y[N];

// The parameter buffer holds the scalar a (PTX lays out a single .f32 parameter at offset 0).
OX_KERNEL(saxpy) {
  float a = *(const float *)params;
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vuint32m1_t index = __riscv_vadd_vx_u32m1(__riscv_vid_v_u32m1(32), first, 32);
  vbool32_t active =
      __riscv_vmand_mm_b32(ox_mask(valid), __riscv_vmsltu_vx_u32m1_b32(index, N, 32), 32);
  vfloat32m1_t fi = __riscv_vfcvt_f_xu_v_f32m1(index, 32);
  __riscv_vse32_v_f32m1_m(active, x + first, fi, 32);
  __riscv_vse32_v_f32m1_m(active, y + first, __riscv_vfrsub_vf_f32m1(fi, 1000.0f, 32), 32);
  vfloat32m1_t vx = __riscv_vle32_v_f32m1_m(active, x + first, 32);
  vfloat32m1_t vy = __riscv_vle32_v_f32m1_m(active, y + first, 32);
  __riscv_vse32_v_f32m1_m(active, y + first, __riscv_vfmacc_vf_f32m1(vy, a, vx, 32), 32);
}
