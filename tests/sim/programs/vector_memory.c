// RVV loads and stores: unit-stride, strided (positive, negative, zero strides), indexed
// (ordered and unordered, every index width), segment forms with 2..8 fields, whole-register,
// mask and fault-only-first (in bounds) transfers, masked and unmasked, under many vtypes and
// vector lengths. Registers after loads and memory after stores are hashed; one line per
// instruction is printed, so a difference names the instruction.
#include "rt.h"

#define MEM_BYTES 16384
#define REGS 1024

static u64 mem[MEM_BYTES / 8] __attribute__((aligned(64)));
static u64 regs_in[REGS / 8], index_in[REGS / 8], mask_in[16], out[REGS / 8];
static u64 result_vl;
static u64 seed = 0x2545f4914f6cdd1dull;

static u64 next(void) { return xorshift(&seed); }

static u64 hash = 0xcbf29ce484222325ull;
static void mix(u64 v) {
  hash ^= v;
  hash *= 0x100000001b3ull;
}

enum { LOAD = 0, STORE = 1, INDEXED = 2, WHOLE = 4, MASKREG = 8 };

typedef void (*OpFn)(u64 avl, u64 vtype, u64 base, i64 stride);

#define OP(name, text)                                                                            \
  static void name(u64 avl, u64 vtype, u64 base, i64 stride) {                                   \
    asm volatile("vl8re64.v v8, (%[r])\n"                                                        \
                 "vl8re64.v v16, (%[i])\n"                                                       \
                 "vl1re64.v v0, (%[m])\n"                                                        \
                 "vsetvl t0, %[avl], %[vt]\n" text "\n"                                          \
                 "csrr t0, vl\n"                                                                 \
                 "vs8r.v v8, (%[out])\n"                                                         \
                 "sd t0, 0(%[res])\n"                                                            \
                 :                                                                               \
                 : [r] "r"(regs_in), [i] "r"(index_in), [m] "r"(mask_in), [out] "r"(out),       \
                   [res] "r"(&result_vl), [avl] "r"(avl), [vt] "r"(vtype), [base] "r"(base),    \
                   [stride] "r"(stride)                                                          \
                 : "memory", "t0", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",   \
                   "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20",  \
                   "v21", "v22", "v23");                                                         \
  }
#define OPM(name, text) OP(name, text) OP(name##_m, text ", v0.t")

#include "vector_memory.inc"

struct Op {
  const char *name;
  OpFn fn;
  int kind;
  unsigned eew, fields; // eew in bits: the data width, or the index width of indexed forms
};

#undef OP
#undef OPM
#define OP(name, text) {#name, name, KIND, EEW, NF},
#define OPM(name, text) {#name, name, KIND, EEW, NF}, {#name "_m", name##_m, KIND, EEW, NF},
static const struct Op kOps[] = {
#include "vector_memory.inc"
};

static const u64 kVtypes[] = {0 | 0 << 3,       7 | 0 << 3,       3 | 0 << 3, 1 | 1 << 3,
                              6 | 1 << 3,       0 | 2 << 3 | 3 << 6, 2 | 2 << 3, 7 | 2 << 3,
                              0 | 3 << 3,       1 | 3 << 3,       3 | 3 << 3};

static int log2u(u64 v) { return 63 - __builtin_clzll(v); }

/// Whether the access's register groups are legal under vtype: EMUL in 1/8..8 and
/// fields * EMUL <= 8 registers.
static int legal(u64 vtype, const struct Op *op) {
  if (op->kind & (WHOLE | MASKREG))
    return 1;
  int sew = 8 << (vtype >> 3 & 7);
  int lmul = (int)(vtype & 7) - ((vtype & 4) ? 8 : 0);
  int emul = log2u(op->eew) - log2u((u64)sew) + lmul;
  if (emul < -3 || emul > 3)
    return 0;
  int dataEmul = (op->kind & INDEXED) ? lmul : emul;
  int regs = dataEmul > 0 ? 1 << dataEmul : 1;
  return (int)op->fields * regs <= 8;
}

int main(void) {
  for (u64 o = 0; o < sizeof kOps / sizeof kOps[0]; ++o) {
    const struct Op *op = &kOps[o];
    hash = 0xcbf29ce484222325ull;
    u64 runs = 0;
    for (u64 t = 0; t < sizeof kVtypes / sizeof kVtypes[0]; ++t) {
      if (!legal(kVtypes[t], op))
        continue;
      u64 sew = 8u << (kVtypes[t] >> 3 & 7);
      int lmul = (int)(kVtypes[t] & 7) - ((kVtypes[t] & 4) ? 8 : 0);
      u64 bytes = (op->kind & INDEXED) ? sew / 8 : op->eew / 8;
      u64 vlmax = lmul >= 0 ? (1024 / sew) << lmul : (1024 / sew) >> -lmul;
      const u64 avls[] = {vlmax, vlmax > 3 ? vlmax - 3 : 1};
      const i64 strides[] = {(i64)(bytes * op->fields), -(i64)(bytes * op->fields), 0,
                             (i64)(3 * bytes * op->fields)};
      for (u64 a = 0; a < 2; ++a) {
        for (u64 s = 0; s < 4; ++s) {
          for (u64 i = 0; i < MEM_BYTES / 8; ++i)
            mem[i] = next();
          for (u64 i = 0; i < REGS / 8; ++i)
            regs_in[i] = next();
          for (u64 i = 0; i < 16; ++i)
            mask_in[i] = next();
          // Index values: aligned byte offsets that fit the index width and the buffer half.
          u64 limit = op->eew == 8 ? 256 : MEM_BYTES / 2;
          for (u64 i = 0; i < REGS / 8; ++i) {
            u64 word = 0;
            for (u64 k = 0; k < 64 / op->eew; ++k)
              word |= ((next() % limit) & ~(bytes - 1)) << (k * op->eew);
            index_in[i] = word;
          }
          op->fn(avls[a], kVtypes[t], (u64)mem + MEM_BYTES / 2, strides[s]);
          for (u64 i = 0; i < REGS / 8; ++i)
            mix(out[i]);
          mix(result_vl);
          if (op->kind & STORE)
            for (u64 i = 0; i < MEM_BYTES / 8; ++i)
              mix(mem[i]);
          ++runs;
        }
      }
    }
    print(op->name);
    print(" ");
    print_hex(hash ^ runs);
  }
  return 0;
}
