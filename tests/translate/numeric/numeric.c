// Checks the translation of single PTX instructions (ops.ptx → ptx2ox → llc → RV64) against
// C references written from the PTX ISA's definitions, on edge values and random inputs. Runs
// on oxsim (or qemu-riscv64). Prints each instruction's mismatches; exits 1 if any.
#include "rt.h"

typedef unsigned long long u64x;

// The translated functions. 32-bit results come back in 64-bit registers whose upper half the
// RISC-V ABI leaves to the callee's convention, so they are read as u64 and masked here.
u64 bfe_u32(u64, u64, u64);
u64 bfe_s32(u64, u64, u64);
u64 bfe_s64(u64, u64, u64);
u64 bfi_b32(u64, u64, u64, u64);
u64 prmt_b32(u64, u64, u64);
u64 shf_l_wrap(u64, u64, u64);
u64 shf_r_clamp(u64, u64, u64);
u64 lop3_b32(u64, u64, u64);
u64 bfind_s32(u64);
u64 bfind_shiftamt_u32(u64);
u64 popc_b64(u64);
u64 clz_b32(u64);
u64 brev_b32(u64);
u64 mul_hi_s32(u64, u64);
u64 mad_wide_u32(u64, u64, u64);
u64 div_s32(u64, u64);
u64 rem_s32(u64, u64);
u64 shl_b32(u64, u64);
u64 shr_s32(u64, u64);
u64 add_sat_s32(u64, u64);
u64 cvt_rzi_s32_f32(float);
u64 cvt_rni_u32_f32(float);
float min_f32(float, float);
u64 setp_gtu_f32(float, float);
u64 add_cc_u64(u64, u64);
u64 sub_cc_u64(u64, u64);
u64 madc_u64(u64, u64, u64);
u64 sad_s32(u64, u64, u64);
u64 vabsdiff4_u32(u64, u64, u64);
u64 vabsdiff4_add_u32(u64, u64, u64);
u64 vadd4_sat_s32(u64, u64, u64);
u64 vsub2_h1_u32(u64, u64, u64);
u64 vavrg4_u32_s32(u64, u64, u64);
u64 vmin2_s32(u64, u64, u64);
u64 vmax4_b20_u32(u64, u64, u64);
u64 vset4_lt_add_s32(u64, u64, u64);
u64 mul24_hi_s32(u64, u64);
u64 mad24_lo_u32(u64, u64, u64);
u64 dp4a_s32_u32(u64, u64, u64);
u64 dp2a_hi_u32_s32(u64, u64, u64);
u64 cvt_rn_f16x2_f32(float, float);
u64 mul_rn_f16x2(u64, u64);
float add_ftz_f32(float, float);
float mul_ftz_sat_f32(float, float);
u64 setp_lt_ftz_f32(float, float);
float rcp_rn_ftz_f32(float);
u64 cvt_rmi_ftz_s32_f32(float);
u64 cvt_sat_s8_s32(u64);
u64 cvt_sat_u16_s32(u64);
float set_lt_f32_s32(u64, u64);
u64 slct_u32_f32(u64, u64, float);
u64 prmt_f4e(u64, u64, u64);
u64 prmt_b4e(u64, u64, u64);
u64 prmt_rc8(u64, u64, u64);
u64 prmt_ecl(u64, u64, u64);
u64 prmt_ecr(u64, u64, u64);
u64 prmt_rc16(u64, u64, u64);
u64 cvt_rn_relu_f16x2_f32(float, float);
u64 cvt_rna_tf32_f32(float);
u64 szext_clamp_s32(u64, u64);
u64 szext_clamp_u32(u64, u64);
u64 szext_wrap_s32(u64, u64);
u64 szext_wrap_u32(u64, u64);
u64 bmsk_clamp(u64, u64);
u64 bmsk_wrap(u64, u64);
u64 mad_hi_sat_s32(u64, u64, u64);
u64 mad24_hi_sat_s32(u64, u64, u64);
u64 add_u16x2(u64, u64);
u64 max_relu_s16x2(u64, u64);
u64 min_u16x2(u64, u64);
u64 max_relu_s32(u64, u64);
u64 fns_b32(u64, u64, u64);

static u64 seed = 0x853c49e6748fea9bull;
static u64 next(void) { return xorshift(&seed); }
static const u32 kEdges[] = {0, 1, 2, 31, 32, 33, 63, 64, 255, 256, 0x7fffffff, 0x80000000,
                             0x80000001, 0xffffffff, 0xfffffffe, 0x12345678, 0xdeadbeef};
static u32 operand(void) {
  u64 r = next();
  if ((r & 3) == 0)
    return kEdges[(r >> 8) % (sizeof kEdges / sizeof kEdges[0])];
  if ((r & 3) == 1)
    return (u32)(r >> 20) & 0x3f; // small: positions, lengths, shift amounts
  return (u32)(r >> 16);
}
static int failures;
static void check(const char *name, u64 expected, u64 actual, u64 a, u64 b, u64 c) {
  if (expected == actual)
    return;
  if (++failures > 40)
    return;
  print(name);
  print("\n");
  print_hex(a);
  print_hex(b);
  print_hex(c);
  print_hex(expected);
  print_hex(actual);
}

// ---- references, from the PTX ISA text
static u64 ref_bfe(u64 a, u32 pos, u32 len, int bits, int isSigned) {
  int msb = bits - 1;
  pos &= 0xff;
  len &= 0xff;
  int sbit = 0;
  if (isSigned && len != 0) {
    int i = (int)(pos + len - 1) < msb ? (int)(pos + len - 1) : msb;
    sbit = (int)(a >> i & 1);
  }
  u64 d = 0;
  for (int i = 0; i <= msb; ++i) {
    int bit = ((u32)i < len && pos + (u32)i <= (u32)msb) ? (int)(a >> (pos + i) & 1) : sbit;
    d |= (u64)bit << i;
  }
  return d;
}
static u32 ref_bfi(u32 a, u32 b, u32 pos, u32 len) {
  pos &= 0xff;
  len &= 0xff;
  u32 f = b;
  for (u32 i = 0; i < len && pos + i <= 31; ++i)
    f = (f & ~(1u << (pos + i))) | ((a >> i & 1) << (pos + i));
  return f;
}
static u32 ref_prmt(u32 a, u32 b, u32 c) {
  u64 bytes = (u64)a | (u64)b << 32;
  u32 d = 0;
  for (int i = 0; i < 4; ++i) {
    u32 sel = c >> (4 * i) & 0xf;
    u32 byte = (u32)(bytes >> (8 * (sel & 7))) & 0xff;
    if (sel & 8)
      byte = (byte & 0x80) ? 0xff : 0;
    d |= byte << (8 * i);
  }
  return d;
}
// The prmt modes as the PTX ISA describes them: result byte i is byte index(i, c[1:0]) of {b, a}.
static u32 prmt_index(int mode, u32 i, u32 s) {
  switch (mode) {
  case 0: return i + s;                    // f4e: forward 4 extract
  case 1: return (s - i) & 7;              // b4e: backward 4 extract
  case 2: return s;                        // rc8: replicate byte s
  case 3: return i > s ? i : s;            // ecl: edge clamp left
  case 4: return i < s ? i : s;            // ecr: edge clamp right
  default: return (s & 1) * 2 + (i & 1);  // rc16: replicate half-word s
  }
}
static u32 ref_prmt_mode(int mode, u32 a, u32 b, u32 c) {
  u64 bytes = (u64)a | (u64)b << 32;
  u32 d = 0;
  for (u32 i = 0; i < 4; ++i)
    d |= (u32)(bytes >> (8 * prmt_index(mode, i, c & 3)) & 0xff) << (8 * i);
  return d;
}
// szext and bmsk from the ISA's description: N (and the position) is min(b, 32) with .clamp,
// b mod 32 with .wrap; szext keeps the low N bits of a, zero- or sign-extended (N = 0: 0);
// bmsk sets bits [a, a + b) that lie below 32.
static u32 limit(u32 v, int clamp) { return clamp ? (v > 32 ? 32 : v) : v % 32; }
static u32 ref_szext(u32 a, u32 b, int clamp, int isSigned) {
  u32 n = limit(b, clamp);
  if (n == 0)
    return 0;
  if (n == 32)
    return a;
  u32 low = a & ((1u << n) - 1);
  return isSigned && (low >> (n - 1) & 1) ? low | ~((1u << n) - 1) : low;
}
static u32 ref_bmsk(u32 a, u32 b, int clamp) {
  u32 from = limit(a, clamp), width = limit(b, clamp), d = 0;
  for (u32 i = from; i < from + width && i < 32; ++i)
    d |= 1u << i;
  return d;
}
static u32 saturate_s32(i64 v) { return (u32)(v > 0x7fffffff ? 0x7fffffff : v < -0x80000000ll ? -0x80000000ll : v); }
// Half-word SIMD: each 16-bit half on its own (wrapping adds; .relu clamps negatives to 0).
static u32 halves(u32 lo, u32 hi) { return (lo & 0xffff) | hi << 16; }
static i32 s16(u32 v, int k) { return (i32)(short)(v >> (16 * k)); }
static u32 u16(u32 v, int k) { return v >> (16 * k) & 0xffff; }
static i32 relu_max(i32 x, i32 y) { i32 m = x > y ? x : y; return m < 0 ? 0 : m; }
// fns as the ISA's loop states it: walk from base in the direction of offset's sign, counting
// set bits, until the |offset|-th.
static u32 ref_fns(u32 mask, u32 base, i32 offset) {
  if (offset == 0)
    return (mask >> base & 1) ? base : 0xffffffffu;
  i32 count = (offset > 0 ? offset : -offset) - 1, step = offset > 0 ? 1 : -1;
  for (i32 pos = (i32)base; pos >= 0 && pos < 32; pos += step)
    if (mask >> pos & 1) {
      if (count == 0)
        return (u32)pos;
      --count;
    }
  return 0xffffffffu;
}
static u32 ref_bfind(u32 a, int isSigned, int shiftamt) {
  u32 v = (isSigned && (i32)a < 0) ? ~a : a;
  for (int i = 31; i >= 0; --i)
    if (v >> i & 1)
      return shiftamt ? (u32)(31 - i) : (u32)i;
  return 0xffffffffu;
}
static u32 bits_of(float f) { u32 b; __builtin_memcpy(&b, &f, 4); return b; }
static float float_of(u32 b) { float f; __builtin_memcpy(&f, &b, 4); return f; }
static int is_nan(float f) { return f != f; }
static u32 ref_cvt_rzi_s32(float f) {
  if (is_nan(f))
    return 0;
  if (f >= 2147483648.0f)
    return 0x7fffffff;
  if (f <= -2147483648.0f)
    return 0x80000000;
  return (u32)(i32)f; // C conversion truncates
}
static u32 ref_cvt_rni_u32(float f) {
  if (is_nan(f) || f <= -0.5f)
    return 0;
  if (f >= 4294967295.5f)
    return 0xffffffff;
  double d = (double)f;
  u64 t = (u64)d;               // truncated
  double frac = d - (double)t;  // exact for these magnitudes
  if (frac > 0.5 || (frac == 0.5 && (t & 1)))
    ++t;
  return t > 0xffffffffull ? 0xffffffffu : (u32)t;
}

// f32 to f16, rounding to nearest even (NaNs become the quiet NaN 0x7e00 with the sign).
static u32 ref_f16(float f) {
  u32 x = bits_of(f), sign = x >> 16 & 0x8000, ax = x & 0x7fffffff;
  if (ax >= 0x7f800000)
    return sign | (ax > 0x7f800000 ? 0x7e00 : 0x7c00);
  int e = (int)(ax >> 23) - 127;
  if (e < -25)
    return sign; // below half the smallest subnormal (f32 subnormals included)
  u32 m = (ax & 0x7fffff) | 0x800000;
  int exponent = e + 15, shift = exponent >= 1 ? 13 : 14 - exponent;
  u32 q = m >> shift, rest = m & ((1u << shift) - 1), half = 1u << (shift - 1);
  if (rest > half || (rest == half && (q & 1)))
    ++q;
  u32 r = exponent >= 1 ? ((u32)(exponent - 1) << 10) + q : q;
  return sign | (r >= 0x7c00 ? 0x7c00 : r);
}
// f16 bits to f32 (exact).
static float f32_of_f16(u32 h) {
  u32 sign = (h & 0x8000) << 16, e = h >> 10 & 0x1f, m = h & 0x3ff;
  if (e == 0x1f)
    return float_of(sign | 0x7f800000 | m << 13);
  if (e == 0) { // subnormal: m * 2^-24
    float f = (float)m * 5.9604644775390625e-08f;
    return sign ? -f : f;
  }
  return float_of(sign | (e + 112) << 23 | m << 13);
}
// .relu of an f16: negative (not -0) to +0, NaN to the canonical 0x7fff.
static u32 relu16(u32 h) {
  if ((h & 0x7fff) > 0x7c00)
    return 0x7fff;
  return (h & 0x8000) && (h & 0x7fff) ? 0 : h;
}
// f32 to tf32 (10 mantissa bits), to nearest with ties away from zero, by arithmetic in double:
// |f| / ulp is below 2^12, so rounding it to an integer and scaling back are exact.
static double power_of_two(int k) {
  u64 bits = (u64)(k + 1023) << 52;
  double d;
  __builtin_memcpy(&d, &bits, 8);
  return d;
}
static u32 ref_tf32(float f) {
  u32 x = bits_of(f);
  if (is_nan(f))
    return 0x7fffffff;
  u32 e = x >> 23 & 0xff;
  if (e == 0xff)
    return x;
  double ulp = power_of_two(e == 0 ? -136 : (int)e - 137);
  double magnitude = (double)(f < 0 ? -f : f), q = magnitude / ulp;
  double r = (double)(u64)(q + 0.5) * ulp;
  return bits_of((float)r) | (x & 0x80000000);
}
// A NaN half in `expected` accepts any NaN half of `actual`.
static u32 same_nans(u32 expected, u32 actual) {
  for (int k = 0; k < 32; k += 16) {
    u32 e = expected >> k & 0xffff, a = actual >> k & 0xffff;
    if ((e & 0x7fff) > 0x7c00 && (a & 0x7fff) > 0x7c00)
      actual = (actual & ~(0xffffu << k)) | e << k;
  }
  return actual;
}
static float ftz(float f) {
  u32 x = bits_of(f);
  return (x & 0x7f800000) == 0 ? float_of(x & 0x80000000) : f;
}
static float sat(float f) { return f > 0.0f ? (f < 1.0f ? f : 1.0f) : 0.0f; }
// A float with a random sign: a subnormal, a number near the smallest normal, or any bits.
static float tiny_or_any(u64 r) {
  u32 sign = (u32)(r >> 63) << 31, m = (u32)(r >> 8) & 0x7fffff;
  switch (r & 3) {
  case 0: return float_of(sign | m);
  case 1: return float_of(sign | (u32)(r >> 40 & 3) << 23 | m);
  case 2: return float_of(sign | 0x3f000000 | m); // [0.5, 1)
  default: return float_of((u32)(r >> 16));
  }
}
// Compares float results bit for bit, any NaN matching any NaN.
static void check_float(const char *name, float expected, float actual, float a, float b) {
  if (is_nan(expected) && is_nan(actual))
    return;
  check(name, bits_of(expected), bits_of(actual), bits_of(a), bits_of(b), 0);
}
static i32 half_of(u32 v, int i, int isSigned) {
  u32 h = (v >> (16 * i)) & 0xffff;
  return isSigned ? (i32)(short)h : (i32)h;
}

static i32 clamp_i(i32 v, i32 lo, i32 hi) { return v < lo ? lo : v > hi ? hi : v; }

static i32 byte_of(u32 v, int i, int isSigned);

/// The SIMD video instructions, element by element from the PTX ISA's description.
static void check_video(u32 a, u32 b, u32 c) {
  u32 absdiff = 0, sad = c, addsat = 0, sub2 = c, avrg = 0, min2 = 0, max4 = c, setlt = c;
  for (int i = 0; i < 4; ++i) {
    i32 x = byte_of(a, i, 0), y = byte_of(b, i, 0);
    i32 d = x > y ? x - y : y - x;
    absdiff |= (u32)(d & 0xff) << (8 * i);
    sad += (u32)d;
    addsat |= (u32)(clamp_i(byte_of(a, i, 1) + byte_of(b, i, 1), -128, 127) & 0xff) << (8 * i);
    avrg |= (u32)(((byte_of(a, i, 1) + byte_of(b, i, 0) + 1) >> 1) & 0xff) << (8 * i);
    if (i == 0 || i == 2) {
      i32 m = x > y ? x : y;
      max4 = (max4 & ~(0xffu << (8 * i))) | (u32)(m & 0xff) << (8 * i);
    }
    setlt += byte_of(a, i, 1) < byte_of(b, i, 1);
  }
  for (int i = 0; i < 2; ++i) {
    i32 m = half_of(a, i, 1) < half_of(b, i, 1) ? half_of(a, i, 1) : half_of(b, i, 1);
    min2 |= (u32)(m & 0xffff) << (16 * i);
  }
  sub2 = (c & 0xffff) | (u32)((half_of(a, 1, 0) - half_of(b, 1, 0)) & 0xffff) << 16;
  check("vabsdiff4.u32", absdiff, vabsdiff4_u32(a, b, c) & 0xffffffff, a, b, c);
  check("vabsdiff4.u32.add", sad, vabsdiff4_add_u32(a, b, c) & 0xffffffff, a, b, c);
  check("vadd4.s32.sat", addsat, vadd4_sat_s32(a, b, c) & 0xffffffff, a, b, c);
  check("vsub2.u32 d.h1", sub2, vsub2_h1_u32(a, b, c) & 0xffffffff, a, b, c);
  check("vavrg4.u32.s32.u32", avrg, vavrg4_u32_s32(a, b, c) & 0xffffffff, a, b, c);
  check("vmin2.s32", min2, vmin2_s32(a, b, c) & 0xffffffff, a, b, c);
  check("vmax4.u32 d.b20", max4, vmax4_b20_u32(a, b, c) & 0xffffffff, a, b, c);
  check("vset4.s32.lt.add", setlt, vset4_lt_add_s32(a, b, c) & 0xffffffff, a, b, c);
}

static i32 byte_of(u32 v, int i, int isSigned) {
  u32 b = v >> (8 * i) & 0xff;
  return isSigned ? (i32)(signed char)b : (i32)b;
}

int main(void) {
  for (int i = 0; i < 4000; ++i) {
    u32 a = operand(), b = operand(), c = operand(), d = operand();
    u64 wide = (u64)operand() << 32 | operand();
    check("bfe.u32", ref_bfe(a, b, c, 32, 0), bfe_u32(a, b, c) & 0xffffffff, a, b, c);
    check("bfe.s32", ref_bfe(a, b, c, 32, 1) & 0xffffffff, bfe_s32(a, b, c) & 0xffffffff, a, b, c);
    check("bfe.s64", ref_bfe(wide, b, c, 64, 1), bfe_s64(wide, b, c), wide, b, c);
    check("bfi.b32", ref_bfi(a, b, c, d), bfi_b32(a, b, c, d) & 0xffffffff, a, b, (u64)c << 32 | d);
    check("prmt.b32", ref_prmt(a, b, c), prmt_b32(a, b, c) & 0xffffffff, a, b, c);
    u64 pair = (u64)b << 32 | a;
    check("shf.l.wrap.b32", (u32)((pair << (c & 31)) >> 32), shf_l_wrap(a, b, c) & 0xffffffff, a, b, c);
    u32 n = c < 32 ? c : 32;
    check("shf.r.clamp.b32", (u32)(n == 32 ? (pair >> 32) : (pair >> n)), shf_r_clamp(a, b, c) & 0xffffffff, a, b, c);
    check("lop3.b32 0xe8", (a & b) | (a & c) | (b & c), lop3_b32(a, b, c) & 0xffffffff, a, b, c);
    check("bfind.s32", ref_bfind(a, 1, 0), bfind_s32(a) & 0xffffffff, a, 0, 0);
    check("bfind.shiftamt.u32", ref_bfind(a, 0, 1), bfind_shiftamt_u32(a) & 0xffffffff, a, 0, 0);
    check("popc.b64", (u64)__builtin_popcountll(wide), popc_b64(wide) & 0xffffffff, wide, 0, 0);
    check("clz.b32", a ? (u64)__builtin_clz(a) : 32, clz_b32(a) & 0xffffffff, a, 0, 0);
    u32 rev = 0;
    for (int k = 0; k < 32; ++k)
      rev |= (a >> k & 1) << (31 - k);
    check("brev.b32", rev, brev_b32(a) & 0xffffffff, a, 0, 0);
    check("mul.hi.s32", (u32)((i64)(i32)a * (i64)(i32)b >> 32), mul_hi_s32(a, b) & 0xffffffff, a, b, 0);
    check("mad.wide.u32", (u64)a * b + wide, mad_wide_u32(a, b, wide), a, b, wide);
    // Division by zero and INT_MIN / -1: PTX leaves them unspecified; OxCore gives RISC-V's.
    u32 q = b == 0 ? 0xffffffff : (a == 0x80000000 && b == 0xffffffff) ? a : (u32)((i32)a / (i32)b);
    u32 r = b == 0 ? a : (a == 0x80000000 && b == 0xffffffff) ? 0 : (u32)((i32)a % (i32)b);
    check("div.s32", q, div_s32(a, b) & 0xffffffff, a, b, 0);
    check("rem.s32", r, rem_s32(a, b) & 0xffffffff, a, b, 0);
    check("shl.b32", b >= 32 ? 0 : a << b, shl_b32(a, b) & 0xffffffff, a, b, 0);
    check("shr.s32", (u32)((i32)a >> (b >= 32 ? 31 : b)), shr_s32(a, b) & 0xffffffff, a, b, 0);
    i64 sum = (i64)(i32)a + (i64)(i32)b;
    check("add.sat.s32", (u32)(sum > 0x7fffffff ? 0x7fffffff : sum < -0x80000000ll ? -0x80000000ll : sum),
          add_sat_s32(a, b) & 0xffffffff, a, b, 0);
    float fa = float_of(a), fb = float_of(b);
    if ((next() & 3) == 0) // values around integers and ties
      fa = (float)(i32)(a % 4096) / 2.0f - 1000.0f;
    check("cvt.rzi.s32.f32", ref_cvt_rzi_s32(fa), cvt_rzi_s32_f32(fa) & 0xffffffff, bits_of(fa), 0, 0);
    check("cvt.rni.u32.f32", ref_cvt_rni_u32(fa), cvt_rni_u32_f32(fa) & 0xffffffff, bits_of(fa), 0, 0);
    float m = min_f32(fa, fb);
    float expected = is_nan(fa) ? fb : is_nan(fb) ? fa : (fa < fb ? fa : fb);
    if (!(is_nan(m) && is_nan(expected)) && !(m == expected))
      check("min.f32", bits_of(expected), bits_of(m), bits_of(fa), bits_of(fb), 0);
    check("setp.gtu.f32", (is_nan(fa) || is_nan(fb) || fa > fb) ? 1 : 0, setp_gtu_f32(fa, fb) & 0xffffffff,
          bits_of(fa), bits_of(fb), 0);
    u64 wide2 = (u64)operand() << 32 | operand();
    check("add.cc.u32 + addc.u32", wide + wide2, add_cc_u64(wide, wide2), wide, wide2, 0);
    check("sub.cc.u32 + subc.u32", wide - wide2, sub_cc_u64(wide, wide2), wide, wide2, 0);
    check("mad.lo.cc.u32 + madc.hi.u32", (u64)a * b + c, madc_u64(a, b, c), a, b, c);
    check_video(a, b, c);
    check("sad.s32", (u32)(c + ((i32)a < (i32)b ? b - a : a - b)), sad_s32(a, b, c) & 0xffffffff, a, b, c);
    i64 s24 = (i64)((i32)(a << 8) >> 8) * (i64)((i32)(b << 8) >> 8);
    check("mul24.hi.s32", (u32)((u64)s24 >> 16), mul24_hi_s32(a, b) & 0xffffffff, a, b, 0);
    check("mad24.lo.u32", (u32)((u64)(a & 0xffffff) * (b & 0xffffff)) + c, mad24_lo_u32(a, b, c) & 0xffffffff, a, b, c);
    u32 dot4 = c;
    for (int k = 0; k < 4; ++k)
      dot4 += (u32)(byte_of(a, k, 1) * byte_of(b, k, 0));
    check("dp4a.s32.u32", dot4, dp4a_s32_u32(a, b, c) & 0xffffffff, a, b, c);
    u32 dot2 = c + (u32)((i32)(a & 0xffff) * byte_of(b, 2, 1)) + (u32)((i32)(a >> 16) * byte_of(b, 3, 1));
    check("dp2a.hi.u32.s32", dot2, dp2a_hi_u32_s32(a, b, c) & 0xffffffff, a, b, c);
    float ga = float_of(c), gb = float_of(d);
    if ((next() & 1) == 0) // the f16 range, ties and subnormals
      ga = (float)(i32)(c % 200000) / 4096.0f, gb = float_of((d & 0x807fffff) | 0x33000000 + (d >> 28 << 23));
    u32 pair16 = ref_f16(ga) << 16 | ref_f16(gb);
    check("cvt.rn.f16x2.f32", pair16, same_nans(pair16, (u32)cvt_rn_f16x2_f32(ga, gb)), bits_of(ga), bits_of(gb), 0);
    check("cvt.rn.relu.f16x2.f32", relu16(ref_f16(ga)) << 16 | relu16(ref_f16(gb)),
          (u32)cvt_rn_relu_f16x2_f32(ga, gb), bits_of(ga), bits_of(gb), 0);
    // f16 products are exact in f32, so rounding the f32 product once is the reference.
    u32 lo = ref_f16(f32_of_f16(a & 0xffff) * f32_of_f16(b & 0xffff));
    u32 hi = ref_f16(f32_of_f16(a >> 16) * f32_of_f16(b >> 16));
    check("mul.rn.f16x2", hi << 16 | lo, same_nans(hi << 16 | lo, (u32)mul_rn_f16x2(a, b)), a, b, 0);
    float ta = tiny_or_any(next()), tb = tiny_or_any(next());
    check_float("add.rn.ftz.f32", ftz(ftz(ta) + ftz(tb)), add_ftz_f32(ta, tb), ta, tb);
    check_float("mul.rn.ftz.sat.f32", sat(ftz(ftz(ta) * ftz(tb))), mul_ftz_sat_f32(ta, tb), ta, tb);
    check("setp.lt.ftz.f32", ftz(ta) < ftz(tb), setp_lt_ftz_f32(ta, tb) & 0xffffffff, bits_of(ta), bits_of(tb), 0);
    check_float("rcp.rn.ftz.f32", ftz(1.0f / ftz(ta)), rcp_rn_ftz_f32(ta), ta, 0);
    float fl = ftz(ta);
    u32 rmi = is_nan(fl) ? 0 : fl >= 2147483648.0f ? 0x7fffffff : fl < -2147483648.0f ? 0x80000000 : 0;
    if (fl < 2147483648.0f && fl >= -2147483648.0f) {
      float floor_ = (float)(i64)fl; // truncated: exact in this range
      rmi = (u32)(i32)(floor_ > fl ? floor_ - 1.0f : floor_);
    }
    check("cvt.rmi.ftz.s32.f32", rmi, cvt_rmi_ftz_s32_f32(ta) & 0xffffffff, bits_of(ta), 0, 0);
    i32 sa = (i32)a;
    check("cvt.sat.s8.s32", (u32)(sa > 127 ? 127 : sa < -128 ? -128 : sa) & 0xff, cvt_sat_s8_s32(a) & 0xff, a, 0, 0);
    check("cvt.sat.u16.s32", (u32)(sa > 65535 ? 65535 : sa < 0 ? 0 : sa), cvt_sat_u16_s32(a) & 0xffff, a, 0, 0);
    check_float("set.lt.f32.s32", (i32)a < (i32)b ? 1.0f : 0.0f, set_lt_f32_s32(a, b), float_of(a), float_of(b));
    check("slct.ftz.u32.f32", ftz(ta) >= 0.0f ? a : b, slct_u32_f32(a, b, ta) & 0xffffffff, a, b, bits_of(ta));
    u64 (*const modes[])(u64, u64, u64) = {prmt_f4e, prmt_b4e, prmt_rc8, prmt_ecl, prmt_ecr, prmt_rc16};
    for (int mode = 0; mode < 6; ++mode)
      check("prmt mode (f4e b4e rc8 ecl ecr rc16)", ref_prmt_mode(mode, a, b, c),
            modes[mode](a, b, c) & 0xffffffff, a, b, (u64)mode << 32 | c);
    check("cvt.rna.tf32.f32", ref_tf32(ta), cvt_rna_tf32_f32(ta) & 0xffffffff, bits_of(ta), 0, 0);
    check("cvt.rna.tf32.f32", ref_tf32(fa), cvt_rna_tf32_f32(fa) & 0xffffffff, bits_of(fa), 0, 0);
    u32 amount = b % 41; // around 32 most of the time, where the modes differ
    check("szext.clamp.s32", ref_szext(a, amount, 1, 1), szext_clamp_s32(a, amount) & 0xffffffff, a, amount, 0);
    check("szext.clamp.u32", ref_szext(a, amount, 1, 0), szext_clamp_u32(a, amount) & 0xffffffff, a, amount, 0);
    check("szext.wrap.s32", ref_szext(a, b, 0, 1), szext_wrap_s32(a, b) & 0xffffffff, a, b, 0);
    check("szext.wrap.u32", ref_szext(a, b, 0, 0), szext_wrap_u32(a, b) & 0xffffffff, a, b, 0);
    u32 position = c % 41;
    check("bmsk.clamp.b32", ref_bmsk(position, amount, 1), bmsk_clamp(position, amount) & 0xffffffff, position, amount, 0);
    check("bmsk.wrap.b32", ref_bmsk(c, b, 0), bmsk_wrap(c, b) & 0xffffffff, c, b, 0);
    i64 high = (i64)(i32)a * (i64)(i32)b >> 32;
    check("mad.hi.sat.s32", saturate_s32(high + (i32)c), mad_hi_sat_s32(a, b, c) & 0xffffffff, a, b, c);
    i64 p24 = (i64)((i32)(a << 8) >> 8) * (i64)((i32)(b << 8) >> 8);
    check("mad24.hi.sat.s32", saturate_s32((i64)(i32)(u32)((u64)p24 >> 16) + (i32)c),
          mad24_hi_sat_s32(a, b, c) & 0xffffffff, a, b, c);
    check("add.u16x2", halves(u16(a, 0) + u16(b, 0), u16(a, 1) + u16(b, 1)) & 0xffffffff,
          add_u16x2(a, b) & 0xffffffff, a, b, 0);
    check("max.relu.s16x2", halves((u32)relu_max(s16(a, 0), s16(b, 0)), (u32)relu_max(s16(a, 1), s16(b, 1))),
          max_relu_s16x2(a, b) & 0xffffffff, a, b, 0);
    check("min.u16x2", halves(u16(a, 0) < u16(b, 0) ? u16(a, 0) : u16(b, 0), u16(a, 1) < u16(b, 1) ? u16(a, 1) : u16(b, 1)),
          min_u16x2(a, b) & 0xffffffff, a, b, 0);
    check("max.relu.s32", (u32)relu_max((i32)a, (i32)b), max_relu_s32(a, b) & 0xffffffff, a, b, 0);
    u32 fbase = c % 32;
    i32 foffset = (i32)(d % 67) - 33; // -33..33: both directions, past the population
    check("fns.b32", ref_fns(a, fbase, foffset), fns_b32(a, fbase, (u32)foffset) & 0xffffffff, a, fbase, (u32)foffset);
  }
  print(failures ? "FAIL\n" : "PASS\n");
  return failures ? 1 : 0;
}
