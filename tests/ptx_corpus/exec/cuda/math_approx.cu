// Executed corpus: PTX's approximate functions (one instruction each, through inline PTX) and the
// CUDA fast-math intrinsics built on them.
extern "C" __global__ void approx_f32(const float *in, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float x = in[i], r[5];
  asm("ex2.approx.f32 %0, %1;" : "=f"(r[0]) : "f"(x));
  asm("lg2.approx.f32 %0, %1;" : "=f"(r[1]) : "f"(x));
  asm("sin.approx.f32 %0, %1;" : "=f"(r[2]) : "f"(x));
  asm("cos.approx.f32 %0, %1;" : "=f"(r[3]) : "f"(x));
  asm("tanh.approx.f32 %0, %1;" : "=f"(r[4]) : "f"(x));
  for (int k = 0; k < 5; ++k)
    out[5 * i + k] = r[k];
}

extern "C" __global__ void fast_intrinsics(const float *in, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float x = in[i];
  out[3 * i] = __expf(x);
  out[3 * i + 1] = __logf(fabsf(x) + 1e-3f);
  out[3 * i + 2] = __powf(fabsf(x) + 0.5f, 1.5f);
}
