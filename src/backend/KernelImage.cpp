#include "backend/KernelImage.h"

#include "ptx_parser/Parser.h"
#include "translate/Translate.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/Object/ELFObjectFile.h>
#include <nlohmann/json.hpp>

namespace oxptx::backend {

void addKernelMetadata(llvm::Module &module, const std::vector<KernelInfo> &kernels) {
  nlohmann::json list = nlohmann::json::array();
  for (const KernelInfo &k : kernels)
    list.push_back({{"name", k.name},
                    {"param_bytes", k.parameterBytes},
                    {"static_shared_bytes", k.staticSharedBytes},
                    {"local_bytes_per_lane", k.localBytesPerLane},
                    {"call_stack", k.callStack},
                    {"stack_bytes", k.stackBytes}});
  std::string text = nlohmann::json{{"version", kImageVersion}, {"kernels", list}}.dump();
  auto *data = llvm::ConstantDataArray::getString(module.getContext(), text, false);
  auto *g = new llvm::GlobalVariable(module, data->getType(), true,
                                     llvm::GlobalValue::ExternalLinkage, data, "__ox_kernels");
  g->setSection(kMetadataSection);
  g->setAlignment(llvm::Align(1));
}

std::optional<std::vector<KernelInfo>> parseKernelMetadata(std::string_view text, std::string &error) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("kernels")) {
    error = "the kernel image's metadata section is not valid JSON with a 'kernels' list";
    return std::nullopt;
  }
  if (doc.value("version", 0u) != kImageVersion) {
    error = "the kernel image has metadata version " + doc.value("version", nlohmann::json()).dump() +
            "; this oxptx reads version " + std::to_string(kImageVersion) + " (rebuild the image)";
    return std::nullopt;
  }
  std::vector<KernelInfo> kernels;
  for (const nlohmann::json &k : doc["kernels"]) {
    if (!k.is_object() || !k.contains("name") || !k["name"].is_string()) {
      error = "a kernel entry of the image's metadata has no name";
      return std::nullopt;
    }
    KernelInfo info;
    info.name = k["name"].get<std::string>();
    info.parameterBytes = k.value("param_bytes", 0u);
    info.staticSharedBytes = k.value("static_shared_bytes", 0u);
    info.localBytesPerLane = k.value("local_bytes_per_lane", 0u);
    info.callStack = k.value("call_stack", false);
    info.stackBytes = k.value("stack_bytes", kKernelStackBytes);
    kernels.push_back(info);
  }
  return kernels;
}

std::map<std::string, uint64_t> codeSizes(std::string_view object) {
  std::map<std::string, uint64_t> sizes;
  auto file = llvm::object::ELF64LEObjectFile::create(
      llvm::MemoryBufferRef(llvm::StringRef(object.data(), object.size()), "image"));
  if (!file) {
    llvm::consumeError(file.takeError());
    return sizes;
  }
  for (const llvm::object::ELFSymbolRef &sym : file->symbols()) {
    auto name = sym.getName();
    auto type = sym.getType();
    if (name && type && *type == llvm::object::SymbolRef::ST_Function)
      sizes[name->str()] = sym.getSize();
    else if (!name)
      llvm::consumeError(name.takeError());
    if (!type)
      llvm::consumeError(type.takeError());
  }
  return sizes;
}

ImageResult buildImage(std::string_view ptx, std::string_view name, const BackendOptions &options) {
  ImageResult result;
  ptx::ParseResult parsed = ptx::parseAndCheckPtx(ptx);
  result.errors = ptx::renderDiagnostics(parsed.diagnostics, name, ptx);
  if (parsed.diagnostics.hasErrors())
    return result;
  llvm::LLVMContext context;
  auto translated = translate::translateModule(parsed.module, context, name);
  result.errors += ptx::renderDiagnostics(translated.diagnostics, name, ptx);
  if (options.optLevel > 0)
    translate::optimizeModule(*translated.module, options.optLevel);
  LoweredModule lowered = lowerModule(*translated.module, options);
  for (const std::string &e : lowered.errors)
    result.errors += std::string(name) + ": error: " + e + "\n";
  if (lowered.kernels.empty())
    return result;
  addKernelMetadata(*translated.module, lowered.kernels);
  auto object = emitCode(*translated.module, Emit::Object, options);
  if (!object) {
    result.errors += std::string(name) + ": error: " + llvm::toString(object.takeError()) + "\n";
    return result;
  }
  result.image = std::move(*object);
  result.kernels = std::move(lowered.kernels);
  return result;
}

} // namespace oxptx::backend
