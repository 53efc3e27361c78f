// The PTX corpus (tests/ptx_corpus): nvcc 13 output for the team's CUDA kernels at several
// architectures, hand-written edge cases, and negative cases annotated with the diagnostics
// they must produce. ptxas decided which files are valid (scripts/gen-corpus.sh checks that);
// here the parser must agree with it.
#include "ptx_parser/Parser.h"
#include "ptx_parser/Printer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
using namespace oxptx::ptx;

namespace {

const fs::path kCorpus = OXPTX_CORPUS_DIR;

std::vector<fs::path> ptxFiles(const std::vector<fs::path> &dirs) {
  std::vector<fs::path> files;
  for (const fs::path &dir : dirs)
    if (fs::exists(kCorpus / dir))
      for (const auto &entry : fs::recursive_directory_iterator(kCorpus / dir))
        if (entry.path().extension() == ".ptx")
          files.push_back(fs::relative(entry.path(), kCorpus));
  std::sort(files.begin(), files.end());
  return files;
}

std::string readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string testName(const testing::TestParamInfo<fs::path> &info) {
  std::string name = info.param.string();
  for (char &c : name)
    if (!isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

std::string rendered(const ParseResult &r, const fs::path &file, const std::string &text) {
  return renderDiagnostics(r.diagnostics, file.string(), text);
}

class AcceptedPtx : public testing::TestWithParam<fs::path> {};

TEST_P(AcceptedPtx, ParsesAndChecksWithoutDiagnostics) {
  std::string text = readFile(kCorpus / GetParam());
  ParseResult r = parseAndCheckPtx(text);
  EXPECT_TRUE(r.diagnostics.empty()) << rendered(r, GetParam(), text);
}

TEST_P(AcceptedPtx, PrintedModuleReparsesToAnEqualAst) {
  std::string text = readFile(kCorpus / GetParam());
  ParseResult first = parsePtx(text);
  ASSERT_FALSE(first.diagnostics.hasErrors()) << rendered(first, GetParam(), text);
  std::string printed = printModule(first.module);
  ParseResult second = parseAndCheckPtx(printed);
  ASSERT_FALSE(second.diagnostics.hasErrors()) << rendered(second, "<printed>", printed);
  EXPECT_TRUE(first.module == second.module) << "round trip changed the AST of " << GetParam();
}

/// The fast path for function bodies must agree with the grammar: same AST, same diagnostics
/// (diagnostics carry the positions of the nodes they are about).
void expectFastPathAgrees(const fs::path &file) {
  std::string text = readFile(kCorpus / file);
  ParseOptions grammarOnly;
  grammarOnly.fastPath = false;
  ParseResult fast = parseAndCheckPtx(text);
  ParseResult slow = parseAndCheckPtx(text, grammarOnly);
  EXPECT_TRUE(fast.module == slow.module) << "fast path and grammar disagree on " << file;
  EXPECT_EQ(rendered(fast, file, text), rendered(slow, file, text));
}

TEST_P(AcceptedPtx, FastPathAgreesWithTheGrammar) { expectFastPathAgrees(GetParam()); }

TEST_P(AcceptedPtx, PtxasAcceptsThePrintedModule) {
  std::string ptxas = OXPTX_PTXAS;
  if (ptxas.empty() || ptxas.ends_with("NOTFOUND"))
    GTEST_SKIP() << "ptxas not installed";
  std::string text = readFile(kCorpus / GetParam());
  ParseResult r = parsePtx(text);
  ASSERT_FALSE(r.diagnostics.hasErrors());
  auto target = r.module.smTarget();
  ASSERT_TRUE(target);
  fs::path out = fs::temp_directory_path() /
                 ("oxptx_corpus_" + std::to_string(::getpid()) + "_" + testName({GetParam(), 0}) +
                  ".ptx");
  std::ofstream(out) << printModule(r.module);
  // -c: modules calling .extern functions (-rdc=true output) are only complete after linking.
  bool callsExtern = std::any_of(r.module.items.begin(), r.module.items.end(), [](const auto &i) {
    const Function *fn = std::get_if<Function>(&i);
    return fn && !fn->body && fn->linkage == Linkage::Extern;
  });
  std::string command = ptxas + (callsExtern ? " -c" : "") + " -arch=" + target->spelling() +
                        " -o /dev/null " + out.string() + " 2>&1";
  int status = std::system(command.c_str());
  fs::remove(out);
  EXPECT_EQ(status, 0) << "ptxas rejected the printed form of " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Corpus, AcceptedPtx,
                         testing::ValuesIn(ptxFiles({"nvcc", "handwritten"})), testName);

/// Negative files mark each offending line with `// expected-error: <phrase>`. Every marked
/// line must get an error containing the phrase, and no unmarked line may get one.
class NegativePtx : public testing::TestWithParam<fs::path> {};

TEST_P(NegativePtx, ReportsTheAnnotatedErrors) {
  std::string text = readFile(kCorpus / GetParam());
  std::map<uint32_t, std::string> expected;
  std::istringstream lines(text);
  std::string line;
  std::regex annotation(R"(//\s*expected-error:\s*(.*\S))");
  for (uint32_t number = 1; std::getline(lines, line); ++number) {
    std::smatch match;
    if (std::regex_search(line, match, annotation))
      expected[number] = match[1];
  }
  ASSERT_FALSE(expected.empty()) << GetParam() << " has no expected-error annotation";

  ParseResult r = parseAndCheckPtx(text);
  std::string all = rendered(r, GetParam(), text);
  for (const auto &[number, phrase] : expected) {
    bool found = false;
    for (const Diagnostic &d : r.diagnostics.all())
      found |= d.severity == Severity::Error && d.loc.line == number &&
               d.message.find(phrase) != std::string::npos;
    EXPECT_TRUE(found) << "line " << number << ": expected an error containing '" << phrase
                       << "'\n"
                       << all;
  }
  for (const Diagnostic &d : r.diagnostics.all()) {
    if (d.severity == Severity::Error) {
      EXPECT_TRUE(expected.contains(d.loc.line)) << "unexpected error:\n" << all;
    }
  }
}

TEST_P(NegativePtx, FastPathAgreesWithTheGrammar) { expectFastPathAgrees(GetParam()); }

INSTANTIATE_TEST_SUITE_P(Corpus, NegativePtx, testing::ValuesIn(ptxFiles({"negative"})),
                         testName);

} // namespace
