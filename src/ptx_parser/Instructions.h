// The PTX instruction table (Instructions.def) in usable form: opcode lookup, the modifier
// groups, types and operand shapes each instruction accepts, and the ISA version and target it
// needs. One table serves the AST builder, the semantic checker, later passes and the coverage
// document.
#pragma once

#include "ptx_parser/PtxTypes.h"

#include <bitset>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace oxptx::ptx {

enum class Opcode : uint16_t {
#define INSTR(E, opcode, groups, types, operands, minPtx, minTarget) E,
#include "ptx_parser/Instructions.def"
  NumOpcodes,
  Invalid = NumOpcodes,
};

/// What an operand position accepts (see the operand column of Instructions.def).
struct OperandSpec {
  enum class Kind : uint8_t {
    Dest,       // d
    Source,     // s
    PredDest,   // P
    PredSource, // p
    Address,    // a
    Target,     // l
    List,       // L
    Any,        // x
  };
  enum class TypeRef : uint8_t { None, Slot, Wide, Fixed };

  Kind kind = Kind::Any;
  TypeRef typeRef = TypeRef::None;
  uint8_t slot = 0;        // Slot / Wide: index into the instruction's types
  Type fixed = Type::None; // Fixed
  bool optional = false;
  bool repeated = false;   // `*`: zero or more
  bool discardable = false; // `D`: a destination that may be the sink `_`
};

struct InstructionSpec {
  Opcode opcode;
  std::string_view name;
  std::bitset<size_t(ModGroup::NumGroupsWithShape)> groups;
  std::bitset<size_t(ModGroup::NumGroupsWithShape)> repeatableGroups;
  uint8_t minTypes = 0, maxTypes = 0;
  std::vector<Type> allowedTypes;
  std::vector<OperandSpec> operands;
  uint16_t minPtx = 0; // ISA version x10
  SmTarget minTarget;
  // The table text, for the coverage document.
  std::string_view groupsText, typesText, operandsText;

  bool allowsType(Type type) const;
  unsigned minOperands() const;
  unsigned maxOperands() const; // UINT32_MAX with a `*`
};

const InstructionSpec &instructionSpec(Opcode opcode);
std::span<const InstructionSpec> allInstructionSpecs();

/// Longest opcode that is a dot-prefix of `text` (`ld.global.f32` → ld); the length of the
/// matched prefix is stored in `matchedLength`. Invalid if no opcode matches.
Opcode lookupOpcode(std::string_view text, size_t &matchedLength);

/// Resolves one dot-component (without the dot) as a modifier of `spec`:
/// ok → the modifier; otherwise whether the spelling exists at all (unknown vs not allowed).
struct ModifierLookup {
  enum class Status { Ok, NotAllowed, Unknown } status;
  Modifier modifier{};
};
ModifierLookup lookupModifier(const InstructionSpec &spec, std::string_view spelling);

/// Special registers (%tid, %laneid, %envreg3, ...).
struct SpecialRegister {
  std::string_view name;
  Type type;
  bool vector;
  uint16_t minPtx;
  uint16_t minSm;
};
/// `name` must outlive the result (family members refer to it).
std::optional<SpecialRegister> lookupSpecialRegister(std::string_view name);

} // namespace oxptx::ptx
