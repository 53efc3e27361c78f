#include "ptx_parser/Parser.h"

#include "ptx_parser/AstBuilder.h"
#include "ptx_parser/Checker.h"
#include "ptx_parser/Chunker.h"
#include "ptx_parser/FastPath.h"

#include "PTXLexer.h"
#include "PTXParser.h"
#include "antlr4-runtime.h"

#include <cstdio>

namespace oxptx::ptx {
namespace {

/// Turns ANTLR's messages into one-line compiler-style syntax errors.
class SyntaxErrorListener : public antlr4::BaseErrorListener {
public:
  SyntaxErrorListener(uint32_t lineOffset, DiagnosticList &diags)
      : lineOffset_(lineOffset), diags_(diags) {}

  void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending, size_t line,
                   size_t column, const std::string &message,
                   std::exception_ptr) override {
    SourceLoc at{uint32_t(line) + lineOffset_, uint32_t(column) + 1};
    if (!offending) { // lexer
      auto pos = message.find("at: '");
      std::string text = pos == std::string::npos ? message : message.substr(pos + 4);
      diags_.error(at, "syntax error: invalid character " + text.substr(0, 4));
      return;
    }
    std::string found = offending->getType() == antlr4::Token::EOF
                            ? "end of file"
                            : "'" + offending->getText() + "'";
    auto *parser = dynamic_cast<antlr4::Parser *>(recognizer);
    std::string expected;
    if (parser) {
      antlr4::misc::IntervalSet set = parser->getExpectedTokens();
      if (set.contains(size_t(oxptx_antlr::PTXParser::SEMI)) && !set.contains(size_t(offending->getType())))
        expected = "';'";
      else if (set.size() <= 3)
        expected = set.toString(parser->getVocabulary());
    }
    if (message.starts_with("missing "))
      diags_.error(at, "syntax error: " + message.substr(0, message.find(" at ")) +
                           " before " + found);
    else if (!expected.empty() && expected != "{}")
      diags_.error(at, "syntax error: expected " + expected + " before " + found);
    else
      diags_.error(at, "syntax error: unexpected " + found);
  }

private:
  uint32_t lineOffset_;
  DiagnosticList &diags_;
};

void parseChunkUnguarded(std::string_view text, uint32_t firstLine, Module &module,
                         DiagnosticList &diags);

/// The grammar and builder are written not to throw; this keeps a runtime failure inside ANTLR
/// (e.g. out of memory) from taking the host down or the rest of the file with it.
void parseChunk(std::string_view text, uint32_t firstLine, Module &module,
                DiagnosticList &diags) {
  try {
    parseChunkUnguarded(text, firstLine, module, diags);
  } catch (const std::exception &e) {
    diags.error({firstLine, 1}, std::string("internal error while parsing from here: ") +
                                    e.what());
  }
}

void parseChunkUnguarded(std::string_view text, uint32_t firstLine, Module &module,
                         DiagnosticList &diags) {
  antlr4::ANTLRInputStream input(text.data(), text.size());
  oxptx_antlr::PTXLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  oxptx_antlr::PTXParser parser(&tokens);
  parser.removeErrorListeners();
  lexer.removeErrorListeners();

  // Stage 1: fast SLL prediction that bails on the first error; almost all input is valid and
  // finishes here. Stage 2 (only after a failure): full LL with error recovery and diagnostics.
  auto *interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  DiagnosticList lexDiags;
  SyntaxErrorListener lexListener(firstLine - 1, lexDiags);
  lexer.addErrorListener(&lexListener);
  oxptx_antlr::PTXParser::ModuleContext *tree = nullptr;
  try {
    tree = parser.module();
  } catch (const antlr4::ParseCancellationException &) {
    tree = nullptr;
  }
  bool recovered = !tree || lexDiags.hasErrors();
  if (recovered) {
    lexDiags = {};
    lexer.reset();
    tokens.setTokenSource(&lexer);
    parser.reset();
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
    SyntaxErrorListener listener(firstLine - 1, diags);
    parser.addErrorListener(&listener);
    tree = parser.module();
    diags.append(lexDiags);
    parser.removeErrorListeners();
  }
  buildAst(tree, input, firstLine, recovered, module, diags);
}

/// PTX is ASCII; ANTLR's input stream needs valid UTF-8. Invalid bytes are reported where they
/// are and read as spaces, so one stray byte does not cost the rest of the file.
std::string withoutInvalidUtf8(std::string_view text, DiagnosticList &diags) {
  std::string clean;
  uint32_t line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    size_t length = byte < 0x80 ? 1 : (byte >> 5) == 6 ? 2 : (byte >> 4) == 14 ? 3
                                  : (byte >> 3) == 30 ? 4 : 0;
    bool valid = length != 0 && i + length <= text.size() && byte != 0xC0 && byte != 0xC1 && byte < 0xF5;
    for (size_t k = 1; valid && k < length; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (valid && length > 2) { // no overlong forms, no surrogates, nothing past U+10FFFF
      auto second = static_cast<unsigned char>(text[i + 1]);
      valid = !(byte == 0xE0 && second < 0xA0) && !(byte == 0xED && second > 0x9F) &&
              !(byte == 0xF0 && second < 0x90) && !(byte == 0xF4 && second > 0x8F);
    }
    if (!valid) {
      if (clean.empty())
        clean.assign(text);
      clean[i] = ' ';
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", byte);
      diags.error({line, column}, std::string("invalid byte ") + hex +
                                      ": PTX is ASCII text (this is not valid UTF-8)");
      length = 1;
    }
    if (byte == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += length;
  }
  return clean;
}

bool mayBeFunction(std::string_view item) {
  std::string_view head = item.substr(0, std::min(item.find_first_of("{;"), size_t(4096)));
  return head.find(".entry") != std::string_view::npos ||
         head.find(".func") != std::string_view::npos;
}

/// Every item through ANTLR, in chunks of about `chunkBytes`.
void parseWithGrammar(std::string_view text, const ParseOptions &options, Module &module,
                      DiagnosticList &diags) {
  for (const Chunk &chunk : splitTopLevel(text, options.chunkBytes))
    parseChunk(text.substr(chunk.offset, chunk.size), chunk.firstLine, module, diags);
}

/// Functions and initialized variables through FastPath; what it declines is batched for
/// ANTLR, in source order, up to `chunkBytes` per batch.
void parseWithFastPath(std::string_view text, const ParseOptions &options, Module &module,
                       DiagnosticList &diags) {
  FastPath fast;
  Chunk pending{0, 0, 1};
  auto flush = [&] {
    if (pending.size)
      parseChunk(text.substr(pending.offset, pending.size), pending.firstLine, module, diags);
    pending.size = 0;
  };
  for (const Chunk &item : splitTopLevel(text, 0)) {
    std::string_view itemText = text.substr(item.offset, item.size);
    bool function = mayBeFunction(itemText);
    if (function || itemText.find('=') != std::string_view::npos) {
      flush();
      if (function ? fast.parseFunction(itemText, item.firstLine, module, diags)
                   : fast.parseVariable(itemText, item.firstLine, module, diags))
        continue;
    }
    if (!pending.size)
      pending = item;
    else
      pending.size = item.offset + item.size - pending.offset;
    if (pending.size >= options.chunkBytes)
      flush();
  }
  flush();
}

} // namespace

ParseResult parsePtx(std::string_view input, const ParseOptions &options) {
  ParseResult result;
  std::string cleaned = withoutInvalidUtf8(input, result.diagnostics);
  std::string_view text = cleaned.empty() ? input : std::string_view(cleaned);
  if (options.fastPath)
    parseWithFastPath(text, options, result.module, result.diagnostics);
  else
    parseWithGrammar(text, options, result.module, result.diagnostics);
  result.diagnostics.sortByLocation();
  return result;
}

ParseResult parseAndCheckPtx(std::string_view text, const ParseOptions &options) {
  ParseResult result = parsePtx(text, options);
  result.diagnostics.append(checkModule(result.module));
  result.diagnostics.sortByLocation();
  return result;
}

} // namespace oxptx::ptx
