// Fatbinaries made by the installed nvcc (tests/CMakeLists.txt builds them from
// tests/cuda/drv_kernels.cu): every compression mode, several architectures, and the wrappers
// cudart hands to the driver.
#include "driver_shim/Fatbin.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace oxptx::shim;

namespace {

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// PTX without comments, indentation, blank lines and runs of blanks (the fatbinary's PTX is
/// minified).
std::vector<std::string> normalized(const std::string &ptx) {
  std::vector<std::string> lines;
  std::istringstream in(ptx);
  std::string line;
  while (std::getline(in, line)) {
    if (size_t c = line.find("//"); c != std::string::npos)
      line.erase(c);
    size_t begin = line.find_first_not_of(" \t"), end = line.find_last_not_of(" \t\r");
    if (begin == std::string::npos)
      continue;
    std::string collapsed;
    for (char c : line.substr(begin, end - begin + 1))
      if (!(c == ' ' || c == '\t') || (!collapsed.empty() && collapsed.back() != ' '))
        collapsed += c == '\t' ? ' ' : c;
    lines.push_back(collapsed);
  }
  return lines;
}

std::span<const uint8_t> bytes(const std::string &s) {
  return {reinterpret_cast<const uint8_t *>(s.data()), s.size()};
}

class Fatbin : public ::testing::TestWithParam<const char *> {};

} // namespace

TEST_P(Fatbin, ThePtxEntryIsWhatNvccPtxPrints) {
  std::string fatbin = readFile(std::string(OXPTX_FATBIN_DIR) + "/" + GetParam() + ".fatbin");
  ASSERT_FALSE(fatbin.empty());
  auto entries = parseContainer(bytes(fatbin));
  ASSERT_TRUE(std::holds_alternative<std::vector<FatbinEntry>>(entries)) << std::get<std::string>(entries);
  bool hasPtx = false;
  for (const FatbinEntry &e : std::get<0>(entries))
    hasPtx |= e.kind == FatbinEntry::Kind::Ptx;
  EXPECT_TRUE(hasPtx);
  auto ptx = ptxOfImage(fatbin.data(), 90);
  ASSERT_TRUE(std::holds_alternative<ImagePtx>(ptx)) << std::get<std::string>(ptx);
  ASSERT_EQ(std::get<ImagePtx>(ptx).modules.size(), 1u);
  std::string chosen = std::get<ImagePtx>(ptx).modules[0];
  if (std::string(GetParam()) != "multi") { // nvcc -ptx targets the default architecture
    EXPECT_EQ(normalized(chosen), normalized(readFile(std::string(OXPTX_FATBIN_DIR) + "/kernels.ptx")));
  }
  EXPECT_NE(chosen.find(".entry saxpy"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Modes, Fatbin, ::testing::Values("default", "speed", "none", "multi"));

TEST(FatbinFormat, CompressionFlagsFollowTheMode) {
  auto flagsOf = [](const char *kind) {
    std::string fatbin = readFile(std::string(OXPTX_FATBIN_DIR) + "/" + kind + ".fatbin");
    auto entries = std::get<std::vector<FatbinEntry>>(parseContainer(bytes(fatbin)));
    for (const FatbinEntry &e : entries)
      if (e.kind == FatbinEntry::Kind::Ptx)
        return e.flags & 0xa000;
    return uint64_t(~0);
  };
  EXPECT_EQ(flagsOf("default"), 0x8000u); // zstd
  EXPECT_EQ(flagsOf("speed"), 0x2000u);   // LZ4
  EXPECT_EQ(flagsOf("none"), 0u);
}

TEST(FatbinFormat, MultiArchitectureChoosesTheNewestPtxTheDeviceRuns) {
  std::string fatbin = readFile(std::string(OXPTX_FATBIN_DIR) + "/multi.fatbin");
  auto target = [&](uint32_t maxSm) {
    auto ptx = ptxOfImage(fatbin.data(), maxSm);
    return std::holds_alternative<ImagePtx>(ptx) ? std::get<ImagePtx>(ptx).modules[0] : std::get<std::string>(ptx);
  };
  EXPECT_NE(target(90).find(".target sm_90"), std::string::npos);
  EXPECT_NE(target(80).find(".target sm_75"), std::string::npos);
  EXPECT_NE(target(70).find("holds no PTX for compute capability 7.0"), std::string::npos);
}

TEST(FatbinFormat, WrappersLeadToTheirContainers) {
  std::string fatbin = readFile(std::string(OXPTX_FATBIN_DIR) + "/speed.fatbin");
  struct {
    int32_t magic, version;
    const void *data;
    const void *const *prelinked;
  } v1{int32_t(kWrapperMagic), 1, fatbin.data(), nullptr};
  auto ptx = ptxOfImage(&v1, 90);
  ASSERT_TRUE(std::holds_alternative<ImagePtx>(ptx));
  const void *list[] = {fatbin.data(), fatbin.data(), nullptr};
  decltype(v1) v2{int32_t(kWrapperMagic), 2, nullptr, list};
  ptx = ptxOfImage(&v2, 90);
  ASSERT_TRUE(std::holds_alternative<ImagePtx>(ptx));
  EXPECT_EQ(std::get<ImagePtx>(ptx).modules.size(), 2u); // one per translation unit
}

TEST(FatbinFormat, DamagedInputsAreErrors) {
  std::string fatbin = readFile(std::string(OXPTX_FATBIN_DIR) + "/default.fatbin");
  auto truncated = parseContainer(bytes(fatbin).first(fatbin.size() / 2));
  EXPECT_TRUE(std::holds_alternative<std::string>(truncated));
  std::string badMagic = fatbin;
  badMagic[0] ^= 1;
  EXPECT_NE(std::get<std::string>(parseContainer(bytes(badMagic))).find("not a fatbinary container"), std::string::npos);
  // Corrupt the compressed PTX: decompression must fail cleanly.
  auto entries = std::get<std::vector<FatbinEntry>>(parseContainer(bytes(fatbin)));
  for (FatbinEntry e : entries)
    if (e.kind == FatbinEntry::Kind::Ptx) {
      std::vector<uint8_t> garbage(e.payload.size(), 0xab);
      e.payload = garbage;
      EXPECT_TRUE(std::holds_alternative<std::string>(payloadOf(e)));
    }
  EXPECT_NE(std::get<std::string>(ptxOfImage("\x7f" "ELF\x02", 90)).find("cubin"), std::string::npos);
  EXPECT_NE(std::get<std::string>(ptxOfImage("hello", 90)).find("neither a fatbinary nor PTX"), std::string::npos);
}
