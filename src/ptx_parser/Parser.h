// Entry point of the front end: PTX text → typed AST + diagnostics. Never throws, never aborts:
// malformed input yields diagnostics and whatever part of the module could be built.
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"

#include <string_view>

namespace oxptx::ptx {

struct ParseResult {
  Module module;
  DiagnosticList diagnostics;
};

struct ParseOptions {
  /// Large inputs are parsed in top-level chunks of about this many bytes, so the ANTLR parse
  /// tree of only one chunk is alive at a time (peak memory stays proportional to the AST).
  size_t chunkBytes = 1 << 20;
  /// Read function bodies of the regular nvcc shape without ANTLR (FastPath.h). Off: every
  /// statement goes through the grammar (tests compare both).
  bool fastPath = true;
};

/// Syntax only (plus opcode/modifier resolution, which the typed AST needs).
ParseResult parsePtx(std::string_view text, const ParseOptions &options = {});

/// parsePtx followed by the semantic checker: what `ptx2ox --check` runs.
ParseResult parseAndCheckPtx(std::string_view text, const ParseOptions &options = {});

} // namespace oxptx::ptx
