// Diagnostics as values: every stage appends to a DiagnosticList, nothing throws or aborts.
// Rendering follows the compiler convention `file.ptx:12:7: error: message`, then the source line
// and a caret under the column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace oxptx::ptx {

/// 1-based line and column; {0, 0} means "no position" (e.g. a whole-module problem).
///
/// A position is where a node was written, not part of its value: AST nodes that differ only in
/// position compare equal (so a printed and re-parsed module equals the original). Compare
/// `line`/`column` directly to test positions.
struct SourceLoc {
  uint32_t line = 0;
  uint32_t column = 0;
  friend bool operator==(const SourceLoc &, const SourceLoc &) { return true; }
  bool valid() const { return line != 0; }
};

enum class Severity : uint8_t { Note, Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string message;
};

class DiagnosticList {
public:
  void error(SourceLoc loc, std::string message);
  void warning(SourceLoc loc, std::string message);
  void note(SourceLoc loc, std::string message);
  void append(const DiagnosticList &other);

  const std::vector<Diagnostic> &all() const { return diags_; }
  size_t errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }
  bool empty() const { return diags_.empty(); }
  /// Sort by position (stable): checks run as separate passes but users read files top-down.
  void sortByLocation();

private:
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
};

/// `file:line:col: error: message` + the source line + a caret line.
std::string renderDiagnostic(const Diagnostic &diag, std::string_view fileName,
                             std::string_view source);
std::string renderDiagnostics(const DiagnosticList &diags, std::string_view fileName,
                              std::string_view source);

} // namespace oxptx::ptx
