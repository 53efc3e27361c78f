// The on-disk cache of kernel images: PTX → image is the expensive step of loading a module
// (translation, vectorization, code generation), so images are kept in a directory, keyed by a
// SHA-256 of the PTX text, the backend's version and the build options. Safe under concurrent
// processes: an entry is written to a unique temporary file and renamed into place (atomic on
// POSIX), and a reader only ever sees a complete file; a damaged entry is rebuilt.
#pragma once

#include "backend/Backend.h"

#include <optional>
#include <string>
#include <string_view>

namespace oxptx::runtime {

/// The version of the code generator, part of every cache key: bump it when generated code changes.
constexpr std::string_view kBackendVersion = "oxptx-backend-3";

class ModuleCache {
public:
  /// `directory` empty: $OXPTX_CACHE_DIR, else $XDG_CACHE_HOME/oxptx, else ~/.cache/oxptx;
  /// OXPTX_CACHE_DIR=off disables the cache.
  explicit ModuleCache(std::string directory = {});

  std::string key(std::string_view ptx, const backend::BackendOptions &options) const;
  std::optional<std::string> find(const std::string &key) const;
  /// Stores an image (errors are ignored: a cache that cannot be written is only slower).
  void store(const std::string &key, std::string_view image) const;
  bool enabled() const { return !directory_.empty(); }
  const std::string &directory() const { return directory_; }

private:
  std::string directory_;
};

} // namespace oxptx::runtime
