// Kernels for LaunchTest (tests/unit/sim/LaunchTest.cpp), written by hand against the kernel
// ABI with RVV intrinsics for the lanes and .insn for Xox. Each states what it computes; the test
// computes the same on the CPU and compares.
#include "ox.h"

// Global data the test fills and reads (found through the ELF symbol table).
float in_a[4096], in_b[4096], out_c[4096];
int32_t in_values[4096], out_sums[256], out_counts[256];
uint32_t out_ids[4096];
int32_t out_local[4096];
int32_t shared_result[64];

struct AddParams {
  const float *a, *b;
  float *c;
  uint32_t n;
};

// c[i] = a[i] + b[i] for every thread i < n of a 1-D grid.
OX_KERNEL(vector_add) {
  const struct AddParams *p = params;
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vuint32m1_t index = __riscv_vadd_vx_u32m1(__riscv_vid_v_u32m1(32), first, 32);
  vbool32_t active = __riscv_vmand_mm_b32(ox_mask(valid), __riscv_vmsltu_vx_u32m1_b32(index, p->n, 32), 32);
  vuint32m1_t offsets = __riscv_vsll_vx_u32m1(index, 2, 32);
  vfloat32m1_t a = __riscv_vluxei32_v_f32m1_m(active, p->a, offsets, 32);
  vfloat32m1_t b = __riscv_vluxei32_v_f32m1_m(active, p->b, offsets, 32);
  __riscv_vsuxei32_v_f32m1_m(active, p->c, offsets, __riscv_vfadd_vv_f32m1(a, b, 32), 32);
}

// Per CTA: the sum of in_values over its threads (shared-memory tree over warps, barrier 0) and
// the number of positive values (bar.red.popc on barrier 1).
OX_KERNEL(block_reduce) {
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vbool32_t active = ox_mask(valid);
  vint32m1_t v = __riscv_vle32_v_i32m1_m(active, in_values + first, 32);
  v = __riscv_vmerge_vvm_i32m1(__riscv_vmv_v_x_i32m1(0, 32), v, active, 32);
  int32_t warp_sum = __riscv_vmv_x_s_i32m1_i32(
      __riscv_vredsum_vs_i32m1_i32m1(v, __riscv_vmv_v_x_i32m1(0, 32), 32));
  int32_t *partial = (int32_t *)shared;
  partial[warp] = warp_sum;
  vbool32_t positive = __riscv_vmand_mm_b32(active, __riscv_vmsgt_vx_i32m1_b32(v, 0, 32), 32);
  uint64_t count = ox_bar_red_popc(1, 0, __riscv_vcpop_m_b32(positive, 32));
  ox_bar_sync(0, 0);
  if (warp == 0) {
    int32_t total = 0;
    for (uint32_t w = 0; w < OX_NWARPS; ++w)
      total += partial[w];
    out_sums[OX_CTAID_X] = total;
    out_counts[OX_CTAID_X] = (int32_t)count;
  }
}

// Each warp records what it reads from the Xox CSRs: ctaid.x, warpid, nwarps, ntid.x,
// validmask, hwtid, coreid, and the entry registers a5/a6 (warp, valid).
OX_KERNEL(read_ids) {
  uint32_t *o = out_ids + 16 * (OX_CTAID_X * OX_NWARPS + warp);
  o[0] = (uint32_t)OX_CTAID_X;
  o[1] = (uint32_t)OX_WARPID;
  o[2] = (uint32_t)OX_NWARPS;
  o[3] = (uint32_t)OX_NTID_X;
  o[4] = (uint32_t)OX_VALIDMASK;
  o[5] = (uint32_t)OX_HWTID;
  o[6] = (uint32_t)OX_COREID;
  o[7] = warp;
  o[8] = valid;
  o[9] = (uint32_t)OX_NCTAID_X;
  o[10] = (uint32_t)(OX_SMEM_TOTAL);
  o[11] = (uint32_t)((uint64_t)shared >> 32);
  o[12] = (uint32_t)((uint64_t)params >> 32);
}

// out_ids[32·w + l] = l for each warp w of the grid: vector stores only.
OX_KERNEL(store_lanes) {
  uint32_t *o = out_ids + 32 * (OX_CTAID_X * OX_NWARPS + warp);
  __riscv_vse32_v_u32m1(o, __riscv_vid_v_u32m1(32), 32);
}

// Per-lane local memory through the LOCAL window: lane l writes l*100+k to its word k (a
// dynamic index) for k < 8, then reads word (l + cta) % 8 back into out_local.
OX_KERNEL(local_memory) {
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vuint32m1_t lane = __riscv_vid_v_u32m1(32);
  for (uint32_t k = 0; k < 8; ++k) {
    vint32m1_t value = __riscv_vreinterpret_v_u32m1_i32m1(
        __riscv_vadd_vx_u32m1(__riscv_vmul_vx_u32m1(lane, 100, 32), k, 32));
    __riscv_vsse32_v_i32m1((int32_t *)(local + 4 * k), (ptrdiff_t)local_stride, value, 32);
  }
  // Gather back with per-lane addresses: local + lane * stride + 4 * ((lane + cta) % 8).
  vuint32m1_t word = __riscv_vremu_vx_u32m1(__riscv_vadd_vx_u32m1(lane, (uint32_t)OX_CTAID_X, 32), 8, 32);
  vuint64m2_t address = __riscv_vadd_vv_u64m2(
      __riscv_vmul_vx_u64m2(__riscv_vzext_vf2_u64m2(lane, 32), local_stride, 32),
      __riscv_vsll_vx_u64m2(__riscv_vzext_vf2_u64m2(word, 32), 2, 32), 32);
  vint32m1_t back = __riscv_vluxei64_v_i32m1((const int32_t *)local, address, 32);
  __riscv_vse32_v_i32m1_m(ox_mask(valid), out_local + first, back, 32);
}

// Warp 0 waits for 64 threads at barrier 1 while the CTA's other warp exits: a deadlock.
OX_KERNEL(barrier_deadlock) {
  if (warp == 0)
    ox_bar_sync(1, 64);
}

// CTA 2's warp 1 traps with code 0x1234; everyone else finishes.
OX_KERNEL(trap_in_cta2) {
  if (OX_CTAID_X == 2 && warp == 1)
    ox_trap(0x1234);
}

// Shared-memory bank behaviour: warp 0 loads 32 words with a stride of `stride` words.
OX_KERNEL(shared_stride) {
  uint32_t stride = *(const uint32_t *)params;
  vuint32m1_t offsets = __riscv_vmul_vx_u32m1(__riscv_vid_v_u32m1(32), stride * 4, 32);
  vint32m1_t v = __riscv_vluxei32_v_i32m1((const int32_t *)shared, offsets, 32);
  __riscv_vse32_v_i32m1(shared_result + 32 * warp, v, 32);
}

// Lanes 0-15 exit with ox.lexit; the rest record the live mask, then the warp returns.
OX_KERNEL(partial_exit) {
  ox_lexit(0x0000ffff);
  out_ids[warp] = (uint32_t)OX_LIVEMASK;
}

uint32_t bins[16], tickets[4096], ticket_counter, lane_results[64], cas_word, inc_word;
float float_sum;

// Every thread adds 1 to bins[in_values[i] & 15] (ox.red.add, contended across CTAs) and takes a
// ticket from one counter (ox.atom.add returns the old values).
OX_KERNEL(atomic_histogram) {
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vbool32_t active = ox_mask(valid);
  vuint32m1_t values = __riscv_vreinterpret_v_i32m1_u32m1(
      __riscv_vle32_v_i32m1_m(active, in_values + first, 32));
  vuint32m1_t ones = __riscv_vmv_v_x_u32m1(1, 32);
  OX_RED_W(0x00, ox_addresses(bins, __riscv_vand_vx_u32m1(values, 15, 32)), ones, active);
  vuint32m1_t zero = __riscv_vmv_v_x_u32m1(0, 32);
  vuint32m1_t ticket = OX_ATOM_W(0x00, ox_addresses(&ticket_counter, zero), ones, active);
  __riscv_vse32_v_u32m1_m(active, tickets + first, ticket, 32);
}

// One warp: 32 lanes cas the same word from 0 to lane+1 (the lowest lane wins, the others see
// its value), then inc with bound 9 on another word (wraps every 10), lanes in ascending order;
// then f32 adds of in_a[lane] into float_sum (subnormals flushed).
OX_KERNEL(atomic_lane_order) {
  vbool32_t active = ox_mask(valid);
  vuint32m1_t lane = __riscv_vid_v_u32m1(32);
  vuint32m1_t zero = __riscv_vmv_v_x_u32m1(0, 32);
  vuint32m1_t old = OX_CAS_W(ox_addresses(&cas_word, zero), zero, __riscv_vadd_vx_u32m1(lane, 1, 32), active);
  __riscv_vse32_v_u32m1(lane_results, old, 32);
  old = OX_ATOM_W(0x50, ox_addresses(&inc_word, zero), __riscv_vmv_v_x_u32m1(9, 32), active);
  __riscv_vse32_v_u32m1(lane_results + 32, old, 32);
  vuint32m1_t bits = __riscv_vle32_v_u32m1((const uint32_t *)in_a, 32);
  OX_RED_W(0x60, ox_addresses(&float_sum, zero), bits, active);
}

// Shared-memory atomics: every thread adds its value into one shared word, barrier, warp 0
// publishes it (per CTA) to out_sums.
OX_KERNEL(shared_atomic_sum) {
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vbool32_t active = ox_mask(valid);
  if (warp == 0)
    *(int32_t *)shared = 0;
  ox_bar_sync(0, 0);
  vuint32m1_t values = __riscv_vreinterpret_v_i32m1_u32m1(
      __riscv_vle32_v_i32m1_m(active, in_values + first, 32));
  OX_RED_W(0x00, ox_addresses(shared, __riscv_vmv_v_x_u32m1(0, 32)), values, active);
  ox_bar_sync(0, 0);
  if (warp == 0)
    out_sums[OX_CTAID_X] = *(int32_t *)shared;
}

// Device printf: every valid lane prints one line from its own argument buffer, laid out as
// CUDA's vprintf expects (each argument at its natural alignment); results go to
// printf_results.
struct PrintfArgs {
  int32_t cta, lane;
  double half;
  const char *name;
  uint32_t hex;
  int32_t letter;
  int64_t big;
};
struct PrintfArgs printf_args[256];
int32_t printf_results[256];
static const char printf_format[] = "cta %d lane %d: %.2f %s|%5x|%-3c|%%|%lld\n";
static const char *const lane_names[] = {"even", "odd"};

OX_KERNEL(printf_lanes) {
  vbool32_t active = ox_mask(valid);
  uint32_t base = (uint32_t)(OX_CTAID_X * OX_NWARPS + warp) * 32;
  for (uint32_t l = 0; l < 32; ++l) {
    struct PrintfArgs *a = &printf_args[base + l];
    a->cta = (int32_t)OX_CTAID_X;
    a->lane = (int32_t)(warp * 32 + l);
    a->half = l * 0.5;
    a->name = lane_names[l & 1];
    a->hex = 0xabc + l;
    a->letter = 'a' + (int32_t)l;
    a->big = -(int64_t)l * 1000000000000LL;
  }
  vuint64m2_t formats = __riscv_vmv_v_x_u64m2((uint64_t)printf_format, 32);
  vuint64m2_t lanes = __riscv_vzext_vf2_u64m2(__riscv_vid_v_u32m1(32), 32);
  vuint64m2_t args = __riscv_vadd_vx_u64m2(
      __riscv_vmul_vx_u64m2(lanes, sizeof(struct PrintfArgs), 32), (uint64_t)&printf_args[base], 32);
  vint32m1_t result = ox_printf(formats, args, active);
  __riscv_vse32_v_i32m1_m(active, printf_results + base, result, 32);
}

struct AssertDescriptor {
  const char *message, *file, *function;
  uint32_t line, char_size;
};
static const struct AssertDescriptor assert_descriptor = {"value < limit", "kernel.cu", "check", 42, 1};
static const char before_assert[] = "before the assertion\n";

// Thread 3 of CTA 1 fails an assertion after every lane printed a line.
OX_KERNEL(assert_lane3) {
  vbool32_t active = ox_mask(valid);
  vuint64m2_t formats = __riscv_vmv_v_x_u64m2((uint64_t)before_assert, 32);
  vuint64m2_t none = __riscv_vmv_v_x_u64m2(0, 32);
  if (OX_CTAID_X == 1 && warp == 0)
    ox_printf(formats, none, __riscv_vmsne_vx_u32m1_b32(__riscv_vid_v_u32m1(32), 3, 32));
  if (OX_CTAID_X == 1 && warp == 0) {
    vbool32_t lane3 = __riscv_vmseq_vx_u32m1_b32(__riscv_vid_v_u32m1(32), 3, 32);
    ox_assert(__riscv_vmv_v_x_u64m2((uint64_t)&assert_descriptor, 32), lane3);
  }
  (void)active;
}

volatile uint32_t spin_sink;

// Warp 0 works for 1000 loop iterations before barrier 0; the other warps wait there for it.
OX_KERNEL(barrier_wait) {
  if (warp == 0)
    for (uint32_t i = 0; i < 1000; ++i)
      spin_sink = i;
  ox_bar_sync(0, 0);
}

uint64_t heap_blocks[256];
uint32_t heap_checks[256];

// Every valid thread mallocs 8 * (lane + 1) bytes, fills its block with its thread id, checks it
// back, records the address and frees the block unless keep (the parameter) is set.
OX_KERNEL(heap_roundtrip) {
  uint32_t keep = *(const uint32_t *)params;
  uint32_t first = (uint32_t)(OX_CTAID_X * OX_NTID_X + warp * 32);
  vbool32_t active = ox_mask(valid);
  vuint32m1_t lane = __riscv_vid_v_u32m1(32);
  vuint64m2_t sizes = __riscv_vsll_vx_u64m2(
      __riscv_vzext_vf2_u64m2(__riscv_vadd_vx_u32m1(lane, 1, 32), 32), 3, 32);
  vuint64m2_t blocks = ox_malloc(sizes, active);
  __riscv_vse64_v_u64m2_m(active, heap_blocks + first, blocks, 32);
  for (uint32_t l = 0; l < 32; ++l) {
    if (!(valid >> l & 1))
      continue;
    uint64_t *block = (uint64_t *)heap_blocks[first + l];
    if (!block) {
      heap_checks[first + l] = 0;
      continue;
    }
    for (uint32_t w = 0; w <= l; ++w)
      block[w] = first + l;
    uint32_t ok = 1;
    for (uint32_t w = 0; w <= l; ++w)
      ok &= block[w] == first + l;
    heap_checks[first + l] = ok;
  }
  if (!keep)
    ox_free(blocks, active);
}

// Frees an address that malloc never returned.
OX_KERNEL(heap_bad_free) {
  vbool32_t lane0 = __riscv_vmseq_vx_u32m1_b32(__riscv_vid_v_u32m1(32), 0, 32);
  ox_free(__riscv_vmv_v_x_u64m2((uint64_t)&heap_blocks[3], 32), lane0);
}
