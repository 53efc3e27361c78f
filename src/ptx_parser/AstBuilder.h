// Parse tree → typed AST (internal to src/ptx_parser; the only file that sees ANTLR's tree).
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"

#include "PTXParser.h"

namespace oxptx::ptx {

/// Builds the AST of one chunk into `module`. `firstLine` is the line of the chunk's first
/// character in the whole file, so every position refers to the original text. `recovered`
/// says the tree comes from error recovery (it may have incomplete subtrees, which are skipped).
void buildAst(oxptx_antlr::PTXParser::ModuleContext *tree, antlr4::CharStream &input,
              uint32_t firstLine, bool recovered, Module &module, DiagnosticList &diags);

} // namespace oxptx::ptx
