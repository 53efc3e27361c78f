// The entry-point table against the look-ups CUDA 13's cudart was seen to make and the symbols
// a real driver answered (cudart13_proc_map.txt), and cuGetProcAddress's version rules.
#include "driver_shim/EntryPoints.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>

using namespace oxptx::shim;

TEST(EntryPoints, EveryLookupOfCudartGetsTheDriversSymbol) {
  std::ifstream in(OXPTX_REFERENCE_MAP);
  ASSERT_TRUE(in) << OXPTX_REFERENCE_MAP;
  std::regex row(R"((\w+)\s+ver=(\d+)\s+flags=0x(\d+) -> (\w+))");
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, row))
      continue;
    const EntryPoint *e = findEntryPoint(m[1].str(), std::stoi(m[2]), std::stoul(m[3], nullptr, 16));
    ASSERT_NE(e, nullptr) << line;
    EXPECT_EQ(std::string(e->symbol), m[4].str()) << line;
    EXPECT_NE(e->function, nullptr);
    ++checked;
  }
  EXPECT_EQ(checked, 439);
}

TEST(EntryPoints, NewestVariantNotNewerThanTheAskedVersion) {
  EXPECT_STREQ(findEntryPoint("cuMemAlloc", 3020, 0)->symbol, "cuMemAlloc_v2");
  EXPECT_STREQ(findEntryPoint("cuMemAlloc", 13000, 0)->symbol, "cuMemAlloc_v2");
  EXPECT_STREQ(findEntryPoint("cuCtxSynchronize", 12090, 0)->symbol, "cuCtxSynchronize");
  EXPECT_STREQ(findEntryPoint("cuCtxSynchronize", 13000, 0)->symbol, "cuCtxSynchronize_v2");
  EXPECT_STREQ(findEntryPoint("cuCtxCreate", 13000, 0)->symbol, "cuCtxCreate_v4");
}

TEST(EntryPoints, PerThreadDefaultStreamVariants) {
  EXPECT_STREQ(findEntryPoint("cuLaunchKernel", 13000, 2)->symbol, "cuLaunchKernel_ptsz");
  EXPECT_STREQ(findEntryPoint("cuMemcpyHtoD", 13000, 2)->symbol, "cuMemcpyHtoD_v2_ptds");
  // No per-thread variant: the plain one.
  EXPECT_STREQ(findEntryPoint("cuMemAlloc", 13000, 2)->symbol, "cuMemAlloc_v2");
  EXPECT_STREQ(findEntryPoint("cuLaunchKernel", 13000, 1)->symbol, "cuLaunchKernel");
}

TEST(EntryPoints, UnknownNamesAndTooOldVersions) {
  bool tooLow = false;
  EXPECT_EQ(findEntryPoint("", 13000, 0, &tooLow), nullptr);
  EXPECT_FALSE(tooLow);
  EXPECT_EQ(findEntryPoint("cuNoSuchFunction", 13000, 0, &tooLow), nullptr);
  EXPECT_FALSE(tooLow);
  EXPECT_EQ(findEntryPoint("cuLibraryLoadData", 11000, 0, &tooLow), nullptr);
  EXPECT_TRUE(tooLow);
}

TEST(EntryPoints, CoversEveryTypedefOfTheToolkit) {
  EXPECT_GE(entryPointCount(), 600u); // cudaTypedefs.h and the GL/EGL/VDPAU/profiler headers
}
