#include "ptx_parser/AstBuilder.h"

#include "ptx_parser/NodeFactory.h"

#include <charconv>

namespace oxptx::ptx {
namespace {

using P = oxptx_antlr::PTXParser;

class Builder {
public:
  Builder(antlr4::CharStream &input, uint32_t firstLine, bool recovered, Module &module,
          DiagnosticList &diags)
      : input_(input), lineOffset_(firstLine - 1), recovered_(recovered), nodes_(module, diags),
        module_(module), diags_(diags) {}

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
  NodeFactory nodes_;
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
    return nodes_.integer(token->getText(), loc(token));
  }

  Value nameValue(antlr4::Token *token) { return nodes_.name(token->getText(), loc(token)); }

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
      return NodeFactory::floatLiteral(ctx->FLOAT()->getText());
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
    return nodes_.unary(ctx->op->getText()[0], expression(ctx->expression()), loc(ctx));
  }

  Value binary(P::BinaryExprContext *ctx) {
    Value a = expression(ctx->expression(0));
    Value b = expression(ctx->expression(1));
    return nodes_.binary(ctx->op->getText(), a, b, loc(ctx));
  }

  // ------------------------------------------------------------------ operands

  Operand operand(P::OperandContext *ctx) {
    SourceLoc at = loc(ctx);
    if (ctx->expression())
      return nodes_.operand(expression(ctx->expression()), at);
    std::vector<Operand> elements;
    for (P::OperandContext *element : ctx->operand())
      elements.push_back(operand(element));
    if (ctx->LBRACK())
      return nodes_.address(std::move(elements), at);
    Operand op;
    op.loc = at;
    op.kind = ctx->LBRACE() ? Operand::Kind::Vector : Operand::Kind::List;
    op.elements = std::move(elements);
    return op;
  }

  // ------------------------------------------------------------------ instructions

  std::optional<Instruction> instruction(P::InstructionContext *ctx) {
    Symbol guard;
    if (P::GuardContext *g = ctx->guard())
      guard = intern(g->IDENT()->getText());
    antlr4::Token *opToken = ctx->IDENT()->getSymbol();
    Instruction inst;
    bool ok = nodes_.instruction(inst, opToken->getText(), loc(opToken), loc(ctx));
    inst.guard = guard;
    inst.guardNegated = ctx->guard() && ctx->guard()->BANG();
    for (P::OperandContext *operandCtx : ctx->operand())
      inst.operands.push_back(operand(operandCtx));
    if (!ok)
      return std::nullopt;
    return inst;
  }

  // ------------------------------------------------------------------ declarations

  void declAttribute(P::DeclAttributeContext *ctx, VariableDecl &decl) {
    if (ctx->ALIGN()) {
      nodes_.align(ctx->INT()->getText(), loc(ctx->INT()), decl);
    } else if (ctx->ATTRIBUTE()) {
      for (auto *name : ctx->DOT_NAME())
        decl.attributes.push_back(name->getText().substr(1));
    } else {
      nodes_.declAttribute(ctx->DOT_NAME(0)->getText().substr(1), loc(ctx), decl);
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
    return nodes_.initializer(expression(ctx->expression()), init.loc);
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
