// Fuzz target: any byte string through the whole front end. Properties: no crash, hang, leak or
// undefined behaviour (the sanitizers), and a module that checks cleanly prints to text that
// re-parses cleanly to an equal AST.
#include "ptx_parser/Parser.h"
#include "ptx_parser/Printer.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  using namespace oxptx::ptx;
  // Small chunks exercise the chunker's boundaries on small inputs too.
  ParseResult first = parseAndCheckPtx(text, ParseOptions{256});
  if (first.diagnostics.hasErrors())
    return 0;
  std::string printed = printModule(first.module);
  ParseResult second = parseAndCheckPtx(printed);
  if (second.diagnostics.hasErrors() || !(first.module == second.module))
    std::abort(); // a round-trip failure is a bug: let libFuzzer record the input
  return 0;
}
