// CUDA fatbinaries as nvcc 13 embeds them (../shared/reference/cuda-driver-interface.md §5): the
// wrapper cudart hands to cuLibraryLoadData/cuModuleLoadFatBinary, the container, its entries
// (PTX or SASS, zstd- or LZ4-compressed), and the choice of the PTX to translate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace oxptx::shim {

constexpr uint32_t kWrapperMagic = 0x466243B1, kContainerMagic = 0xBA55ED50;

struct FatbinEntry {
  enum class Kind : uint16_t { Ptx = 1, Elf = 2 };
  Kind kind;
  uint32_t sm = 0;             // 75, 90, 100 ...
  uint64_t flags = 0;          // 0x2000 LZ4, 0x8000 zstd
  std::span<const uint8_t> payload; // as stored (maybe compressed)
  uint64_t uncompressedBytes = 0;   // 0: not compressed
};

/// The entries of a container; an error sentence if it is malformed. `bytes` covers at least the
/// container (its header states its size; a short span is an error).
std::variant<std::vector<FatbinEntry>, std::string> parseContainer(std::span<const uint8_t> bytes);

/// The entry's payload, decompressed; an error sentence if it does not decompress.
std::variant<std::vector<uint8_t>, std::string> payloadOf(const FatbinEntry &entry);

/// The PTX modules of whatever a program passed as a module image: a fatbin wrapper (v1, or v2
/// with its prelinked containers, one PTX per translation unit), a bare container, or PTX
/// text. `maxSm`: the PTX entry with the highest SM not above it is chosen per container.
/// Errors say what was found instead (SASS only, a cubin, an unknown format).
struct ImagePtx {
  std::vector<std::string> modules; // several: relocatable device code to link
};
std::variant<ImagePtx, std::string> ptxOfImage(const void *image, uint32_t maxSm);

} // namespace oxptx::shim
