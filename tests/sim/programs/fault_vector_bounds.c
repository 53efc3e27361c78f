// A vector store whose element 5 lies past the end of the stack region (the top of oxsim's
// memory in plain-ELF mode): the report names the instruction, the element and its address.
#include "rt.h"

int main(void) {
  static u32 values[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  volatile u32 *top = (volatile u32 *)0x7ffff0000000ull;
  top[-5] = 0;
  print("before\n");
  asm volatile("vsetivli t0, 8, e32, m1, ta, ma\n"
               "vle32.v v8, (%0)\n"
               "vse32.v v8, (%1)\n"
               :
               : "r"(values), "r"(top - 5)
               : "memory", "t0", "v8");
  print("after\n");
  return (int)top[-5];
}
