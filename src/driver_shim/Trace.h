// OXPTX_TRACE=1: one line per driver API call on stderr, with its arguments and result. Also the
// one-line notice for entry points oxptx does not implement.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

namespace oxptx::shim {

bool tracing();

/// Logs `name(args...) = result` when tracing.
void traceCall(const char *name, const std::string &arguments, int result);

/// The result of an entry point oxptx does not implement (CUDA_ERROR_NOT_SUPPORTED), with a
/// notice naming it, printed once per name.
int notSupported(const char *name);

template <typename T> std::string traceArgument(const T &value) {
  if constexpr (std::is_same_v<T, const char *> || std::is_same_v<T, char *>)
    return value ? "\"" + std::string(value) + "\"" : "NULL";
  else if constexpr (std::is_same_v<T, unsigned long long>) { // CUdeviceptr: an address
    char text[32];
    std::snprintf(text, sizeof text, "0x%llx", value);
    return text;
  } else if constexpr (std::is_pointer_v<T>) {
    char text[32];
    std::snprintf(text, sizeof text, "%p", static_cast<const void *>(value));
    return text;
  } else if constexpr (std::is_enum_v<T>)
    return std::to_string(static_cast<long long>(value));
  else if constexpr (std::is_integral_v<T>)
    return std::to_string(value);
  else if constexpr (std::is_floating_point_v<T>)
    return std::to_string(value);
  else
    return "{...}";
}

template <typename... A> std::string traceArguments(const A &...args) {
  std::string text;
  ((text += (text.empty() ? "" : ", ") + traceArgument(args)), ...);
  return text;
}

} // namespace oxptx::shim
