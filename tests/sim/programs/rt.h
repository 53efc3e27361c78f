// A freestanding runtime for the programs run on both oxsim and qemu-riscv64: _start, the
// Linux write/exit system calls, and printing. No libc: both machines see exactly this code.
#pragma once

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;

static i64 sys_write(i64 fd, const void *buf, u64 len) {
  register i64 a0 asm("a0") = fd;
  register i64 a1 asm("a1") = (i64)buf;
  register i64 a2 asm("a2") = (i64)len;
  register i64 a7 asm("a7") = 64;
  asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

__attribute__((noreturn)) static void sys_exit(i64 code) {
  register i64 a0 asm("a0") = code;
  register i64 a7 asm("a7") = 93;
  asm volatile("ecall" : : "r"(a0), "r"(a7));
  __builtin_unreachable();
}

// The compiler may call these for copies and clears.
void *memset(void *dst, int c, u64 n) {
  volatile unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
}
void *memcpy(void *dst, const void *src, u64 n) {
  volatile unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
}

// xorshift64: the programs' deterministic pseudo-random numbers; each keeps its own state.
static inline u64 xorshift(u64 *state) {
  *state ^= *state << 13;
  *state ^= *state >> 7;
  *state ^= *state << 17;
  return *state;
}

static void print(const char *s) {
  u64 n = 0;
  while (s[n])
    ++n;
  sys_write(1, s, n);
}

static void print_hex(u64 v) {
  char buf[19];
  buf[0] = '0';
  buf[1] = 'x';
  for (int i = 0; i < 16; ++i)
    buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
  buf[18] = '\n';
  sys_write(1, buf, 19);
}

static void print_dec(i64 v) {
  char buf[24];
  int i = 23;
  buf[i--] = '\n';
  u64 u = v < 0 ? (u64)0 - (u64)v : (u64)v;
  do {
    buf[i--] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    buf[i--] = '-';
  sys_write(1, buf + i + 1, (u64)(23 - i));
}

int main(void);

__attribute__((naked, section(".text.start"))) void _start(void) {
  asm volatile("call main\n"
               "li a7, 93\n"
               "ecall\n");
}
