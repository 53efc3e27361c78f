// Linking PTX modules into one (relocatable device code: `nvcc -rdc=true` embeds one PTX per
// translation unit; cuLink* takes several): the newest .version heads the result, `.extern`
// declarations of symbols another module defines are dropped, and each module's internal
// (non-.visible) symbols get a per-module suffix so two translation units' `$str` or static
// functions do not collide. A .visible symbol defined twice is an error, as for nvlink.
#pragma once

#include <string>
#include <variant>
#include <vector>

namespace oxptx::shim {

struct LinkError {
  std::string message;
};

std::variant<std::string, LinkError> linkPtx(const std::vector<std::string> &modules);

} // namespace oxptx::shim
