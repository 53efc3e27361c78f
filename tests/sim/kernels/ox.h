// What hand-written test kernels need of OxCore: the kernel ABI's entry arguments
// (docs/oxcore-isa.md §7), the Xox CSRs and control instructions through csrr and .insn, and
// the 32-lane vector configuration (SEW 32, LMUL 1). Stands in for the backend until it exists.
#pragma once

#include <riscv_vector.h>
#include <stdint.h>

// The entry registers a0-a6, as C parameters.
#define OX_KERNEL(name)                                                                           \
  void name(const void *params, char *shared, char *dynamic_shared, char *local,                   \
            uint64_t local_stride, uint32_t warp, uint32_t valid)

#define OX_CSR(number)                                                                            \
  ({                                                                                              \
    uint64_t value_;                                                                              \
    asm volatile("csrr %0, " #number : "=r"(value_));                                             \
    value_;                                                                                       \
  })
#define OX_CTAID_X OX_CSR(0xcc0)
#define OX_NCTAID_X OX_CSR(0xcc3)
#define OX_NTID_X OX_CSR(0xcc6)
#define OX_WARPID OX_CSR(0xcc9)
#define OX_NWARPS OX_CSR(0xcca)
#define OX_COREID OX_CSR(0xccc)
#define OX_HWTID OX_CSR(0xcce)
#define OX_VALIDMASK OX_CSR(0xcd5)
#define OX_LIVEMASK OX_CSR(0xcd6)
#define OX_SMEM_TOTAL OX_CSR(0xcd4)

static inline void ox_bar_sync(uint64_t id, uint64_t count) {
  asm volatile(".insn r 0x0b, 0, 0x08, x0, %0, %1" : : "r"(id), "r"(count) : "memory");
}
static inline void ox_bar_arrive(uint64_t id, uint64_t count) {
  asm volatile(".insn r 0x0b, 0, 0x09, x0, %0, %1" : : "r"(id), "r"(count) : "memory");
}
static inline uint64_t ox_bar_red_popc(uint64_t id, uint64_t count, uint64_t contribution) {
  uint64_t result;
  asm volatile(".insn r4 0x0b, 1, 0, %0, %1, %2, %3"
               : "=r"(result)
               : "r"(id), "r"(count), "r"(contribution)
               : "memory");
  return result;
}
static inline uint64_t ox_bar_red_or(uint64_t id, uint64_t count, uint64_t contribution) {
  uint64_t result;
  asm volatile(".insn r4 0x0b, 1, 2, %0, %1, %2, %3"
               : "=r"(result)
               : "r"(id), "r"(count), "r"(contribution)
               : "memory");
  return result;
}
__attribute__((noreturn)) static inline void ox_exit(void) {
  asm volatile(".insn r 0x0b, 0, 0x00, x0, x0, x0");
  __builtin_unreachable();
}
static inline void ox_lexit(uint64_t lanes) {
  asm volatile(".insn r 0x0b, 0, 0x01, x0, %0, x0" : : "r"(lanes));
}
static inline void ox_trap(uint64_t code) {
  asm volatile(".insn r 0x0b, 0, 0x02, x0, %0, x0" : : "r"(code));
}

// The warp's exec mask as an RVV mask (v0 holds it at entry; this rebuilds it from `valid`).
static inline vbool32_t ox_mask(uint32_t bits) {
  vuint32m1_t lanes = __riscv_vid_v_u32m1(32);
  vuint32m1_t shifted = __riscv_vsrl_vv_u32m1(__riscv_vmv_v_x_u32m1(bits, 32), lanes, 32);
  return __riscv_vmsne_vx_u32m1_b32(__riscv_vand_vx_u32m1(shifted, 1, 32), 0, 32);
}

// Near-memory atomics (docs/oxcore-isa.md §3.6) on the lanes of `mask` (it must be in v0: the
// "vm" constraint), per-lane 64-bit addresses, 32-bit operands; gpu scope, relaxed.
#define OX_ATOM_W(funct7, addresses, values, mask)                                                \
  ({                                                                                              \
    vuint32m1_t old_;                                                                             \
    asm volatile(".insn r 0x2b, 5, " #funct7 ", %0, %1, %2"                                       \
                 : "=&vr"(old_)                                                                   \
                 : "vr"(addresses), "vr"(values), "vm"(mask)                                      \
                 : "memory");                                                                     \
    old_;                                                                                         \
  })
#define OX_CAS_W(addresses, compare, values, mask)                                                \
  ({                                                                                              \
    vuint32m1_t old_ = (compare);                                                                 \
    asm volatile(".insn r 0x2b, 5, 0x48, %0, %1, %2"                                              \
                 : "+&vr"(old_)                                                                   \
                 : "vr"(addresses), "vr"(values), "vm"(mask)                                      \
                 : "memory");                                                                     \
    old_;                                                                                         \
  })
#define OX_RED_W(funct7, addresses, values, mask)                                                 \
  asm volatile(".insn r 0x2b, 1, " #funct7 ", x0, %0, %1"                                         \
               :                                                                                  \
               : "vr"(addresses), "vr"(values), "vm"(mask)                                        \
               : "memory")

// Per-lane addresses base + 4 * index.
static inline vuint64m2_t ox_addresses(const void *base, vuint32m1_t index) {
  return __riscv_vadd_vx_u64m2(__riscv_vsll_vx_u64m2(__riscv_vzext_vf2_u64m2(index, 32), 2, 32),
                               (uint64_t)base, 32);
}

// Host calls (§3.8): formats and argument buffers are per-lane 64-bit addresses.
static inline vint32m1_t ox_printf(vuint64m2_t formats, vuint64m2_t args, vbool32_t mask) {
  vint32m1_t result;
  asm volatile(".insn r 0x0b, 0, 0x10, %0, %1, %2"
               : "=&vr"(result)
               : "vr"(formats), "vr"(args), "vm"(mask)
               : "memory");
  return result;
}
static inline void ox_assert(vuint64m2_t descriptors, vbool32_t mask) {
  asm volatile(".insn r 0x0b, 0, 0x11, x0, %0, x0" : : "vr"(descriptors), "vm"(mask) : "memory");
}
static inline vuint64m2_t ox_malloc(vuint64m2_t sizes, vbool32_t mask) {
  vuint64m2_t blocks;
  asm volatile(".insn r 0x0b, 0, 0x12, %0, %1, x0" : "=&vr"(blocks) : "vr"(sizes), "vm"(mask) : "memory");
  return blocks;
}
static inline void ox_free(vuint64m2_t blocks, vbool32_t mask) {
  asm volatile(".insn r 0x0b, 0, 0x13, x0, %0, x0" : : "vr"(blocks), "vm"(mask) : "memory");
}
