// Stores to an unmapped address: oxsim must stop with a fault report, not crash.
#include "rt.h"

int main(void) {
  print("before\n");
  *(volatile u64 *)0x10 = 1;
  print("after\n");
  return 0;
}
