// Builds AST nodes from token text (internal to src/ptx_parser). Both readers of PTX, the ANTLR
// parse-tree walker (AstBuilder) and the fast path for function bodies (FastPath), build nodes
// through this one class, so literal values, constant folding, opcode and modifier resolution
// and their diagnostics cannot differ between them.
#pragma once

#include "ptx_parser/Ast.h"
#include "ptx_parser/Diagnostics.h"

#include <optional>
#include <string_view>

namespace oxptx::ptx {

/// A folded constant expression or operand value.
struct Value {
  enum class Kind { Integer, Float32, Float64, Name, Generic, PredPair, Error } kind = Kind::Error;
  uint64_t bits = 0; // integer/float payload, or Name/Generic offset
  Symbol name, component;
  bool negated = false;
  Symbol second; // PredPair

  static Value integer(uint64_t bits) {
    Value v;
    v.kind = Kind::Integer;
    v.bits = bits;
    return v;
  }
};

class NodeFactory {
public:
  NodeFactory(Module &module, DiagnosticList &diags) : module_(module), diags_(diags) {}

  Module &module() { return module_; }
  DiagnosticList &diags() { return diags_; }
  Symbol intern(std::string_view text) { return module_.names.intern(text); }

  // Literals and names (token text as the lexer matched it).
  std::optional<uint64_t> integer(std::string_view text, SourceLoc at);
  /// The value of an INT token, or nullopt when it does not fit 64 bits (no diagnostic).
  static std::optional<uint64_t> integerValue(std::string_view text);
  static Value floatLiteral(std::string_view text);
  Value name(std::string_view text, SourceLoc at); // `%tid.x` → %tid + component x

  // Constant expressions: `-`/`~`/`!` and the binary operators of PTX.
  Value unary(char op, Value operand, SourceLoc at);
  Value binary(std::string_view op, Value lhs, Value rhs, SourceLoc at);

  Operand operand(const Value &value, SourceLoc at);
  /// A scalar initializer: constant, symbol, symbol+offset or generic(symbol).
  Initializer initializer(const Value &value, SourceLoc at);
  /// `[base+offset, extra...]`: `elements` holds the bracket's operands in order.
  Operand address(std::vector<Operand> elements, SourceLoc at);

  /// Sets the location, opcode and modifiers of `inst` from `text` (`ld.global.nc.v4.f32`).
  /// Returns false after a diagnostic (unknown instruction or modifier, conflicting
  /// modifiers); the caller still builds the operands, so their own problems are reported too,
  /// then drops the instruction.
  bool instruction(Instruction &inst, std::string_view text, SourceLoc opcodeLoc, SourceLoc loc);

  /// One `.name` attribute of a declaration (state space, type, vector, linkage, .ptr, ...),
  /// without the dot.
  void declAttribute(std::string_view text, SourceLoc at, VariableDecl &decl);
  void align(std::string_view intText, SourceLoc at, VariableDecl &decl);

private:
  Module &module_;
  DiagnosticList &diags_;

  bool addModifier(Instruction &inst, const InstructionSpec &spec, std::string_view spelling,
                   SourceLoc at);
};

} // namespace oxptx::ptx
