// Modules, libraries, kernels and functions, globals, the PTX linker, function attributes and
// occupancy. Every module image (a fatbinary, PTX text, or what cuLinkComplete produced) becomes
// PTX, which the runtime builds into an OxCore kernel image (cached on disk) and loads.
#include "driver_shim/Fatbin.h"
#include "driver_shim/PtxLink.h"
#include "driver_shim/Shim.h"
#include "ptx_parser/Parser.h"

#include <fstream>
#include <sstream>

using namespace oxptx;
using namespace oxptx::shim;

namespace {

constexpr uint32_t kMaxSm = kComputeMajor * 10 + kComputeMinor;

/// PTX → a loaded module in the current context.
CUresult loadPtxModule(CUmodule *result, const std::string &ptx, const char *what) {
  CUctx_st *ctx;
  if (CUresult r = currentOrError(ctx))
    return r;
  auto module = std::make_unique<CUmod_st>();
  module->ctx = ctx;
  ptx::ParseResult parsed = ptx::parsePtx(ptx);
  for (const auto &item : parsed.module.items)
    if (const auto *f = std::get_if<ptx::Function>(&item); f && f->isEntry && f->body)
      module->parameters[std::string(parsed.module.name(f->name))] = ptx::kernelParamLayout(*f);
  std::string warnings;
  std::variant<std::shared_ptr<runtime::Module>, std::string> loaded;
  {
    DeviceState &state = driver().device(ctx->device);
    std::lock_guard lock(state.lock);
    loaded = state.device.loadPtx(ptx, what, {}, &warnings);
  }
  if (auto *error = std::get_if<std::string>(&loaded)) {
    std::fprintf(stderr, "oxptx: cannot load %s:\n%s", what, error->c_str());
    return CUDA_ERROR_INVALID_PTX;
  }
  if (!warnings.empty())
    std::fprintf(stderr, "oxptx: %s: some kernels cannot run on OxCore:\n%s", what, warnings.c_str());
  module->module = std::get<std::shared_ptr<runtime::Module>>(loaded);
  std::lock_guard lock(driver().mutex);
  *result = module.release();
  driver().modules.insert(*result);
  return CUDA_SUCCESS;
}

/// Any module image: fatbinary (wrapper or container), PTX text; several PTX (relocatable
/// device code) are linked first.
CUresult loadImageModule(CUmodule *result, const void *image, const char *what) {
  if (!result || !image)
    return CUDA_ERROR_INVALID_VALUE;
  auto ptx = ptxOfImage(image, kMaxSm);
  if (auto *error = std::get_if<std::string>(&ptx)) {
    std::fprintf(stderr, "oxptx: cannot load %s: %s\n", what, error->c_str());
    return CUDA_ERROR_NO_BINARY_FOR_GPU;
  }
  auto &modules = std::get<ImagePtx>(ptx).modules;
  if (modules.size() == 1)
    return loadPtxModule(result, modules[0], what);
  auto linked = linkPtx(modules);
  if (auto *error = std::get_if<LinkError>(&linked)) {
    std::fprintf(stderr, "oxptx: cannot link the device code of %s: %s\n", what, error->message.c_str());
    return CUDA_ERROR_INVALID_PTX;
  }
  return loadPtxModule(result, std::get<std::string>(linked), what);
}

void unloadModule(CUmodule module) {
  {
    std::lock_guard lock(driver().mutex);
    driver().modules.erase(module);
    for (auto &[name, f] : module->functions)
      driver().functions.erase(f.get());
  }
  synchronizeContext(module->ctx); // queued launches may still use its code
  std::lock_guard lock(driver().device(module->ctx->device).lock);
  delete module;
}

CUresult getFunction(CUfunction *result, CUmodule module, const char *name) {
  if (!result || !name)
    return CUDA_ERROR_INVALID_VALUE;
  if (!live(&Driver::modules, module))
    return CUDA_ERROR_INVALID_HANDLE;
  std::lock_guard lock(driver().mutex);
  auto found = module->functions.find(name);
  if (found == module->functions.end()) {
    const backend::KernelInfo *info = module->module->kernel(name);
    auto layout = module->parameters.find(name);
    if (!info || layout == module->parameters.end())
      return CUDA_ERROR_NOT_FOUND;
    auto f = std::make_unique<CUfunc_st>();
    f->module = module;
    f->name = name;
    f->info = info;
    f->parameters = &layout->second;
    driver().functions.insert(f.get());
    found = module->functions.emplace(name, std::move(f)).first;
  }
  *result = found->second.get();
  return CUDA_SUCCESS;
}

CUresult getGlobal(CUdeviceptr *dptr, size_t *bytes, CUmodule module, const char *name) {
  if (!name)
    return CUDA_ERROR_INVALID_VALUE;
  if (!live(&Driver::modules, module))
    return CUDA_ERROR_INVALID_HANDLE;
  const runtime::LoadedImage &image = module->module->image;
  auto symbol = image.symbols.find(name);
  if (symbol == image.symbols.end())
    return CUDA_ERROR_NOT_FOUND;
  if (dptr)
    *dptr = symbol->second;
  if (bytes) {
    auto size = image.symbolSizes.find(name);
    *bytes = size == image.symbolSizes.end() ? 0 : size->second;
  }
  return CUDA_SUCCESS;
}

/// Blocks of `blockSize` threads one core holds at once.
int blocksPerCore(const CUfunc_st *f, int blockSize, size_t dynamicShared) {
  const sim::MachineConfig &c = driver().device().device.config();
  if (blockSize <= 0 || blockSize > maxThreadsPerBlock(c))
    return 0;
  uint64_t warps = (uint64_t(blockSize) + 31) / 32;
  uint64_t byThreads = c.core.hardwareThreads / warps;
  uint64_t shared = f->info->staticSharedBytes + dynamicShared + sim::kReservedSharedBytes;
  uint64_t byShared = shared > c.core.scratchpadBytes ? 0 : c.core.scratchpadBytes / shared;
  return int(std::min(byThreads, byShared));
}

CUresult functionAttribute(int *value, CUfunction_attribute attribute, CUfunc_st *f) {
  if (!value)
    return CUDA_ERROR_INVALID_VALUE;
  const sim::MachineConfig &c = driver().device().device.config();
  switch (attribute) {
  case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK: *value = maxThreadsPerBlock(c); break;
  case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES: *value = int(f->info->staticSharedBytes); break;
  case CU_FUNC_ATTRIBUTE_CONST_SIZE_BYTES: *value = 0; break;
  case CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES: *value = int(f->info->localBytesPerLane); break;
  case CU_FUNC_ATTRIBUTE_NUM_REGS: *value = 32; break; // x0..x31 of the warp's hart
  case CU_FUNC_ATTRIBUTE_PTX_VERSION:
  case CU_FUNC_ATTRIBUTE_BINARY_VERSION: *value = kMaxSm; break;
  case CU_FUNC_ATTRIBUTE_CACHE_MODE_CA: *value = 1; break;
  case CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES: *value = f->maxDynamicSharedBytes; break;
  case CU_FUNC_ATTRIBUTE_PREFERRED_SHARED_MEMORY_CARVEOUT: *value = -1; break;
  default: *value = 0; break;
  }
  return CUDA_SUCCESS;
}

CUresult setFunctionAttribute(CUfunc_st *f, CUfunction_attribute attribute, int value) {
  const sim::MachineConfig &c = driver().device().device.config();
  if (attribute == CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES) {
    if (value < 0 || uint64_t(value) + f->info->staticSharedBytes + sim::kReservedSharedBytes > c.core.scratchpadBytes)
      return CUDA_ERROR_INVALID_VALUE;
    f->maxDynamicSharedBytes = value;
  }
  return CUDA_SUCCESS; // carve-out and cluster preferences have nothing to set on OxCore
}

std::string readFile(const char *path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

/// The PTX linker's state: the PTX modules added so far and the linked result.
struct CUlinkState_st {
  std::vector<std::string> modules;
  std::string linked;
};

extern "C" {

CUresult cuModuleGetLoadingMode(CUmoduleLoadingMode *mode) {
  return api(__func__, [&] {
    if (!mode)
      return CUDA_ERROR_INVALID_VALUE;
    *mode = CU_MODULE_LAZY_LOADING; // cudart then loads a library at its first launch
    return CUDA_SUCCESS;
  }, mode);
}

CUresult cuModuleLoadData(CUmodule *module, const void *image) {
  return api(__func__, [&] { return loadImageModule(module, image, "module image"); }, module, image);
}

CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int, CUjit_option *, void **) {
  return api(__func__, [&] { return loadImageModule(module, image, "module image"); }, module, image);
}

CUresult cuModuleLoadFatBinary(CUmodule *module, const void *fatbin) {
  return api(__func__, [&] { return loadImageModule(module, fatbin, "fatbinary"); }, module, fatbin);
}

CUresult cuModuleLoad(CUmodule *module, const char *path) {
  return api(__func__, [&] {
    if (!path)
      return CUDA_ERROR_INVALID_VALUE;
    std::string text = readFile(path);
    if (text.empty())
      return CUDA_ERROR_FILE_NOT_FOUND;
    return loadImageModule(module, text.c_str(), path);
  }, module, path);
}

CUresult cuModuleUnload(CUmodule module) {
  return api(__func__, [&] {
    if (!live(&Driver::modules, module))
      return CUDA_ERROR_INVALID_HANDLE;
    unloadModule(module);
    return CUDA_SUCCESS;
  }, module);
}

CUresult cuModuleGetFunction(CUfunction *f, CUmodule module, const char *name) {
  return api(__func__, [&] { return getFunction(f, module, name); }, f, module, name);
}

CUresult cuModuleGetGlobal(CUdeviceptr *dptr, size_t *bytes, CUmodule module, const char *name) {
  return api(__func__, [&] { return getGlobal(dptr, bytes, module, name); }, dptr, bytes, module, name);
}

CUresult cuModuleGetFunctionCount(unsigned int *count, CUmodule module) {
  return api(__func__, [&] {
    if (!count)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::modules, module))
      return CUDA_ERROR_INVALID_HANDLE;
    *count = unsigned(module->module->image.kernels.size());
    return CUDA_SUCCESS;
  }, count, module);
}

CUresult cuFuncGetAttribute(int *value, CUfunction_attribute attribute, CUfunction f) {
  return api(__func__, [&] {
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    return functionAttribute(value, attribute, f);
  }, value, attribute, f);
}

CUresult cuFuncSetAttribute(CUfunction f, CUfunction_attribute attribute, int value) {
  return api(__func__, [&] {
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    return setFunctionAttribute(f, attribute, value);
  }, f, attribute, value);
}

CUresult cuFuncSetCacheConfig(CUfunction f, CUfunc_cache config) {
  return api(__func__, [&] { return live(&Driver::functions, f) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE; }, f, config);
}

CUresult cuFuncGetName(const char **name, CUfunction f) {
  return api(__func__, [&] {
    if (!name)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    *name = f->name.c_str();
    return CUDA_SUCCESS;
  }, name, f);
}

CUresult cuFuncGetModule(CUmodule *module, CUfunction f) {
  return api(__func__, [&] {
    if (!module)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    *module = f->module;
    return CUDA_SUCCESS;
  }, module, f);
}

// --- libraries (what cudart 13 uses): one module in the primary context.
CUresult cuLibraryLoadData(CUlibrary *library, const void *code, CUjit_option *, void **, unsigned int,
                           CUlibraryOption *, void **, unsigned int) {
  return api(__func__, [&] {
    if (!library)
      return CUDA_ERROR_INVALID_VALUE;
    CUmodule module;
    if (CUresult r = loadImageModule(&module, code, "the program's device code"))
      return r;
    auto *lib = new CUlib_st{module};
    std::lock_guard lock(driver().mutex);
    driver().libraries.insert(lib);
    *library = lib;
    return CUDA_SUCCESS;
  }, library, code);
}

CUresult cuLibraryLoadFromFile(CUlibrary *library, const char *path, CUjit_option *jitOptions, void **jitValues,
                               unsigned int numJit, CUlibraryOption *options, void **values, unsigned int numOptions) {
  return api(__func__, [&] {
    std::string text = path ? readFile(path) : std::string();
    if (text.empty())
      return CUDA_ERROR_FILE_NOT_FOUND;
    return cuLibraryLoadData(library, text.c_str(), jitOptions, jitValues, numJit, options, values, numOptions);
  }, library, path);
}

CUresult cuLibraryUnload(CUlibrary library) {
  return api(__func__, [&] {
    if (!live(&Driver::libraries, library))
      return CUDA_ERROR_INVALID_HANDLE;
    {
      std::lock_guard lock(driver().mutex);
      driver().libraries.erase(library);
    }
    unloadModule(library->module);
    delete library;
    return CUDA_SUCCESS;
  }, library);
}

CUresult cuLibraryGetKernel(CUkernel *kernel, CUlibrary library, const char *name) {
  return api(__func__, [&] {
    if (!live(&Driver::libraries, library))
      return CUDA_ERROR_INVALID_HANDLE;
    CUfunction f;
    CUresult r = getFunction(&f, library->module, name);
    if (r == CUDA_SUCCESS && kernel)
      *kernel = reinterpret_cast<CUkernel>(f);
    return r;
  }, kernel, library, name);
}

CUresult cuLibraryGetModule(CUmodule *module, CUlibrary library) {
  return api(__func__, [&] {
    if (!module)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::libraries, library))
      return CUDA_ERROR_INVALID_HANDLE;
    *module = library->module;
    return CUDA_SUCCESS;
  }, module, library);
}

CUresult cuLibraryGetGlobal(CUdeviceptr *dptr, size_t *bytes, CUlibrary library, const char *name) {
  return api(__func__, [&] {
    if (!live(&Driver::libraries, library))
      return CUDA_ERROR_INVALID_HANDLE;
    return getGlobal(dptr, bytes, library->module, name);
  }, dptr, bytes, library, name);
}

CUresult cuLibraryGetManaged(CUdeviceptr *dptr, size_t *bytes, CUlibrary library, const char *name) {
  return api(__func__, [&] {
    if (!live(&Driver::libraries, library))
      return CUDA_ERROR_INVALID_HANDLE;
    return getGlobal(dptr, bytes, library->module, name);
  }, dptr, bytes, library, name);
}

CUresult cuLibraryGetKernelCount(unsigned int *count, CUlibrary library) {
  return api(__func__, [&] {
    if (!count)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::libraries, library))
      return CUDA_ERROR_INVALID_HANDLE;
    *count = unsigned(library->module->module->image.kernels.size());
    return CUDA_SUCCESS;
  }, count, library);
}

CUresult cuKernelGetFunction(CUfunction *f, CUkernel kernel) {
  return api(__func__, [&] {
    if (!f)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::functions, kernel))
      return CUDA_ERROR_INVALID_HANDLE;
    *f = reinterpret_cast<CUfunction>(kernel);
    return CUDA_SUCCESS;
  }, f, kernel);
}

CUresult cuKernelGetAttribute(int *value, CUfunction_attribute attribute, CUkernel kernel, CUdevice) {
  return api(__func__, [&] {
    if (!live(&Driver::functions, kernel))
      return CUDA_ERROR_INVALID_HANDLE;
    return functionAttribute(value, attribute, reinterpret_cast<CUfunction>(kernel));
  }, value, attribute, kernel);
}

CUresult cuKernelSetAttribute(CUfunction_attribute attribute, int value, CUkernel kernel, CUdevice) {
  return api(__func__, [&] {
    if (!live(&Driver::functions, kernel))
      return CUDA_ERROR_INVALID_HANDLE;
    return setFunctionAttribute(reinterpret_cast<CUfunction>(kernel), attribute, value);
  }, attribute, value, kernel);
}

CUresult cuKernelSetCacheConfig(CUkernel kernel, CUfunc_cache config, CUdevice) {
  return api(__func__, [&] { return live(&Driver::functions, kernel) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE; }, kernel, config);
}

CUresult cuKernelGetName(const char **name, CUkernel kernel) {
  return cuFuncGetName(name, reinterpret_cast<CUfunction>(kernel));
}

// --- the PTX linker: PTX in, linked PTX out (what cuModuleLoadData then takes).
CUresult cuLinkCreate_v2(unsigned int, CUjit_option *, void **, CUlinkState *state) {
  return api(__func__, [&] {
    if (!state)
      return CUDA_ERROR_INVALID_VALUE;
    *state = new CUlinkState_st();
    return CUDA_SUCCESS;
  }, state);
}

CUresult cuLinkAddData_v2(CUlinkState state, CUjitInputType type, void *data, size_t size, const char *name,
                          unsigned int, CUjit_option *, void **) {
  return api(__func__, [&] {
    if (!state || !data)
      return CUDA_ERROR_INVALID_VALUE;
    if (type != CU_JIT_INPUT_PTX && type != CU_JIT_INPUT_FATBINARY) {
      std::fprintf(stderr, "oxptx: cuLinkAddData: %s is not PTX; oxptx links PTX only\n", name ? name : "input");
      return CUDA_ERROR_NOT_SUPPORTED;
    }
    if (type == CU_JIT_INPUT_FATBINARY) {
      auto ptx = ptxOfImage(data, kMaxSm);
      if (auto *error = std::get_if<std::string>(&ptx)) {
        std::fprintf(stderr, "oxptx: cuLinkAddData: %s\n", error->c_str());
        return CUDA_ERROR_NO_BINARY_FOR_GPU;
      }
      for (std::string &m : std::get<ImagePtx>(ptx).modules)
        state->modules.push_back(std::move(m));
      return CUDA_SUCCESS;
    }
    const char *text = static_cast<const char *>(data);
    state->modules.emplace_back(text, strnlen(text, size));
    return CUDA_SUCCESS;
  }, state, type, data, size, name);
}

CUresult cuLinkAddFile_v2(CUlinkState state, CUjitInputType type, const char *path, unsigned int numOptions,
                          CUjit_option *options, void **values) {
  return api(__func__, [&] {
    std::string text = path ? readFile(path) : std::string();
    if (text.empty())
      return CUDA_ERROR_FILE_NOT_FOUND;
    return cuLinkAddData_v2(state, type, text.data(), text.size() + 1, path, numOptions, options, values);
  }, state, type, path);
}

CUresult cuLinkComplete(CUlinkState state, void **image, size_t *size) {
  return api(__func__, [&] {
    if (!state || !image)
      return CUDA_ERROR_INVALID_VALUE;
    auto linked = linkPtx(state->modules);
    if (auto *error = std::get_if<LinkError>(&linked)) {
      std::fprintf(stderr, "oxptx: cuLinkComplete: %s\n", error->message.c_str());
      return CUDA_ERROR_INVALID_PTX;
    }
    state->linked = std::move(std::get<std::string>(linked));
    *image = state->linked.data();
    if (size)
      *size = state->linked.size() + 1;
    return CUDA_SUCCESS;
  }, state, image, size);
}

CUresult cuLinkDestroy(CUlinkState state) {
  return api(__func__, [&] {
    delete state;
    return CUDA_SUCCESS;
  }, state);
}

// --- occupancy
CUresult cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(int *blocks, CUfunction f, int blockSize,
                                                              size_t dynamicShared, unsigned int) {
  return api(__func__, [&] {
    if (!blocks)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    *blocks = blocksPerCore(f, blockSize, dynamicShared);
    return CUDA_SUCCESS;
  }, blocks, f, blockSize, dynamicShared);
}

CUresult cuOccupancyMaxActiveBlocksPerMultiprocessor(int *blocks, CUfunction f, int blockSize, size_t dynamicShared) {
  return cuOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(blocks, f, blockSize, dynamicShared, 0);
}

CUresult cuOccupancyMaxPotentialBlockSizeWithFlags(int *minGridSize, int *blockSize, CUfunction f,
                                                   CUoccupancyB2DSize sharedOfBlockSize, size_t dynamicShared,
                                                   int blockSizeLimit, unsigned int) {
  return api(__func__, [&] {
    if (!minGridSize || !blockSize)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    const sim::MachineConfig &c = driver().device().device.config();
    int limit = maxThreadsPerBlock(c);
    if (blockSizeLimit > 0)
      limit = std::min(limit, blockSizeLimit);
    int bestThreads = 0, bestSize = 32, bestBlocks = 0;
    for (int size = 32; size <= limit; size += 32) {
      size_t shared = sharedOfBlockSize ? sharedOfBlockSize(size) : dynamicShared;
      int blocks = blocksPerCore(f, size, shared);
      if (blocks * size >= bestThreads && blocks > 0) {
        bestThreads = blocks * size;
        bestSize = size;
        bestBlocks = blocks;
      }
    }
    *blockSize = bestSize;
    *minGridSize = bestBlocks * int(c.core.count);
    return CUDA_SUCCESS;
  }, minGridSize, blockSize, f, dynamicShared, blockSizeLimit);
}

CUresult cuOccupancyMaxPotentialBlockSize(int *minGridSize, int *blockSize, CUfunction f,
                                          CUoccupancyB2DSize sharedOfBlockSize, size_t dynamicShared,
                                          int blockSizeLimit) {
  return cuOccupancyMaxPotentialBlockSizeWithFlags(minGridSize, blockSize, f, sharedOfBlockSize, dynamicShared,
                                                   blockSizeLimit, 0);
}

CUresult cuOccupancyAvailableDynamicSMemPerBlock(size_t *bytes, CUfunction f, int numBlocks, int blockSize) {
  return api(__func__, [&] {
    if (!bytes || numBlocks <= 0)
      return CUDA_ERROR_INVALID_VALUE;
    if (!live(&Driver::functions, f))
      return CUDA_ERROR_INVALID_HANDLE;
    const sim::MachineConfig &c = driver().device().device.config();
    uint64_t perBlock = c.core.scratchpadBytes / uint64_t(numBlocks);
    uint64_t fixed = f->info->staticSharedBytes + sim::kReservedSharedBytes;
    *bytes = perBlock > fixed ? perBlock - fixed : 0;
    return CUDA_SUCCESS;
  }, bytes, f, numBlocks, blockSize);
}

} // extern "C"
