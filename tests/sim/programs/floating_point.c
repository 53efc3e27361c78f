// F and D: arithmetic under every rounding mode, fused multiply-add, conversions with their
// saturation rules, min/max/compare/classify with NaNs and signed zeros, and accrued flags.
#include "rt.h"

static volatile float fin[] = {1.5f, -2.25f, 3.0e38f, 1.0e-40f, 0.1f, -0.0f, 16777217.0f, 7.0f};
static volatile double din[] = {1.5, -2.25, 1.0e308, 4.9e-324, 0.1, -0.0, 9007199254740993.0, 3.0};
static volatile u32 nan_bits = 0x7fc00001u;    // a quiet NaN with a payload
static volatile u32 snan_bits = 0x7f800001u;   // a signaling NaN

static u64 bits_f(float f) { u32 b; __builtin_memcpy(&b, &f, 4); return b; }
static u64 bits_d(double d) { u64 b; __builtin_memcpy(&b, &d, 8); return b; }
static float from_bits_f(u32 b) { float f; __builtin_memcpy(&f, &b, 4); return f; }

static void set_rm(u64 rm) { asm volatile("fsrm %0" : : "r"(rm)); }
static u64 read_flags(void) { u64 f; asm volatile("frflags %0" : "=r"(f)); return f; }
static void clear_flags(void) { asm volatile("fsflags zero"); }

int main(void) {
  u64 h = 0;
  for (u64 rm = 0; rm < 5; ++rm) {
    set_rm(rm);
    for (int i = 0; i < 8; ++i) {
      float a = fin[i], b = fin[(i + 3) & 7];
      double c = din[i], d = din[(i + 5) & 7];
      if (rm < 4) { // rmm only for conversions below
        h = h * 31 + bits_f(a + b) + bits_f(a * b) + bits_f(a / (b + 1.0f)) + bits_f(a - b);
        h = h * 31 + bits_d(c + d) + bits_d(c * d) + bits_d(c / (d - 1.0)) + bits_d(c - d);
        h = h * 31 + bits_f(__builtin_fmaf(a, b, 0.3f)) + bits_d(__builtin_fma(c, d, -0.7));
        h = h * 31 + bits_f(__builtin_sqrtf(a < 0 ? -a : a)) + bits_d(__builtin_sqrt(c < 0 ? -c : c));
        h = h * 31 + bits_f((float)c) + bits_f((float)(i64)(c * 1e3)) + bits_d((double)(i64)(a * 7));
      }
    }
    print_hex(h);
  }
  set_rm(0);
  // Conversions: truncation, saturation, NaN.
  float nan = from_bits_f(nan_bits), snan = from_bits_f(snan_bits);
  volatile float big = 3.0e38f, neg = -5.5f, half = 2.5f;
  print_dec((i32)big);
  print_dec((i32)neg);
  print_hex((u32)neg);
  print_hex((u64)(u32)nan);
  print_dec((i64)nan);
  print_dec((i64)(double)big);
  i64 rounded;
  asm volatile("fcvt.w.s %0, %1, rmm" : "=r"(rounded) : "f"(half));
  print_dec(rounded);
  asm volatile("fcvt.w.s %0, %1, rne" : "=r"(rounded) : "f"(half));
  print_dec(rounded);
  asm volatile("fcvt.l.s %0, %1, rup" : "=r"(rounded) : "f"(neg));
  print_dec(rounded);
  // min/max/compare/classify.
  print_hex(bits_f(__builtin_fminf(nan, 1.0f)));
  print_hex(bits_f(__builtin_fmaxf(-0.0f, 0.0f)));
  print_hex(bits_f(__builtin_fminf(-0.0f, 0.0f)));
  print_hex(bits_f(nan + 1.0f)); // canonical NaN
  print_dec(nan == nan);
  print_dec(__builtin_isless(nan, 1.0f));
  print_dec(__builtin_fpclassify(0, 1, 2, 3, 4, snan));
  // Flags.
  clear_flags();
  volatile float one = 1.0f, three = 3.0f, zero = 0.0f;
  volatile float q = one / three;
  print_hex(read_flags());
  clear_flags();
  q = one / zero;
  print_hex(read_flags());
  clear_flags();
  q = zero / zero;
  print_hex(read_flags());
  clear_flags();
  volatile int s = snan < 1.0f;
  print_hex(read_flags() | (u64)s << 8);
  (void)q;
  return (int)(h & 0x7f);
}
