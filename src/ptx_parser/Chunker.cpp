#include "ptx_parser/Chunker.h"

namespace oxptx::ptx {

std::vector<Chunk> splitTopLevel(std::string_view text, size_t targetBytes) {
  std::vector<Chunk> chunks;
  Chunk current;
  int depth = 0;            // { } and ( ) nesting
  bool statementOpen = false; // saw tokens since the last top-level `;` or `}`
  bool lineDirective = false; // `.version 9.0` and friends end with their line
  uint32_t line = 1;

  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      if (lineDirective && depth == 0)
        statementOpen = lineDirective = false;
      bool atBoundary = depth == 0 && !statementOpen;
      if (atBoundary && i + 1 - current.offset >= targetBytes && i + 1 < text.size()) {
        current.size = i + 1 - current.offset;
        chunks.push_back(current);
        current = Chunk{i + 1, 0, line};
      }
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i + 1 < text.size() && text[i + 1] != '\n')
        ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      for (i += 2; i < text.size() && !(text[i] == '*' && i + 1 < text.size() && text[i + 1] == '/');
           ++i)
        line += text[i] == '\n';
      ++i;
      continue;
    }
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        i += text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n';
      if (i < text.size() && text[i] == '\n')
        --i; // an unterminated string ends at the line end, which the loop still counts
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r')
      continue;
    if (c == '{' || c == '(') {
      ++depth;
      statementOpen = true;
    } else if (c == '}' || c == ')') {
      depth = depth > 0 ? depth - 1 : 0;
      statementOpen = !(c == '}' && depth == 0);
    } else if (c == ';' && depth == 0) {
      statementOpen = false;
    } else {
      if (!statementOpen && depth == 0)
        for (std::string_view directive : {".version", ".target", ".address_size", ".file"})
          lineDirective |= text.substr(i).starts_with(directive);
      statementOpen = true;
    }
  }
  current.size = text.size() - current.offset;
  chunks.push_back(current);
  return chunks;
}

} // namespace oxptx::ptx
