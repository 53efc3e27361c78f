// OxQuilt machine descriptions: the configuration both the simulator and (later) the backend's
// cost model read. TOML files (configs/oxquilt/*.toml are the shipped presets, compiled in);
// every key is declared in one table with its type and range, and a file is checked against it
// with errors that give the position and the fix.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace oxptx::sim {

struct MachineConfig {
  std::string name, description;
  uint64_t clockMhz = 0;
  struct Core {
    uint64_t count, hardwareThreads, vlenBits, scratchpadBytes, scratchpadBanks, vectorRegisters;
  } core{};
  struct Issue {
    uint64_t scalar, vector, tensor, memory;
  } issue{};
  struct Latency {
    uint64_t scalarAlu, scalarMul, scalarDiv, vectorAlu, vectorMul, vectorDiv, floatOp, floatDiv,
        tensorMma, scratchpad, l1Hit, l2Hit, dram, barrier;
  } latency{};
  struct Memory {
    double dramBandwidthGBs;
    uint64_t l1BytesPerCore, l2Bytes, lineBytes;
  } memory{};
  struct Tensor {
    uint64_t m, n, k;
  } tensor{};
};

/// "file:line:col: error: sentence" lines; empty means the configuration is valid.
using ConfigErrors = std::vector<std::string>;

std::variant<MachineConfig, ConfigErrors> parseMachineConfig(std::string_view toml,
                                                             std::string_view sourceName);

/// A preset name (edge, mid, datacentre) or the path of a TOML file.
std::variant<MachineConfig, ConfigErrors> loadMachineConfig(std::string_view presetOrPath);

std::vector<std::string_view> presetNames();

} // namespace oxptx::sim
