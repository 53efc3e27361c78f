#include "translate/Coverage.h"

namespace oxptx::translate {

std::optional<std::string_view> translationStatus(ptx::Opcode opcode) {
  switch (opcode) {
#define TRANSLATED(E, lower, status)                                                              \
  case ptx::Opcode::E: return std::string_view(status);
#include "translate/Instructions.def"
  default: return std::nullopt;
  }
}

} // namespace oxptx::translate
