// OxQuilt configuration files: the shipped presets load with the values they declare, and every
// kind of mistake in a file is reported with its position and what to do.
#include "sim/MachineConfig.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace oxptx::sim;

namespace {

std::string presetText(const std::string &name) {
  std::ifstream in(std::string(OXPTX_CONFIG_DIR) + "/" + name + ".toml");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string errorsOf(const std::string &text) {
  auto result = parseMachineConfig(text, "test.toml");
  const ConfigErrors *errors = std::get_if<ConfigErrors>(&result);
  if (!errors)
    return "";
  std::string all;
  for (const std::string &e : *errors)
    all += e + "\n";
  return all;
}

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return text.replace(pos, from.size(), to);
}

} // namespace

TEST(MachineConfig, PresetsLoadWithTheirDeclaredValues) {
  EXPECT_EQ(presetNames().size(), 3u);
  auto mid = loadMachineConfig("mid");
  ASSERT_TRUE(std::holds_alternative<MachineConfig>(mid));
  const MachineConfig &m = std::get<MachineConfig>(mid);
  EXPECT_EQ(m.name, "mid");
  EXPECT_EQ(m.core.count, 16u);
  EXPECT_EQ(m.core.scratchpadBytes, 131072u);
  EXPECT_EQ(m.latency.dram, 450u);
  EXPECT_DOUBLE_EQ(m.memory.dramBandwidthGBs, 448.0);
  auto edge = loadMachineConfig("edge");
  ASSERT_TRUE(std::holds_alternative<MachineConfig>(edge));
  EXPECT_EQ(std::get<MachineConfig>(edge).tensor.m, 8u);
  auto dc = loadMachineConfig("datacentre");
  ASSERT_TRUE(std::holds_alternative<MachineConfig>(dc));
  EXPECT_EQ(std::get<MachineConfig>(dc).core.count, 128u);
  EXPECT_DOUBLE_EQ(std::get<MachineConfig>(dc).memory.dramBandwidthGBs, 3350.0);
}

TEST(MachineConfig, AFileLoadsByPath) {
  auto loaded = loadMachineConfig(std::string(OXPTX_CONFIG_DIR) + "/edge.toml");
  ASSERT_TRUE(std::holds_alternative<MachineConfig>(loaded));
  EXPECT_EQ(std::get<MachineConfig>(loaded).core.count, 2u);
}

TEST(MachineConfig, UnknownKeysAndSectionsAreReportedWithPositions) {
  // mid.toml: [core] is line 6 and `count = 16` line 7, so the new key lands on line 8.
  std::string text = replaced(presetText("mid"), "count = 16\n", "count = 16\nfrobs = 3\n");
  std::string errors = errorsOf(text);
  EXPECT_NE(errors.find("test.toml:8:1: error: unknown key 'frobs' in [core]"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("expected one of: count, hardware_threads"), std::string::npos) << errors;
  EXPECT_NE(errorsOf(presetText("mid") + "\n[cache]\nsize = 1\n").find("unknown section [cache]"),
            std::string::npos);
}

TEST(MachineConfig, MissingWrongTypeAndOutOfRangeValues) {
  EXPECT_NE(errorsOf(replaced(presetText("mid"), "dram = 450\n", "")).find("missing key [latency] dram"),
            std::string::npos);
  EXPECT_NE(errorsOf(replaced(presetText("mid"), "count = 16", "count = \"sixteen\""))
                .find("[core] count must be an integer"),
            std::string::npos);
  EXPECT_NE(errorsOf(replaced(presetText("mid"), "vlen_bits = 1024", "vlen_bits = 512"))
                .find("[core] vlen_bits = 512 is out of range [1024, 1024]"),
            std::string::npos);
  EXPECT_NE(errorsOf(replaced(presetText("mid"), "scratchpad_banks = 32", "scratchpad_banks = 24"))
                .find("scratchpad_banks must be a power of two"),
            std::string::npos);
}

TEST(MachineConfig, AllProblemsOfAFileAreReportedTogether) {
  std::string text = replaced(presetText("mid"), "dram = 450\n", "");
  text = replaced(text, "vlen_bits = 1024", "vlen_bits = 4096");
  std::string errors = errorsOf(text);
  EXPECT_NE(errors.find("missing key [latency] dram"), std::string::npos) << errors;
  EXPECT_NE(errors.find("vlen_bits = 4096"), std::string::npos) << errors;
}

TEST(MachineConfig, MalformedTomlAndUnknownNames) {
  std::string errors = errorsOf("name = \"x\"\n[core\ncount = 1\n");
  EXPECT_NE(errors.find("test.toml:2:"), std::string::npos) << errors;
  auto missing = loadMachineConfig("no-such-preset");
  ASSERT_TRUE(std::holds_alternative<ConfigErrors>(missing));
  EXPECT_NE(std::get<ConfigErrors>(missing)[0].find("neither a preset (datacentre, edge, mid)"),
            std::string::npos)
      << std::get<ConfigErrors>(missing)[0];
}
