#include "ptx_parser/PtxTypes.h"

#include <array>
#include <charconv>
#include <unordered_map>

namespace oxptx::ptx {
namespace {

constexpr TypeInfo kNoType{"", 0, TypeKind::Bits};
constexpr TypeInfo kTypes[] = {
#define TYPE(E, spelling, bits, kind) {spelling, bits, TypeKind::kind},
#include "ptx_parser/Types.def"
};

constexpr StateSpaceInfo kNoSpace{"", 0, 0};
constexpr StateSpaceInfo kSpaces[] = {
#define SPACE(E, spelling, minPtx, minSm) {spelling, minPtx, minSm},
#include "ptx_parser/StateSpaces.def"
};

struct GroupRow {
  std::string_view name, description;
};
constexpr GroupRow kGroups[] = {
#define GROUP(G, description) {#G, description},
#include "ptx_parser/Modifiers.def"
    {"Shape", "matrix shape"},
};

constexpr ModInfo kMods[] = {
    {ModGroup::Type, "", 0, 0},
#define MOD(G, E, spelling, minPtx, minSm) {ModGroup::G, spelling, minPtx, minSm},
#include "ptx_parser/Modifiers.def"
};

// Shapes pack as 5 bits of m/8 (m ≤ 248), 6 bits of n/8, 5 bits of log2(k)+1 (k ≤ 2^30).
bool parseNumber(std::string_view &s, uint16_t &value) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data())
    return false;
  s.remove_prefix(size_t(end - s.data()));
  return true;
}

} // namespace

const TypeInfo &typeInfo(Type type) {
  return type == Type::None ? kNoType : kTypes[size_t(type) - 1];
}

std::optional<Type> typeFromSpelling(std::string_view spelling) {
  static const auto index = [] {
    std::unordered_map<std::string_view, Type> map;
    for (size_t i = 0; i < std::size(kTypes); ++i)
      map.emplace(kTypes[i].spelling, Type(i + 1));
    return map;
  }();
  auto it = index.find(spelling);
  return it == index.end() ? std::nullopt : std::optional<Type>(it->second);
}

const StateSpaceInfo &stateSpaceInfo(StateSpace space) {
  return space == StateSpace::None ? kNoSpace : kSpaces[size_t(space) - 1];
}

std::optional<StateSpace> stateSpaceFromSpelling(std::string_view spelling) {
  for (size_t i = 0; i < std::size(kSpaces); ++i)
    if (kSpaces[i].spelling == spelling)
      return StateSpace(i + 1);
  return std::nullopt;
}

std::string_view groupName(ModGroup group) { return kGroups[size_t(group)].name; }
std::string_view groupDescription(ModGroup group) { return kGroups[size_t(group)].description; }

std::optional<ModGroup> groupFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kGroups); ++i)
    if (kGroups[i].name == name)
      return ModGroup(i);
  return std::nullopt;
}

const ModInfo &modInfo(Mod mod) { return kMods[size_t(mod)]; }

std::optional<Shape> Shape::parse(std::string_view s) {
  Shape shape;
  if (s.empty() || s[0] != 'm')
    return std::nullopt;
  s.remove_prefix(1);
  if (!parseNumber(s, shape.m) || s.empty() || s[0] != 'n')
    return std::nullopt;
  s.remove_prefix(1);
  if (!parseNumber(s, shape.n))
    return std::nullopt;
  if (!s.empty()) {
    if (s[0] != 'k')
      return std::nullopt;
    s.remove_prefix(1);
    if (!parseNumber(s, shape.k) || !s.empty())
      return std::nullopt;
  }
  bool kIsPowerOfTwo = shape.k == 0 || (shape.k & (shape.k - 1)) == 0;
  if (shape.m == 0 || shape.m % 8 || shape.m > 248 || shape.n == 0 || shape.n % 8 ||
      shape.n > 504 || !kIsPowerOfTwo)
    return std::nullopt;
  return shape;
}

uint16_t Shape::pack() const {
  unsigned kCode = 0;
  if (k)
    for (kCode = 1; (1u << (kCode - 1)) != k; ++kCode) {
    }
  return uint16_t((m / 8) | ((n / 8) << 5) | (kCode << 11));
}

Shape Shape::unpack(uint16_t packed) {
  Shape shape;
  shape.m = uint16_t((packed & 31) * 8);
  shape.n = uint16_t(((packed >> 5) & 63) * 8);
  unsigned kCode = packed >> 11;
  shape.k = kCode ? uint16_t(1u << (kCode - 1)) : 0;
  return shape;
}

std::string Shape::spelling() const {
  std::string s = "m" + std::to_string(m) + "n" + std::to_string(n);
  if (k)
    s += "k" + std::to_string(k);
  return s;
}

std::string Modifier::spelling() const {
  switch (group) {
  case ModGroup::Type:
    return std::string(typeInfo(Type(value)).spelling);
  case ModGroup::Space:
    return std::string(stateSpaceInfo(StateSpace(value)).spelling);
  case ModGroup::Shape:
    return Shape::unpack(value).spelling();
  default:
    return std::string(modInfo(Mod(value)).spelling);
  }
}

std::optional<SmTarget> SmTarget::parse(std::string_view s) {
  if (!s.starts_with("sm_"))
    return std::nullopt;
  s.remove_prefix(3);
  SmTarget target;
  if (!parseNumber(s, target.sm))
    return std::nullopt;
  if (s == "a")
    target.archSpecific = true;
  else if (s == "f")
    target.familySpecific = true;
  else if (!s.empty())
    return std::nullopt;
  return target;
}

std::string SmTarget::spelling() const {
  return "sm_" + std::to_string(sm) + (archSpecific ? "a" : familySpecific ? "f" : "");
}

std::string formatVersionCode(uint16_t code) {
  return std::to_string(code / 10) + "." + std::to_string(code % 10);
}

} // namespace oxptx::ptx
