#include "sim/MachineConfig.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace oxptx::sim {
namespace {

struct Preset {
  std::string_view name, text;
};
constexpr Preset kPresets[] = {
#include "OxQuiltPresets.inc"
};

/// The schema: every key of an OxQuilt file, its section, type and allowed range.
struct Field {
  std::string_view section; // "" for the top level
  std::string_view key;
  enum class Kind { Integer, Real, Text } kind;
  double min, max;
  uint64_t *(*integer)(MachineConfig &);
  double *(*real)(MachineConfig &);
  std::string *(*text)(MachineConfig &);
};

#define INT_FIELD(section, key, min, max, member)                                                 \
  Field{section, key, Field::Kind::Integer, min, max,                                             \
        [](MachineConfig &c) { return &c.member; }, nullptr, nullptr}
#define REAL_FIELD(section, key, min, max, member)                                                \
  Field{section, key, Field::Kind::Real, min, max, nullptr,                                       \
        [](MachineConfig &c) { return &c.member; }, nullptr}
#define TEXT_FIELD(section, key, member)                                                          \
  Field{section, key, Field::Kind::Text, 0, 0, nullptr, nullptr,                                  \
        [](MachineConfig &c) { return &c.member; }}

const Field kFields[] = {
    TEXT_FIELD("", "name", name),
    TEXT_FIELD("", "description", description),
    INT_FIELD("", "clock_mhz", 1, 10000, clockMhz),
    INT_FIELD("core", "count", 1, 4096, core.count),
    INT_FIELD("core", "hardware_threads", 1, 256, core.hardwareThreads),
    INT_FIELD("core", "vlen_bits", 1024, 1024, core.vlenBits),
    INT_FIELD("core", "scratchpad_bytes", 0, 16 << 20, core.scratchpadBytes),
    INT_FIELD("core", "scratchpad_banks", 1, 256, core.scratchpadBanks),
    INT_FIELD("core", "vector_registers", 32, 32, core.vectorRegisters),
    INT_FIELD("issue", "scalar", 1, 16, issue.scalar),
    INT_FIELD("issue", "vector", 1, 16, issue.vector),
    INT_FIELD("issue", "tensor", 0, 16, issue.tensor),
    INT_FIELD("issue", "memory", 1, 16, issue.memory),
    INT_FIELD("latency", "scalar_alu", 1, 1000, latency.scalarAlu),
    INT_FIELD("latency", "scalar_mul", 1, 1000, latency.scalarMul),
    INT_FIELD("latency", "scalar_div", 1, 1000, latency.scalarDiv),
    INT_FIELD("latency", "vector_alu", 1, 1000, latency.vectorAlu),
    INT_FIELD("latency", "vector_mul", 1, 1000, latency.vectorMul),
    INT_FIELD("latency", "vector_div", 1, 1000, latency.vectorDiv),
    INT_FIELD("latency", "float", 1, 1000, latency.floatOp),
    INT_FIELD("latency", "float_div", 1, 1000, latency.floatDiv),
    INT_FIELD("latency", "tensor_mma", 1, 10000, latency.tensorMma),
    INT_FIELD("latency", "scratchpad", 1, 10000, latency.scratchpad),
    INT_FIELD("latency", "l1_hit", 1, 10000, latency.l1Hit),
    INT_FIELD("latency", "l2_hit", 1, 10000, latency.l2Hit),
    INT_FIELD("latency", "dram", 1, 100000, latency.dram),
    INT_FIELD("latency", "barrier", 1, 10000, latency.barrier),
    REAL_FIELD("memory", "dram_bandwidth_gbs", 0.001, 1e6, memory.dramBandwidthGBs),
    INT_FIELD("memory", "l1_bytes_per_core", 0, 1ull << 30, memory.l1BytesPerCore),
    INT_FIELD("memory", "l2_bytes", 0, 1ull << 34, memory.l2Bytes),
    INT_FIELD("memory", "line_bytes", 16, 4096, memory.lineBytes),
    INT_FIELD("tensor", "m", 1, 256, tensor.m),
    INT_FIELD("tensor", "n", 1, 256, tensor.n),
    INT_FIELD("tensor", "k", 1, 256, tensor.k),
};
#undef INT_FIELD
#undef REAL_FIELD
#undef TEXT_FIELD

std::string position(std::string_view source, const toml::source_region &where) {
  return std::string(source) + ":" + std::to_string(where.begin.line) + ":" +
         std::to_string(where.begin.column);
}

std::string knownKeys(std::string_view section) {
  std::string list;
  for (const Field &f : kFields)
    if (f.section == section)
      list += (list.empty() ? "" : ", ") + std::string(f.key);
  return list;
}

bool isPowerOfTwo(uint64_t v) { return v && !(v & (v - 1)); }

void checkKeys(const toml::table &table, std::string_view section, std::string_view source,
               ConfigErrors &errors) {
  for (const auto &[key, node] : table) {
    if (section.empty() && node.is_table()) {
      bool known = false;
      for (const Field &f : kFields)
        known |= f.section == key.str();
      if (!known)
        errors.push_back(position(source, key.source()) + ": error: unknown section [" +
                         std::string(key.str()) +
                         "]; the sections are [core], [issue], [latency], [memory], [tensor]");
      else
        checkKeys(*node.as_table(), key.str(), source, errors);
      continue;
    }
    bool known = false;
    for (const Field &f : kFields)
      known |= f.section == section && f.key == key.str();
    if (!known)
      errors.push_back(position(source, key.source()) + ": error: unknown key '" +
                       std::string(key.str()) + "'" +
                       (section.empty() ? "" : " in [" + std::string(section) + "]") +
                       "; expected one of: " + knownKeys(section));
  }
}

} // namespace

std::vector<std::string_view> presetNames() {
  std::vector<std::string_view> names;
  for (const Preset &p : kPresets)
    names.push_back(p.name);
  return names;
}

std::variant<MachineConfig, ConfigErrors> parseMachineConfig(std::string_view text,
                                                             std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error &e) {
    return ConfigErrors{position(source, e.source()) + ": error: " +
                        std::string(e.description())};
  }
  ConfigErrors errors;
  checkKeys(root, "", source, errors);
  MachineConfig config;
  for (const Field &f : kFields) {
    const toml::node *node = f.section.empty() ? root.get(f.key)
                                               : root[f.section][f.key].node();
    std::string where = f.section.empty() ? std::string(f.key)
                                          : "[" + std::string(f.section) + "] " + std::string(f.key);
    if (!node) {
      errors.push_back(std::string(source) + ": error: missing key " + where);
      continue;
    }
    std::string at = position(source, node->source()) + ": error: " + where;
    switch (f.kind) {
    case Field::Kind::Text:
      if (auto value = node->value<std::string>())
        *f.text(config) = *value;
      else
        errors.push_back(at + " must be a string");
      break;
    case Field::Kind::Integer: {
      auto value = node->as_integer();
      if (!value) {
        errors.push_back(at + " must be an integer");
        break;
      }
      int64_t v = value->get();
      if (double(v) < f.min || double(v) > f.max)
        errors.push_back(at + " = " + std::to_string(v) + " is out of range [" +
                         std::to_string(uint64_t(f.min)) + ", " + std::to_string(uint64_t(f.max)) +
                         "]");
      else
        *f.integer(config) = uint64_t(v);
      break;
    }
    case Field::Kind::Real: {
      auto value = node->value<double>(); // integers are accepted as reals
      if (!value) {
        errors.push_back(at + " must be a number");
        break;
      }
      if (*value < f.min || *value > f.max)
        errors.push_back(at + " = " + std::to_string(*value) + " is out of range");
      else
        *f.real(config) = *value;
      break;
    }
    }
  }
  // Relations between keys.
  if (errors.empty()) {
    if (!isPowerOfTwo(config.core.scratchpadBanks))
      errors.push_back(std::string(source) + ": error: [core] scratchpad_banks must be a power of "
                                             "two (bank = word address modulo banks)");
    if (!isPowerOfTwo(config.memory.lineBytes))
      errors.push_back(std::string(source) + ": error: [memory] line_bytes must be a power of two");
  }
  if (!errors.empty())
    return errors;
  return config;
}

std::variant<MachineConfig, ConfigErrors> loadMachineConfig(std::string_view presetOrPath) {
  for (const Preset &p : kPresets)
    if (p.name == presetOrPath)
      return parseMachineConfig(p.text, std::string(p.name) + ".toml");
  std::ifstream in{std::string(presetOrPath)};
  if (!in) {
    std::string names;
    for (const Preset &p : kPresets)
      names += (names.empty() ? "" : ", ") + std::string(p.name);
    return ConfigErrors{"error: '" + std::string(presetOrPath) +
                        "' is neither a preset (" + names + ") nor a readable file"};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parseMachineConfig(text.str(), presetOrPath);
}

} // namespace oxptx::sim
