// The OxCore kernel image: an ELF64 RISC-V relocatable object (LLVM's code generator output)
// with a `.ox.kernels` section holding the launch metadata of every kernel as JSON. The runtime
// places it anywhere in device memory and applies its relocations (src/runtime/ImageLoader),
// so several modules coexist in one address space, as CUDA modules do.
#pragma once

#include "backend/Backend.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oxptx::backend {

constexpr const char *kMetadataSection = ".ox.kernels";
constexpr unsigned kImageVersion = 2;

/// Adds the metadata section to a lowered module (before emitCode).
void addKernelMetadata(llvm::Module &module, const std::vector<KernelInfo> &kernels);

/// Parses the metadata section's contents; nullopt with `error` set if it is malformed.
std::optional<std::vector<KernelInfo>> parseKernelMetadata(std::string_view text, std::string &error);

/// Machine-code bytes of each defined function of an ELF object (the resource report's size).
std::map<std::string, uint64_t> codeSizes(std::string_view object);

/// PTX text → kernel image: parse, translate, lower, emit. Errors (PTX diagnostics rendered
/// with positions, unsupported constructs) are returned in `errors`; kernels that could not be
/// built are missing from the image.
struct ImageResult {
  std::string image; // empty if nothing could be built
  std::vector<KernelInfo> kernels;
  std::string errors;
};
ImageResult buildImage(std::string_view ptx, std::string_view name, const BackendOptions &options);

} // namespace oxptx::backend
