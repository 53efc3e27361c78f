#include "sim/Counters.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>

namespace oxptx::sim {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

/// The class of a row, from its format and mnemonic: the encoding table names every instruction
/// systematically, so a few name patterns classify all of them.
InsnClass classify(Insn insn) {
  const InsnInfo &info = insnInfo(insn);
  std::string_view m = info.mnemonic;
  if (info.format == Format::XoxAtomic)
    return InsnClass::VectorMemory;
  if (info.format == Format::XoxMma)
    return InsnClass::Tensor;
  if (startsWith(m, "ox."))
    return InsnClass::Control;
  if (info.format == Format::VMem)
    return InsnClass::VectorMemory;
  if (info.format == Format::V || info.format == Format::VSetVli ||
      info.format == Format::VSetIvli || m == "vsetvl") {
    if (startsWith(m, "vf") || startsWith(m, "vmf")) {
      return contains(m, "div") || contains(m, "sqrt") || contains(m, "rec7") ? InsnClass::VectorFloatDiv
                                                                                : InsnClass::VectorFloat;
    }
    if (startsWith(m, "vdiv") || startsWith(m, "vrem"))
      return InsnClass::VectorDiv;
    if (contains(m, "mul") || contains(m, "macc") || contains(m, "madd") || contains(m, "nmsub") ||
        contains(m, "nmsac"))
      return InsnClass::VectorMul;
    return InsnClass::VectorAlu;
  }
  if (info.format == Format::B || info.format == Format::J || m == "jalr")
    return InsnClass::Branch;
  bool memoryShape = contains(info.operands, "(rs1)");
  if (memoryShape)
    return InsnClass::ScalarMemory;
  if (startsWith(m, "f")) {
    if (startsWith(m, "fence"))
      return InsnClass::Control;
    return startsWith(m, "fdiv") || startsWith(m, "fsqrt") ? InsnClass::ScalarFloatDiv
                                                           : InsnClass::ScalarFloat;
  }
  if (startsWith(m, "div") || startsWith(m, "rem"))
    return InsnClass::ScalarDiv;
  if (startsWith(m, "mul"))
    return InsnClass::ScalarMul;
  return InsnClass::ScalarAlu;
}

constexpr const char *kClassNames[] = {
    "scalar_alu", "scalar_mul", "scalar_div", "scalar_float", "scalar_float_div",
    "scalar_memory", "branch", "vector_alu", "vector_mul", "vector_div", "vector_float",
    "vector_float_div", "vector_memory", "tensor", "control"};
static_assert(std::size(kClassNames) == size_t(InsnClass::Count));

bool isVectorClass(InsnClass c) { return c >= InsnClass::VectorAlu && c <= InsnClass::VectorMemory; }

} // namespace

InsnClass insnClass(Insn insn) {
  static const std::vector<InsnClass> table = [] {
    std::vector<InsnClass> t(size_t(Insn::NumInsns));
    for (size_t i = 0; i < t.size(); ++i)
      t[i] = classify(Insn(i));
    return t;
  }();
  return table[size_t(insn)];
}

const char *insnClassName(InsnClass c) { return kClassNames[size_t(c)]; }

uint64_t Counters::instructions() const {
  uint64_t n = 0;
  for (uint64_t c : byClass)
    n += c;
  return n;
}

Counters &Counters::operator+=(const Counters &o) {
  for (size_t i = 0; i < byClass.size(); ++i)
    byClass[i] += o.byClass[i];
  vectorElementSlots += o.vectorElementSlots;
  vectorActiveElements += o.vectorActiveElements;
  vectorBeats += o.vectorBeats;
  scalarLoadBytes += o.scalarLoadBytes;
  scalarStoreBytes += o.scalarStoreBytes;
  vectorLoadBytes += o.vectorLoadBytes;
  vectorStoreBytes += o.vectorStoreBytes;
  unitStrideAccesses += o.unitStrideAccesses;
  stridedAccesses += o.stridedAccesses;
  indexedAccesses += o.indexedAccesses;
  memoryLines += o.memoryLines;
  memoryPipeExtra += o.memoryPipeExtra;
  l1Hits += o.l1Hits;
  l2Hits += o.l2Hits;
  dramLines += o.dramLines;
  memoryStall += o.memoryStall;
  sharedAccesses += o.sharedAccesses;
  sharedBankConflicts += o.sharedBankConflicts;
  barrierArrivals += o.barrierArrivals;
  barrierWait += o.barrierWait;
  return *this;
}

uint64_t latencyOf(const MachineConfig &machine, InsnClass c) {
  const MachineConfig::Latency &l = machine.latency;
  switch (c) {
  case InsnClass::ScalarAlu: case InsnClass::Branch: return l.scalarAlu;
  case InsnClass::ScalarMul: return l.scalarMul;
  case InsnClass::ScalarDiv: return l.scalarDiv;
  case InsnClass::ScalarFloat: case InsnClass::VectorFloat: return l.floatOp;
  case InsnClass::ScalarFloatDiv: case InsnClass::VectorFloatDiv: return l.floatDiv;
  case InsnClass::ScalarMemory: case InsnClass::VectorMemory: return l.l1Hit;
  case InsnClass::VectorAlu: return l.vectorAlu;
  case InsnClass::VectorMul: return l.vectorMul;
  case InsnClass::VectorDiv: return l.vectorDiv;
  case InsnClass::Tensor: return l.tensorMma;
  case InsnClass::Control: return l.barrier;
  case InsnClass::Count: break;
  }
  return 1;
}

uint64_t serialLatency(const MachineConfig &machine, const Counters &c) {
  uint64_t cycles = 0;
  for (size_t k = 0; k < c.byClass.size(); ++k)
    cycles += c.byClass[k] * latencyOf(machine, InsnClass(k));
  return cycles + c.sharedBankConflicts * machine.latency.scratchpad + c.memoryStall;
}

TimingEstimate estimateTiming(const MachineConfig &machine, const std::vector<Counters> &perCore,
                              const std::vector<uint64_t> &slowestWarpLatency) {
  TimingEstimate t;
  auto ceilDiv = [](uint64_t a, uint64_t b) { return b ? (a + b - 1) / b : a; };
  uint64_t lines = 0;
  std::string coreBound = "issue";
  for (size_t core = 0; core < perCore.size(); ++core) {
    const Counters &c = perCore[core];
    uint64_t scalar = 0, memory = 0;
    for (size_t k = 0; k < c.byClass.size(); ++k) {
      InsnClass cls = InsnClass(k);
      if (cls == InsnClass::ScalarMemory || cls == InsnClass::VectorMemory)
        memory += c.byClass[k];
      else if (!isVectorClass(cls) && cls != InsnClass::Tensor)
        scalar += c.byClass[k];
    }
    uint64_t tensor = c.byClass[size_t(InsnClass::Tensor)];
    uint64_t issue = std::max({ceilDiv(scalar, machine.issue.scalar),
                               ceilDiv(c.vectorBeats, machine.issue.vector),
                               ceilDiv(memory + c.memoryPipeExtra, machine.issue.memory),
                               ceilDiv(tensor, machine.issue.tensor)}) +
                     c.sharedBankConflicts;
    uint64_t latency = std::max(ceilDiv(serialLatency(machine, c), machine.core.hardwareThreads),
                                slowestWarpLatency[core]);
    uint64_t cycles = std::max(issue, latency);
    if (cycles > t.cycles) {
      t.cycles = cycles;
      coreBound = latency > issue ? "latency" : "issue";
    }
    t.coreCycles.push_back(cycles);
    lines += c.dramLines;
  }
  t.bound = coreBound;
  // DRAM: the lines the caches did not hold are transferred.
  double bytesPerCycle = machine.memory.dramBandwidthGBs * 1e9 / (double(machine.clockMhz) * 1e6);
  uint64_t dram = uint64_t(double(lines * machine.memory.lineBytes) / bytesPerCycle);
  if (dram > t.cycles) {
    t.cycles = dram;
    t.bound = "dram";
  }
  t.seconds = double(t.cycles) / (double(machine.clockMhz) * 1e6);
  return t;
}

std::string countersJson(const MachineConfig &machine, const Counters &total,
                         const std::vector<Counters> &perCore, const TimingEstimate &timing) {
  auto counters = [&](const Counters &c) {
    nlohmann::ordered_json j;
    nlohmann::ordered_json classes;
    for (size_t k = 0; k < c.byClass.size(); ++k)
      classes[kClassNames[k]] = c.byClass[k];
    j["instructions"] = c.instructions();
    j["by_class"] = classes;
    j["vector"] = {{"element_slots", c.vectorElementSlots},
                   {"active_elements", c.vectorActiveElements},
                   {"lane_utilization", c.vectorElementSlots
                                            ? double(c.vectorActiveElements) / double(c.vectorElementSlots)
                                            : 0.0},
                   {"beats", c.vectorBeats}};
    j["memory"] = {{"scalar_load_bytes", c.scalarLoadBytes},
                   {"scalar_store_bytes", c.scalarStoreBytes},
                   {"vector_load_bytes", c.vectorLoadBytes},
                   {"vector_store_bytes", c.vectorStoreBytes},
                   {"unit_stride_accesses", c.unitStrideAccesses},
                   {"strided_accesses", c.stridedAccesses},
                   {"indexed_accesses", c.indexedAccesses},
                   {"global_lines", c.memoryLines},
                   {"memory_pipe_extra_cycles", c.memoryPipeExtra},
                   {"l1_hits", c.l1Hits},
                   {"l2_hits", c.l2Hits},
                   {"dram_lines", c.dramLines},
                   {"memory_stall_cycles", c.memoryStall},
                   {"shared_accesses", c.sharedAccesses},
                   {"shared_bank_conflicts", c.sharedBankConflicts}};
    j["barrier_arrivals"] = c.barrierArrivals;
    j["barrier_wait_cycles"] = c.barrierWait;
    j["serial_latency_cycles"] = serialLatency(machine, c);
    return j;
  };
  nlohmann::ordered_json j;
  j["machine"] = machine.name;
  j["total"] = counters(total);
  nlohmann::ordered_json cores = nlohmann::ordered_json::array();
  for (const Counters &c : perCore)
    cores.push_back(counters(c));
  j["cores"] = cores;
  j["timing"] = {{"cycles", timing.cycles},
                 {"bound", timing.bound},
                 {"seconds", timing.seconds},
                 {"core_cycles", timing.coreCycles}};
  return j.dump(2);
}

} // namespace oxptx::sim
