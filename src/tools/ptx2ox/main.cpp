// ptx2ox: the offline PTX translator. Reads and checks PTX (--check), writes it back normalized
// (--emit=ptx), translates it to per-thread LLVM IR (--emit=llvm) and, through the OxCore
// backend, to per-warp LLVM IR (--emit=warp-llvm), OxCore assembly (--emit=asm), an ELF
// relocatable object (--emit=obj) or a kernel image with launch metadata (--emit=image).
//
// Exit codes: 0 success, 1 the input has errors (diagnostics on stderr), 2 bad command line,
// 3 a file could not be read or written.
#include "ptx_parser/Parser.h"
#include "ptx_parser/Printer.h"

#include "backend/Backend.h"
#include "backend/KernelImage.h"
#include "sim/MachineConfig.h"
#include "translate/Translate.h"

#include <boost/program_options.hpp>
#include <optional>
#include <llvm/Support/Timer.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>

namespace po = boost::program_options;
using namespace oxptx::ptx;

namespace {

enum ExitCode { Success = 0, InputErrors = 1, UsageError = 2, IoError = 3 };

bool readInput(const std::string &path, std::string &text) {
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  // Sized read: no stream buffer holding a second copy of a large module.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return false;
  text.resize(size_t(in.tellg()));
  in.seekg(0);
  return bool(in.read(text.data(), std::streamsize(text.size())));
}

struct FunctionStats {
  size_t instructions = 0;
  size_t registers[5] = {}; // pred, 16, 32, 64, other
  uint64_t sharedBytes = 0, localBytes = 0;
};

uint64_t declBytes(const VariableDecl &decl, const Declarator &d) {
  uint64_t bytes = (typeInfo(decl.type).bits + 7) / 8 * decl.vectorWidth;
  for (const auto &dim : d.dims)
    bytes *= dim.value_or(0);
  return bytes;
}

void collect(const std::vector<Statement> &body, FunctionStats &stats) {
  for (const Statement &s : body) {
    if (std::holds_alternative<Instruction>(s.node)) {
      ++stats.instructions;
    } else if (const auto *decl = std::get_if<VariableDecl>(&s.node)) {
      for (const Declarator &d : decl->declarators) {
        uint64_t count = d.rangeCount ? d.rangeCount : 1;
        if (decl->space == StateSpace::Reg) {
          unsigned bits = typeInfo(decl->type).bits;
          size_t slot = bits == 1 ? 0 : bits == 16 ? 1 : bits == 32 ? 2 : bits == 64 ? 3 : 4;
          stats.registers[slot] += count;
        } else if (decl->space == StateSpace::Shared) {
          stats.sharedBytes += declBytes(*decl, d);
        } else if (decl->space == StateSpace::Local) {
          stats.localBytes += declBytes(*decl, d);
        }
      }
    } else if (const auto *block = std::get_if<std::vector<Statement>>(&s.node)) {
      collect(*block, stats);
    }
  }
}

/// `-v`: a per-function summary in the spirit of `ptxas -v`.
void report(const Module &module, const std::string &fileName, double seconds) {
  std::cerr << "ptx2ox: " << fileName << ": PTX ISA "
            << (module.version ? formatVersionCode(module.version->code()) : "?") << ", target "
            << (module.targets.empty() ? "?" : module.targets.front()) << ", parsed in "
            << seconds * 1e3 << " ms\n";
  for (const Module::TopLevel &item : module.items) {
    const Function *fn = std::get_if<Function>(&item);
    if (!fn || !fn->body)
      continue;
    FunctionStats stats;
    collect(*fn->body, stats);
    std::cerr << "ptx2ox: " << (fn->isEntry ? "kernel" : "function") << " '"
              << module.name(fn->name) << "': " << stats.instructions << " instructions; "
              << "declared registers: " << stats.registers[0] << " pred, " << stats.registers[1]
              << " 16-bit, " << stats.registers[2] << " 32-bit, " << stats.registers[3]
              << " 64-bit; " << stats.sharedBytes << " bytes static shared, "
              << stats.localBytes << " bytes local; " << fn->params.size() << " parameters\n";
  }
}

/// `-v` with backend output: per kernel, what the launch needs and the code's size.
void backendReport(const std::vector<oxptx::backend::KernelInfo> &kernels,
                   const std::map<std::string, uint64_t> &codeBytes) {
  for (const oxptx::backend::KernelInfo &k : kernels) {
    auto code = codeBytes.find(k.name);
    std::cerr << "ptx2ox: OxCore kernel '" << k.name << "': "
              << (code == codeBytes.end() ? 0 : code->second / 4) << " instructions, "
              << k.parameterBytes << " bytes param, " << k.staticSharedBytes << " bytes static shared, "
              << k.localBytesPerLane << " bytes local per thread" << (k.callStack ? " + call stack" : "")
              << ", " << k.stackBytes / 1024 << " KiB stack per warp\n";
  }
}

} // namespace

int main(int argc, char **argv) {
  po::options_description visible("Usage: ptx2ox [options] <file.ptx | ->\nOptions");
  visible.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("check", "parse and check the input, print diagnostics, write nothing")
      ("emit", po::value<std::string>()->value_name("KIND"),
       "what to write: ptx (the checked module, normalized), llvm (the per-thread translation to "
       "LLVM IR), warp-llvm (the backend's per-warp IR), asm (OxCore assembly), obj (ELF object), "
       "image (kernel image: object + launch metadata, what the runtime loads)")
      ("config", po::value<std::string>()->value_name("PRESET|FILE"),
       "the OxQuilt machine to compile for (preset name or TOML file; default mid)")
      ("opt,O", po::value<unsigned>()->value_name("N"),
       "LLVM's optimization level 0-3 (default: 2 for asm/obj/image/warp-llvm, as the runtime "
       "builds kernels; 0 for llvm, where 0 only promotes registers to SSA)")
      ("time-passes", "with --emit=llvm: print the time of each translation stage and LLVM pass")
      ("output,o", po::value<std::string>()->value_name("FILE"),
       "write the output to FILE instead of standard output")
      ("verbose,v", "print a resource summary for each function");
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::string>());
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("input", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    std::cerr << "ptx2ox: error: " << e.what() << "\n(run 'ptx2ox --help' for usage)\n";
    return UsageError;
  }
  if (vm.count("help")) {
    std::cout << visible << "\nExit status: 0 success, 1 the input has errors, 2 bad command "
                            "line, 3 a file could not be read or written.\n";
    return Success;
  }
  if (vm.count("version")) {
    std::cout << "ptx2ox (oxptx) 0.1.0, reads PTX ISA up to 9.0\n";
    return Success;
  }
  if (!vm.count("input")) {
    std::cerr << "ptx2ox: error: no input file (use '-' for standard input)\n";
    return UsageError;
  }
  std::string emit = vm.count("emit") ? vm["emit"].as<std::string>() : "";
  const bool backendOutput = emit == "warp-llvm" || emit == "asm" || emit == "obj" || emit == "image";
  if (!emit.empty() && emit != "ptx" && emit != "llvm" && !backendOutput) {
    std::cerr << "ptx2ox: error: unknown --emit kind '" << emit
              << "' (supported: ptx, llvm, warp-llvm, asm, obj, image)\n";
    return UsageError;
  }
  if (vm.count("opt") && vm["opt"].as<unsigned>() > 3) {
    std::cerr << "ptx2ox: error: -O takes 0, 1, 2 or 3\n";
    return UsageError;
  }
  if (vm.count("time-passes") && emit != "llvm") {
    std::cerr << "ptx2ox: error: --time-passes times the translation; add --emit=llvm\n";
    return UsageError;
  }
  if (vm.count("check") && !emit.empty()) {
    std::cerr << "ptx2ox: error: --check writes nothing; drop --emit or --check\n";
    return UsageError;
  }

  if (vm.count("config")) { // the backend targets VLEN 1024 (docs/oxcore-isa.md); check the machine
    auto machine = oxptx::sim::loadMachineConfig(vm["config"].as<std::string>());
    if (auto *errors = std::get_if<oxptx::sim::ConfigErrors>(&machine)) {
      for (const std::string &e : *errors)
        std::cerr << "ptx2ox: error: " << e << "\n";
      return UsageError;
    }
    if (uint64_t vlen = std::get<oxptx::sim::MachineConfig>(machine).core.vlenBits; vlen != 1024) {
      std::cerr << "ptx2ox: error: machine '" << vm["config"].as<std::string>() << "' has VLEN " << vlen
                << "; the OxCore v1 backend generates code for VLEN 1024 only\n";
      return UsageError;
    }
  }

  std::string path = vm["input"].as<std::string>();
  std::string displayName = path == "-" ? "<stdin>" : path;
  std::string text;
  if (!readInput(path, text)) {
    std::cerr << "ptx2ox: error: cannot read '" << path << "'\n";
    return IoError;
  }

  bool timePasses = vm.count("time-passes") > 0;
  auto start = std::chrono::steady_clock::now();
  std::optional<llvm::NamedRegionTimer> parseTimer;
  parseTimer.emplace("parse", "parse and check", "translate", "PTX to LLVM IR translation", timePasses);
  ParseResult result = parseAndCheckPtx(text);
  parseTimer.reset();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cerr << renderDiagnostics(result.diagnostics, displayName, text);
  if (result.diagnostics.hasErrors()) {
    std::cerr << result.diagnostics.errorCount() << " error(s) in " << displayName << "\n";
    return InputErrors;
  }
  if (vm.count("verbose"))
    report(result.module, displayName, seconds);
  if (emit.empty())
    return Success;

  std::string output;
  int status = Success;
  if (emit == "llvm" || backendOutput) {
    // Unsupported constructs leave their function out (with a diagnostic); the rest is written.
    llvm::LLVMContext context;
    auto translated = oxptx::translate::translateModule(result.module, context, displayName, timePasses);
    std::cerr << renderDiagnostics(translated.diagnostics, displayName, text);
    if (translated.diagnostics.hasErrors()) {
      std::cerr << translated.skippedFunctions << " function(s) of " << displayName
                << " not translated\n";
      status = InputErrors;
    }
    unsigned level = vm.count("opt") ? vm["opt"].as<unsigned>() : backendOutput ? 2 : 0;
    if (level > 0) // -O0 is the translation itself
      oxptx::translate::optimizeModule(*translated.module, level, timePasses);
    llvm::raw_string_ostream stream(output);
    if (!backendOutput) {
      translated.module->print(stream, nullptr);
    } else {
      oxptx::backend::BackendOptions options;
      options.optLevel = level;
      auto lowered = oxptx::backend::lowerModule(*translated.module, options);
      for (const std::string &error : lowered.errors)
        std::cerr << displayName << ": error: " << error << "\n";
      if (!lowered.errors.empty())
        status = InputErrors;
      if (emit == "image")
        oxptx::backend::addKernelMetadata(*translated.module, lowered.kernels);
      if (emit == "warp-llvm") {
        translated.module->print(stream, nullptr);
      } else {
        auto code = oxptx::backend::emitCode(*translated.module,
                                             emit == "asm" ? oxptx::backend::Emit::Assembly
                                                           : oxptx::backend::Emit::Object,
                                             options);
        if (!code) {
          std::cerr << "ptx2ox: error: " << llvm::toString(code.takeError()) << "\n";
          return InputErrors;
        }
        output = std::move(*code);
        if (vm.count("verbose") && emit != "asm")
          backendReport(lowered.kernels, oxptx::backend::codeSizes(output));
      }
    }
    if (timePasses)
      llvm::TimerGroup::printAll(llvm::errs()); // the translator's stages (LLVM's passes printed)
  } else {
    output = printModule(result.module);
  }
  if (!vm.count("output")) {
    std::cout << output;
    return status;
  }
  std::string outPath = vm["output"].as<std::string>();
  std::ofstream out(outPath, std::ios::binary);
  if (!out || !(out << output)) {
    std::cerr << "ptx2ox: error: cannot write '" << outPath << "'\n";
    return IoError;
  }
  return status;
}
