// Zba/Zbb code: counts, rotates, byte swaps, min/max and scaled-index addressing.
#include "rt.h"

static u64 table[64];
static volatile u64 seed = 0x0123456789abcdeful; // volatile: computed at run time, not folded

int main(void) {
  u64 acc = 0;
  u64 x = seed;
  for (int i = 0; i < 64; ++i) {
    table[i] = x;
    acc += (u64)__builtin_clzl(x | 1) + (u64)__builtin_ctzl(x | (1ul << 63)) +
           (u64)__builtin_popcountl(x);
    acc += (u64)__builtin_clz((u32)x | 1) + (u64)__builtin_ctz((u32)x | 0x80000000u) +
           (u64)__builtin_popcount((u32)x);
    acc ^= __builtin_bswap64(x) + ((x << (i & 63)) | (x >> ((64 - i) & 63)));
    acc += (u32)((u32)x << (i & 31) | (u32)x >> ((32 - i) & 31));
    i64 a = (i64)x, b = (i64)acc;
    acc += (u64)(a < b ? a : b) + (x > acc ? x : acc);
    acc += (u64)(signed char)x + (u64)(short)x + (unsigned short)x;
    acc += ~(x ^ acc) + (x & ~acc) + (x | ~acc);
    x = x * 6364136223846793005ul + 1442695040888963407ul;
  }
  for (u32 i = 0; i < 64; ++i)
    acc += table[(i * 7) & 63] + ((u64)(u32)(i * 3) << 2);
  print_hex(acc);
  return (int)(acc % 200);
}
