// Loads a RISC-V ELF64 executable into guest memory: plain programs for the qemu comparison,
// and kernels built as freestanding executables (the kernel image format of the backend will
// add launch metadata). The symbol table is kept so that tools and tests can find data.
#pragma once

#include "sim/Memory.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace oxptx::sim {

struct ElfSymbol {
  uint64_t address = 0, size = 0;
};

struct LoadedProgram {
  uint64_t entry = 0;
  uint64_t codeBase = 0, codeSize = 0; // the executable segment
  uint64_t stackTop = 0;
  std::map<std::string, ElfSymbol, std::less<>> symbols; // functions and objects by name
};

/// Maps every PT_LOAD segment and a stack below `stackTop`. Errors are sentences for the user.
std::variant<LoadedProgram, std::string> loadElf(std::string_view image, Memory &memory);

constexpr uint64_t kStackTop = 0x7ffff0000000ull;
constexpr uint64_t kStackSize = 8ull << 20;

} // namespace oxptx::sim
