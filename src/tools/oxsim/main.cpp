// oxsim: runs a program on the simulated OxCore. Today: plain RV64 ELF programs (RV64IMAFD, Zba,
// Zbb) with the Linux write/exit system calls, the mode used to compare with qemu-riscv64.
//
// Exit status: the guest's exit code; 125 if the guest faulted (a report on stderr); 2 bad
// command line or unloadable file.
#include "sim/ElfLoader.h"
#include "sim/Executor.h"
#include "sim/MachineConfig.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

using namespace oxptx::sim;

int main(int argc, char **argv) {
  uint64_t maxInstructions = 1ull << 32;
  bool stats = false;
  std::string path, config = "mid";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "Usage: oxsim [--config PRESET|FILE] [--max-instructions N] [--stats] "
                   "program.elf\n"
                   "Runs a RISC-V ELF program on the simulated OxCore. --config names an OxQuilt "
                   "machine (presets: edge, mid, datacentre; default mid) and is checked first.\n"
                   "Exit status: the program's, 125 if it faulted, 2 on bad usage or a bad "
                   "configuration.\n";
      return 0;
    }
    if (arg == "--config" && i + 1 < argc) {
      config = argv[++i];
      continue;
    }
    if (arg == "--stats") {
      stats = true;
      continue;
    }
    if (arg == "--max-instructions" && i + 1 < argc) {
      maxInstructions = std::strtoull(argv[++i], nullptr, 10);
      continue;
    }
    if (!path.empty() || arg.starts_with("-")) {
      std::cerr << "oxsim: error: unexpected argument '" << arg << "' (see --help)\n";
      return 2;
    }
    path = arg;
  }
  auto machine = loadMachineConfig(config);
  if (auto *errors = std::get_if<ConfigErrors>(&machine)) {
    for (const std::string &error : *errors)
      std::cerr << "oxsim: " << error << "\n";
    return 2;
  }
  if (path.empty()) {
    std::cerr << "oxsim: error: no program given (see --help)\n";
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "oxsim: error: cannot read '" << path << "'\n";
    return 2;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::string image = bytes.str();

  Memory memory;
  auto loaded = loadElf(image, memory);
  if (auto *error = std::get_if<std::string>(&loaded)) {
    std::cerr << "oxsim: error: " << path << ": " << *error << "\n";
    return 2;
  }
  const LoadedProgram &program = std::get<LoadedProgram>(loaded);
  Hart hart;
  hart.pc = program.entry;
  hart.x[2] = program.stackTop;
  RunOptions options;
  options.maxInstructions = maxInstructions;
  options.write = [](int fd, std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), fd == 1 ? stdout : stderr);
  };
  DecodedProgram code(memory, program.codeBase, program.codeSize);
  AddressSpace space(memory);
  RunResult result = run(hart, space, code, options);
  std::fflush(stdout);
  if (stats)
    std::cerr << "oxsim: " << result.instructions << " instructions executed\n";
  if (result.status == RunResult::Status::Exited)
    return result.exitCode;
  std::cerr << "oxsim: " << path << ": " << describe(*result.fault) << " (after "
            << result.instructions << " instructions)\n";
  return 125;
}
