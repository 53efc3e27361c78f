#include "runtime/ModuleCache.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA256.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace oxptx::runtime {

ModuleCache::ModuleCache(std::string directory) {
  if (directory.empty()) {
    if (const char *env = std::getenv("OXPTX_CACHE_DIR"))
      directory = env;
    else if (const char *xdg = std::getenv("XDG_CACHE_HOME"))
      directory = std::string(xdg) + "/oxptx";
    else if (const char *home = std::getenv("HOME"))
      directory = std::string(home) + "/.cache/oxptx";
  }
  if (directory == "off")
    directory.clear();
  std::error_code error;
  if (!directory.empty() && !std::filesystem::create_directories(directory, error) && error)
    directory.clear(); // cannot create it: no cache
  directory_ = directory;
}

std::string ModuleCache::key(std::string_view ptx, const backend::BackendOptions &options) const {
  llvm::SHA256 hash;
  std::string header = std::string(kBackendVersion) + "|O" + std::to_string(options.optLevel) +
                       (options.genericSimt ? "|generic|" : "|full|");
  hash.update(header);
  hash.update(llvm::StringRef(ptx.data(), ptx.size()));
  std::array<uint8_t, 32> digest = hash.final();
  return llvm::toHex(digest, true);
}

std::optional<std::string> ModuleCache::find(const std::string &key) const {
  if (!enabled())
    return std::nullopt;
  std::ifstream in(directory_ + "/" + key + ".oximg", std::ios::binary);
  if (!in)
    return std::nullopt;
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::string image = bytes.str();
  if (image.size() < 64 || image.compare(0, 4, "\x7f" "ELF") != 0)
    return std::nullopt; // damaged: the caller rebuilds and overwrites it
  return image;
}

void ModuleCache::store(const std::string &key, std::string_view image) const {
  if (!enabled())
    return;
  std::string final = directory_ + "/" + key + ".oximg";
  std::string temporary = final + ".tmp." + std::to_string(::getpid()) + "." +
                          std::to_string(reinterpret_cast<uintptr_t>(&image));
  {
    std::ofstream out(temporary, std::ios::binary);
    if (!out || !out.write(image.data(), std::streamsize(image.size())))
      return;
  }
  std::error_code error;
  std::filesystem::rename(temporary, final, error); // atomic: readers see the old or the new file
  if (error)
    std::filesystem::remove(temporary, error);
}

} // namespace oxptx::runtime
