#include "ptx_parser/Instructions.h"

#include <array>
#include <cassert>
#include <charconv>
#include <unordered_map>

namespace oxptx::ptx {
namespace {

struct InstrRow {
  Opcode opcode;
  std::string_view name, groups, types, operands, minPtx, minTarget;
};

constexpr InstrRow kRows[] = {
#define INSTR(E, opcode, groups, types, operands, minPtx, minTarget)                               \
  {Opcode::E, opcode, groups, types, operands, minPtx, minTarget},
#include "ptx_parser/Instructions.def"
};

/// Named type sets usable in the types column.
const std::unordered_map<std::string_view, std::vector<Type>> &typeSets() {
  using T = Type;
  static const std::unordered_map<std::string_view, std::vector<Type>> sets = {
      {"@int", {T::U16, T::U32, T::U64, T::S16, T::S32, T::S64}},
      {"@int8", {T::U8, T::U16, T::U32, T::U64, T::S8, T::S16, T::S32, T::S64}},
      {"@bits", {T::B16, T::B32, T::B64}},
      {"@float", {T::F32, T::F64}},
      {"@half", {T::F16, T::F16x2, T::BF16, T::BF16x2}},
      {"@mem",
       {T::B8, T::B16, T::B32, T::B64, T::B128, T::U8, T::U16, T::U32, T::U64, T::S8, T::S16,
        T::S32, T::S64, T::F16, T::F16x2, T::BF16, T::BF16x2, T::F32, T::F64}},
  };
  return sets;
}

std::vector<std::string_view> splitWords(std::string_view text, char separator) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(separator, pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    while (!word.empty() && word.front() == ' ')
      word.remove_prefix(1);
    while (!word.empty() && word.back() == ' ')
      word.remove_suffix(1);
    if (!word.empty())
      words.push_back(word);
    pos = end + 1;
  }
  return words;
}

uint16_t parseVersion(std::string_view text) {
  unsigned major = 0, minor = 0;
  auto dot = text.find('.');
  std::from_chars(text.data(), text.data() + dot, major);
  std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor);
  return uint16_t(major * 10 + minor);
}

// The table is part of the program: a malformed row is a programming error caught by the unit
// test that builds every spec, so asserts (not diagnostics) guard it.
InstructionSpec buildSpec(const InstrRow &row) {
  InstructionSpec spec;
  spec.opcode = row.opcode;
  spec.name = row.name;
  spec.groupsText = row.groups;
  spec.typesText = row.types;
  spec.operandsText = row.operands;
  spec.minPtx = parseVersion(row.minPtx);
  spec.minTarget = SmTarget::parse(row.minTarget).value_or(SmTarget{});

  for (std::string_view word : splitWords(row.groups, ' ')) {
    bool repeat = word.ends_with("*2");
    if (repeat)
      word.remove_suffix(2);
    auto group = groupFromName(word);
    assert(group && "unknown modifier group in Instructions.def");
    spec.groups.set(size_t(*group));
    if (repeat)
      spec.repeatableGroups.set(size_t(*group));
  }
  // Every instruction may carry a type slot, and a matrix shape when it is a matrix op.
  if (spec.groups.test(size_t(ModGroup::Layout)) || spec.groups.test(size_t(ModGroup::Count)) ||
      spec.name.starts_with("wgmma") || spec.name.starts_with("mma") ||
      spec.name.starts_with("movmatrix"))
    spec.groups.set(size_t(ModGroup::Shape));

  auto typeWords = splitWords(row.types, ' ');
  if (!typeWords.empty()) {
    std::string_view count = typeWords[0];
    auto dash = count.find('-');
    std::from_chars(count.data(), count.data() + count.size(), spec.minTypes);
    spec.maxTypes = spec.minTypes;
    if (dash != std::string_view::npos)
      std::from_chars(count.data() + dash + 1, count.data() + count.size(), spec.maxTypes);
    if (typeWords.size() > 1) {
      for (std::string_view name : splitWords(typeWords[1], ',')) {
        if (name.starts_with('@')) {
          const auto &set = typeSets().at(name);
          spec.allowedTypes.insert(spec.allowedTypes.end(), set.begin(), set.end());
        } else {
          auto type = typeFromSpelling(name);
          assert(type && "unknown type in Instructions.def");
          spec.allowedTypes.push_back(*type);
        }
      }
    }
  }
  if (spec.maxTypes > 0) {
    spec.groups.set(size_t(ModGroup::Type));
    if (spec.maxTypes > 1)
      spec.repeatableGroups.set(size_t(ModGroup::Type));
  }

  for (std::string_view word : splitWords(row.operands, ' ')) {
    OperandSpec op;
    if (word.ends_with('?')) {
      op.optional = true;
      word.remove_suffix(1);
    } else if (word.ends_with('*')) {
      op.repeated = op.optional = true;
      word.remove_suffix(1);
    }
    static const std::unordered_map<char, OperandSpec::Kind> kinds = {
        {'d', OperandSpec::Kind::Dest},       {'s', OperandSpec::Kind::Source},
        {'P', OperandSpec::Kind::PredDest},   {'p', OperandSpec::Kind::PredSource},
        {'a', OperandSpec::Kind::Address},    {'l', OperandSpec::Kind::Target},
        {'L', OperandSpec::Kind::List},       {'x', OperandSpec::Kind::Any},
    };
    op.discardable = word[0] == 'D';
    op.kind = op.discardable ? OperandSpec::Kind::Dest : kinds.at(word[0]);
    if (word.size() > 2 && word[1] == ':') {
      std::string_view ref = word.substr(2);
      if (ref == "w") {
        op.typeRef = OperandSpec::TypeRef::Wide;
      } else if (ref.size() == 1 && ref[0] >= '0' && ref[0] <= '3') {
        op.typeRef = OperandSpec::TypeRef::Slot;
        op.slot = uint8_t(ref[0] - '0');
      } else {
        op.typeRef = OperandSpec::TypeRef::Fixed;
        auto type = typeFromSpelling(ref);
        assert(type && "unknown operand type in Instructions.def");
        op.fixed = *type;
      }
    }
    spec.operands.push_back(op);
  }
  return spec;
}

const std::vector<InstructionSpec> &specs() {
  static const std::vector<InstructionSpec> table = [] {
    std::vector<InstructionSpec> v;
    v.reserve(std::size(kRows));
    for (const InstrRow &row : kRows)
      v.push_back(buildSpec(row));
    return v;
  }();
  return table;
}

/// Every spelling that is a modifier in some group, with all its (group, value) readings.
using Readings = std::vector<Modifier>;
const std::unordered_map<std::string_view, Readings> &modifierIndex() {
  static const auto index = [] {
    std::unordered_map<std::string_view, Readings> map;
    for (size_t i = 1; i < size_t(Mod::NumMods); ++i) {
      const ModInfo &info = modInfo(Mod(i));
      map[info.spelling].push_back({info.group, uint16_t(i)});
    }
    for (size_t t = 1; t < size_t(Type::Count); ++t)
      map[typeInfo(Type(t)).spelling].push_back({ModGroup::Type, uint16_t(t)});
    for (size_t s = 1; s < size_t(StateSpace::Count); ++s)
      map[stateSpaceInfo(StateSpace(s)).spelling].push_back({ModGroup::Space, uint16_t(s)});
    return map;
  }();
  return index;
}

constexpr SpecialRegister kSpecialRegisters[] = {
#define SREG(spelling, type, vector, minPtx, minSm) {spelling, Type::type, vector, minPtx, minSm},
#include "ptx_parser/SpecialRegisters.def"
};

struct SregFamily {
  std::string_view prefix;
  Type type;
  unsigned count;
  uint16_t minPtx, minSm;
};
constexpr SregFamily kSregFamilies[] = {
#define SREG_FAMILY(prefix, type, count, minPtx, minSm) {prefix, Type::type, count, minPtx, minSm},
#include "ptx_parser/SpecialRegisters.def"
};

} // namespace

bool InstructionSpec::allowsType(Type type) const {
  for (Type t : allowedTypes)
    if (t == type)
      return true;
  return false;
}

unsigned InstructionSpec::minOperands() const {
  unsigned n = 0;
  for (const OperandSpec &op : operands)
    n += op.optional ? 0 : 1;
  return n;
}

unsigned InstructionSpec::maxOperands() const {
  if (!operands.empty() && operands.back().repeated)
    return UINT32_MAX;
  return unsigned(operands.size());
}

const InstructionSpec &instructionSpec(Opcode opcode) { return specs()[size_t(opcode)]; }

std::span<const InstructionSpec> allInstructionSpecs() { return specs(); }

Opcode lookupOpcode(std::string_view text, size_t &matchedLength) {
  static const auto index = [] {
    std::unordered_map<std::string_view, Opcode> map;
    for (const InstructionSpec &spec : specs())
      map.emplace(spec.name, spec.opcode);
    return map;
  }();
  // Try the longest dotted prefix first; opcodes have at most four components.
  size_t ends[8];
  size_t count = 0;
  for (size_t i = 0; i <= text.size() && count < 8; ++i)
    if (i == text.size() || text[i] == '.')
      ends[count++] = i;
  for (size_t i = count; i-- > 0;) {
    auto it = index.find(text.substr(0, ends[i]));
    if (it != index.end()) {
      matchedLength = ends[i];
      return it->second;
    }
  }
  matchedLength = 0;
  return Opcode::Invalid;
}

ModifierLookup lookupModifier(const InstructionSpec &spec, std::string_view spelling) {
  const auto &index = modifierIndex();
  auto it = index.find(spelling);
  if (it != index.end()) {
    for (const Modifier &reading : it->second)
      if (spec.groups.test(size_t(reading.group)))
        return {ModifierLookup::Status::Ok, reading};
    return {ModifierLookup::Status::NotAllowed, it->second.front()};
  }
  if (auto shape = Shape::parse(spelling)) {
    Modifier m{ModGroup::Shape, shape->pack()};
    return {spec.groups.test(size_t(ModGroup::Shape)) ? ModifierLookup::Status::Ok
                                                       : ModifierLookup::Status::NotAllowed,
            m};
  }
  return {ModifierLookup::Status::Unknown, {}};
}

std::optional<SpecialRegister> lookupSpecialRegister(std::string_view name) {
  static const auto index = [] {
    std::unordered_map<std::string_view, const SpecialRegister *> map;
    for (const SpecialRegister &reg : kSpecialRegisters)
      map.emplace(reg.name, &reg);
    return map;
  }();
  if (auto it = index.find(name); it != index.end())
    return *it->second;
  // Numbered families: %envreg0..%envreg31, %pm0..%pm7.
  for (const SregFamily &family : kSregFamilies) {
    if (!name.starts_with(family.prefix) || name.size() == family.prefix.size())
      continue;
    std::string_view digits = name.substr(family.prefix.size());
    unsigned n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size() && n < family.count &&
        (digits.size() == 1 || digits[0] != '0'))
      return SpecialRegister{name, family.type, false, family.minPtx, family.minSm};
  }
  return std::nullopt;
}

} // namespace oxptx::ptx
