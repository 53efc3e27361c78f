// A vector instruction after vsetvl chose an unsupported vtype (SEW 64 with LMUL 1/2 needs
// ELEN 128): vill is set and the instruction is reported as illegal.
#include "rt.h"

int main(void) {
  u64 vl;
  asm volatile("li t1, 0x1f\n" // vsew = 3 (e64), vlmul = 7 (mf2)
               "vsetvl %0, zero, t1\n"
               : "=r"(vl)
               :
               : "t1");
  print_dec((i64)vl);
  asm volatile("vadd.vv v8, v8, v8" ::: "v8");
  print("after\n");
  return 0;
}
