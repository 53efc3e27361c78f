// Kernels for driver_api.cpp, which loads them as PTX (nvcc -ptx) with cuModuleLoadData.
extern "C" __global__ void saxpy(float a, const float *x, float *y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    y[i] = a * x[i] + y[i];
}

struct Mixed {
  char c;
  double d;
  short s;
};

__device__ double total;

extern "C" __global__ void mixedParameters(char c, Mixed m, short s, long long l, double *out) {
  out[0] = c + m.c + m.d + m.s + s + double(l);
  total = out[0];
}
