// Integer arithmetic of RV64IM, including the division corner cases RISC-V defines without traps.
#include "rt.h"

static volatile i64 zero = 0, minus_one = -1;
static volatile i64 int_min = (i64)1 << 63;
static volatile i32 int32_min = (i32)0x80000000;
static volatile u64 seed = 0x9e3779b97f4a7c15ul;

int main(void) {
  u64 h = seed;
  for (u64 i = 1; i < 2000; ++i) {
    u64 x = h ^ (i * 0x2545f4914f6cdd1dul);
    h = h * 31 + (x >> 7) + (x << 13) + (u64)((i64)x >> 29);
    h ^= (u64)((i32)x * (i32)i) + (x / (i | 1)) + (x % (i + 7));
    h += (u64)((i64)x / (i64)(i - 1000 ? i - 1000 : 3)) + (u64)((i64)x % 97);
    h += (u64)(((__int128)x * (__int128)(i64)h) >> 64);
    h += (u64)(((unsigned __int128)x * h) >> 64);
    h ^= (u32)x >> (i & 31);
    h += (u64)(i32)((i32)x >> (i & 31));
  }
  print_hex(h);
  print_dec(int_min / minus_one);
  print_dec(int_min % minus_one);
  print_dec(12345 / zero);
  print_dec(12345 % zero);
  print_hex((u64)12345 / (u64)zero);
  print_dec(int32_min / (i32)minus_one);
  print_dec((i32)-7 / 2);
  print_dec((i32)-7 % 2);
  return (int)(h & 0x7f);
}
