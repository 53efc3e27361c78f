// AST → PTX text. The output re-parses to an equal AST and is accepted by ptxas whenever the
// input was; float literals are printed as exact 0f/0d bit patterns.
#pragma once

#include "ptx_parser/Ast.h"

#include <string>

namespace oxptx::ptx {

std::string printModule(const Module &module);
std::string printInstruction(const Module &module, const Instruction &inst);

} // namespace oxptx::ptx
