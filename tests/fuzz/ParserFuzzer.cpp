// Fuzz target: any byte string through the whole front end. Properties: no crash, hang, leak or
// undefined behaviour (the sanitizers); the fast path and the grammar agree (same AST, same
// diagnostics); a module that checks cleanly prints to text that re-parses to an equal AST.
#include "ptx_parser/Parser.h"
#include "ptx_parser/Printer.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  using namespace oxptx::ptx;
  ParseResult fast = parseAndCheckPtx(text);
  // Small chunks exercise the chunker's boundaries on small inputs too.
  ParseOptions grammarOnly;
  grammarOnly.fastPath = false;
  grammarOnly.chunkBytes = 256;
  ParseResult slow = parseAndCheckPtx(text, grammarOnly);
  // Any disagreement or round-trip failure is a bug: abort so libFuzzer records the input.
  // With syntax errors, ANTLR's recovery depends on where chunks end, so the paths are only
  // compared on syntactically valid input.
  bool syntaxErrors = false;
  for (const Diagnostic &d : slow.diagnostics.all())
    syntaxErrors |= d.message.starts_with("syntax error") || d.message.starts_with("invalid byte");
  if (!syntaxErrors &&
      (!(fast.module == slow.module) || renderDiagnostics(fast.diagnostics, "f", text) !=
                                            renderDiagnostics(slow.diagnostics, "f", text)))
    std::abort();
  if (fast.diagnostics.hasErrors())
    return 0;
  ParseResult reparsed = parseAndCheckPtx(printModule(fast.module));
  if (reparsed.diagnostics.hasErrors() || !(fast.module == reparsed.module))
    std::abort();
  return 0;
}
