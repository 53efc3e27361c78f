// What the translator supports, per PTX instruction (for docs/ptx-coverage.md).
#pragma once

#include "ptx_parser/Instructions.h"

#include <optional>
#include <string_view>

namespace oxptx::translate {

/// The coverage document's status of `opcode` ("yes, except ..."), or nullopt if the
/// translator does not lower it yet.
std::optional<std::string_view> translationStatus(ptx::Opcode opcode);

} // namespace oxptx::translate
