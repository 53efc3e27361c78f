#include "ptx_parser/Ast.h"

#include <algorithm>

namespace oxptx::ptx {

Symbol NameTable::intern(std::string_view text) {
  auto [it, inserted] = index_.try_emplace(llvm::StringRef(text.data(), text.size()),
                                           uint32_t(names_.size()));
  if (inserted)
    names_.push_back(&*it);
  return Symbol{it->second};
}

std::optional<Symbol> NameTable::find(std::string_view text) const {
  auto it = index_.find(llvm::StringRef(text.data(), text.size()));
  return it == index_.end() ? std::nullopt : std::optional<Symbol>(Symbol{it->second});
}

OperandList::OperandList(const OperandList &other)
    : elements_(other.elements_ ? std::make_unique<std::vector<Operand>>(*other.elements_)
                                : nullptr) {}

OperandList &OperandList::operator=(const OperandList &other) {
  if (this != &other)
    *this = OperandList(other);
  return *this;
}

OperandList &OperandList::operator=(std::vector<Operand> &&elements) {
  if (elements.empty())
    elements_.reset();
  else
    elements_ = std::make_unique<std::vector<Operand>>(std::move(elements));
  return *this;
}

bool OperandList::operator==(const OperandList &other) const {
  return std::equal(begin(), end(), other.begin(), other.end());
}

std::optional<uint16_t> Instruction::modifier(ModGroup group) const {
  for (const Modifier &m : modifiers)
    if (m.group == group)
      return m.value;
  return std::nullopt;
}

bool Instruction::has(Mod mod) const {
  const ModInfo &info = modInfo(mod);
  for (const Modifier &m : modifiers)
    if (m.group == info.group && m.value == uint16_t(mod))
      return true;
  return false;
}

Mod Instruction::mod(ModGroup group) const {
  auto value = modifier(group);
  return value ? Mod(*value) : Mod::None;
}

StateSpace Instruction::space() const {
  auto value = modifier(ModGroup::Space);
  return value ? StateSpace(*value) : StateSpace::None;
}

llvm::SmallVector<Type, 4> Instruction::types() const {
  llvm::SmallVector<Type, 4> result;
  for (const Modifier &m : modifiers)
    if (m.group == ModGroup::Type)
      result.push_back(Type(m.value));
  return result;
}

std::optional<Shape> Instruction::shape() const {
  auto value = modifier(ModGroup::Shape);
  return value ? std::optional<Shape>(Shape::unpack(*value)) : std::nullopt;
}

unsigned Instruction::vectorWidth() const {
  switch (mod(ModGroup::Vector)) {
  case Mod::Vector_V2:
    return 2;
  case Mod::Vector_V4:
    return 4;
  case Mod::Vector_V8:
    return 8;
  default:
    return 1;
  }
}

std::optional<SmTarget> Module::smTarget() const {
  for (const std::string &target : targets)
    if (auto sm = SmTarget::parse(target))
      return sm;
  return std::nullopt;
}

bool operator==(const Module &a, const Module &b) {
  if (a.version != b.version || a.targets != b.targets || a.addressSize != b.addressSize ||
      a.hasAddressSize != b.hasAddressSize || a.items != b.items ||
      a.names.size() != b.names.size())
    return false;
  for (uint32_t i = 0; i < a.names.size(); ++i)
    if (a.names.text(Symbol{i}) != b.names.text(Symbol{i}))
      return false;
  return true;
}

ParamExtent paramExtent(const VariableDecl &decl, const Declarator &declarator) {
  if (!decl.opaqueKind.empty()) // .texref/.samplerref/.surfref: a 64-bit handle
    return {8, 8};
  uint64_t count = 1;
  for (const auto &dim : declarator.dims)
    count *= dim.value_or(1);
  uint64_t element = std::max<uint64_t>(1, typeInfo(decl.type).bits / 8) * decl.vectorWidth;
  return {count * element, decl.align ? decl.align : element};
}

ParamLayout kernelParamLayout(const Function &kernel) {
  ParamLayout layout;
  for (const VariableDecl &p : kernel.params)
    for (const Declarator &d : p.declarators) {
      ParamExtent e = paramExtent(p, d);
      uint64_t offset = (layout.bytes + e.align - 1) / e.align * e.align;
      layout.slots.push_back({offset, e.size});
      layout.bytes = offset + e.size;
    }
  return layout;
}

} // namespace oxptx::ptx
