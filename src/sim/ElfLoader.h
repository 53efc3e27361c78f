// Loads a RISC-V ELF64 executable into guest memory (plain programs for the qemu comparison;
// OxCore kernel images come with the backend).
#pragma once

#include "sim/Memory.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace oxptx::sim {

struct LoadedProgram {
  uint64_t entry = 0;
  uint64_t codeBase = 0, codeSize = 0; // the executable segment
  uint64_t stackTop = 0;
};

/// Maps every PT_LOAD segment and a stack below `stackTop`. Errors are sentences for the user.
std::variant<LoadedProgram, std::string> loadElf(std::string_view image, Memory &memory);

constexpr uint64_t kStackTop = 0x7ffff0000000ull;
constexpr uint64_t kStackSize = 8ull << 20;

} // namespace oxptx::sim
