#include "ptx_parser/AstBuilder.h"

#include <bit>
#include <charconv>
#include <cstring>

namespace oxptx::ptx {
namespace {

using P = oxptx_antlr::PTXParser;

/// A folded constant expression or operand value.
struct Value {
  enum class Kind { Integer, Float32, Float64, Name, Generic, PredPair, Error } kind = Kind::Error;
  uint64_t bits = 0; // integer/float payload, or Name/Generic offset
  Symbol name, component;
  bool negated = false;
  Symbol second; // PredPair

  static Value integer(uint64_t bits) {
    Value v;
    v.kind = Kind::Integer;
    v.bits = bits;
    return v;
  }
};

class Builder {
public:
  Builder(antlr4::CharStream &input, uint32_t firstLine, bool recovered, Module &module,
          DiagnosticList &diags)
      : input_(input), lineOffset_(firstLine - 1), recovered_(recovered), module_(module),
        diags_(diags) {}

  void build(P::ModuleContext *ctx) {
    for (P::TopLevelContext *item : ctx->topLevel()) {
      if (P::FunctionDeclContext *fn = item->functionDecl(); fn && recovered_) {
        // Keep a function whose header parsed; its broken statements are skipped one by one.
        if (!fn->IDENT() || broken(fn, fn->block()))
          continue;
      } else if (broken(item)) {
        continue;
      }
      topLevel(item);
    }
  }

private:
  antlr4::CharStream &input_;
  uint32_t lineOffset_;
  bool recovered_; // the chunk had syntax errors: skip subtrees ANTLR's recovery left incomplete
  Module &module_;
  DiagnosticList &diags_;

  /// After error recovery a subtree may miss children (a rule that failed, a conjured token);
  /// such subtrees were already reported as syntax errors and are not built. `except` is a
  /// child not to look into (a function body, checked statement by statement).
  bool broken(antlr4::tree::ParseTree *tree, antlr4::tree::ParseTree *except = nullptr) const {
    if (!recovered_ || tree == except)
      return false;
    if (dynamic_cast<antlr4::tree::ErrorNode *>(tree))
      return true;
    if (auto *ctx = dynamic_cast<antlr4::ParserRuleContext *>(tree))
      if (ctx->exception)
        return true;
    for (antlr4::tree::ParseTree *child : tree->children)
      if (broken(child, except))
        return true;
    return false;
  }

  SourceLoc loc(antlr4::Token *token) const {
    return {uint32_t(token->getLine()) + lineOffset_,
            uint32_t(token->getCharPositionInLine()) + 1};
  }
  SourceLoc loc(antlr4::ParserRuleContext *ctx) const { return loc(ctx->getStart()); }
  SourceLoc loc(antlr4::tree::TerminalNode *node) const { return loc(node->getSymbol()); }

  Symbol intern(std::string_view text) { return module_.names.intern(text); }

  // ------------------------------------------------------------------ literals

  std::optional<uint64_t> integer(antlr4::Token *token) {
    std::string text = token->getText();
    std::string_view digits = text;
    if (digits.ends_with('U'))
      digits.remove_suffix(1);
    int base = 10;
    if (digits.starts_with("0x") || digits.starts_with("0X")) {
      base = 16;
      digits.remove_prefix(2);
    } else if (digits.starts_with("0b") || digits.starts_with("0B")) {
      base = 2;
      digits.remove_prefix(2);
    } else if (digits.size() > 1 && digits[0] == '0') {
      base = 8;
      digits.remove_prefix(1);
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      diags_.error(loc(token), "integer literal '" + text + "' is not a valid " +
                                   (ec == std::errc::result_out_of_range
                                        ? std::string("64-bit value")
                                        : "base-" + std::to_string(base) + " number"));
      return std::nullopt;
    }
    return value;
  }

  Value floatLiteral(antlr4::Token *token) {
    std::string text = token->getText();
    Value v;
    if (text.size() > 2 && (text[1] == 'f' || text[1] == 'F')) {
      v.kind = Value::Kind::Float32;
      std::from_chars(text.data() + 2, text.data() + text.size(), v.bits, 16);
    } else if (text.size() > 2 && (text[1] == 'd' || text[1] == 'D')) {
      v.kind = Value::Kind::Float64;
      std::from_chars(text.data() + 2, text.data() + text.size(), v.bits, 16);
    } else {
      v.kind = Value::Kind::Float64; // PTX decimal float literals are double precision
      v.bits = std::bit_cast<uint64_t>(std::strtod(text.c_str(), nullptr));
    }
    return v;
  }

  /// `%tid.x` → name %tid, component x; `%r1` → name %r1.
  Value nameValue(antlr4::Token *token) {
    std::string text = token->getText();
    Value v;
    v.kind = Value::Kind::Name;
    auto dot = text.find('.');
    if (dot == std::string::npos) {
      v.name = intern(text);
      return v;
    }
    std::string_view component = std::string_view(text).substr(dot + 1);
    if (component.find('.') != std::string_view::npos) {
      diags_.error(loc(token), "'" + text + "' is not a register or symbol name; an "
                                             "instruction cannot appear here");
      v.kind = Value::Kind::Error;
      return v;
    }
    v.name = intern(std::string_view(text).substr(0, dot));
    v.component = intern(component);
    return v;
  }

  // ------------------------------------------------------------------ expressions

  Value expression(P::ExpressionContext *ctx) {
    if (auto *primary = dynamic_cast<P::PrimaryExprContext *>(ctx))
      return this->primary(primary->primary());
    if (auto *unary = dynamic_cast<P::UnaryExprContext *>(ctx))
      return this->unary(unary);
    return binary(static_cast<P::BinaryExprContext *>(ctx));
  }

  Value primary(P::PrimaryContext *ctx) {
    if (ctx->INT()) {
      auto value = integer(ctx->INT()->getSymbol());
      return value ? Value::integer(*value) : Value{};
    }
    if (ctx->FLOAT())
      return floatLiteral(ctx->FLOAT()->getSymbol());
    if (ctx->expression())
      return expression(ctx->expression());
    auto idents = ctx->IDENT();
    if (idents.size() == 2) {
      if (idents[0]->getText() != "generic") {
        diags_.error(loc(ctx), "'" + idents[0]->getText() +
                                   "(...)' is not a PTX expression; only generic(symbol) is");
        return {};
      }
      Value v = nameValue(idents[1]->getSymbol());
      if (v.kind == Value::Kind::Name)
        v.kind = Value::Kind::Generic;
      return v;
    }
    return nameValue(idents[0]->getSymbol());
  }

  Value unary(P::UnaryExprContext *ctx) {
    Value v = expression(ctx->expression());
    char op = ctx->op->getText()[0];
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
    diags_.error(loc(ctx), "operator '" + std::string(1, op) + "' cannot be applied here; "
                           "PTX allows '-'/'~' on integers, '-' on floats and '!' on predicates");
    return {};
  }

  Value binary(P::BinaryExprContext *ctx) {
    Value a = expression(ctx->expression(0));
    Value b = expression(ctx->expression(1));
    if (a.kind == Value::Kind::Error || b.kind == Value::Kind::Error)
      return {};
    std::string op = ctx->op->getText();
    using K = Value::Kind;
    if (a.kind == K::Integer && b.kind == K::Integer) {
      uint64_t x = a.bits, y = b.bits;
      if ((op == "/" || op == "%") && y == 0) {
        diags_.error(loc(ctx), "division by zero in constant expression");
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
    diags_.error(loc(ctx), "unsupported expression: PTX operands are registers, literals, "
                           "symbol+offset or constant integer arithmetic");
    return {};
  }

  // ------------------------------------------------------------------ operands

  Operand operandFromValue(const Value &v, SourceLoc at) {
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
      if (module_.name(v.second) == "_")
        second.kind = Operand::Kind::Sink;
      op.elements = {first, second};
      break;
    }
    case Value::Kind::Error:
      op.kind = Operand::Kind::Sink;
      break;
    }
    return op;
  }

  Operand operand(P::OperandContext *ctx) {
    Operand op;
    op.loc = loc(ctx);
    if (ctx->expression())
      return operandFromValue(expression(ctx->expression()), op.loc);
    for (P::OperandContext *element : ctx->operand())
      op.elements.push_back(operand(element));
    if (ctx->LBRACE()) {
      op.kind = Operand::Kind::Vector;
    } else if (ctx->LPAREN()) {
      op.kind = Operand::Kind::List;
    } else {
      op.kind = Operand::Kind::Address;
      Operand base = op.elements.front();
      op.elements.erase(op.elements.begin());
      if (base.kind == Operand::Kind::Name && !base.negated && !base.component) {
        op.name = base.name;
        op.bits = base.bits;
      } else if (base.kind == Operand::Kind::Integer) {
        op.bits = base.bits;
      } else {
        diags_.error(base.loc, "an address must be [register], [symbol], [name+offset] or "
                               "[integer]");
      }
    }
    return op;
  }

  // ------------------------------------------------------------------ instructions

  std::optional<Instruction> instruction(P::InstructionContext *ctx) {
    Instruction inst;
    inst.loc = loc(ctx);
    if (P::GuardContext *guard = ctx->guard()) {
      inst.guard = intern(guard->IDENT()->getText());
      inst.guardNegated = guard->BANG() != nullptr;
    }
    antlr4::Token *opToken = ctx->IDENT()->getSymbol();
    std::string text = opToken->getText();
    SourceLoc opLoc = loc(opToken);
    size_t matched = 0;
    inst.opcode = lookupOpcode(text, matched);
    if (inst.opcode == Opcode::Invalid) {
      std::string base = text.substr(0, text.find('.'));
      diags_.error(opLoc, "unknown instruction '" + base + "'");
      return std::nullopt;
    }
    const InstructionSpec &spec = instructionSpec(inst.opcode);
    bool ok = true;
    size_t pos = matched;
    while (pos < text.size()) {
      size_t next = text.find('.', pos + 1);
      if (next == std::string::npos)
        next = text.size();
      std::string_view spelling = std::string_view(text).substr(pos + 1, next - pos - 1);
      SourceLoc modLoc{opLoc.line, opLoc.column + uint32_t(pos)};
      ok &= addModifier(inst, spec, spelling, modLoc);
      pos = next;
    }
    for (P::OperandContext *operandCtx : ctx->operand())
      inst.operands.push_back(operand(operandCtx));
    if (!ok)
      return std::nullopt;
    return inst;
  }

  bool addModifier(Instruction &inst, const InstructionSpec &spec, std::string_view spelling,
                   SourceLoc at) {
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
        diags_.error(at, "modifier " + quoted + " conflicts with '." + prev.spelling() +
                             "': '" + std::string(spec.name) + "' takes one " +
                             std::string(groupDescription(group)));
        return false;
      }
    }
    inst.modifiers.push_back(found.modifier);
    return true;
  }

  // ------------------------------------------------------------------ declarations

  void declAttribute(P::DeclAttributeContext *ctx, VariableDecl &decl) {
    if (ctx->ALIGN()) {
      auto value = integer(ctx->INT()->getSymbol());
      uint32_t align = value ? uint32_t(*value) : 0;
      (decl.ptr ? decl.ptrAlign : decl.align) = align;
      return;
    }
    if (ctx->ATTRIBUTE()) {
      for (auto *name : ctx->DOT_NAME())
        decl.attributes.push_back(name->getText().substr(1));
      return;
    }
    std::string text = ctx->DOT_NAME(0)->getText().substr(1);
    if (auto space = stateSpaceFromSpelling(text)) {
      if (decl.ptr)
        decl.ptrSpace = *space;
      else if (decl.space != StateSpace::None)
        diags_.error(loc(ctx), "a declaration has one state space; '." + text +
                                   "' follows '." +
                                   std::string(stateSpaceInfo(decl.space).spelling) + "'");
      else
        decl.space = *space;
    } else if (auto type = typeFromSpelling(text)) {
      if (decl.type != Type::None)
        diags_.error(loc(ctx), "a declaration has one type; '." + text + "' follows '." +
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
      decl.opaqueKind.push_back(text);
    } else {
      diags_.error(loc(ctx), "unknown declaration attribute '." + text +
                                 "': expected a state space, a type, .v2/.v4/.v8, .align, "
                                 "or linkage (.visible .extern .weak .common)");
    }
  }

  Initializer initializer(P::InitializerContext *ctx) {
    Initializer init;
    init.loc = loc(ctx);
    if (ctx->LBRACE()) {
      init.kind = Initializer::Kind::List;
      for (P::InitializerContext *element : ctx->initializer())
        init.elements.push_back(initializer(element));
      return init;
    }
    if (ctx->EQUAL()) {
      init.kind = Initializer::Kind::Field;
      init.name = intern(ctx->IDENT(0)->getText());
      init.fieldValue = intern(ctx->INT() ? ctx->INT()->getText() : ctx->IDENT(1)->getText());
      return init;
    }
    Value v = expression(ctx->expression());
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
      diags_.error(init.loc, "an initializer must be a constant, a symbol, symbol+offset or "
                             "generic(symbol)");
    }
    return init;
  }

  Declarator declarator(P::DeclaratorContext *ctx) {
    Declarator d;
    d.loc = loc(ctx);
    d.name = intern(ctx->IDENT()->getText());
    if (ctx->LT()) {
      auto count = integer(ctx->INT()->getSymbol());
      d.rangeCount = count ? uint32_t(*count) : 0;
    }
    for (P::ArrayDimensionContext *dim : ctx->arrayDimension()) {
      if (!dim->expression()) {
        d.dims.push_back(std::nullopt);
        continue;
      }
      Value v = expression(dim->expression());
      if (v.kind != Value::Kind::Integer)
        diags_.error(loc(dim), "an array dimension must be a constant integer");
      d.dims.push_back(v.bits);
    }
    if (ctx->initializer())
      d.init = initializer(ctx->initializer());
    return d;
  }

  VariableDecl variableDecl(const std::vector<P::DeclAttributeContext *> &attributes,
                            const std::vector<P::DeclaratorContext *> &declarators,
                            SourceLoc at) {
    VariableDecl decl;
    decl.loc = at;
    for (P::DeclAttributeContext *attribute : attributes)
      declAttribute(attribute, decl);
    for (P::DeclaratorContext *d : declarators)
      decl.declarators.push_back(declarator(d));
    return decl;
  }

  std::vector<VariableDecl> parameters(P::ParameterListContext *ctx) {
    std::vector<VariableDecl> params;
    if (!ctx)
      return params;
    for (P::ParameterContext *p : ctx->parameter())
      params.push_back(variableDecl(p->declAttribute(), {p->declarator()}, loc(p)));
    return params;
  }

  Pragma pragma(P::PragmaDirectiveContext *ctx) {
    Pragma p;
    p.loc = loc(ctx);
    for (auto *s : ctx->STRING()) {
      std::string text = s->getText();
      p.values.push_back(text.substr(1, text.size() - 2));
    }
    return p;
  }

  PerformanceDirective performance(P::PerformanceDirectiveContext *ctx) {
    PerformanceDirective d;
    d.name = ctx->DOT_NAME()->getText().substr(1);
    for (auto *value : ctx->INT())
      d.values.push_back(integer(value->getSymbol()).value_or(0));
    return d;
  }

  // ------------------------------------------------------------------ statements

  void statements(const std::vector<P::StatementContext *> &list, std::vector<Statement> &out) {
    // Reserve: SmallVector's move is not noexcept, so a growing vector would copy statements.
    out.reserve(out.size() + list.size());
    for (P::StatementContext *s : list)
      if (!broken(s, s->block()))
        statement(s, out);
  }

  void statement(P::StatementContext *ctx, std::vector<Statement> &out) {
    if (P::InstructionContext *inst = ctx->instruction()) {
      if (auto built = instruction(inst))
        out.push_back({std::move(*built)});
    } else if (ctx->COLON()) {
      Symbol name = intern(ctx->IDENT()->getText());
      if (P::LabeledDirectiveContext *directive = ctx->labeledDirective())
        out.push_back(labeledDirective(directive, name, loc(ctx)));
      else
        out.push_back({Label{name, loc(ctx)}});
    } else if (P::VariableDeclContext *decl = ctx->variableDecl()) {
      out.push_back({variableDecl(decl->declAttribute(), decl->declarator(), loc(decl))});
    } else if (P::BlockContext *block = ctx->block()) {
      std::vector<Statement> nested;
      statements(block->statement(), nested);
      out.push_back({std::move(nested)});
    } else if (P::LocDirectiveContext *directive = ctx->locDirective()) {
      out.push_back({locDirective(directive)});
    } else if (P::PragmaDirectiveContext *directive = ctx->pragmaDirective()) {
      out.push_back({pragma(directive)});
    }
  }

  Statement labeledDirective(P::LabeledDirectiveContext *ctx, Symbol name, SourceLoc at) {
    if (ctx->CALLPROTOTYPE()) {
      CallPrototype proto;
      proto.name = name;
      proto.loc = at;
      auto lists = ctx->parameterList();
      // The parameter list after `_` is the parameters; one before it, the returns.
      size_t identIndex = ctx->IDENT().front()->getSymbol()->getTokenIndex();
      for (P::ParameterListContext *list : lists)
        (list->getStart()->getTokenIndex() < identIndex ? proto.returns : proto.params) =
            parameters(list);
      for (P::PerformanceDirectiveContext *d : ctx->performanceDirective())
        proto.noreturn |= d->DOT_NAME() && d->DOT_NAME()->getText() == ".noreturn";
      return {std::move(proto)};
    }
    TargetList list;
    list.calls = ctx->CALLTARGETS() != nullptr;
    list.name = name;
    list.loc = at;
    for (auto *target : ctx->IDENT())
      list.targets.push_back(intern(target->getText()));
    return {std::move(list)};
  }

  LocDirective locDirective(P::LocDirectiveContext *ctx) {
    LocDirective d;
    d.loc = loc(ctx);
    auto ints = ctx->INT();
    d.file = uint32_t(integer(ints[0]->getSymbol()).value_or(0));
    d.line = uint32_t(integer(ints[1]->getSymbol()).value_or(0));
    d.column = uint32_t(integer(ints[2]->getSymbol()).value_or(0));
    for (P::LocAttributeContext *attribute : ctx->locAttribute()) {
      if (!d.attributes.empty())
        d.attributes += ", ";
      for (size_t i = 0; i < attribute->children.size(); ++i) {
        std::string text = attribute->children[i]->getText();
        bool glue = text == "+" || text == "-" ||
                    (i > 0 && (attribute->children[i - 1]->getText() == "+" ||
                               attribute->children[i - 1]->getText() == "-"));
        if (i > 0 && !glue)
          d.attributes += ' ';
        d.attributes += text;
      }
    }
    return d;
  }

  // ------------------------------------------------------------------ top level

  void topLevel(P::TopLevelContext *ctx) {
    if (auto *v = ctx->versionDirective()) {
      std::string text = v->FLOAT()->getText();
      auto dot = text.find('.');
      PtxVersion version;
      bool ok = dot != std::string::npos && dot + 2 == text.size();
      if (ok) {
        std::from_chars(text.data(), text.data() + dot, version.major);
        std::from_chars(text.data() + dot + 1, text.data() + text.size(), version.minor);
      }
      if (!ok || version.major == 0)
        diags_.error(loc(v->FLOAT()), "'" + text + "' is not a PTX ISA version (expected "
                                                   "major.minor, e.g. 9.0)");
      else if (module_.version)
        diags_.error(loc(v), "duplicate .version directive");
      module_.version = version;
      module_.versionLoc = loc(v);
    } else if (auto *t = ctx->targetDirective()) {
      if (!module_.targets.empty())
        diags_.error(loc(t), "duplicate .target directive");
      module_.targetLoc = loc(t);
      for (auto *ident : t->IDENT())
        module_.targets.push_back(ident->getText());
    } else if (auto *a = ctx->addressSizeDirective()) {
      uint64_t size = integer(a->INT()->getSymbol()).value_or(64);
      if (size != 32 && size != 64)
        diags_.error(loc(a->INT()), ".address_size must be 32 or 64");
      module_.addressSize = uint32_t(size);
      module_.hasAddressSize = true;
    } else if (auto *f = ctx->fileDirective()) {
      FileDirective file;
      file.loc = loc(f);
      auto ints = f->INT();
      file.index = uint32_t(integer(ints[0]->getSymbol()).value_or(0));
      std::string path = f->STRING()->getText();
      file.path = path.substr(1, path.size() - 2);
      for (size_t i = 1; i < ints.size(); ++i)
        file.extra.push_back(integer(ints[i]->getSymbol()).value_or(0));
      module_.items.emplace_back(std::move(file));
    } else if (auto *s = ctx->sectionDirective()) {
      Section section;
      section.loc = loc(s);
      section.name = s->DOT_NAME()->getText();
      size_t begin = s->LBRACE()->getSymbol()->getStopIndex() + 1;
      size_t end = s->RBRACE()->getSymbol()->getStartIndex();
      if (end > begin)
        section.contents = input_.getText(antlr4::misc::Interval(begin, end - 1));
      module_.items.emplace_back(std::move(section));
    } else if (auto *a = ctx->aliasDirective()) {
      module_.items.emplace_back(Alias{intern(a->IDENT(0)->getText()),
                                       intern(a->IDENT(1)->getText()), loc(a)});
    } else if (auto *p = ctx->pragmaDirective()) {
      module_.items.emplace_back(pragma(p));
    } else if (auto *fn = ctx->functionDecl()) {
      module_.items.emplace_back(function(fn));
    } else if (auto *v = ctx->variableDecl()) {
      module_.items.emplace_back(variableDecl(v->declAttribute(), v->declarator(), loc(v)));
    }
  }

  Function function(P::FunctionDeclContext *ctx) {
    Function fn;
    fn.loc = loc(ctx);
    fn.isEntry = ctx->ENTRY() != nullptr;
    VariableDecl attributes; // linkage only; anything else is an error
    for (P::DeclAttributeContext *attribute : ctx->declAttribute()) {
      declAttribute(attribute, attributes);
    }
    if (attributes.space != StateSpace::None || attributes.type != Type::None)
      diags_.error(fn.loc, "a function declaration takes only linkage attributes");
    fn.linkage = attributes.linkage;
    // Names are interned in source order (returns, name, parameters) so that printing and
    // re-parsing reproduces the same name table.
    size_t nameIndex = ctx->IDENT()->getSymbol()->getTokenIndex();
    for (P::ParameterListContext *list : ctx->parameterList()) {
      if (list->getStart()->getTokenIndex() < nameIndex) {
        if (fn.isEntry)
          diags_.error(loc(list), "a kernel (.entry) cannot return values");
        fn.returns = parameters(list);
      }
    }
    fn.name = intern(ctx->IDENT()->getText());
    for (P::ParameterListContext *list : ctx->parameterList())
      if (list->getStart()->getTokenIndex() > nameIndex)
        fn.params = parameters(list);
    for (P::PerformanceDirectiveContext *d : ctx->performanceDirective()) {
      if (d->pragmaDirective())
        fn.pragmas.push_back(pragma(d->pragmaDirective()));
      else
        fn.directives.push_back(performance(d));
    }
    if (P::BlockContext *block = ctx->block()) {
      fn.body.emplace();
      statements(block->statement(), *fn.body);
    }
    return fn;
  }
};

} // namespace

void buildAst(P::ModuleContext *tree, antlr4::CharStream &input, uint32_t firstLine,
              bool recovered, Module &module, DiagnosticList &diags) {
  Builder(input, firstLine, recovered, module, diags).build(tree);
}

} // namespace oxptx::ptx
