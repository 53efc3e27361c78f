#include "ptx_parser/Diagnostics.h"

#include <algorithm>

namespace oxptx::ptx {

void DiagnosticList::error(SourceLoc loc, std::string message) {
  diags_.push_back({Severity::Error, loc, std::move(message)});
  ++errors_;
}

void DiagnosticList::warning(SourceLoc loc, std::string message) {
  diags_.push_back({Severity::Warning, loc, std::move(message)});
}

void DiagnosticList::note(SourceLoc loc, std::string message) {
  diags_.push_back({Severity::Note, loc, std::move(message)});
}

void DiagnosticList::append(const DiagnosticList &other) {
  diags_.insert(diags_.end(), other.diags_.begin(), other.diags_.end());
  errors_ += other.errors_;
}

void DiagnosticList::sortByLocation() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic &a, const Diagnostic &b) {
    return a.loc.line != b.loc.line ? a.loc.line < b.loc.line : a.loc.column < b.loc.column;
  });
}

namespace {

std::string_view lineOf(std::string_view source, uint32_t line) {
  size_t begin = 0;
  for (uint32_t i = 1; i < line; ++i) {
    begin = source.find('\n', begin);
    if (begin == std::string_view::npos)
      return {};
    ++begin;
  }
  size_t end = source.find('\n', begin);
  std::string_view text = source.substr(begin, end == std::string_view::npos ? end : end - begin);
  if (!text.empty() && text.back() == '\r')
    text.remove_suffix(1);
  return text;
}

constexpr std::string_view severityName(Severity severity) {
  switch (severity) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "error";
}

} // namespace

std::string renderDiagnostic(const Diagnostic &diag, std::string_view fileName,
                             std::string_view source) {
  std::string out(fileName);
  if (diag.loc.valid())
    out += ":" + std::to_string(diag.loc.line) + ":" + std::to_string(diag.loc.column);
  out += ": ";
  out += severityName(diag.severity);
  out += ": " + diag.message + "\n";
  if (!diag.loc.valid())
    return out;
  std::string_view line = lineOf(source, diag.loc.line);
  if (line.empty())
    return out;
  out += line;
  out += "\n";
  // Keep tabs so the caret lines up under tab-indented PTX.
  for (uint32_t i = 1; i < diag.loc.column && i - 1 < line.size(); ++i)
    out += line[i - 1] == '\t' ? '\t' : ' ';
  out += "^\n";
  return out;
}

std::string renderDiagnostics(const DiagnosticList &diags, std::string_view fileName,
                              std::string_view source) {
  std::string out;
  for (const Diagnostic &diag : diags.all())
    out += renderDiagnostic(diag, fileName, source);
  return out;
}

} // namespace oxptx::ptx
