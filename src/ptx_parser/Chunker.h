// Splits PTX text into runs of whole top-level statements (internal to src/ptx_parser).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace oxptx::ptx {

struct Chunk {
  size_t offset = 0;      // byte offset in the text, always at the start of a line
  size_t size = 0;
  uint32_t firstLine = 1; // 1-based line number of `offset`
};

/// Chunks of at least `targetBytes` (except the last) that begin at line starts where no
/// statement, brace, parenthesis, comment or string is open; with `targetBytes` 0, every such
/// point splits, so each chunk is one top-level statement (or the statements sharing its lines). Text that never reaches such a
/// point (e.g. an unclosed brace) stays in one chunk, so syntax errors are reported in context.
std::vector<Chunk> splitTopLevel(std::string_view text, size_t targetBytes);

} // namespace oxptx::ptx
