// Vocabulary of PTX shared by the AST, the instruction table, the checker and later passes:
// fundamental types, state spaces, modifier groups and modifiers, matrix shapes, ISA versions and
// targets. Everything here is generated from the .def tables next to this file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oxptx::ptx {

enum class Type : uint8_t {
  None,
#define TYPE(E, spelling, bits, kind) E,
#include "ptx_parser/Types.def"
  Count, // one past the last type
};

enum class TypeKind : uint8_t { Bits, Unsigned, Signed, Float, Packed, Pred };

struct TypeInfo {
  std::string_view spelling;
  uint16_t bits;
  TypeKind kind;
};

const TypeInfo &typeInfo(Type type);
std::optional<Type> typeFromSpelling(std::string_view spelling);

enum class StateSpace : uint8_t {
  None,
#define SPACE(E, spelling, minPtx, minSm) E,
#include "ptx_parser/StateSpaces.def"
  Count, // one past the last state space
};

struct StateSpaceInfo {
  std::string_view spelling;
  uint16_t minPtx;
  uint16_t minSm;
};

const StateSpaceInfo &stateSpaceInfo(StateSpace space);
std::optional<StateSpace> stateSpaceFromSpelling(std::string_view spelling);

enum class ModGroup : uint8_t {
#define GROUP(G, description) G,
#include "ptx_parser/Modifiers.def"
  NumGroups,
  Shape = NumGroups, // matrix shapes are parsed (m16n8k16), not listed
  NumGroupsWithShape,
};

std::string_view groupName(ModGroup group);
std::string_view groupDescription(ModGroup group);
std::optional<ModGroup> groupFromName(std::string_view name);

/// Every listed modifier, named Group_Spelling (Mod::Rounding_RN, Mod::Compare_LO).
enum class Mod : uint16_t {
  None,
#define MOD(G, E, spelling, minPtx, minSm) G##_##E,
#include "ptx_parser/Modifiers.def"
  NumMods,
};

struct ModInfo {
  ModGroup group;
  std::string_view spelling;
  uint16_t minPtx;
  uint16_t minSm;
};

const ModInfo &modInfo(Mod mod);

/// A matrix shape `mMnNkK` (k = 0 when absent, as in ldmatrix's m8n8), packed in 16 bits so that
/// it fits a modifier slot.
struct Shape {
  uint16_t m = 0, n = 0, k = 0;
  static std::optional<Shape> parse(std::string_view spelling);
  static Shape unpack(uint16_t packed);
  uint16_t pack() const;
  std::string spelling() const;
  bool operator==(const Shape &) const = default;
};

/// One modifier of an instruction as written: its group and the value within the group (a Type,
/// a StateSpace, a packed Shape or a Mod, depending on the group).
struct Modifier {
  ModGroup group;
  uint16_t value;
  bool operator==(const Modifier &) const = default;
  std::string spelling() const;
};

/// `.version 9.0` is 90; `.target sm_90a` is {90, archSpecific}.
struct PtxVersion {
  uint16_t major = 0, minor = 0;
  uint16_t code() const { return uint16_t(major * 10 + minor); }
  bool operator==(const PtxVersion &) const = default;
};

struct SmTarget {
  uint16_t sm = 0;
  bool archSpecific = false; // sm_90a
  bool familySpecific = false; // sm_100f
  static std::optional<SmTarget> parse(std::string_view spelling);
  std::string spelling() const;
};

std::string formatVersionCode(uint16_t code); // 78 -> "7.8"

} // namespace oxptx::ptx
