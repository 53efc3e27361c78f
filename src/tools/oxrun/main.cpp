// oxrun: runs an unmodified CUDA program on the simulated OxCore.
//   oxrun [--config preset|file] [--profile[=trace.json]] [--trace] [--sim-threads N] -- ./app args
// It puts oxptx's libcuda.so.1 first on LD_LIBRARY_PATH (cudart dlopens "libcuda.so.1"),
// passes the options to the shim through its environment variables (docs/driver-shim.md), and
// runs the program in its place: its exit status is the program's.
#include "sim/MachineConfig.h"

#include <boost/program_options.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr int kUsage = 2, kCannotRun = 127;

int usage(const std::string &message) {
  std::cerr << "oxrun: error: " << message << " (see --help)\n";
  return kUsage;
}

/// The directory holding the shim: $OXPTX_LIBCUDA_DIR, else ../lib beside this executable
/// (the build tree and an installed tree look the same).
std::string shimDirectory() {
  if (const char *dir = std::getenv("OXPTX_LIBCUDA_DIR"); dir && *dir)
    return dir;
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  return (self.parent_path().parent_path() / "lib").string();
}

} // namespace

int main(int argc, char **argv) {
  po::options_description options("oxrun [options] -- program [arguments]");
  options.add_options()("help,h", "this help")
      ("config,c", po::value<std::string>()->default_value("mid"),
       "the simulated machine: a preset (edge, mid, datacentre) or an OxQuilt TOML file")
      ("profile,p", po::value<std::string>()->implicit_value("oxptx-profile.json"),
       "print a per-kernel summary at exit and write a Chrome/Perfetto trace of launches and copies")
      ("trace,t", "log every driver API call with its arguments on stderr")
      ("sim-threads", po::value<unsigned>(), "host threads simulating the cores (default 1: deterministic)");
  int split = argc;
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--") == 0) {
      split = i;
      break;
    }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(split, argv).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return usage(e.what());
  }
  if (vm.count("help")) {
    std::cout << options << "\nRuns a CUDA program built by nvcc, unmodified, on the simulated OxCore.\n";
    return 0;
  }
  // Everything after "--", or the first non-option word onwards, is the program.
  std::vector<char *> program;
  for (int i = split + 1; i < argc; ++i)
    program.push_back(argv[i]);
  if (program.empty())
    return usage("no program to run: oxrun [options] -- ./app [arguments]");
  program.push_back(nullptr);

  auto config = oxptx::sim::loadMachineConfig(vm["config"].as<std::string>());
  if (auto *errors = std::get_if<oxptx::sim::ConfigErrors>(&config)) {
    for (const std::string &e : *errors)
      std::cerr << e << "\n";
    return usage("--config " + vm["config"].as<std::string>() + " is not a usable machine configuration");
  }
  std::string lib = shimDirectory();
  if (!fs::exists(fs::path(lib) / "libcuda.so.1"))
    return usage("oxptx's libcuda.so.1 is not in " + lib + " (build it, or set OXPTX_LIBCUDA_DIR)");

  const char *previous = std::getenv("LD_LIBRARY_PATH");
  std::string path = lib + (previous && *previous ? ":" + std::string(previous) : "");
  setenv("LD_LIBRARY_PATH", path.c_str(), 1);
  setenv("OXPTX_CONFIG", vm["config"].as<std::string>().c_str(), 1);
  if (vm.count("profile"))
    setenv("OXPTX_PROFILE", fs::absolute(vm["profile"].as<std::string>()).c_str(), 1);
  if (vm.count("trace"))
    setenv("OXPTX_TRACE", "1", 1);
  if (vm.count("sim-threads"))
    setenv("OXPTX_SIM_THREADS", std::to_string(vm["sim-threads"].as<unsigned>()).c_str(), 1);
  execvp(program[0], program.data());
  std::cerr << "oxrun: error: cannot run " << program[0] << ": " << std::strerror(errno) << "\n";
  return kCannotRun;
}
