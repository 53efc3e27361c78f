// Helpers shared by the parser unit tests: wrap PTX in a module and pick nodes out of the AST.
#pragma once

#include "ptx_parser/Parser.h"

#include <gtest/gtest.h>

#include <string>

namespace oxptx::ptx::test {

/// A kernel `k` containing `body`, with registers of every common type already declared.
inline std::string kernel(const std::string &body, const std::string &version = "9.0",
                          const std::string &target = "sm_90") {
  return ".version " + version + "\n.target " + target + "\n.address_size 64\n" +
         ".visible .entry k(.param .u64 k_p0)\n{\n"
         "\t.reg .pred %p<8>;\n\t.reg .b16 %rs<8>;\n\t.reg .b32 %r<16>;\n"
         "\t.reg .b64 %rd<16>;\n\t.reg .f32 %f<8>;\n\t.reg .f64 %fd<8>;\n" +
         body + "\n}\n";
}

/// Number of lines `kernel()` puts before `body`.
constexpr uint32_t kKernelBodyLine = 12;

/// The first function with a body.
inline const Function &firstFunction(const Module &module) {
  for (const Module::TopLevel &item : module.items)
    if (const Function *fn = std::get_if<Function>(&item); fn && fn->body)
      return *fn;
  throw std::runtime_error("no function definition in module");
}

/// The n-th instruction of the first function (nested blocks included, in order).
inline const Instruction *nthInstruction(const std::vector<Statement> &body, size_t &n) {
  for (const Statement &s : body) {
    if (const Instruction *inst = std::get_if<Instruction>(&s.node)) {
      if (n-- == 0)
        return inst;
    } else if (const auto *block = std::get_if<std::vector<Statement>>(&s.node)) {
      if (const Instruction *inst = nthInstruction(*block, n))
        return inst;
    }
  }
  return nullptr;
}

inline const Instruction &instruction(const Module &module, size_t n = 0) {
  const Instruction *inst = nthInstruction(*firstFunction(module).body, n);
  if (!inst)
    throw std::runtime_error("instruction index out of range");
  return *inst;
}

inline std::string messages(const DiagnosticList &diags) {
  std::string all;
  for (const Diagnostic &d : diags.all())
    all += std::to_string(d.loc.line) + ":" + std::to_string(d.loc.column) + ": " + d.message +
           "\n";
  return all;
}

} // namespace oxptx::ptx::test
