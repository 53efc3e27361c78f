// Scalar Zfh (binary16) and round-to-nearest-max-magnitude (rmm) in binary32/64: arithmetic,
// fused multiply-add, square root, conversions between formats and to/from integers, compares,
// min/max and classification, under all five rounding modes, on random bit patterns salted with
// edge values (zeros, subnormals, infinities, quiet and signaling NaNs, values near overflow and
// ties). Results and accrued flags are hashed; one line per instruction.
#include "rt.h"

static u64 seed = 0x853c49e6748fea9bull;
static u64 next(void) { return xorshift(&seed); }

static const u64 kHalfEdges[] = {0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00,
                                 0x7e00, 0x7c01, 0x3c00, 0x3c01, 0xbbff, 0x5bff, 0x1400};
static const u64 kSingleEdges[] = {0x00000000, 0x80000000, 0x00000001, 0x007fffff, 0x7f7fffff,
                                   0x7f800000, 0x7fc00000, 0x7f800001, 0x3f800001, 0x4b800001,
                                   0x3f000000, 0xbfc00000};
static const u64 kDoubleEdges[] = {0, 0x8000000000000000ull, 1, 0x7fefffffffffffffull,
                                   0x7ff0000000000000ull, 0x7ff8000000000000ull,
                                   0x7ff0000000000001ull, 0x3ff0000000000001ull,
                                   0x4330000000000001ull, 0x3fe0000000000000ull};

// A NaN-boxed operand of `width` bits.
static u64 operand(unsigned width) {
  u64 r = next();
  if ((r & 3) == 0) {
    u64 e = r >> 8;
    if (width == 16)
      return ~0ull << 16 | kHalfEdges[e % (sizeof kHalfEdges / 8)];
    if (width == 32)
      return ~0ull << 32 | kSingleEdges[e % (sizeof kSingleEdges / 8)];
    return kDoubleEdges[e % (sizeof kDoubleEdges / 8)];
  }
  u64 v = next();
  if ((r & 3) == 1) // near 1.0: rounding-sensitive results
    v = width == 16 ? (0x3c00 | (v & 0x3ff)) : width == 32 ? (0x3f800000 | (v & 0x7fffff)) : v;
  return width == 64 ? v : ~0ull << width | (v & ((1ull << width) - 1));
}

static u64 hash = 0xcbf29ce484222325ull;
static void mix(u64 v) {
  hash ^= v;
  hash *= 0x100000001b3ull;
}

typedef u64 (*OpFn)(u64 a, u64 b, u64 c, u64 x, u64 *flags);

// One instruction: fa0-fa2 and a0 in, fa3 or a1 out (returned as raw bits).
#define OP(name, text, result)                                                                    \
  static u64 name(u64 a, u64 b, u64 c, u64 x, u64 *flags) {                                       \
    u64 out;                                                                                      \
    asm volatile("fmv.d.x fa0, %[a]\n"                                                           \
                 "fmv.d.x fa1, %[b]\n"                                                           \
                 "fmv.d.x fa2, %[c]\n"                                                           \
                 "mv a0, %[x]\n"                                                                 \
                 "fsflags zero\n" text "\n" result "\n"                                          \
                 "frflags %[f]\n"                                                                \
                 : [o] "=&r"(out), [f] "=&r"(*flags)                                             \
                 : [a] "r"(a), [b] "r"(b), [c] "r"(c), [x] "r"(x)                                \
                 : "a0", "a1", "fa0", "fa1", "fa2", "fa3");                                      \
    return out;                                                                                   \
  }
#define F(name, text) OP(name, text, "fmv.x.d %[o], fa3")
#define X(name, text) OP(name, text, "mv %[o], a1")

#include "float_formats.inc"

struct Op {
  const char *name;
  OpFn fn;
  unsigned width; // of the floating-point operands
};
#undef F
#undef X
#define F(name, text) {#name, name, WIDTH},
#define X(name, text) {#name, name, WIDTH},
static const struct Op kOps[] = {
#include "float_formats.inc"
};

int main(void) {
  for (u64 o = 0; o < sizeof kOps / sizeof kOps[0]; ++o) {
    hash = 0xcbf29ce484222325ull;
    for (u64 rm = 0; rm < 5; ++rm) {
      asm volatile("fsrm %0" : : "r"(rm));
      for (int i = 0; i < 400; ++i) {
        u64 flags;
        u64 x = (i & 1) ? next() : (next() & 0xffff) - 0x8000;
        mix(kOps[o].fn(operand(kOps[o].width), operand(kOps[o].width), operand(kOps[o].width), x,
                       &flags));
        mix(flags);
      }
    }
    asm volatile("fsrm zero");
    print(kOps[o].name);
    print(" ");
    print_hex(hash);
  }
  return 0;
}
