// Executed corpus: textures.cu, texture and surface objects. The CPU reference below samples by
// the CUDA Programming Guide's texture fetching rules (appendix "Texture Fetching"): normalized
// coordinates scaled by the size, wrap (frac) and mirror on normalized coordinates only, point
// sampling at floor(x), linear filtering between the texels around x − 0.5 with the weight in
// 8-bit fixed point, the border colour outside in border mode, 8/16-bit integers read as
// normalized floats in [0, 1] or [−1, 1]; coordinate arithmetic in binary32 as the hardware's.
#include "ExecHarness.h"

#include "backend/TextureDescriptor.h"

#include <array>
#include <cmath>

namespace oxptx::exec {
namespace {

using backend::AddressMode;
using backend::ChannelKind;
using backend::FilterMode;
using backend::TextureDescriptor;

class Textures : public BothBackends {
protected:
  void SetUp() override { module = h.load("textures"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, Textures, ::testing::Bool(), backendName);

/// A texture's texels on the host, rows padded to 64 bytes (a pitch wider than a row).
struct HostTexture {
  TextureDescriptor d;
  std::vector<uint8_t> bytes;

  HostTexture(ChannelKind kind, int channels, int channelBytes, int w, int h = 1, int depth = 1) {
    d.kind = kind;
    d.channels = uint8_t(channels);
    d.channelBytes = uint8_t(channelBytes);
    d.width = w;
    d.height = h;
    d.depth = depth;
    d.pitch = (uint64_t(w) * channels * channelBytes + 63) / 64 * 64;
    d.slicePitch = d.pitch * h;
    bytes.resize(d.slicePitch * depth);
    std::mt19937 rng(w * 131 + h * 17 + depth + channels * 7 + channelBytes);
    for (int z = 0; z < depth; ++z)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          for (int c = 0; c < channels; ++c) {
            uint8_t *p = at(x, y, z, c);
            if (kind == ChannelKind::Float && channelBytes == 4) {
              float v = float(int(rng() % 2001) - 1000) / 64.0f;
              std::memcpy(p, &v, 4);
            } else if (kind == ChannelKind::Float) {
              uint16_t v = halfBits(half(float(int(rng() % 201) - 100) / 8.0f));
              std::memcpy(p, &v, 2);
            } else {
              uint32_t v = rng();
              std::memcpy(p, &v, channelBytes);
            }
          }
  }
  uint8_t *at(int x, int y, int z, int c) {
    return bytes.data() + z * d.slicePitch + y * d.pitch + (x * d.channels + c) * d.channelBytes;
  }
  const uint8_t *at(int x, int y, int z, int c) const { return const_cast<HostTexture *>(this)->at(x, y, z, c); }

  /// Channel c as an integer read returns it (signed formats sign-extended).
  int64_t integer(int x, int y, int z, int c) const {
    if (c >= d.channels)
      return 0;
    uint32_t raw = 0;
    std::memcpy(&raw, at(x, y, z, c), d.channelBytes);
    if (d.kind != ChannelKind::Signed || d.channelBytes == 4)
      return d.kind == ChannelKind::Signed ? int64_t(int32_t(raw)) : int64_t(raw);
    int bits = 8 * d.channelBytes;
    return int64_t(raw << (32 - bits) >> (32 - bits)) - ((raw >> (bits - 1) & 1) ? (int64_t(1) << bits) : 0);
  }
  /// Channel c as a float read returns it.
  double value(int x, int y, int z, int c) const {
    if (c >= d.channels)
      return 0;
    if (d.kind == ChannelKind::Float) {
      if (d.channelBytes == 2) {
        uint16_t b;
        std::memcpy(&b, at(x, y, z, c), 2);
        return double(float(fromBits(b)));
      }
      float v;
      std::memcpy(&v, at(x, y, z, c), 4);
      return v;
    }
    double v = double(integer(x, y, z, c));
    if (!d.readNormalizedFloat)
      return v;
    int bits = 8 * d.channelBytes;
    if (d.kind == ChannelKind::Unsigned)
      return v / double((uint64_t(1) << bits) - 1);
    return std::max(v / double((uint64_t(1) << (bits - 1)) - 1), -1.0);
  }

  uint64_t upload(Harness &h) {
    d.base = h.upload(bytes);
    return h.device().createTextureObject(d);
  }
};

/// Texel index i of a dimension of size n by the address mode; -1: the border.
int resolve(int i, int n, AddressMode mode) {
  switch (mode) {
  case AddressMode::Wrap: return ((i % n) + n) % n;
  case AddressMode::Mirror: {
    int m = ((i % (2 * n)) + 2 * n) % (2 * n);
    return m < n ? m : 2 * n - 1 - m;
  }
  case AddressMode::Clamp: return std::clamp(i, 0, n - 1);
  case AddressMode::Border: return i >= 0 && i < n ? i : -1;
  }
  return -1;
}

/// CUDA's rules for one sample of channel values (float reads).
struct Sampler {
  const HostTexture &t;
  int dims;
  int layer = 0; // the row (1-D layered) or slice (2-D layered) of layered textures

  AddressMode mode(int k) const {
    AddressMode m = t.d.address[k];
    bool repeats = m == AddressMode::Wrap || m == AddressMode::Mirror;
    return repeats && !t.d.normalizedCoordinates ? AddressMode::Clamp : m;
  }
  int size(int k) const { return k == 0 ? t.d.width : k == 1 ? t.d.height : t.d.depth; }
  /// The coordinate in texels (binary32, as the hardware computes it).
  float scaled(float x, int k) const {
    if (!t.d.normalizedCoordinates)
      return x;
    float f = x - std::floor(x);
    if (t.d.address[k] == AddressMode::Wrap)
      x = f;
    else if (t.d.address[k] == AddressMode::Mirror)
      x = (int(std::floor(x)) & 1) ? 1.0f - f : f;
    return x * float(size(k));
  }
  std::array<double, 4> texel(std::array<int, 3> i) const {
    std::array<int, 3> at = {0, 0, 0};
    if (dims < 3 && layer)
      at[dims] = layer;
    for (int k = 0; k < dims; ++k) {
      at[k] = resolve(i[k], size(k), mode(k));
      if (at[k] < 0)
        return {t.d.border[0], t.d.border[1], t.d.border[2], t.d.border[3]};
    }
    return {t.value(at[0], at[1], at[2], 0), t.value(at[0], at[1], at[2], 1), t.value(at[0], at[1], at[2], 2),
            t.value(at[0], at[1], at[2], 3)};
  }
  std::array<double, 4> operator()(std::array<float, 3> x) const {
    std::array<float, 3> s{};
    for (int k = 0; k < dims; ++k)
      s[k] = scaled(x[k], k);
    if (t.d.filter == FilterMode::Point) {
      std::array<int, 3> i{};
      for (int k = 0; k < dims; ++k)
        i[k] = int(std::floor(s[k]));
      return texel(i);
    }
    std::array<int, 3> low{};
    std::array<double, 3> alpha{};
    for (int k = 0; k < dims; ++k) {
      float b = s[k] - 0.5f;
      low[k] = int(std::floor(b));
      alpha[k] = std::nearbyint(double(b - std::floor(b)) * 256.0) / 256.0; // 8 fraction bits
    }
    std::array<double, 4> sum{};
    for (int corner = 0; corner < (1 << dims); ++corner) {
      std::array<int, 3> i = low;
      double w = 1;
      for (int k = 0; k < dims; ++k) {
        bool high = corner >> k & 1;
        i[k] += high;
        w *= high ? alpha[k] : 1 - alpha[k];
      }
      std::array<double, 4> v = texel(i);
      for (int c = 0; c < 4; ++c)
        sum[c] += w * v[c];
    }
    return sum;
  }
};

void expectNear(double got, double want, const std::string &what) {
  EXPECT_NEAR(got, want, 2e-5 * std::max(1.0, std::fabs(want))) << what;
}

std::string describe(const TextureDescriptor &d) {
  return "filter " + std::to_string(int(d.filter)) + ", mode " + std::to_string(int(d.address[0])) +
         ", normalized " + std::to_string(int(d.normalizedCoordinates));
}

TEST_P(Textures, Float4In2DUnderEveryFilterAddressModeAndCoordinateMode) {
  const int n = 96;
  for (FilterMode filter : {FilterMode::Point, FilterMode::Linear})
    for (AddressMode mode : {AddressMode::Wrap, AddressMode::Clamp, AddressMode::Mirror, AddressMode::Border})
      for (bool normalized : {false, true}) {
        HostTexture t(ChannelKind::Float, 4, 4, 7, 5);
        t.d.filter = filter;
        t.d.address[0] = t.d.address[1] = mode;
        t.d.normalizedCoordinates = normalized;
        t.d.border[0] = 0.25f, t.d.border[1] = 0.5f, t.d.border[2] = 0.75f, t.d.border[3] = 1.0f;
        std::mt19937 rng(int(filter) * 8 + int(mode) * 2 + normalized);
        std::uniform_real_distribution<float> unit(-1.6f, 1.6f), texels(-3.0f, 10.0f);
        std::vector<float> xy(2 * n);
        for (int i = 0; i < n; ++i) {
          xy[2 * i] = normalized ? unit(rng) : texels(rng);
          xy[2 * i + 1] = normalized ? unit(rng) : texels(rng) * 0.7f;
        }
        uint64_t handle = t.upload(h), dxy = h.upload(xy), dout = h.zeros<float>(4 * n);
        h.launch(*module, "tex2d_float4", {2}, {64}, Params().add(handle).add(dxy).add(dout).add(n));
        auto out = h.download<float>(dout, 4 * n);
        Sampler sample{t, 2};
        for (int i = 0; i < n; ++i) {
          auto want = sample({xy[2 * i], xy[2 * i + 1], 0});
          for (int c = 0; c < 4; ++c)
            expectNear(out[4 * i + c], want[c],
                       describe(t.d) + ", sample " + std::to_string(i) + " at (" + std::to_string(xy[2 * i]) + ", " +
                           std::to_string(xy[2 * i + 1]) + "), channel " + std::to_string(c));
        }
      }
}

TEST_P(Textures, Unsigned8BitTexelsReadAsNormalizedFloatsIn1D) {
  const int n = 64;
  for (FilterMode filter : {FilterMode::Point, FilterMode::Linear}) {
    HostTexture t(ChannelKind::Unsigned, 4, 1, 9);
    t.d.filter = filter;
    t.d.readNormalizedFloat = 1;
    std::vector<float> x(n);
    for (int i = 0; i < n; ++i)
      x[i] = -1.0f + 11.0f * float(i) / n;
    uint64_t handle = t.upload(h), dx = h.upload(x), dout = h.zeros<float>(4 * n);
    h.launch(*module, "tex1d_float4", {1}, {64}, Params().add(handle).add(dx).add(dout).add(n));
    auto out = h.download<float>(dout, 4 * n);
    Sampler sample{t, 1};
    for (int i = 0; i < n; ++i) {
      auto want = sample({x[i], 0, 0});
      for (int c = 0; c < 4; ++c)
        expectNear(out[4 * i + c], want[c], describe(t.d) + " at " + std::to_string(x[i]) + ", channel " + std::to_string(c));
    }
  }
}

TEST_P(Textures, TrilinearFilteringIn3DWithClampAndBorder) {
  const int n = 80;
  for (AddressMode mode : {AddressMode::Clamp, AddressMode::Border}) {
    HostTexture t(ChannelKind::Float, 1, 4, 4, 3, 3);
    t.d.filter = FilterMode::Linear;
    t.d.address[0] = t.d.address[1] = t.d.address[2] = mode;
    t.d.border[0] = -2.0f;
    std::vector<float> xyz = randomFloats(4 * n, -1.0f, 5.0f, 9);
    uint64_t handle = t.upload(h), dxyz = h.upload(xyz), dout = h.zeros<float>(n);
    h.launch(*module, "tex3d_float", {1}, {96}, Params().add(handle).add(dxyz).add(dout).add(n));
    auto out = h.download<float>(dout, n);
    Sampler sample{t, 3};
    for (int i = 0; i < n; ++i)
      expectNear(out[i], sample({xyz[4 * i], xyz[4 * i + 1], xyz[4 * i + 2]})[0],
                 describe(t.d) + ", sample " + std::to_string(i));
  }
}

TEST_P(Textures, HalfTexelsOfALayeredTextureWithLayersClamped) {
  const int n = 60, layers = 3;
  HostTexture t(ChannelKind::Float, 1, 2, 6, 4, layers);
  t.d.normalizedCoordinates = 1;
  t.d.address[0] = AddressMode::Wrap;
  std::vector<float> xy(2 * n);
  std::vector<int> layer(n);
  for (int i = 0; i < n; ++i) {
    xy[2 * i] = -0.9f + 2.3f * float(i) / n;
    xy[2 * i + 1] = float(i % 7) / 6.0f;
    layer[i] = i % 5 - 1; // -1 and 3 lie outside: the nearest layer
  }
  uint64_t handle = t.upload(h), dxy = h.upload(xy), dlayer = h.upload(layer), dout = h.zeros<float>(n);
  h.launch(*module, "tex2d_layered", {1}, {64}, Params().add(handle).add(dxy).add(dlayer).add(dout).add(n));
  auto out = h.download<float>(dout, n);
  for (int i = 0; i < n; ++i) {
    Sampler sample{t, 2, std::clamp(layer[i], 0, layers - 1)};
    expectNear(out[i], sample({xy[2 * i], xy[2 * i + 1], 0})[0], "sample " + std::to_string(i));
  }
}

TEST_P(Textures, Signed16BitTexelsReadAsIntegersWithABorder) {
  const int n = 64;
  HostTexture t(ChannelKind::Signed, 2, 2, 5, 3);
  t.d.address[0] = t.d.address[1] = AddressMode::Border;
  std::vector<float> xy(2 * n);
  for (int i = 0; i < n; ++i) {
    xy[2 * i] = float(i % 8) - 1.5f;
    xy[2 * i + 1] = float(i / 8) * 0.6f - 0.8f;
  }
  uint64_t handle = t.upload(h), dxy = h.upload(xy), dout = h.zeros<int>(4 * n);
  h.launch(*module, "tex2d_int4", {1}, {64}, Params().add(handle).add(dxy).add(dout).add(n));
  auto out = h.download<int>(dout, 4 * n);
  for (int i = 0; i < n; ++i) {
    int x = int(std::floor(xy[2 * i])), y = int(std::floor(xy[2 * i + 1]));
    bool inside = x >= 0 && x < 5 && y >= 0 && y < 3;
    for (int c = 0; c < 4; ++c)
      EXPECT_EQ(out[4 * i + c], inside ? int(t.integer(x, y, 0, c)) : 0) << "sample " << i << ", channel " << c;
  }
}

TEST_P(Textures, FetchesFromLinearMemoryAreZeroOutOfRange) {
  const int n = 70, texels = 50;
  HostTexture t(ChannelKind::Signed, 1, 4, texels);
  t.d.address[0] = AddressMode::Border; // CUDA's linear-memory textures
  std::vector<int> index(n);
  for (int i = 0; i < n; ++i)
    index[i] = i * 7 % 61 - 5;
  uint64_t handle = t.upload(h), dindex = h.upload(index), dout = h.zeros<int>(n);
  h.launch(*module, "tex1d_fetch", {1}, {96}, Params().add(handle).add(dindex).add(dout).add(n));
  auto out = h.download<int>(dout, n);
  for (int i = 0; i < n; ++i)
    EXPECT_EQ(out[i], index[i] >= 0 && index[i] < texels ? int(t.integer(index[i], 0, 0, 0)) : 0) << "index " << index[i];
}

TEST_P(Textures, SamplesUnderDivergentControlFlow) {
  const int w = 32, rows = 4;
  HostTexture t(ChannelKind::Float, 1, 4, w, rows);
  uint64_t handle = t.upload(h), dout = h.zeros<float>(w * rows);
  h.launch(*module, "tex2d_divergent", {rows}, {w}, Params().add(handle).add(dout).add(w));
  auto out = h.download<float>(dout, w * rows);
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < w; ++x) {
      double want = (x + y) % 3 != 0 ? t.value(x, y, 0, 0) + t.value(0, 0, 0, 0) : -1.0;
      expectNear(out[y * w + x], want, "thread " + std::to_string(x) + ", row " + std::to_string(y));
    }
}

TEST_P(Textures, GatherReturnsTheBilinearFootprintCounterClockwiseFromLowerLeft) {
  const int n = 64;
  HostTexture t(ChannelKind::Float, 4, 4, 6, 5);
  t.d.address[0] = AddressMode::Clamp;
  t.d.address[1] = AddressMode::Border;
  t.d.border[0] = 7.0f, t.d.border[2] = -7.0f;
  std::vector<float> xy(2 * n);
  for (int i = 0; i < n; ++i) {
    xy[2 * i] = -1.0f + 8.0f * float(i) / n;
    xy[2 * i + 1] = float(i % 9) * 0.75f - 0.5f;
  }
  uint64_t handle = t.upload(h), dxy = h.upload(xy);
  for (int comp : {0, 2}) {
    uint64_t dout = h.zeros<float>(4 * n);
    h.launch(*module, "tex2d_gather", {1}, {64}, Params().add(handle).add(dxy).add(dout).add(n).add(comp));
    auto out = h.download<float>(dout, 4 * n);
    Sampler sample{t, 2};
    for (int i = 0; i < n; ++i) {
      int x0 = int(std::floor(xy[2 * i] - 0.5f)), y0 = int(std::floor(xy[2 * i + 1] - 0.5f));
      const int corners[4][2] = {{0, 1}, {1, 1}, {1, 0}, {0, 0}};
      for (int k = 0; k < 4; ++k)
        expectNear(out[4 * i + k], sample.texel({x0 + corners[k][0], y0 + corners[k][1], 0})[comp],
                   "sample " + std::to_string(i) + ", texel " + std::to_string(k) + ", channel " + std::to_string(comp));
    }
  }
}

TEST_P(Textures, QueriesReadTheObjectsAttributes) {
  HostTexture t(ChannelKind::Float, 1, 4, 13, 7, 3);
  t.d.normalizedCoordinates = 1;
  t.d.filter = FilterMode::Linear;
  t.d.address[1] = AddressMode::Mirror;
  uint64_t handle = t.upload(h), dout = h.zeros<int>(6);
  h.launch(*module, "tex_query", {1}, {32}, Params().add(handle).add(dout));
  // PTX numbers address modes wrap 0, mirror 1, clamp_ogl 2, clamp_to_edge 3, clamp_to_border 4
  EXPECT_EQ(h.download<int>(dout, 6), (std::vector<int>{13, 7, 3, 1, 1, 1}));
}

/// The guide's cubemap table: the face of the major axis and (s, t) on it, as texels of a
/// w × w face.
std::pair<int, std::array<float, 3>> cubeFace(float x, float y, float z, int w) {
  float ax = std::fabs(x), ay = std::fabs(y), az = std::fabs(z), m, s, t;
  int face;
  if (ax >= ay && ax >= az)
    face = x < 0, m = ax, s = x < 0 ? z : -z, t = -y;
  else if (ay >= az)
    face = 2 + (y < 0), m = ay, s = x, t = y < 0 ? -z : z;
  else
    face = 4 + (z < 0), m = az, s = z < 0 ? -x : x, t = -y;
  return {face, {(s / m + 1.0f) * 0.5f * float(w), (t / m + 1.0f) * 0.5f * float(w), 0}};
}

TEST_P(Textures, CubemapDirectionsPickTheFaceOfTheMajorAxis) {
  const int n = 96, w = 5;
  for (FilterMode filter : {FilterMode::Point, FilterMode::Linear}) {
    HostTexture t(ChannelKind::Float, 1, 4, w, w, 6);
    t.d.filter = filter;
    t.d.normalizedCoordinates = 1;
    std::vector<float> dir = randomFloats(4 * n, -1.0f, 1.0f, 5);
    uint64_t handle = t.upload(h), ddir = h.upload(dir), dout = h.zeros<float>(n);
    h.launch(*module, "tex_cubemap", {1}, {96}, Params().add(handle).add(ddir).add(dout).add(n));
    auto out = h.download<float>(dout, n);
    for (int i = 0; i < n; ++i) {
      auto [face, st] = cubeFace(dir[4 * i], dir[4 * i + 1], dir[4 * i + 2], w);
      t.d.normalizedCoordinates = 0; // the face coordinates are texels already
      Sampler sample{t, 2, face};
      expectNear(out[i], sample(st)[0], "filter " + std::to_string(int(filter)) + ", direction " + std::to_string(i));
      t.d.normalizedCoordinates = 1;
    }
  }
}

TEST_P(Textures, SurfaceReadsWithZeroAndClampBoundaries) {
  const int w = 40, rows = 6, shift = 3;
  HostTexture in(ChannelKind::Float, 1, 4, w, rows), out(ChannelKind::Float, 1, 4, w, rows);
  uint64_t din = in.upload(h), dout = out.upload(h);
  h.launch(*module, "surf2d_copy", {2, rows}, {32}, Params().add(din).add(dout).add(w).add(rows).add(shift));
  auto result = h.download<uint8_t>(out.d.base, out.bytes.size());
  for (int y = 0; y < rows; ++y)
    for (int x = 0; x < w; ++x) {
      double zero = x + shift < w ? in.value(x + shift, y, 0, 0) : 0.0;
      double clamp = in.value(std::min(x + shift, w - 1), std::max(y - shift, 0), 0, 0);
      float got;
      std::memcpy(&got, result.data() + y * out.d.pitch + 4 * x, 4);
      expectNear(got, float(zero + 1000.0 * clamp), "x " + std::to_string(x) + ", y " + std::to_string(y));
    }
}

TEST_P(Textures, SurfaceReadModifyWriteOfUchar4) {
  const int n = 45;
  HostTexture s(ChannelKind::Unsigned, 4, 1, n);
  std::vector<uint8_t> before = s.bytes;
  uint64_t handle = s.upload(h);
  h.launch(*module, "surf1d_uchar4", {1}, {64}, Params().add(handle).add(n));
  auto after = h.download<uint8_t>(s.d.base, before.size());
  for (int x = 0; x < n; ++x) {
    const uint8_t *b = before.data() + 4 * x, *a = after.data() + 4 * x;
    EXPECT_EQ(a[0], b[3]) << x;
    EXPECT_EQ(a[1], b[2]) << x;
    EXPECT_EQ(a[2], b[1]) << x;
    EXPECT_EQ(a[3], uint8_t(b[0] + 1)) << x;
  }
}

TEST_P(Textures, SurfaceWriteOutsideTrapsWithASentence) {
  HostTexture s(ChannelKind::Float, 1, 4, 8, 4);
  uint64_t handle = s.upload(h);
  sim::LaunchResult inside = h.run(*module, "surf2d_write_outside", {1}, {32}, Params().add(handle).add(7).add(3));
  EXPECT_FALSE(inside.fault) << inside.fault->describe();
  sim::LaunchResult r = h.run(*module, "surf2d_write_outside", {1}, {32}, Params().add(handle).add(8).add(0));
  ASSERT_TRUE(r.fault) << "the launch completed";
  EXPECT_NE(r.fault->describe().find("outside the surface"), std::string::npos) << r.fault->describe();
}

} // namespace
} // namespace oxptx::exec
