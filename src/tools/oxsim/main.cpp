// oxsim: runs code on the simulated OxCore.
//  - Plain RV64 ELF programs (RV64IMAFD, Zba, Zbb, Zfh, V) with the Linux write/exit system
//    calls: the mode used to compare with qemu-riscv64.
//  - Kernels (--kernel NAME): a freestanding ELF whose function NAME follows the kernel ABI
//    (docs/oxcore-isa.md §7), launched over a grid of CTAs on the configured machine, with the
//    counters and timing estimate as JSON (--counters) and global data dumped after the launch.
//
// Exit status: the guest's exit code (plain programs) or 0 (kernels); 125 if the guest faulted
// (a report on stderr); 2 bad command line, bad configuration or unloadable file.
#include "sim/ElfLoader.h"
#include "sim/Executor.h"
#include "sim/Launch.h"
#include "sim/MachineConfig.h"

#include <boost/program_options.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace oxptx::sim;
namespace po = boost::program_options;

namespace {

constexpr int kFaulted = 125, kUsage = 2;

int usage(const std::string &message) {
  std::cerr << "oxsim: error: " << message << " (see --help)\n";
  return kUsage;
}

/// "X", "X,Y" or "X,Y,Z" with positive numbers.
std::optional<Dim3> parseDim3(const std::string &text) {
  Dim3 d;
  uint32_t *fields[] = {&d.x, &d.y, &d.z};
  std::istringstream in(text);
  std::string part;
  for (int i = 0; std::getline(in, part, ','); ++i) {
    char *end = nullptr;
    unsigned long v = std::strtoul(part.c_str(), &end, 10);
    if (i > 2 || part.empty() || *end || v == 0 || v > 0xffffffffu)
      return std::nullopt;
    *fields[i] = uint32_t(v);
  }
  return d;
}

/// Appends a parameter "u32:V", "u64:V" or "sym:NAME" (a symbol's address) at its natural
/// alignment, as PTX lays out .param entries.
std::string appendParameter(const std::string &spec, const LoadedProgram &program,
                            std::vector<uint8_t> &buffer) {
  size_t colon = spec.find(':');
  std::string kind = spec.substr(0, colon), value = colon == std::string::npos ? "" : spec.substr(colon + 1);
  uint64_t v = 0;
  unsigned bytes = kind == "u32" ? 4 : 8;
  if (kind == "sym") {
    auto it = program.symbols.find(value);
    if (it == program.symbols.end())
      return "no symbol '" + value + "' in the program for --param " + spec;
    v = it->second.address;
  } else if (kind == "u32" || kind == "u64") {
    char *end = nullptr;
    v = std::strtoull(value.c_str(), &end, 0);
    if (value.empty() || *end)
      return "--param " + spec + ": '" + value + "' is not a number";
  } else {
    return "--param " + spec + ": the kind must be u32, u64 or sym";
  }
  buffer.resize((buffer.size() + bytes - 1) / bytes * bytes);
  size_t at = buffer.size();
  buffer.resize(at + bytes);
  std::memcpy(buffer.data() + at, &v, bytes);
  return "";
}

/// Prints SYMBOL's first COUNT elements of TYPE (i32, u32, f32, i64, u64, f64), one per line.
std::string dump(const std::string &spec, const LoadedProgram &program, const Memory &memory) {
  size_t a = spec.find(':'), b = spec.rfind(':');
  if (a == std::string::npos || a == b)
    return "--dump " + spec + ": expected SYMBOL:TYPE:COUNT";
  std::string name = spec.substr(0, a), type = spec.substr(a + 1, b - a - 1);
  uint64_t count = std::strtoull(spec.c_str() + b + 1, nullptr, 10);
  auto it = program.symbols.find(name);
  if (it == program.symbols.end())
    return "--dump: no symbol '" + name + "' in the program";
  unsigned size = type.back() == '2' ? 4 : 8;
  if (type != "i32" && type != "u32" && type != "f32" && type != "i64" && type != "u64" &&
      type != "f64")
    return "--dump " + spec + ": the type must be i32, u32, f32, i64, u64 or f64";
  const uint8_t *p = memory.translate(it->second.address, count * size);
  if (!p)
    return "--dump " + spec + ": the symbol holds fewer than " + std::to_string(count) + " elements";
  for (uint64_t i = 0; i < count; ++i, p += size) {
    uint64_t raw = 0;
    std::memcpy(&raw, p, size);
    if (type == "f32") {
      float f;
      std::memcpy(&f, p, 4);
      std::printf("%.9g\n", double(f));
    } else if (type == "f64") {
      double d;
      std::memcpy(&d, p, 8);
      std::printf("%.17g\n", d);
    } else if (type == "i32") {
      std::printf("%d\n", int32_t(raw));
    } else if (type == "i64") {
      std::printf("%lld\n", static_cast<long long>(raw));
    } else {
      std::printf("%llu\n", static_cast<unsigned long long>(raw));
    }
  }
  return "";
}

} // namespace

int main(int argc, char **argv) {
  po::options_description visible(
      "Usage: oxsim [options] program.elf\n"
      "Runs a RISC-V ELF program, or launches one of its kernels (--kernel), on the simulated "
      "OxCore.\nOptions");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("config", po::value<std::string>()->default_value("mid")->value_name("PRESET|FILE"),
       "OxQuilt machine: edge, mid, datacentre, or a TOML file (checked first)")
      ("max-instructions", po::value<uint64_t>()->value_name("N"),
       "watchdog: stop a program (or each warp of a kernel) after N instructions")
      ("stats", "print the number of instructions executed to stderr")
      ("trap-div0", "report an integer division by zero as a fault (RISC-V does not trap)")
      ("kernel", po::value<std::string>()->value_name("NAME"),
       "launch function NAME as a kernel instead of running the program")
      ("grid", po::value<std::string>()->default_value("1")->value_name("X[,Y[,Z]]"), "CTAs")
      ("block", po::value<std::string>()->default_value("32")->value_name("X[,Y[,Z]]"),
       "threads per CTA")
      ("shared", po::value<uint32_t>()->default_value(0)->value_name("BYTES"),
       "dynamic shared memory per CTA")
      ("static-shared", po::value<uint32_t>()->default_value(0)->value_name("BYTES"),
       "static shared memory per CTA")
      ("local", po::value<uint32_t>()->default_value(0)->value_name("BYTES"),
       "local memory per thread")
      ("param", po::value<std::vector<std::string>>()->value_name("u32:V|u64:V|sym:NAME"),
       "append a kernel parameter (repeatable, in order)")
      ("heap", po::value<uint64_t>()->default_value(8 << 20)->value_name("BYTES"),
       "device heap for device-side malloc (CUDA's default: 8 MiB)")
      ("host-threads", po::value<unsigned>()->default_value(1)->value_name("N"),
       "simulate the cores on N host threads (1: deterministic, bit-identical runs)")
      ("counters", po::value<std::string>()->value_name("FILE"),
       "write the launch's counters and timing estimate as JSON ('-': stdout)")
      ("dump", po::value<std::vector<std::string>>()->value_name("SYMBOL:TYPE:COUNT"),
       "after the launch, print a global array (TYPE: i32 u32 f32 i64 u64 f64)");
  po::options_description hidden;
  hidden.add_options()("program", po::value<std::string>());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("program", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage(e.what());
  }
  if (vm.count("help")) {
    std::cout << visible
              << "\nExit status: the program's (0 for a kernel), 125 if it faulted, 2 on bad "
                 "usage or a bad configuration.\n";
    return 0;
  }

  auto machine = loadMachineConfig(vm["config"].as<std::string>());
  if (auto *errors = std::get_if<ConfigErrors>(&machine)) {
    for (const std::string &error : *errors)
      std::cerr << "oxsim: " << error << "\n";
    return kUsage;
  }
  if (!vm.count("program"))
    return usage("no program given");
  std::string path = vm["program"].as<std::string>();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "oxsim: error: cannot read '" << path << "'\n";
    return kUsage;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  Memory memory;
  auto loaded = loadElf(bytes.str(), memory);
  if (auto *error = std::get_if<std::string>(&loaded)) {
    std::cerr << "oxsim: error: " << path << ": " << *error << "\n";
    return kUsage;
  }
  const LoadedProgram &program = std::get<LoadedProgram>(loaded);
  DecodedProgram code(memory, program.codeBase, program.codeSize);
  std::optional<uint64_t> maxInstructions;
  if (vm.count("max-instructions"))
    maxInstructions = vm["max-instructions"].as<uint64_t>();

  if (!vm.count("kernel")) {
    Hart hart;
    hart.pc = program.entry;
    hart.x[2] = program.stackTop;
    RunOptions options;
    options.maxInstructions = maxInstructions.value_or(options.maxInstructions);
    options.trapOnDivideByZero = vm.count("trap-div0");
    options.write = [](int fd, std::string_view text) {
      std::fwrite(text.data(), 1, text.size(), fd == 1 ? stdout : stderr);
    };
    Counters counters;
    if (vm.count("stats"))
      options.counters = &counters;
    AddressSpace space(memory);
    RunResult result = run(hart, space, code, options);
    std::fflush(stdout);
    if (vm.count("stats"))
      std::cerr << "oxsim: " << result.instructions << " instructions executed, "
                << counters.vectorActiveElements << " vector element operations\n";
    if (result.status == RunResult::Status::Exited)
      return result.exitCode;
    std::cerr << "oxsim: " << path << ": " << describe(*result.fault) << " (after "
              << result.instructions << " instructions)\n";
    return kFaulted;
  }

  std::string kernel = vm["kernel"].as<std::string>();
  auto symbol = program.symbols.find(kernel);
  if (symbol == program.symbols.end())
    return usage("no function '" + kernel + "' in " + path);
  auto grid = parseDim3(vm["grid"].as<std::string>());
  auto block = parseDim3(vm["block"].as<std::string>());
  if (!grid || !block)
    return usage("--grid and --block take X[,Y[,Z]] with positive numbers");
  KernelLaunch launch;
  launch.entry = symbol->second.address;
  launch.grid = *grid;
  launch.block = *block;
  launch.dynamicSharedBytes = vm["shared"].as<uint32_t>();
  launch.staticSharedBytes = vm["static-shared"].as<uint32_t>();
  launch.localBytesPerLane = vm["local"].as<uint32_t>();
  launch.maxInstructionsPerWarp = maxInstructions.value_or(launch.maxInstructionsPerWarp);
  launch.hostThreads = vm["host-threads"].as<unsigned>();
  launch.trapOnDivideByZero = vm.count("trap-div0");
  if (vm.count("param"))
    for (const std::string &spec : vm["param"].as<std::vector<std::string>>())
      if (std::string error = appendParameter(spec, program, launch.parameters); !error.empty())
        return usage(error);
  // The device heap: global memory above the program's segments, at an address no ELF uses.
  constexpr uint64_t kHeapBase = 0x500000000000ull;
  uint64_t heapBytes = vm["heap"].as<uint64_t>();
  if (heapBytes)
    memory.map(kHeapBase, heapBytes);
  DeviceHeap heap(kHeapBase, heapBytes);
  launch.heap = &heap;
  const MachineConfig &config = std::get<MachineConfig>(machine);
  LaunchResult result = launchKernel(config, memory, code, launch);
  std::fwrite(result.output.data(), 1, result.output.size(), stdout); // device printf
  std::fflush(stdout);
  if (!result.error.empty()) {
    std::cerr << "oxsim: error: cannot launch " << kernel << ": " << result.error << "\n";
    return kUsage;
  }
  if (vm.count("stats"))
    std::cerr << "oxsim: " << result.counters.instructions() << " instructions executed, "
              << result.timing.cycles << " cycles estimated\n";
  if (result.fault) {
    std::cerr << "oxsim: " << kernel << ": " << result.fault->describe() << "\n";
    return kFaulted;
  }
  if (vm.count("dump"))
    for (const std::string &spec : vm["dump"].as<std::vector<std::string>>())
      if (std::string error = dump(spec, program, memory); !error.empty())
        return usage(error);
  if (vm.count("counters")) {
    std::string json = countersJson(config, result.counters, result.perCore, result.timing);
    std::string file = vm["counters"].as<std::string>();
    if (file == "-") {
      std::cout << json << "\n";
    } else if (!(std::ofstream(file) << json << "\n")) {
      std::cerr << "oxsim: error: cannot write '" << file << "'\n";
      return kUsage;
    }
  }
  return 0;
}
