// A vector division whose element 1 divides by zero, then a scalar one: RISC-V gives -1 for
// both; with trap_on_div0 (oxsim --trap-div0) the vector one is reported, naming the element.
#include "rt.h"

static volatile i64 zero = 0;

int main(void) {
  i32 a[4] = {1, 2, 3, 4}, b[4] = {1, 0, 1, 1}, c[4];
  asm volatile("vsetivli zero, 4, e32, m1, ta, ma\n"
               "vle32.v v8, (%0)\n"
               "vle32.v v9, (%1)\n"
               "vdiv.vv v10, v8, v9\n"
               "vse32.v v10, (%2)\n"
               :
               : "r"(a), "r"(b), "r"(c)
               : "memory", "v8", "v9", "v10");
  print_dec(c[1]);
  print_dec(7 / zero);
  return 0;
}
