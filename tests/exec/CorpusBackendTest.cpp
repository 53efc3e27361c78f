// The backend over the translation corpus (tests/ptx_corpus: nvcc sm_80 output and the
// hand-written files): every kernel is lowered to an OxCore image that the runtime loads, or
// left out with an "unsupported" error naming what it needs — never an internal error.
#include "ExecHarness.h"

#include "backend/KernelImage.h"

#include <filesystem>

namespace oxptx::exec {
namespace {

TEST(CorpusBackend, EveryKernelBuildsOrIsReportedUnsupported) {
  std::vector<std::filesystem::path> files;
  for (const char *dir : {"nvcc/sm_80", "handwritten"})
    for (const auto &e : std::filesystem::directory_iterator(std::string(OXPTX_CORPUS_DIR) + "/" + dir))
      if (e.path().extension() == ".ptx")
        files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 40u);
  size_t built = 0, unsupported = 0;
  for (const auto &path : files) {
    std::string ptx = readFile(path.string());
    backend::BackendOptions options;
    backend::ImageResult r = backend::buildImage(ptx, path.filename().string(), options);
    std::istringstream errors(r.errors);
    for (std::string line; std::getline(errors, line);) {
      if (line.find("error:") == std::string::npos)
        continue;
      EXPECT_NE(line.find("unsupported"), std::string::npos) << path << ": " << line;
      ++unsupported;
    }
    if (r.image.empty())
      continue;
    Harness h;
    auto loaded = h.device().loadImage(r.image);
    EXPECT_TRUE(std::holds_alternative<std::shared_ptr<runtime::Module>>(loaded))
        << path << ": " << std::get<std::string>(loaded);
    built += r.kernels.size();
  }
  std::cout << "corpus: " << built << " kernels built and loaded, " << unsupported
            << " unsupported diagnostics over " << files.size() << " files\n";
  EXPECT_GT(built, 150u);
}

} // namespace
} // namespace oxptx::exec
