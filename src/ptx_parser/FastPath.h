// A fast reader for the regular shape of PTX functions (internal to src/ptx_parser).
//
// Nearly all of a real PTX module is function bodies made of one-line statements:
// `[@p] opcode.modifiers op, op, ...;`, `.reg .b32 %r<9>;`, labels, `.loc`, `{ }`. ANTLR spends
// most of its time building parse trees for them. FastPath reads a top-level item that is a
// function with a hand-written scanner covering exactly that subset of grammar/PTX.g4 and builds
// the same AST through NodeFactory; module-level variables with literal initializers likewise. On anything outside the subset (initializers, expressions
// beyond `name+offset`, labeled directives, syntax errors, non-ASCII text) it declines before
// changing the module, and the item is parsed by ANTLR instead. The grammar stays the definition
// of the syntax: tests parse the whole corpus both ways and require identical results.
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"

#include <string_view>
#include <vector>

namespace oxptx::ptx {

class FastPath {
public:
  /// Parses `item` (whole top-level statements starting at line `firstLine`) if it is one
  /// function in the fast subset; returns false, with `module` and `diags` untouched, otherwise.
  bool parseFunction(std::string_view item, uint32_t firstLine, Module &module,
                     DiagnosticList &diags);
  /// Likewise for a module-level variable declaration with literal initializers (the large
  /// constant tables of real programs).
  bool parseVariable(std::string_view item, uint32_t firstLine, Module &module,
                     DiagnosticList &diags);

  struct Token {
    enum class Kind : uint8_t { Ident, DotName, Int, Float, String, Punct, End } kind;
    char punct = 0;
    uint32_t line = 0, column = 0;
    std::string_view text;
  };

private:
  std::vector<Token> tokens_; // reused between items
  bool tokenize(std::string_view item, uint32_t firstLine);
};

} // namespace oxptx::ptx
