// Loads an OxCore kernel image (src/backend/KernelImage.h: an ELF64 RISC-V relocatable object
// with launch metadata) into simulated device memory at a chosen address: allocatable sections
// are laid out (code first, so the code is one range), and the RISC-V relocations the code
// generator emits are applied, like a GPU driver loading a code object.
#pragma once

#include "backend/Backend.h"
#include "sim/Memory.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace oxptx::runtime {

struct LoadedImage {
  uint64_t base = 0, size = 0;         // the mapped region
  uint64_t codeBase = 0, codeSize = 0; // the executable sections
  std::map<std::string, uint64_t, std::less<>> symbols; // defined symbols' device addresses
  std::map<std::string, uint64_t, std::less<>> symbolSizes; // their sizes in bytes
  std::vector<backend::KernelInfo> kernels;
};

/// Bytes the image needs when loaded (so the caller can reserve device memory).
std::variant<uint64_t, std::string> imageFootprint(std::string_view image);

/// Maps [base, base + footprint) in `memory` and loads the image there. Errors are sentences.
std::variant<LoadedImage, std::string> loadImage(std::string_view image, sim::Memory &memory,
                                                 uint64_t base);

} // namespace oxptx::runtime
