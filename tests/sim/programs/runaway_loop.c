// Never terminates: oxsim's watchdog must stop it with a report (run with --max-instructions).
#include "rt.h"

static volatile int forever = 1;

int main(void) {
  print("spinning\n");
  while (forever) {
  }
  return 0;
}
