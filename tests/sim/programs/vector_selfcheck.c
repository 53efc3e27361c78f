// Vector behaviour that qemu-riscv64 7.2 cannot be the oracle for, checked against other
// instruction paths that it does check:
//  - Zvfh (binary16 vector arithmetic): each element must equal the scalar Zfh instruction
//    (validated against qemu by float_formats.c) on the same operands, flags included;
//  - the .rtz conversions (qemu 7.2 aborts on them): equal to the frm forms under frm = rtz;
//  - fault-only-first loads trim vl at the first faulting element after element 0.
// Prints one line per failed check and PASS or FAIL; exits 1 on failure.
#include "rt.h"

typedef unsigned short u16;

static u64 seed = 0x6a09e667f3bcc909ull;
static u64 next(void) { return xorshift(&seed); }

static int failures;
static void check(const char *what, u64 index, u64 expected, u64 actual) {
  if (expected == actual)
    return;
  ++failures;
  print(what);
  print(" element ");
  print_dec((i64)index);
  print_hex(expected);
  print_hex(actual);
}

static const u16 kHalfEdges[] = {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00,
                                 0x7e00, 0x7c01, 0x3c00, 0x3c01, 0xbbff, 0x5bff, 0x1400, 0x3555};
static u16 half_operand(void) {
  u64 r = next();
  if ((r & 3) == 0)
    return kHalfEdges[(r >> 8) & 15];
  if ((r & 3) == 1)
    return (u16)(0x3c00 | (r >> 16 & 0x3ff));
  return (u16)(r >> 16);
}

#define N 64 // elements: e16, m1
static u16 va[N], vb[N], vc[N], vr[N];
static u32 wr[N];
static u64 flags_vector;

static void set_rm(u64 rm) { asm volatile("fsrm %0" : : "r"(rm)); }

// Vector instruction on va (v8), vb (v16), vc (v24, also the destination of the fused forms).
#define VOP16(name, text)                                                                         \
  static void name(void) {                                                                       \
    asm volatile("vsetvli t0, %[n], e16, m1, ta, ma\n"                                           \
                 "vle16.v v8, (%[a])\n"                                                          \
                 "vle16.v v16, (%[b])\n"                                                         \
                 "vle16.v v24, (%[c])\n"                                                         \
                 "fsflags zero\n" text "\n"                                                      \
                 "frflags t1\n"                                                                  \
                 "sd t1, 0(%[fl])\n"                                                             \
                 "vse16.v v24, (%[r])\n"                                                         \
                 :                                                                               \
                 : [n] "r"((u64)N), [a] "r"(va), [b] "r"(vb), [c] "r"(vc), [r] "r"(vr),         \
                   [fl] "r"(&flags_vector)                                                       \
                 : "memory", "t0", "t1", "v8", "v16", "v24");                                    \
  }

// The scalar counterpart on element operands a, b, c (binary16 in NaN-boxed f registers).
#define SOP16(name, text)                                                                         \
  static u64 name(u16 a, u16 b, u16 c, u64 *flags) {                                             \
    u64 out;                                                                                      \
    asm volatile("fmv.h.x fa0, %[a]\n"                                                           \
                 "fmv.h.x fa1, %[b]\n"                                                           \
                 "fmv.h.x fa2, %[c]\n"                                                           \
                 "fsflags zero\n" text "\n"                                                      \
                 "frflags %[f]\n"                                                                \
                 : [o] "=&r"(out), [f] "=&r"(*flags)                                             \
                 : [a] "r"((u64)a), [b] "r"((u64)b), [c] "r"((u64)c)                             \
                 : "fa0", "fa1", "fa2", "fa3");                                                  \
    return out;                                                                                   \
  }

VOP16(v_add, "vfadd.vv v24, v8, v16")
SOP16(s_add, "fadd.h fa3, fa0, fa1\nfmv.x.h %[o], fa3")
VOP16(v_mul, "vfmul.vv v24, v8, v16")
SOP16(s_mul, "fmul.h fa3, fa0, fa1\nfmv.x.h %[o], fa3")
VOP16(v_div, "vfdiv.vv v24, v8, v16")
SOP16(s_div, "fdiv.h fa3, fa0, fa1\nfmv.x.h %[o], fa3")
VOP16(v_sqrt, "vfsqrt.v v24, v8")
SOP16(s_sqrt, "fsqrt.h fa3, fa0\nfmv.x.h %[o], fa3")
VOP16(v_macc, "vfmacc.vv v24, v8, v16")
SOP16(s_macc, "fmadd.h fa3, fa0, fa1, fa2\nfmv.x.h %[o], fa3")
VOP16(v_nmsac, "vfnmsac.vv v24, v8, v16")
SOP16(s_nmsac, "fnmsub.h fa3, fa0, fa1, fa2\nfmv.x.h %[o], fa3")
VOP16(v_min, "vfmin.vv v24, v8, v16")
SOP16(s_min, "fmin.h fa3, fa0, fa1\nfmv.x.h %[o], fa3")
VOP16(v_max, "vfmax.vv v24, v8, v16")
SOP16(s_max, "fmax.h fa3, fa0, fa1\nfmv.x.h %[o], fa3")
VOP16(v_sgnjx, "vfsgnjx.vv v24, v8, v16")
SOP16(s_sgnjx, "fsgnjx.h fa3, fa0, fa1\nfmv.x.h %[o], fa3")
VOP16(v_class, "vfclass.v v24, v8")
SOP16(s_class, "fclass.h %[o], fa0")
VOP16(v_lt, "vmflt.vv v0, v8, v16\nvmv.v.i v24, 0\nvmerge.vim v24, v24, 1, v0")
SOP16(s_lt, "flt.h %[o], fa0, fa1")
VOP16(v_eq, "vmfeq.vv v0, v8, v16\nvmv.v.i v24, 0\nvmerge.vim v24, v24, 1, v0")
SOP16(s_eq, "feq.h %[o], fa0, fa1")
VOP16(v_cvt_x, "vfcvt.x.f.v v24, v8")
SOP16(s_cvt_x, "fcvt.l.h %[o], fa0\n"
               "li t0, 32767\nblt %[o], t0, 1f\nmv %[o], t0\n1:\n"
               "li t0, -32768\nbge %[o], t0, 2f\nmv %[o], t0\n2:\nzext.h %[o], %[o]")
VOP16(v_cvt_f, "vfcvt.f.x.v v24, v8")
SOP16(s_cvt_f, "sext.h t0, %[a]\nfcvt.h.l fa3, t0\nfmv.x.h %[o], fa3")

struct Pair {
  const char *name;
  void (*vector)(void);
  u64 (*scalar)(u16, u16, u16, u64 *);
  int convertsToInt; // vfcvt.x.f.v saturates at 16 bits: flags differ from the 64-bit scalar
};
static const struct Pair kPairs[] = {
    {"vfadd.vv", v_add, s_add, 0},       {"vfmul.vv", v_mul, s_mul, 0},
    {"vfdiv.vv", v_div, s_div, 0},       {"vfsqrt.v", v_sqrt, s_sqrt, 0},
    {"vfmacc.vv", v_macc, s_macc, 0},    {"vfnmsac.vv", v_nmsac, s_nmsac, 0},
    {"vfmin.vv", v_min, s_min, 0},       {"vfmax.vv", v_max, s_max, 0},
    {"vfsgnjx.vv", v_sgnjx, s_sgnjx, 0}, {"vfclass.v", v_class, s_class, 0},
    {"vmflt.vv", v_lt, s_lt, 0},         {"vmfeq.vv", v_eq, s_eq, 0},
    {"vfcvt.x.f.v", v_cvt_x, s_cvt_x, 1}, {"vfcvt.f.x.v", v_cvt_f, s_cvt_f, 0},
};

static void half_against_scalar(void) {
  for (u64 p = 0; p < sizeof kPairs / sizeof kPairs[0]; ++p) {
    for (u64 rm = 0; rm < 5; ++rm) {
      for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < N; ++i) {
          va[i] = half_operand();
          vb[i] = half_operand();
          vc[i] = half_operand();
        }
        set_rm(rm);
        kPairs[p].vector();
        u64 expected_flags = 0;
        for (int i = 0; i < N; ++i) {
          u64 flags;
          u64 expected = kPairs[p].scalar(va[i], vb[i], vc[i], &flags) & 0xffff;
          expected_flags |= flags;
          check(kPairs[p].name, (u64)i, expected, vr[i]);
        }
        if (!kPairs[p].convertsToInt)
          check(kPairs[p].name, 999, expected_flags, flags_vector);
      }
    }
  }
  set_rm(0);
}

// Widening and narrowing between binary16 and binary32 against fcvt.s.h / fcvt.h.s.
static void half_conversions(void) {
  static u32 singles[N];
  for (u64 rm = 0; rm < 5; ++rm) {
    set_rm(rm);
    for (int i = 0; i < N; ++i) {
      va[i] = half_operand();
      u64 r = next();
      singles[i] = (r & 1) ? (u32)(r >> 32) : 0x3f800000u | (u32)(r >> 40);
    }
    asm volatile("vsetvli t0, %[n], e16, m1, ta, ma\n"
                 "vle16.v v8, (%[a])\n"
                 "vfwcvt.f.f.v v16, v8\n"
                 "vsetvli t0, %[n], e32, m2, ta, ma\n"
                 "vse32.v v16, (%[w])\n"
                 "vle32.v v20, (%[s])\n"
                 "vsetvli t0, %[n], e16, m1, ta, ma\n"
                 "vfncvt.f.f.w v24, v20\n"
                 "vse16.v v24, (%[r])\n"
                 :
                 : [n] "r"((u64)N), [a] "r"(va), [w] "r"(wr), [s] "r"(singles), [r] "r"(vr)
                 : "memory", "t0", "v8", "v16", "v17", "v20", "v21", "v24");
    for (int i = 0; i < N; ++i) {
      u64 widened, narrowed;
      asm volatile("fmv.h.x fa0, %[h]\nfcvt.s.h fa1, fa0\nfmv.x.w %[o], fa1"
                   : [o] "=r"(widened) : [h] "r"((u64)va[i]) : "fa0", "fa1");
      asm volatile("fmv.w.x fa0, %[s]\nfcvt.h.s fa1, fa0\nfmv.x.h %[o], fa1"
                   : [o] "=r"(narrowed) : [s] "r"((u64)singles[i]) : "fa0", "fa1");
      check("vfwcvt.f.f.v", (u64)i, widened & 0xffffffffu, wr[i]);
      check("vfncvt.f.f.w", (u64)i, narrowed & 0xffff, vr[i]);
    }
  }
  set_rm(0);
}

// vfcvt.rtz.* must equal the frm-driven conversions under frm = rtz, flags included.
static u64 ra[32], rb[32];
static void rtz_conversions(void) {
  set_rm(1);
  for (int round = 0; round < 16; ++round) {
    for (int i = 0; i < 32; ++i) {
      u64 r = next();
      ra[i] = (r & 3) == 0 ? 0x7ff8000000000000ull : (r & 3) == 1 ? 0xc3e0000000000001ull : next() >> 2;
    }
    u64 f_rtz, f_frm;
    asm volatile("vsetivli t0, 16, e64, m2, ta, ma\n"
                 "vle64.v v8, (%[a])\n"
                 "fsflags zero\n"
                 "vfcvt.rtz.x.f.v v16, v8\n"
                 "frflags %[f1]\n"
                 "fsflags zero\n"
                 "vfcvt.x.f.v v20, v8\n"
                 "frflags %[f2]\n"
                 "vse64.v v16, (%[o1])\n"
                 "vse64.v v20, (%[o2])\n"
                 : [f1] "=&r"(f_rtz), [f2] "=&r"(f_frm)
                 : [a] "r"(ra), [o1] "r"(rb), [o2] "r"(rb + 16)
                 : "memory", "t0", "v8", "v9", "v16", "v17", "v20", "v21");
    for (int i = 0; i < 16; ++i)
      check("vfcvt.rtz.x.f.v", (u64)i, rb[16 + i], rb[i]);
    check("vfcvt.rtz.x.f.v flags", 0, f_frm, f_rtz);
    asm volatile("vsetivli t0, 16, e32, m1, ta, ma\n"
                 "vle64.v v8, (%[a])\n"
                 "fsflags zero\n"
                 "vfncvt.rtz.xu.f.w v16, v8\n"
                 "frflags %[f1]\n"
                 "fsflags zero\n"
                 "vfncvt.xu.f.w v20, v8\n"
                 "frflags %[f2]\n"
                 "vse32.v v16, (%[o1])\n"
                 "vse32.v v20, (%[o2])\n"
                 : [f1] "=&r"(f_rtz), [f2] "=&r"(f_frm)
                 : [a] "r"(ra), [o1] "r"(rb), [o2] "r"(rb + 16)
                 : "memory", "t0", "v8", "v9", "v16", "v20");
    for (int i = 0; i < 8; ++i)
      check("vfncvt.rtz.xu.f.w", (u64)i, rb[16 + i], rb[i]);
    check("vfncvt.rtz.xu.f.w flags", 0, f_frm, f_rtz);
  }
  set_rm(0);
}

// A vle32ff.v that runs off the end of the stack region (the top of mapped memory in oxsim's
// plain-ELF mode) loads the elements before it and sets vl to their number.
static void fault_only_first(void) {
  u64 top = 0x7ffff0000000ull, vl;
  asm volatile("vsetivli t0, 16, e32, m1, ta, ma\n"
               "vle32ff.v v8, (%[p])\n"
               "csrr %[vl], vl\n"
               : [vl] "=r"(vl)
               : [p] "r"(top - 20)
               : "t0", "v8");
  check("vle32ff.v trims vl", 0, 5, vl);
}

int main(void) {
  half_against_scalar();
  half_conversions();
  rtz_conversions();
  fault_only_first();
  print(failures ? "FAIL\n" : "PASS\n");
  return failures ? 1 : 0;
}
