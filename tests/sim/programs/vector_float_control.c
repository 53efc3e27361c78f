// ox.fpctl (docs/oxcore-isa.md §5) on scalar and vector instructions, against values derived by
// hand from the document: FTZ32/FTZ16 flush subnormal operands and results to signed zeros
// (results raise underflow and inexact); NVNAN makes the canonical NaN NVIDIA's. Moves and sign
// injection are not affected. Prints PASS or the failed checks; exits 1 on failure.
#include "rt.h"

static int failures;
static void check(const char *what, u64 expected, u64 actual) {
  if (expected == actual)
    return;
  ++failures;
  print(what);
  print("\n");
  print_hex(expected);
  print_hex(actual);
}

static void set_fpctl(u64 v) { asm volatile("csrw 0x800, %0" : : "r"(v)); }
static u64 flags(void) { u64 f; asm volatile("frflags %0" : "=r"(f)); return f; }
static void clear(void) { asm volatile("fsflags zero"); }

// Scalar binary32 add / mul on raw bits.
static u64 fadd_s(u64 a, u64 b) {
  u64 r;
  asm volatile("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\nfadd.s ft2, ft0, ft1\nfmv.x.w %0, ft2"
               : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
  return r & 0xffffffffu;
}
static u64 fmul_s(u64 a, u64 b) {
  u64 r;
  asm volatile("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\nfmul.s ft2, ft0, ft1\nfmv.x.w %0, ft2"
               : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
  return r & 0xffffffffu;
}
static u64 fdiv_s(u64 a, u64 b) {
  u64 r;
  asm volatile("fmv.w.x ft0, %1\nfmv.w.x ft1, %2\nfdiv.s ft2, ft0, ft1\nfmv.x.w %0, ft2"
               : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
  return r & 0xffffffffu;
}
static u64 fsgnjn_s(u64 a) {
  u64 r;
  asm volatile("fmv.w.x ft0, %1\nfsgnjn.s ft2, ft0, ft0\nfmv.x.w %0, ft2" : "=r"(r) : "r"(a) : "ft0", "ft2");
  return r & 0xffffffffu;
}
static u64 fadd_h(u64 a, u64 b) {
  u64 r;
  asm volatile("fmv.h.x ft0, %1\nfmv.h.x ft1, %2\nfadd.h ft2, ft0, ft1\nfmv.x.h %0, ft2"
               : "=r"(r) : "r"(a), "r"(b) : "ft0", "ft1", "ft2");
  return r & 0xffff;
}
// Vector binary32 add of one element pair.
static u64 vfadd(u64 a, u64 b) {
  static u32 x[1], y[1], z[1];
  x[0] = (u32)a;
  y[0] = (u32)b;
  asm volatile("vsetivli zero, 1, e32, m1, ta, ma\nvle32.v v8, (%0)\nvle32.v v9, (%1)\n"
               "vfadd.vv v10, v8, v9\nvse32.v v10, (%2)"
               : : "r"(x), "r"(y), "r"(z) : "memory", "v8", "v9", "v10");
  return z[0];
}

int main(void) {
  const u64 tiny = 0x00000001;     // the smallest binary32 subnormal
  const u64 small = 0x00800000;    // the smallest normal, 2^-126
  const u64 half = 0x3f000000;     // 0.5
  const u64 negTiny = 0x80000005;  // a negative subnormal

  set_fpctl(0);
  check("no FTZ: a subnormal operand counts", 0x00000002, fadd_s(tiny, tiny));
  check("no FTZ: 2^-126 * 0.5 is subnormal", 0x00400000, fmul_s(small, half));
  check("no FTZ: canonical NaN", 0x7fc00000, fdiv_s(0, 0));

  set_fpctl(1); // FTZ32
  check("FTZ32: subnormal operands read as zero", 0x00000000, fadd_s(tiny, tiny));
  check("FTZ32: the zero keeps the operand's sign", 0x80000000, fadd_s(negTiny, 0x80000000));
  clear();
  check("FTZ32: a subnormal result becomes +0", 0x00000000, fmul_s(small, half));
  check("FTZ32: ... raising underflow and inexact", 0x3, flags() & 0x3);
  check("FTZ32: sign injection is not affected", 0x80000001, fsgnjn_s(tiny));
  check("FTZ32: vector operands too", 0x00000000, vfadd(tiny, tiny));
  check("FTZ32: binary16 is not affected", 0x0002, fadd_h(0x0001, 0x0001));

  set_fpctl(2); // FTZ16
  check("FTZ16: binary16 subnormals read as zero", 0x0000, fadd_h(0x0001, 0x0001));
  check("FTZ16: binary32 is not affected", 0x00000002, fadd_s(tiny, tiny));

  set_fpctl(4); // NVNAN
  check("NVNAN: 0/0 is NVIDIA's NaN", 0x7fffffff, fdiv_s(0, 0));
  check("NVNAN: vector too", 0x7fffffff, vfadd(0x7f800000, 0xff800000));
  check("NVNAN: binary16", 0x7fff, fadd_h(0x7c00, 0xfc00));

  set_fpctl(0);
  print(failures ? "FAIL\n" : "PASS\n");
  return failures ? 1 : 0;
}
