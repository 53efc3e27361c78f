// Executed corpus: float operations and conversions with explicit rounding modes (the
// __f*_r{n,z,d,u} intrinsics), in f32 and f64.
extern "C" __global__ void f32_directed(const float *a, const float *b, const float *c, float *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float x = a[i], y = b[i], z = c[i];
  float *o = out + 12 * i;
  o[0] = __fadd_rz(x, y);
  o[1] = __fadd_rd(x, y);
  o[2] = __fadd_ru(x, y);
  o[3] = __fmul_rz(x, y);
  o[4] = __fmul_rd(x, y);
  o[5] = __fmul_ru(x, y);
  o[6] = __fdiv_rz(x, y);
  o[7] = __fdiv_ru(x, y);
  o[8] = __fsqrt_rd(fabsf(x));
  o[9] = __fmaf_rz(x, y, z);
  o[10] = __fmaf_ru(x, y, z);
  o[11] = __fsub_rd(x, z);
}

extern "C" __global__ void f64_directed(const double *a, const double *b, double *out, float *narrow,
                                        float *fromint, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  double x = a[i], y = b[i];
  double *o = out + 4 * i;
  o[0] = __dadd_rz(x, y);
  o[1] = __dmul_ru(x, y);
  o[2] = __ddiv_rd(x, y);
  o[3] = __fma_rz(x, y, x);
  narrow[2 * i] = __double2float_rz(x * y);
  narrow[2 * i + 1] = __double2float_ru(x / y);
  long long k = (long long)(x * 1e6);
  fromint[3 * i] = __ll2float_rz(k);
  fromint[3 * i + 1] = __int2float_rd((int)(x * 1e3));
  fromint[3 * i + 2] = __uint2float_ru((unsigned)(y * 1e6 + 3.9e9));
}
