// Building a kernel image in a child process, so that a failure inside LLVM (which reports
// internal errors by aborting the process) becomes an error message for the user instead of
// taking down the host program that loaded the module — the CUDA application, for the shim.
#pragma once

#include "backend/KernelImage.h"

namespace oxptx::runtime {

/// backend::buildImage run in a forked child; the image and diagnostics come back through a
/// pipe. If the child dies, `errors` says how and `image` is empty.
backend::ImageResult buildImageIsolated(std::string_view ptx, std::string_view name,
                                        const backend::BackendOptions &options);

} // namespace oxptx::runtime
