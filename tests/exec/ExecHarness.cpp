#include "ExecHarness.h"

#include "backend/KernelImage.h"

namespace oxptx::exec {

Harness::Harness(bool genericSimt) {
  options_.genericSimt = genericSimt;
  auto config = sim::loadMachineConfig("mid");
  device_ = std::make_unique<runtime::Device>(std::get<sim::MachineConfig>(config),
                                              runtime::ModuleCache("off")); // tests leave no files
}

std::shared_ptr<runtime::Module> Harness::load(const std::string &name) {
  std::string path = std::string(OXPTX_EXEC_PTX_DIR) + "/" + name + ".ptx";
  std::string ptx = readFile(path);
  EXPECT_FALSE(ptx.empty()) << "cannot read " << path;
  backend::ImageResult built = backend::buildImage(ptx, path, options_);
  EXPECT_TRUE(built.errors.empty()) << built.errors;
  EXPECT_FALSE(built.image.empty());
  auto loaded = device_->loadImage(built.image);
  if (auto *error = std::get_if<std::string>(&loaded)) {
    ADD_FAILURE() << *error;
    return nullptr;
  }
  return std::get<std::shared_ptr<runtime::Module>>(loaded);
}

sim::LaunchResult Harness::run(const runtime::Module &module, const std::string &kernel,
                               sim::Dim3 grid, sim::Dim3 block, const Params &params,
                               uint32_t dynamicShared) {
  runtime::LaunchConfig config;
  config.grid = grid;
  config.block = block;
  config.dynamicSharedBytes = dynamicShared;
  config.parameters = params.bytes();
  config.callStackBytes = callStackBytes;
  return device_->launch(module, kernel, config);
}

sim::LaunchResult Harness::launch(const runtime::Module &module, const std::string &kernel,
                                  sim::Dim3 grid, sim::Dim3 block, const Params &params,
                                  uint32_t dynamicShared) {
  sim::LaunchResult result = run(module, kernel, grid, block, params, dynamicShared);
  EXPECT_TRUE(result.error.empty()) << result.error;
  EXPECT_FALSE(result.fault) << (result.fault ? result.fault->describe() : "");
  return result;
}

} // namespace oxptx::exec
