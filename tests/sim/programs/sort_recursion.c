// Memory-heavy control flow: recursive quicksort over the stack, binary search, a checksum.
#include "rt.h"

#define N 3000
static i32 data[N];
static volatile u32 seed = 12345;

static void quicksort(i32 *a, i64 lo, i64 hi) {
  while (lo < hi) {
    i32 pivot = a[(lo + hi) / 2];
    i64 i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot)
        ++i;
      while (a[j] > pivot)
        --j;
      if (i <= j) {
        i32 t = a[i];
        a[i] = a[j];
        a[j] = t;
        ++i;
        --j;
      }
    }
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static i64 find(const i32 *a, i64 n, i32 key) {
  i64 lo = 0, hi = n - 1;
  while (lo <= hi) {
    i64 mid = lo + (hi - lo) / 2;
    if (a[mid] == key)
      return mid;
    if (a[mid] < key)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

int main(void) {
  u32 state = seed;
  for (int i = 0; i < N; ++i) {
    state = state * 1103515245u + 12345u;
    data[i] = (i32)(state >> 1) % 100000 - 50000;
  }
  quicksort(data, 0, N - 1);
  u64 checksum = 0;
  int sorted = 1;
  for (int i = 0; i < N; ++i) {
    checksum = checksum * 1000003u + (u32)data[i];
    sorted &= i == 0 || data[i - 1] <= data[i];
  }
  i64 found = 0;
  for (i32 k = -50000; k < 50000; k += 977)
    found += find(data, N, k) >= 0;
  print_dec(sorted);
  print_hex(checksum);
  print_dec(found);
  print_dec(data[0]);
  print_dec(data[N - 1]);
  return sorted ? 7 : 1;
}
