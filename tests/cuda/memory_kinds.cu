// Managed memory, mapped pinned memory, pitched 2D allocations and copies, 3D copies, memset,
// device-to-device copies and pointer attributes.
#include "check.h"

#include <vector>

__global__ void addIndex(int *data, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    data[i] += i;
}

__global__ void transposeTile(const float *in, size_t inPitch, float *out, size_t outPitch, int width, int height) {
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x < width && y < height) {
    const float *row = reinterpret_cast<const float *>(reinterpret_cast<const char *>(in) + y * inPitch);
    float *column = reinterpret_cast<float *>(reinterpret_cast<char *>(out) + x * outPitch);
    column[y] = row[x];
  }
}

int main() {
  const int n = 3000;
  // Managed memory: written on the host, updated by a kernel, read on the host.
  int *managed;
  CHECK(cudaMallocManaged(&managed, n * sizeof(int)));
  for (int i = 0; i < n; ++i)
    managed[i] = 7;
  addIndex<<<(n + 255) / 256, 256>>>(managed, n);
  CHECK(cudaDeviceSynchronize());
  for (int i = 0; i < n; ++i)
    EXPECT(managed[i] == 7 + i);
  cudaPointerAttributes attributes;
  CHECK(cudaPointerGetAttributes(&attributes, managed));
  EXPECT(attributes.type == cudaMemoryTypeManaged || attributes.type == cudaMemoryTypeHost);

  // Mapped pinned memory: the kernel writes host memory through its device pointer.
  int *mapped, *mappedDevice;
  CHECK(cudaHostAlloc(&mapped, n * sizeof(int), cudaHostAllocMapped));
  CHECK(cudaHostGetDevicePointer(&mappedDevice, mapped, 0));
  for (int i = 0; i < n; ++i)
    mapped[i] = -i;
  addIndex<<<(n + 255) / 256, 256>>>(mappedDevice, n);
  CHECK(cudaDeviceSynchronize());
  for (int i = 0; i < n; ++i)
    EXPECT(mapped[i] == 0);

  // Registered host memory: an ordinary host buffer the kernel updates in place.
  std::vector<int> registered(n, 100);
  CHECK(cudaHostRegister(registered.data(), n * sizeof(int), cudaHostRegisterMapped));
  int *registeredDevice;
  CHECK(cudaHostGetDevicePointer(&registeredDevice, registered.data(), 0));
  addIndex<<<(n + 255) / 256, 256>>>(registeredDevice, n);
  CHECK(cudaDeviceSynchronize());
  for (int i = 0; i < n; ++i)
    EXPECT(registered[i] == 100 + i);
  CHECK(cudaHostUnregister(registered.data()));

  // Stream-ordered allocation and prefetching of managed memory.
  cudaStream_t stream;
  CHECK(cudaStreamCreate(&stream));
  int *ordered;
  CHECK(cudaMallocAsync(&ordered, n * sizeof(int), stream));
  CHECK(cudaMemsetAsync(ordered, 0, n * sizeof(int), stream));
  addIndex<<<(n + 255) / 256, 256, 0, stream>>>(ordered, n);
  CHECK(cudaMemcpyAsync(registered.data(), ordered, n * sizeof(int), cudaMemcpyDeviceToHost, stream));
  CHECK(cudaFreeAsync(ordered, stream));
  cudaMemLocation location = {cudaMemLocationTypeDevice, 0};
  CHECK(cudaMemPrefetchAsync(managed, n * sizeof(int), location, 0, stream));
  CHECK(cudaStreamSynchronize(stream));
  for (int i = 0; i < n; ++i)
    EXPECT(registered[i] == i);
  CHECK(cudaStreamDestroy(stream));

  // Device memory attributes.
  int *device;
  CHECK(cudaMalloc(&device, n * sizeof(int)));
  CHECK(cudaPointerGetAttributes(&attributes, device + 10));
  EXPECT(attributes.type == cudaMemoryTypeDevice && attributes.devicePointer == device + 10);
  CHECK(cudaMemset(device, 0xff, n * sizeof(int)));
  CHECK(cudaMemcpy(mapped, device, n * sizeof(int), cudaMemcpyDefault));
  for (int i = 0; i < n; ++i)
    EXPECT(mapped[i] == -1);
  int *copy;
  CHECK(cudaMalloc(&copy, n * sizeof(int)));
  CHECK(cudaMemcpy(copy, managed, n * sizeof(int), cudaMemcpyDefault));
  CHECK(cudaMemcpy(device, copy, n * sizeof(int), cudaMemcpyDeviceToDevice));
  std::vector<int> back(n);
  CHECK(cudaMemcpy(back.data(), device, n * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i)
    EXPECT(back[i] == 7 + i);

  // Pitched 2D: copy a matrix in, transpose it on the device, copy the result out.
  const int width = 37, height = 21;
  std::vector<float> matrix(width * height), transposed(width * height);
  for (int i = 0; i < width * height; ++i)
    matrix[i] = float(i) * 0.25f;
  float *in, *out;
  size_t inPitch, outPitch;
  CHECK(cudaMallocPitch(&in, &inPitch, width * sizeof(float), height));
  CHECK(cudaMallocPitch(&out, &outPitch, height * sizeof(float), width));
  EXPECT(inPitch >= width * sizeof(float) && outPitch >= height * sizeof(float));
  CHECK(cudaMemcpy2D(in, inPitch, matrix.data(), width * sizeof(float), width * sizeof(float), height,
                     cudaMemcpyHostToDevice));
  dim3 block(16, 8), grid((width + 15) / 16, (height + 7) / 8);
  transposeTile<<<grid, block>>>(in, inPitch, out, outPitch, width, height);
  CHECK(cudaMemcpy2D(transposed.data(), height * sizeof(float), out, outPitch, height * sizeof(float), width,
                     cudaMemcpyDeviceToHost));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      EXPECT(transposed[x * height + y] == matrix[y * width + x]);
  CHECK(cudaMemset2D(in, inPitch, 0, width * sizeof(float), height));
  CHECK(cudaMemcpy2D(matrix.data(), width * sizeof(float), in, inPitch, width * sizeof(float), height,
                     cudaMemcpyDeviceToHost));
  for (float v : matrix)
    EXPECT(v == 0.0f);

  // 3D: a 4 x 5 x 6 box out of a larger host volume.
  const int X = 8, Y = 7, Z = 6;
  std::vector<int> volume(X * Y * Z), result(4 * 5 * 6, -1);
  for (int i = 0; i < X * Y * Z; ++i)
    volume[i] = i;
  cudaExtent extent = make_cudaExtent(4 * sizeof(int), 5, 6);
  cudaPitchedPtr box;
  CHECK(cudaMalloc3D(&box, extent));
  cudaMemcpy3DParms toDevice = {};
  toDevice.srcPtr = make_cudaPitchedPtr(volume.data(), X * sizeof(int), X, Y);
  toDevice.srcPos = make_cudaPos(2 * sizeof(int), 1, 0);
  toDevice.dstPtr = box;
  toDevice.extent = extent;
  toDevice.kind = cudaMemcpyHostToDevice;
  CHECK(cudaMemcpy3D(&toDevice));
  cudaMemcpy3DParms toHost = {};
  toHost.srcPtr = box;
  toHost.dstPtr = make_cudaPitchedPtr(result.data(), 4 * sizeof(int), 4, 5);
  toHost.extent = extent;
  toHost.kind = cudaMemcpyDeviceToHost;
  CHECK(cudaMemcpy3D(&toHost));
  for (int z = 0; z < 6; ++z)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 4; ++x)
        EXPECT(result[(z * 5 + y) * 4 + x] == volume[(z * Y + y + 1) * X + x + 2]);

  size_t freeBytes, totalBytes;
  CHECK(cudaMemGetInfo(&freeBytes, &totalBytes));
  EXPECT(freeBytes > 0 && freeBytes <= totalBytes);
  CHECK(cudaFree(box.ptr));
  CHECK(cudaFree(in));
  CHECK(cudaFree(out));
  CHECK(cudaFree(copy));
  CHECK(cudaFree(device));
  CHECK(cudaFreeHost(mapped));
  CHECK(cudaFree(managed));
  std::printf("PASS\n");
  return 0;
}
