// RVV arithmetic, compare, mask, permutation, reduction and conversion instructions under many
// vtypes (SEW 8..64, LMUL 1/4..8, tail/mask policies), vector lengths, masks, fixed-point and
// floating-point rounding modes, on pseudo-random data salted with edge values (zeros, -1,
// minimum integers, NaNs, infinities, subnormals). Every instruction runs from the same harness:
// whole-register loads of v0, v8-v15, v16-v23, v24-v31, one vsetvl, the instruction, whole-
// register stores; the results, vl, vxsat, fflags and scalar results are hashed. One line per
// instruction (masked and unmasked) is printed, so a difference names the instruction.
// Half-precision vector arithmetic (Zvfh) is left out: Debian's qemu 7.2 does not have it.
#include "rt.h"

#define REGS 1024 // bytes in 8 vector registers (VLEN = 1024)

static u64 in_d[REGS / 8], in_a[REGS / 8], in_b[REGS / 8], in_m[16], out[REGS / 8];
static u64 results[5];
static u64 seed = 0x9e3779b97f4a7c15ull;

static u64 next(void) { return xorshift(&seed); }

// Edge values at every width, placed at random element positions.
static const u64 kEdges[] = {0, ~0ull, 0x8000000000000000ull, 0x7fffffffffffffffull,
                             0x80000000ull, 0x7fffffffull, 0x8000ull, 0x80ull, 1,
                             0x7ff0000000000000ull, 0xfff8000000000000ull, 0x7ff0000000000001ull,
                             0x0000000000000001ull, 0x7f800000ull, 0xffc00000ull, 0x7f800001ull,
                             0x00000001ull, 0x3f800000ull, 0x3ff0000000000000ull, 0x80000000ull};

static void fill(u64 *p, u64 words) {
  for (u64 i = 0; i < words; ++i) {
    u64 r = next();
    p[i] = (r & 7) == 0 ? kEdges[(r >> 8) % (sizeof kEdges / sizeof kEdges[0])] : next();
    // Small numbers make divisions, shifts and gathers interesting.
    if ((r & 7) == 1)
      p[i] &= 0x0000001f0000001full;
  }
}

static u64 hash = 0xcbf29ce484222325ull;
static void mix(u64 v) {
  hash ^= v;
  hash *= 0x100000001b3ull;
}

enum { INT = 0, FP = 1, WIDE = 2, NARROW = 4, EXT2 = 8, EXT4 = 16, EXT8 = 32, FIXED = 64,
       EI16 = 128, FPROUND = 256 };

// (SEW, LMUL) pairs as vtype values: vlmul | vsew << 3 | ta << 6 | ma << 7.
static const u64 kVtypes[] = {
    0 | 0 << 3,        5 + 2 | 0 << 3, 3 | 0 << 3 | 1 << 6, 1 | 1 << 3, 6 | 1 << 3 | 1 << 7,
    0 | 2 << 3 | 3 << 6, 2 | 2 << 3, 7 | 2 << 3, 0 | 3 << 3, 1 | 3 << 3 | 1 << 6, 3 | 3 << 3};

static int legal(u64 vtype, int kind) {
  u64 sew = 8u << (vtype >> 3 & 7);
  int lmul = (int)(vtype & 7) - ((vtype & 4) ? 8 : 0); // log2
  if ((kind & FP) && sew < 32)
    return 0;
  if ((kind & (WIDE | NARROW)) && (sew > 32 || lmul > 2))
    return 0;
  if ((kind & WIDE) && (kind & FP) && sew != 32)
    return 0;
  if ((kind & NARROW) && (kind & FP) && sew != 32)
    return 0;
  int ext = kind & EXT2 ? 1 : kind & EXT4 ? 2 : kind & EXT8 ? 3 : 0;
  if (ext && ((sew >> ext) < 8 || lmul - ext < -3))
    return 0;
  // vrgatherei16: the index group has EMUL = 16 / SEW * LMUL.
  if ((kind & EI16) && (4 - (int)__builtin_ctzll(sew) + lmul > 3 ||
                        4 - (int)__builtin_ctzll(sew) + lmul < -3))
    return 0;
  return 1;
}

typedef void (*OpFn)(u64 avl, u64 vtype, u64 x, u64 f, u64 rm);

// One instruction between whole-register loads and stores; t3/fa1 receive scalar results.
#define OP(name, text)                                                                            \
  static void name(u64 avl, u64 vtype, u64 x, u64 f, u64 rm) {                                   \
    asm volatile("vl8re64.v v8, (%[d])\n"                                                        \
                 "vl8re64.v v16, (%[a])\n"                                                       \
                 "vl8re64.v v24, (%[b])\n"                                                       \
                 "vl1re64.v v0, (%[m])\n"                                                        \
                 "fmv.d.x fa0, %[f]\n"                                                           \
                 "fmv.d.x fa1, zero\n"                                                           \
                 "csrw vxrm, %[rm]\n"                                                            \
                 "csrw frm, %[rm]\n"                                                             \
                 "csrw vxsat, zero\n"                                                            \
                 "fsflags zero\n"                                                                \
                 "li t3, 0\n"                                                                    \
                 "vsetvl t0, %[avl], %[vt]\n" text "\n"                                          \
                 "vs8r.v v8, (%[out])\n"                                                         \
                 "csrr t1, vxsat\n"                                                              \
                 "frflags t2\n"                                                                  \
                 "fmv.x.d t4, fa1\n"                                                             \
                 "sd t0, 0(%[res])\n"                                                            \
                 "sd t1, 8(%[res])\n"                                                            \
                 "sd t2, 16(%[res])\n"                                                           \
                 "sd t3, 24(%[res])\n"                                                           \
                 "sd t4, 32(%[res])\n"                                                           \
                 :                                                                               \
                 : [d] "r"(in_d), [a] "r"(in_a), [b] "r"(in_b), [m] "r"(in_m), [out] "r"(out),  \
                   [res] "r"(results), [avl] "r"(avl), [vt] "r"(vtype), [x] "r"(x),             \
                   [f] "r"(f), [rm] "r"(rm)                                                      \
                 : "memory", "t0", "t1", "t2", "t3", "t4", "fa0", "fa1", "v0", "v1", "v2", "v3", \
                   "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", \
                   "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26",  \
                   "v27", "v28", "v29", "v30", "v31");                                           \
  }

// Each instruction masked and unmasked.
#define OPM(name, text) OP(name, text) OP(name##_m, text ", v0.t")

#define VV(n, m) OPM(n##_vv, m ".vv v8, v16, v24")
#define VX(n, m) OPM(n##_vx, m ".vx v8, v16, %[x]")
#define VI(n, m, i) OPM(n##_vi, m ".vi v8, v16, " #i)
#define VF(n, m) OPM(n##_vf, m ".vf v8, v16, fa0")

#include "vector_ops.inc"

struct Op {
  const char *name;
  OpFn fn;
  int kind;
};

#undef OP
#undef OPM
#define OPM(name, text) {#name, name, KIND}, {#name "_m", name##_m, KIND},
#define OP(name, text) {#name, name, KIND},
static const struct Op kOps[] = {
#include "vector_ops.inc"
};

int main(void) {
  const u64 scalars[] = {3, 0, ~0ull, 17, 0x80000000ull, 1000, 0x123456789abcdefull, 1};
  const u64 floats[] = {0xffffffff3fc00000ull, 0x4000000000000000ull, 0xffffffff7fc00000ull,
                        0xbff8000000000000ull, 0xffffffff00000001ull, 0x7ff0000000000000ull};
  for (u64 o = 0; o < sizeof kOps / sizeof kOps[0]; ++o) {
    hash = 0xcbf29ce484222325ull;
    u64 runs = 0;
    for (u64 t = 0; t < sizeof kVtypes / sizeof kVtypes[0]; ++t) {
      if (!legal(kVtypes[t], kOps[o].kind))
        continue;
      u64 sew = 8u << (kVtypes[t] >> 3 & 7);
      int lmul = (int)(kVtypes[t] & 7) - ((kVtypes[t] & 4) ? 8 : 0);
      u64 vlmax = lmul >= 0 ? (1024 / sew) << lmul : (1024 / sew) >> -lmul;
      const u64 avls[] = {vlmax, vlmax > 5 ? vlmax - 5 : 1, 1, vlmax + 7};
      u64 modes = kOps[o].kind & FPROUND ? 5 : kOps[o].kind & FIXED ? 4 : 1;
      for (u64 a = 0; a < 4; ++a) {
        for (u64 rm = 0; rm < modes; ++rm) {
          fill(in_d, REGS / 8);
          fill(in_a, REGS / 8);
          fill(in_b, REGS / 8);
          fill(in_m, 16);
          u64 x = scalars[next() % 8], f = floats[next() % 6];
          if (sew == 64 && (next() & 1))
            f = in_a[next() % (REGS / 8)];
          kOps[o].fn(avls[a], kVtypes[t], x, f, rm);
          for (u64 i = 0; i < REGS / 8; ++i)
            mix(out[i]);
          for (u64 i = 0; i < 5; ++i)
            mix(results[i]);
          ++runs;
        }
      }
    }
    print(kOps[o].name);
    print(" ");
    print_hex(hash ^ runs);
  }
  return 0;
}
