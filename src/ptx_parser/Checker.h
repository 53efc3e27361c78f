// Semantic checks over a parsed module: names (undeclared, redeclared), instruction shapes
// (type modifiers, operand count and kinds), operand types against register declarations, and
// features above the module's .version / .target. Reports every problem it finds; never stops
// at the first.
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"

namespace oxptx::ptx {

DiagnosticList checkModule(const Module &module);

} // namespace oxptx::ptx
