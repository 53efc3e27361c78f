// A driver-API program (linked against libcuda, no cudart): PTX through cuModuleLoadData,
// launches with kernelParams and with the `extra` buffer, module globals, the PTX linker,
// contexts, and errors for bad handles and bad images.
// Usage: driver_api kernels.ptx rdc_main.ptx rdc_lib.ptx
#include <cuda.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#define CHECK(call)                                                                                \
  do {                                                                                             \
    CUresult r_ = (call);                                                                          \
    if (r_ != CUDA_SUCCESS) {                                                                      \
      const char *name_ = "?";                                                                     \
      cuGetErrorName(r_, &name_);                                                                  \
      std::printf("FAIL: %s at line %d: %s\n", #call, __LINE__, name_);                             \
      std::exit(1);                                                                                \
    }                                                                                              \
  } while (0)
#define EXPECT(cond)                                                                               \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::printf("FAIL: %s at line %d\n", #cond, __LINE__);                                        \
      std::exit(1);                                                                                \
    }                                                                                              \
  } while (0)

static std::string readFile(const char *path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Mixed {
  char c;
  double d;
  short s;
};

int main(int argc, char **argv) {
  if (argc < 4) {
    std::printf("usage: driver_api kernels.ptx rdc_main.ptx rdc_lib.ptx\n");
    return 2;
  }
  EXPECT(cuMemAlloc(nullptr, 4) == CUDA_ERROR_NOT_INITIALIZED);
  CHECK(cuInit(0));
  int version = 0;
  CHECK(cuDriverGetVersion(&version));
  EXPECT(version >= 13000);
  CUdevice device;
  CHECK(cuDeviceGet(&device, 0));
  char name[128];
  CHECK(cuDeviceGetName(name, sizeof name, device));
  int warp = 0, major = 0;
  CHECK(cuDeviceGetAttribute(&warp, CU_DEVICE_ATTRIBUTE_WARP_SIZE, device));
  CHECK(cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device));
  EXPECT(warp == 32 && major >= 7);
  CUcontext ctx;
  CHECK(cuCtxCreate(&ctx, nullptr, 0, device));

  std::string ptx = readFile(argv[1]);
  CUmodule module;
  CHECK(cuModuleLoadData(&module, ptx.c_str()));
  CUfunction saxpy, mixed;
  CHECK(cuModuleGetFunction(&saxpy, module, "saxpy"));
  CHECK(cuModuleGetFunction(&mixed, module, "mixedParameters"));
  EXPECT(cuModuleGetFunction(&saxpy, module, "noSuchKernel") == CUDA_ERROR_NOT_FOUND);

  const int n = 1000;
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = float(i);
    y[i] = 1.0f;
  }
  CUdeviceptr dx, dy;
  CHECK(cuMemAlloc(&dx, n * sizeof(float)));
  CHECK(cuMemAlloc(&dy, n * sizeof(float)));
  CHECK(cuMemcpyHtoD(dx, x.data(), n * sizeof(float)));
  CHECK(cuMemcpyHtoD(dy, y.data(), n * sizeof(float)));
  float a = 3.0f;
  int count = n;
  void *params[] = {&a, &dx, &dy, &count};
  CHECK(cuLaunchKernel(saxpy, (n + 127) / 128, 1, 1, 128, 1, 1, 0, nullptr, params, nullptr));
  // The same through `extra`: one packed buffer laid out as the PTX signature says.
  struct {
    float a;
    CUdeviceptr x, y;
    int n;
  } packed = {a, dx, dy, n};
  size_t packedSize = sizeof packed;
  void *extra[] = {CU_LAUNCH_PARAM_BUFFER_POINTER, &packed, CU_LAUNCH_PARAM_BUFFER_SIZE, &packedSize,
                   CU_LAUNCH_PARAM_END};
  CHECK(cuLaunchKernel(saxpy, (n + 127) / 128, 1, 1, 128, 1, 1, 0, nullptr, nullptr, extra));
  CHECK(cuCtxSynchronize());
  CHECK(cuMemcpyDtoH(y.data(), dy, n * sizeof(float)));
  for (int i = 0; i < n; ++i)
    EXPECT(y[i] == 1.0f + 2 * 3.0f * float(i));

  // Parameters of mixed sizes and alignments, a struct by value.
  char c = 5;
  Mixed m = {1, 0.5, 7};
  short s = -3;
  long long l = 1ll << 40;
  CUdeviceptr out;
  CHECK(cuMemAlloc(&out, sizeof(double)));
  void *mixedParams[] = {&c, &m, &s, &l, &out};
  CHECK(cuLaunchKernel(mixed, 1, 1, 1, 1, 1, 1, 0, nullptr, mixedParams, nullptr));
  double result = 0, global = 0;
  CHECK(cuMemcpyDtoH(&result, out, sizeof result));
  double expected = 5 + 1 + 0.5 + 7 - 3 + double(1ll << 40);
  EXPECT(result == expected);
  CUdeviceptr totalAddress;
  size_t totalBytes;
  CHECK(cuModuleGetGlobal(&totalAddress, &totalBytes, module, "total"));
  EXPECT(totalBytes == sizeof(double));
  CHECK(cuMemcpyDtoH(&global, totalAddress, sizeof global));
  EXPECT(global == expected);

  // The PTX linker: two relocatable translation units into one module.
  std::string mainPtx = readFile(argv[2]), libPtx = readFile(argv[3]);
  CUlinkState link;
  CHECK(cuLinkCreate(0, nullptr, nullptr, &link));
  CHECK(cuLinkAddData(link, CU_JIT_INPUT_PTX, mainPtx.data(), mainPtx.size() + 1, "rdc_main", 0, nullptr, nullptr));
  CHECK(cuLinkAddData(link, CU_JIT_INPUT_PTX, libPtx.data(), libPtx.size() + 1, "rdc_lib", 0, nullptr, nullptr));
  void *image;
  size_t imageSize;
  CHECK(cuLinkComplete(link, &image, &imageSize));
  CUmodule linked;
  CHECK(cuModuleLoadData(&linked, image));
  CHECK(cuLinkDestroy(link));
  CUfunction apply;
  CHECK(cuModuleGetFunction(&apply, linked, "_Z5applyPfi"));
  CHECK(cuMemsetD32(dx, 0x40000000, n)); // 2.0f
  void *applyParams[] = {&dx, &count};
  CHECK(cuLaunchKernel(apply, (n + 127) / 128, 1, 1, 128, 1, 1, 0, nullptr, applyParams, nullptr));
  CHECK(cuMemcpyDtoH(x.data(), dx, n * sizeof(float)));
  for (int i = 0; i < n; ++i)
    EXPECT(x[i] == 2.0f * float(i % 5 + 1));

  // Bad handles and images are errors, never crashes.
  CHECK(cuModuleUnload(linked));
  EXPECT(cuModuleGetFunction(&apply, linked, "_Z5applyPfi") == CUDA_ERROR_INVALID_HANDLE);
  CUstream stream;
  CHECK(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  CHECK(cuStreamDestroy(stream));
  EXPECT(cuStreamSynchronize(stream) == CUDA_ERROR_INVALID_HANDLE);
  CUmodule bad;
  EXPECT(cuModuleLoadData(&bad, "this is not PTX") != CUDA_SUCCESS);
  const char elf[] = "\x7f" "ELF\x02\x01\x01";
  EXPECT(cuModuleLoadData(&bad, elf) == CUDA_ERROR_NO_BINARY_FOR_GPU);
  EXPECT(cuMemFree(dx + 4) == CUDA_ERROR_INVALID_VALUE);

  // The context stack.
  CUcontext popped, current;
  CHECK(cuCtxPopCurrent(&popped));
  EXPECT(popped == ctx);
  CHECK(cuCtxGetCurrent(&current));
  EXPECT(current == nullptr);
  EXPECT(cuMemAlloc(&dx, 4) == CUDA_ERROR_INVALID_CONTEXT);
  CHECK(cuCtxPushCurrent(ctx));
  CHECK(cuMemFree(dx));
  CHECK(cuMemFree(dy));
  CHECK(cuMemFree(out));
  CHECK(cuModuleUnload(module));
  CHECK(cuCtxDestroy(ctx));
  std::printf("PASS\n");
  return 0;
}
