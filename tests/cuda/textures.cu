// Texture and surface objects through cudart: CUDA arrays (2-D, layered, surface load/store),
// cudaMemcpy2DToArray/FromArray, texture objects over arrays, pitched and linear memory with
// point and linear filtering, normalized coordinates, wrap and clamp, normalized-float reads
// of 8-bit texels, tex1Dfetch, surface reads and writes. Expected values on the CPU by CUDA's
// texture fetching rules.
#include "check.h"

#include <cmath>
#include <vector>

__global__ void sample2D(cudaTextureObject_t t, float *out, int w, int h, float dx, float dy, bool normalized) {
  int x = blockIdx.x * blockDim.x + threadIdx.x, y = blockIdx.y;
  if (x >= w || y >= h)
    return;
  float u = x + dx, v = y + dy;
  if (normalized)
    u /= w, v /= h;
  out[y * w + x] = tex2D<float>(t, u, v);
}

__global__ void sampleRgba(cudaTextureObject_t t, float4 *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex1D<float4>(t, i * 0.37f - 1.0f);
}

__global__ void fetch(cudaTextureObject_t t, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex1Dfetch<int>(t, i - 3);
}

__global__ void scaleLayers(cudaSurfaceObject_t s, int w, int h, int layers) {
  int x = threadIdx.x, y = blockIdx.x;
  if (x >= w || y >= h)
    return;
  for (int l = 0; l < layers; ++l) {
    float v = surf2DLayeredread<float>(s, x * 4, y, l);
    surf2DLayeredwrite(v * (l + 2), s, x * 4, y, l);
  }
}

int clampIndex(int i, int n) { return i < 0 ? 0 : i >= n ? n - 1 : i; }
int wrapIndex(int i, int n) { return ((i % n) + n) % n; }

int main() {
  const int w = 37, h = 9;
  std::vector<float> texels(w * h);
  for (int i = 0; i < w * h; ++i)
    texels[i] = std::sin(0.1f * i) * 10.0f;
  auto texel = [&](int x, int y, bool wrap) {
    return double(texels[(wrap ? wrapIndex(y, h) : clampIndex(y, h)) * w + (wrap ? wrapIndex(x, w) : clampIndex(x, w))]);
  };

  // A 2-D float array, bilinear, clamp, unnormalized coordinates; then wrap with normalized ones.
  cudaChannelFormatDesc desc = cudaCreateChannelDesc<float>();
  cudaArray_t array;
  CHECK(cudaMallocArray(&array, &desc, w, h));
  CHECK(cudaMemcpy2DToArray(array, 0, 0, texels.data(), w * sizeof(float), w * sizeof(float), h, cudaMemcpyHostToDevice));
  std::vector<float> back(w * h);
  CHECK(cudaMemcpy2DFromArray(back.data(), w * sizeof(float), array, 0, 0, w * sizeof(float), h, cudaMemcpyDeviceToHost));
  EXPECT(back == texels);
  float *dout;
  CHECK(cudaMalloc(&dout, w * h * sizeof(float)));
  for (bool wrap : {false, true}) {
    cudaResourceDesc resource = {};
    resource.resType = cudaResourceTypeArray;
    resource.res.array.array = array;
    cudaTextureDesc tex = {};
    tex.addressMode[0] = tex.addressMode[1] = wrap ? cudaAddressModeWrap : cudaAddressModeClamp;
    tex.filterMode = cudaFilterModeLinear;
    tex.readMode = cudaReadModeElementType;
    tex.normalizedCoords = wrap;
    cudaTextureObject_t t;
    CHECK(cudaCreateTextureObject(&t, &resource, &tex, nullptr));
    const float dx = 0.8f, dy = -0.3f;
    sample2D<<<dim3(2, h), 32>>>(t, dout, w, h, dx, dy, wrap);
    CHECK(cudaGetLastError());
    std::vector<float> out(w * h);
    CHECK(cudaMemcpy(out.data(), dout, out.size() * sizeof(float), cudaMemcpyDeviceToHost));
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        float u = x + dx, v = y + dy;
        if (wrap) { // the normalized coordinate, wrapped, scaled back
          u /= w, v /= h;
          u = (u - std::floor(u)) * w, v = (v - std::floor(v)) * h;
        }
        float bu = u - 0.5f, bv = v - 0.5f;
        int i = int(std::floor(bu)), j = int(std::floor(bv));
        double a = std::nearbyint((bu - std::floor(bu)) * 256.0) / 256, b = std::nearbyint((bv - std::floor(bv)) * 256.0) / 256;
        double want = (1 - a) * (1 - b) * texel(i, j, wrap) + a * (1 - b) * texel(i + 1, j, wrap) +
                      (1 - a) * b * texel(i, j + 1, wrap) + a * b * texel(i + 1, j + 1, wrap);
        if (std::fabs(out[y * w + x] - want) > 1e-4) {
          std::printf("FAIL: %s 2-D sample (%d, %d): %f, expected %f\n", wrap ? "wrapped" : "clamped", x, y,
                      out[y * w + x], want);
          return 1;
        }
      }
    CHECK(cudaDestroyTextureObject(t));
  }
  CHECK(cudaFreeArray(array));

  // uchar4 in pitched memory read as normalized floats, point sampling, clamp.
  const int n = 40, texels8 = 16;
  std::vector<uchar4> rgba(texels8);
  for (int i = 0; i < texels8; ++i)
    rgba[i] = make_uchar4(i * 16, 255 - i, i * 3, 128);
  uchar4 *pitched;
  size_t pitch;
  CHECK(cudaMallocPitch(&pitched, &pitch, texels8 * sizeof(uchar4), 1));
  CHECK(cudaMemcpy(pitched, rgba.data(), texels8 * sizeof(uchar4), cudaMemcpyHostToDevice));
  cudaResourceDesc resource = {};
  resource.resType = cudaResourceTypePitch2D;
  resource.res.pitch2D.devPtr = pitched;
  resource.res.pitch2D.desc = cudaCreateChannelDesc<uchar4>();
  resource.res.pitch2D.width = texels8;
  resource.res.pitch2D.height = 1;
  resource.res.pitch2D.pitchInBytes = pitch;
  cudaTextureDesc tex = {};
  tex.addressMode[0] = tex.addressMode[1] = cudaAddressModeClamp;
  tex.filterMode = cudaFilterModePoint;
  tex.readMode = cudaReadModeNormalizedFloat;
  cudaTextureObject_t t8;
  CHECK(cudaCreateTextureObject(&t8, &resource, &tex, nullptr));
  float4 *d4;
  CHECK(cudaMalloc(&d4, n * sizeof(float4)));
  sampleRgba<<<1, 64>>>(t8, d4, n);
  std::vector<float4> out4(n);
  CHECK(cudaMemcpy(out4.data(), d4, n * sizeof(float4), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) {
    const uchar4 &c = rgba[clampIndex(int(std::floor(i * 0.37f - 1.0f)), texels8)];
    EXPECT(std::fabs(out4[i].x - c.x / 255.0f) < 1e-6 && std::fabs(out4[i].y - c.y / 255.0f) < 1e-6 &&
           std::fabs(out4[i].z - c.z / 255.0f) < 1e-6 && std::fabs(out4[i].w - c.w / 255.0f) < 1e-6);
  }
  CHECK(cudaDestroyTextureObject(t8));

  // tex1Dfetch on linear memory: zero outside.
  const int m = 50;
  std::vector<int> ints(m);
  for (int i = 0; i < m; ++i)
    ints[i] = i * i - 7;
  int *dints, *dfetched;
  CHECK(cudaMalloc(&dints, m * sizeof(int)));
  CHECK(cudaMalloc(&dfetched, (m + 6) * sizeof(int)));
  CHECK(cudaMemcpy(dints, ints.data(), m * sizeof(int), cudaMemcpyHostToDevice));
  resource = {};
  resource.resType = cudaResourceTypeLinear;
  resource.res.linear.devPtr = dints;
  resource.res.linear.desc = cudaCreateChannelDesc<int>();
  resource.res.linear.sizeInBytes = m * sizeof(int);
  tex = {};
  tex.readMode = cudaReadModeElementType;
  cudaTextureObject_t tl;
  CHECK(cudaCreateTextureObject(&tl, &resource, &tex, nullptr));
  fetch<<<1, 64>>>(tl, dfetched, m + 6);
  std::vector<int> fetched(m + 6);
  CHECK(cudaMemcpy(fetched.data(), dfetched, fetched.size() * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < m + 6; ++i)
    EXPECT(fetched[i] == (i - 3 >= 0 && i - 3 < m ? ints[i - 3] : 0));
  cudaResourceDesc got;
  CHECK(cudaGetTextureObjectResourceDesc(&got, tl));
  EXPECT(got.resType == cudaResourceTypeLinear && got.res.linear.devPtr == dints);
  CHECK(cudaDestroyTextureObject(tl));

  // A layered array with surface load/store: each layer scaled in place.
  const int sw = 20, sh = 5, layers = 3;
  cudaArray_t layered;
  CHECK(cudaMalloc3DArray(&layered, &desc, make_cudaExtent(sw, sh, layers), cudaArrayLayered | cudaArraySurfaceLoadStore));
  std::vector<float> values(sw * sh * layers);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = float(i) * 0.5f;
  cudaMemcpy3DParms copy = {};
  copy.srcPtr = make_cudaPitchedPtr(values.data(), sw * sizeof(float), sw, sh);
  copy.dstArray = layered;
  copy.extent = make_cudaExtent(sw, sh, layers);
  copy.kind = cudaMemcpyHostToDevice;
  CHECK(cudaMemcpy3D(&copy));
  resource = {};
  resource.resType = cudaResourceTypeArray;
  resource.res.array.array = layered;
  cudaSurfaceObject_t s;
  CHECK(cudaCreateSurfaceObject(&s, &resource));
  scaleLayers<<<sh, 32>>>(s, sw, sh, layers);
  CHECK(cudaGetLastError());
  std::vector<float> scaled(values.size());
  copy = {};
  copy.srcArray = layered;
  copy.dstPtr = make_cudaPitchedPtr(scaled.data(), sw * sizeof(float), sw, sh);
  copy.extent = make_cudaExtent(sw, sh, layers);
  copy.kind = cudaMemcpyDeviceToHost;
  CHECK(cudaMemcpy3D(&copy));
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT(scaled[i] == values[i] * float(i / (sw * sh) + 2));
  CHECK(cudaDestroySurfaceObject(s));
  CHECK(cudaFreeArray(layered));
  std::printf("PASS\n");
  return 0;
}
