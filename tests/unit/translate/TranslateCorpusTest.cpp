// The translator on the whole accepted corpus (nvcc output and hand-written files): every
// function is either translated to IR that passes the LLVM verifier or left out with an
// "unsupported" diagnostic that names the instruction; never an internal error. The share of
// functions translated is printed (it grows with the translator).
#include "ptx_parser/Parser.h"
#include "translate/Translate.h"

#include <gtest/gtest.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace oxptx;

namespace {

const fs::path kCorpus = OXPTX_CORPUS_DIR;

std::vector<fs::path> corpusFiles() {
  std::vector<fs::path> files;
  for (const char *dir : {"nvcc", "handwritten"})
    for (const auto &entry : fs::recursive_directory_iterator(kCorpus / dir))
      if (entry.path().extension() == ".ptx")
        files.push_back(fs::relative(entry.path(), kCorpus));
  std::sort(files.begin(), files.end());
  return files;
}

class TranslateCorpus : public ::testing::TestWithParam<fs::path> {};

TEST_P(TranslateCorpus, VerifiesOrSaysWhatIsUnsupported) {
  std::ifstream in(kCorpus / GetParam());
  std::stringstream text;
  text << in.rdbuf();
  ptx::ParseResult parsed = ptx::parseAndCheckPtx(text.str());
  ASSERT_FALSE(parsed.diagnostics.hasErrors()) << "the corpus file should parse cleanly";
  llvm::LLVMContext context;
  translate::TranslateResult result =
      translate::translateModule(parsed.module, context, GetParam().string());
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  EXPECT_FALSE(llvm::verifyModule(*result.module, &stream)) << problems;
  size_t unsupported = 0;
  for (const ptx::Diagnostic &d : result.diagnostics.all()) {
    EXPECT_EQ(d.message.find("internal error"), std::string::npos) << d.message;
    unsupported += d.message.starts_with("unsupported");
  }
  EXPECT_GE(unsupported, result.skippedFunctions) << "every skipped function is explained";
  std::cout << "[ translate ] " << GetParam().string() << ": " << result.translatedFunctions
            << " translated, " << result.skippedFunctions << " unsupported\n";
}

INSTANTIATE_TEST_SUITE_P(Corpus, TranslateCorpus, ::testing::ValuesIn(corpusFiles()),
                         [](const ::testing::TestParamInfo<fs::path> &info) {
                           std::string name = info.param.string();
                           for (char &c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           return name;
                         });

} // namespace
