// Executed corpus: the CUDA SIMD intrinsics that nvcc turns into PTX video instructions
// (vabsdiff4, vabsdiff4.add), next to ones it builds from plain instructions.
extern "C" __global__ void simd_bytes(const unsigned *a, const unsigned *b, unsigned *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  unsigned x = a[i], y = b[i];
  out[4 * i] = __vabsdiffu4(x, y);
  out[4 * i + 1] = __vsadu4(x, y);
  out[4 * i + 2] = __vadd4(x, y);
  out[4 * i + 3] = __vmaxs2(x, y);
}
