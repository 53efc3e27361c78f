// The descriptor behind a texture or surface object (docs/textures.md). The runtime writes it
// into device memory and the object's 64-bit handle is its address; the code the backend
// generates for tex/suld/sust reads its fields (offsets below) and samples the texels itself.
#pragma once

#include <cstddef>
#include <cstdint>

namespace oxptx::backend {

enum class ChannelKind : uint8_t { Unsigned = 0, Signed = 1, Float = 2 }; // Float: 16 or 32 bits
enum class AddressMode : uint8_t { Wrap = 0, Clamp = 1, Mirror = 2, Border = 3 };   // CUaddress_mode's values
enum class FilterMode : uint8_t { Point = 0, Linear = 1 };                           // CUfilter_mode's values

struct TextureDescriptor {
  uint64_t base = 0;       // the first texel
  uint64_t pitch = 0;      // bytes from one row to the next
  uint64_t slicePitch = 0; // bytes from one 2-D slice to the next
  uint32_t width = 1, height = 1, depth = 1; // in texels
  ChannelKind kind = ChannelKind::Unsigned;
  uint8_t channels = 1;     // 1, 2 or 4
  uint8_t channelBytes = 4; // 1, 2 or 4
  FilterMode filter = FilterMode::Point;
  AddressMode address[3] = {AddressMode::Clamp, AddressMode::Clamp, AddressMode::Clamp};
  uint8_t normalizedCoordinates = 0;
  uint8_t readNormalizedFloat = 0; // 8- and 16-bit integers read as floats in [0, 1] or [-1, 1]
  uint8_t reserved[3] = {};
  float border[4] = {}; // the border colour
};
static_assert(sizeof(TextureDescriptor) == 64);

namespace texture_field {
constexpr unsigned kBase = offsetof(TextureDescriptor, base), kPitch = offsetof(TextureDescriptor, pitch),
                   kSlicePitch = offsetof(TextureDescriptor, slicePitch), kWidth = offsetof(TextureDescriptor, width),
                   kKind = offsetof(TextureDescriptor, kind), kChannels = offsetof(TextureDescriptor, channels),
                   kChannelBytes = offsetof(TextureDescriptor, channelBytes),
                   kFilter = offsetof(TextureDescriptor, filter), kAddress = offsetof(TextureDescriptor, address),
                   kNormalized = offsetof(TextureDescriptor, normalizedCoordinates),
                   kReadNormalized = offsetof(TextureDescriptor, readNormalizedFloat),
                   kBorder = offsetof(TextureDescriptor, border);
} // namespace texture_field

} // namespace oxptx::backend
