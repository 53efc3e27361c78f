#include "ptx_parser/NodeFactory.h"

#include <bit>
#include <charconv>
#include <cstdlib>
#include <string>

namespace oxptx::ptx {

namespace {

struct IntegerDigits {
  std::string_view digits;
  int base;
};

IntegerDigits splitIntegerLiteral(std::string_view text) {
  if (text.ends_with('U'))
    text.remove_suffix(1);
  if (text.starts_with("0x") || text.starts_with("0X"))
    return {text.substr(2), 16};
  if (text.starts_with("0b") || text.starts_with("0B"))
    return {text.substr(2), 2};
  if (text.size() > 1 && text[0] == '0')
    return {text.substr(1), 8};
  return {text, 10};
}

} // namespace

std::optional<uint64_t> NodeFactory::integerValue(std::string_view text) {
  auto [digits, base] = splitIntegerLiteral(text);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (ec != std::errc() || end != digits.data() + digits.size())
    return std::nullopt;
  return value;
}

std::optional<uint64_t> NodeFactory::integer(std::string_view text, SourceLoc at) {
  if (auto value = integerValue(text))
    return value;
  auto [digits, base] = splitIntegerLiteral(text);
  uint64_t ignored = 0;
  bool overflow = std::from_chars(digits.data(), digits.data() + digits.size(), ignored, base)
                      .ec == std::errc::result_out_of_range;
  diags_.error(at, "integer literal '" + std::string(text) + "' is not a valid " +
                       (overflow ? std::string("64-bit value")
                                 : "base-" + std::to_string(base) + " number"));
  return std::nullopt;
}

Value NodeFactory::floatLiteral(std::string_view text) {
  Value v;
  if (text.size() > 2 && (text[1] == 'f' || text[1] == 'F')) {
    v.kind = Value::Kind::Float32;
    std::from_chars(text.data() + 2, text.data() + text.size(), v.bits, 16);
  } else if (text.size() > 2 && (text[1] == 'd' || text[1] == 'D')) {
    v.kind = Value::Kind::Float64;
    std::from_chars(text.data() + 2, text.data() + text.size(), v.bits, 16);
  } else {
    v.kind = Value::Kind::Float64; // PTX decimal float literals are double precision
    v.bits = std::bit_cast<uint64_t>(std::strtod(std::string(text).c_str(), nullptr));
  }
  return v;
}

Value NodeFactory::name(std::string_view text, SourceLoc at) {
  Value v;
  v.kind = Value::Kind::Name;
  auto dot = text.find('.');
  if (dot == std::string_view::npos) {
    v.name = intern(text);
    return v;
  }
  std::string_view component = text.substr(dot + 1);
  if (component.find('.') != std::string_view::npos) {
    diags_.error(at, "'" + std::string(text) +
                         "' is not a register or symbol name; an instruction cannot appear here");
    v.kind = Value::Kind::Error;
    return v;
  }
  v.name = intern(text.substr(0, dot));
  v.component = intern(component);
  return v;
}

Value NodeFactory::unary(char op, Value v, SourceLoc at) {
  switch (v.kind) {
  case Value::Kind::Integer:
    v.bits = op == '-' ? uint64_t(0) - v.bits : op == '~' ? ~v.bits : uint64_t(v.bits == 0);
    return v;
  case Value::Kind::Float32:
  case Value::Kind::Float64:
    if (op == '-') {
      v.bits ^= v.kind == Value::Kind::Float32 ? (uint64_t(1) << 31) : (uint64_t(1) << 63);
      return v;
    }
    break;
  case Value::Kind::Name:
    if (op == '!' && !v.negated && !v.component) {
      v.negated = true;
      return v;
    }
    break;
  default:
    return v;
  }
  diags_.error(at, "operator '" + std::string(1, op) + "' cannot be applied here; PTX allows "
                   "'-'/'~' on integers, '-' on floats and '!' on predicates");
  return {};
}

Value NodeFactory::binary(std::string_view op, Value a, Value b, SourceLoc at) {
  if (a.kind == Value::Kind::Error || b.kind == Value::Kind::Error)
    return {};
  using K = Value::Kind;
  if (a.kind == K::Integer && b.kind == K::Integer) {
    uint64_t x = a.bits, y = b.bits;
    if ((op == "/" || op == "%") && y == 0) {
      diags_.error(at, "division by zero in constant expression");
      return {};
    }
    uint64_t r = op == "+"    ? x + y
                 : op == "-"  ? x - y
                 : op == "*"  ? x * y
                 : op == "/"  ? uint64_t(int64_t(x) / int64_t(y))
                 : op == "%"  ? uint64_t(int64_t(x) % int64_t(y))
                 : op == "<<" ? (y < 64 ? x << y : 0)
                 : op == ">>" ? (y < 64 ? x >> y : 0)
                 : op == "&"  ? x & y
                 : op == "^"  ? x ^ y
                              : x | y;
    return Value::integer(r);
  }
  bool aIsSym = a.kind == K::Name || a.kind == K::Generic;
  bool bIsSym = b.kind == K::Name || b.kind == K::Generic;
  if (aIsSym && b.kind == K::Integer && (op == "+" || op == "-") && !a.negated) {
    a.bits += op == "+" ? b.bits : uint64_t(0) - b.bits;
    return a;
  }
  if (bIsSym && a.kind == K::Integer && op == "+" && !b.negated) {
    b.bits += a.bits;
    return b;
  }
  if (a.kind == K::Name && b.kind == K::Name && op == "|" && !a.negated && !b.negated &&
      a.bits == 0 && b.bits == 0) {
    a.kind = K::PredPair;
    a.second = b.name;
    return a;
  }
  diags_.error(at, "unsupported expression: PTX operands are registers, literals, "
                   "symbol+offset or constant integer arithmetic");
  return {};
}

Operand NodeFactory::operand(const Value &v, SourceLoc at) {
  Operand op;
  op.loc = at;
  switch (v.kind) {
  case Value::Kind::Integer:
    op.kind = Operand::Kind::Integer;
    op.bits = v.bits;
    break;
  case Value::Kind::Float32:
    op.kind = Operand::Kind::Float32;
    op.bits = v.bits;
    break;
  case Value::Kind::Float64:
    op.kind = Operand::Kind::Float64;
    op.bits = v.bits;
    break;
  case Value::Kind::Name:
  case Value::Kind::Generic: // generic(sym) is only meaningful in initializers
    if (module_.name(v.name) == "_" && !v.component && !v.negated && v.bits == 0) {
      op.kind = Operand::Kind::Sink;
      break;
    }
    op.kind = Operand::Kind::Name;
    op.name = v.name;
    op.component = v.component;
    op.negated = v.negated;
    op.bits = v.bits;
    break;
  case Value::Kind::PredPair: {
    op.kind = Operand::Kind::PredPair;
    Operand first, second;
    first.name = v.name;
    second.name = v.second;
    first.loc = second.loc = at;
    if (module_.name(v.name) == "_")
      first.kind = Operand::Kind::Sink; // elect.sync _|p
    if (module_.name(v.second) == "_")
      second.kind = Operand::Kind::Sink;
    op.elements = std::vector<Operand>{first, second};
    break;
  }
  case Value::Kind::Error:
    op.kind = Operand::Kind::Sink;
    break;
  }
  return op;
}

Initializer NodeFactory::initializer(const Value &v, SourceLoc at) {
  Initializer init;
  init.loc = at;
  init.bits = v.bits;
  init.name = v.name;
  switch (v.kind) {
  case Value::Kind::Integer:
    init.kind = Initializer::Kind::Integer;
    break;
  case Value::Kind::Float32:
    init.kind = Initializer::Kind::Float32;
    break;
  case Value::Kind::Float64:
    init.kind = Initializer::Kind::Float64;
    break;
  case Value::Kind::Generic:
    init.kind = Initializer::Kind::Generic;
    break;
  case Value::Kind::Name:
    if (!v.negated && !v.component) {
      init.kind = Initializer::Kind::Name;
      break;
    }
    [[fallthrough]];
  default:
    diags_.error(at, "an initializer must be a constant, a symbol, symbol+offset or "
                     "generic(symbol)");
  }
  return init;
}

Operand NodeFactory::address(std::vector<Operand> elements, SourceLoc at) {
  Operand op;
  op.loc = at;
  op.kind = Operand::Kind::Address;
  Operand base = std::move(elements.front());
  elements.erase(elements.begin());
  op.elements = std::move(elements);
  if (base.kind == Operand::Kind::Name && !base.negated && !base.component) {
    op.name = base.name;
    op.bits = base.bits;
  } else if (base.kind == Operand::Kind::Integer) {
    op.bits = base.bits;
  } else {
    diags_.error(base.loc, "an address must be [register], [symbol], [name+offset] or "
                           "[integer]");
  }
  return op;
}

bool NodeFactory::instruction(Instruction &inst, std::string_view text, SourceLoc opLoc,
                              SourceLoc loc) {
  inst.loc = loc;
  size_t matched = 0;
  inst.opcode = lookupOpcode(text, matched);
  if (inst.opcode == Opcode::Invalid) {
    diags_.error(opLoc, "unknown instruction '" + std::string(text.substr(0, text.find('.'))) +
                            "'");
    return false;
  }
  const InstructionSpec &spec = instructionSpec(inst.opcode);
  bool ok = true;
  size_t pos = matched;
  while (pos < text.size()) {
    size_t next = text.find('.', pos + 1);
    if (next == std::string_view::npos)
      next = text.size();
    SourceLoc modLoc{opLoc.line, opLoc.column + uint32_t(pos)};
    ok &= addModifier(inst, spec, text.substr(pos + 1, next - pos - 1), modLoc);
    pos = next;
  }
  return ok;
}

bool NodeFactory::addModifier(Instruction &inst, const InstructionSpec &spec,
                              std::string_view spelling, SourceLoc at) {
  ModifierLookup found = lookupModifier(spec, spelling);
  std::string quoted = "'." + std::string(spelling) + "'";
  if (found.status == ModifierLookup::Status::Unknown) {
    diags_.error(at, "unknown modifier " + quoted + " on '" + std::string(spec.name) + "'");
    return false;
  }
  if (found.status == ModifierLookup::Status::NotAllowed) {
    diags_.error(at, "modifier " + quoted + " (" +
                         std::string(groupDescription(found.modifier.group)) +
                         ") is not allowed on '" + std::string(spec.name) + "'");
    return false;
  }
  ModGroup group = found.modifier.group;
  if (!spec.repeatableGroups.test(size_t(group))) {
    if (auto previous = inst.modifier(group)) {
      Modifier prev{group, *previous};
      diags_.error(at, "modifier " + quoted + " conflicts with '." + prev.spelling() + "': '" +
                           std::string(spec.name) + "' takes one " +
                           std::string(groupDescription(group)));
      return false;
    }
  }
  inst.modifiers.push_back(found.modifier);
  return true;
}

void NodeFactory::declAttribute(std::string_view text, SourceLoc at, VariableDecl &decl) {
  if (auto space = stateSpaceFromSpelling(text)) {
    if (decl.ptr)
      decl.ptrSpace = *space;
    else if (decl.space != StateSpace::None)
      diags_.error(at, "a declaration has one state space; '." + std::string(text) +
                           "' follows '." + std::string(stateSpaceInfo(decl.space).spelling) +
                           "'");
    else
      decl.space = *space;
  } else if (auto type = typeFromSpelling(text)) {
    if (decl.type != Type::None)
      diags_.error(at, "a declaration has one type; '." + std::string(text) + "' follows '." +
                           std::string(typeInfo(decl.type).spelling) + "'");
    decl.type = *type;
  } else if (text == "v2" || text == "v4" || text == "v8") {
    decl.vectorWidth = unsigned(text[1] - '0');
  } else if (text == "visible" || text == "extern" || text == "weak" || text == "common") {
    decl.linkage = text == "visible"  ? Linkage::Visible
                   : text == "extern" ? Linkage::Extern
                   : text == "weak"   ? Linkage::Weak
                                      : Linkage::Common;
  } else if (text == "ptr") {
    decl.ptr = true;
  } else if (text == "texref" || text == "samplerref" || text == "surfref") {
    decl.opaqueKind.emplace_back(text);
  } else {
    diags_.error(at, "unknown declaration attribute '." + std::string(text) +
                         "': expected a state space, a type, .v2/.v4/.v8, .align, "
                         "or linkage (.visible .extern .weak .common)");
  }
}

void NodeFactory::align(std::string_view intText, SourceLoc at, VariableDecl &decl) {
  auto value = integer(intText, at);
  (decl.ptr ? decl.ptrAlign : decl.align) = value ? uint32_t(*value) : 0;
}

} // namespace oxptx::ptx
