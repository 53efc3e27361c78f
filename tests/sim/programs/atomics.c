// A extension: AMOs of both widths and LR/SC loops (compare-exchange).
#include "rt.h"

static u64 counter64;
static u32 counter32;
static i64 extreme64 = 5;
static i32 extreme32 = -5;

int main(void) {
  u64 sum = 0;
  for (u64 i = 0; i < 100; ++i) {
    sum += __atomic_fetch_add(&counter64, i * 3, __ATOMIC_SEQ_CST);
    sum += __atomic_fetch_xor(&counter32, (u32)(i * 0x9e3779b9u), __ATOMIC_ACQUIRE);
    sum += __atomic_fetch_or(&counter64, i << 40, __ATOMIC_RELEASE);
    sum += __atomic_fetch_and(&counter32, ~(u32)i, __ATOMIC_RELAXED);
    sum += (u64)__atomic_exchange_n(&extreme32, (i32)(i * 7) - 300, __ATOMIC_ACQ_REL);
    u64 expected = counter64;
    while (!__atomic_compare_exchange_n(&counter64, &expected, expected * 3 + i, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    i64 seen = extreme64;
    while (seen < (i64)(i * i) - 2000 &&
           !__atomic_compare_exchange_n(&extreme64, &seen, (i64)(i * i) - 2000, 1,
                                        __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
    }
  }
  print_hex(sum);
  print_hex(counter64);
  print_hex(counter32);
  print_dec(extreme64);
  print_dec(extreme32);
  return 0;
}
