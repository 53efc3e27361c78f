#include "ptx_parser/FastPath.h"

#include "ptx_parser/NodeFactory.h"

namespace oxptx::ptx {
namespace {

using Token = FastPath::Token;
using TK = Token::Kind;

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isWord(char c) { return isAlpha(c) || isDigit(c) || c == '_'; }
bool isIdentTail(char c) { return isWord(c) || c == '$'; }

/// Length of `('::' word+)*` at `p`.
size_t scopedWords(std::string_view s, size_t p) {
  size_t start = p;
  while (p + 2 < s.size() && s[p] == ':' && s[p + 1] == ':' && isWord(s[p + 2])) {
    p += 2;
    while (p < s.size() && isWord(s[p]))
      ++p;
  }
  return p - start;
}

/// Length of the IDENT suffixes `('.' word+ ('::' word+)*)*` at `p`.
size_t dottedSuffixes(std::string_view s, size_t p) {
  size_t start = p;
  while (p + 1 < s.size() && s[p] == '.' && isWord(s[p + 1])) {
    ++p;
    while (p < s.size() && isWord(s[p]))
      ++p;
    p += scopedWords(s, p);
  }
  return p - start;
}

/// Length of the numeric token at `p` with the same longest-match result as the ANTLR lexer's
/// FLOAT/INT rules, or 0 when the text is not one of the plain forms (the caller declines).
size_t number(std::string_view s, size_t p, TK &kind) {
  auto at = [&](size_t i) { return i < s.size() ? s[i] : '\0'; };
  if (s[p] == '0' && (at(p + 1) == 'f' || at(p + 1) == 'F' || at(p + 1) == 'd' ||
                      at(p + 1) == 'D')) {
    size_t hexDigits = (at(p + 1) == 'f' || at(p + 1) == 'F') ? 8 : 16;
    for (size_t i = 0; i < hexDigits; ++i)
      if (!isHex(at(p + 2 + i)))
        return 0;
    kind = TK::Float;
    return 2 + hexDigits;
  }
  if (s[p] == '0' && (at(p + 1) == 'x' || at(p + 1) == 'X' || at(p + 1) == 'b' ||
                      at(p + 1) == 'B')) {
    bool hex = at(p + 1) == 'x' || at(p + 1) == 'X';
    size_t q = p + 2;
    while (hex ? isHex(at(q)) : (at(q) == '0' || at(q) == '1'))
      ++q;
    if (q == p + 2)
      return 0;
    q += at(q) == 'U';
    kind = TK::Int;
    return q - p;
  }
  size_t q = p;
  while (isDigit(at(q)))
    ++q;
  if (at(q) == '.' || at(q) == 'e' || at(q) == 'E')
    return 0; // decimal floats are rare in bodies: leave them to ANTLR
  q += at(q) == 'U';
  kind = TK::Int;
  return q - p;
}

} // namespace

bool FastPath::tokenize(std::string_view s, uint32_t firstLine) {
  tokens_.clear();
  tokens_.reserve(s.size() / 4); // PTX averages a token per 5-6 bytes
  uint32_t line = firstLine;
  size_t lineStart = 0;
  size_t p = 0;
  while (p < s.size()) {
    char c = s[p];
    if (c == '\n') {
      ++line;
      lineStart = ++p;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++p;
      continue;
    }
    if (c == '/' && p + 1 < s.size() && s[p + 1] == '/') {
      while (p < s.size() && s[p] != '\n')
        ++p;
      continue;
    }
    if (c == '/' && p + 1 < s.size() && s[p + 1] == '*') {
      size_t end = s.find("*/", p + 2);
      if (end == std::string_view::npos)
        return false;
      for (; p < end + 2; ++p)
        if (s[p] == '\n') {
          ++line;
          lineStart = p + 1;
        }
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80)
      return false; // columns would count bytes, ANTLR counts code points
    Token t;
    t.line = line;
    t.column = uint32_t(p - lineStart + 1);
    size_t length = 0;
    if (c == '.' && p + 1 < s.size() && (isAlpha(s[p + 1]) || s[p + 1] == '_')) {
      length = 2;
      while (p + length < s.size() && isIdentTail(s[p + length]))
        ++length;
      length += scopedWords(s, p + length);
      t.kind = TK::DotName;
    } else if (isAlpha(c) || ((c == '_' || c == '$' || c == '%') && p + 1 < s.size() &&
                              isIdentTail(s[p + 1]))) {
      length = 1;
      while (p + length < s.size() && isIdentTail(s[p + length]))
        ++length;
      length += dottedSuffixes(s, p + length);
      t.kind = TK::Ident;
    } else if (c == '_') {
      length = 1 + dottedSuffixes(s, p + 1);
      t.kind = TK::Ident;
    } else if (isDigit(c)) {
      length = number(s, p, t.kind);
      if (length == 0 || (p + length < s.size() && (isIdentTail(s[p + length]) ||
                                                    s[p + length] == '.')))
        return false;
    } else if (c == '"') {
      length = 1;
      while (p + length < s.size() && s[p + length] != '"') {
        char d = s[p + length];
        if (d == '\n' || d == '\r' || d == '\\')
          return false;
        ++length;
      }
      if (p + length == s.size())
        return false;
      ++length;
      t.kind = TK::String;
    } else if (std::string_view(";,:{}[]()@!|+-<>=").find(c) != std::string_view::npos) {
      // '<' / '>' only as the brackets of %r<N>: a following '<' or '>' would be a shift.
      if ((c == '<' || c == '>') && p + 1 < s.size() && s[p + 1] == c)
        return false;
      length = 1;
      t.kind = TK::Punct;
      t.punct = c;
    } else {
      return false;
    }
    t.text = s.substr(p, length);
    tokens_.push_back(t);
    p += length;
  }
  Token end;
  end.kind = TK::End;
  end.line = line;
  tokens_.push_back(end);
  return true;
}

namespace {

/// Recursive descent over the fast subset. Instantiated twice: Build = false only recognizes
/// (no side effects, so declining leaves the module untouched), Build = true builds the AST.
template <bool Build> class Reader {
public:
  Reader(const std::vector<Token> &tokens, NodeFactory *nodes) : t_(tokens), nodes_(nodes) {}

  bool function(Function *fn) {
    SourceLoc start = loc(t_[0]);
    while (peekDot()) {
      std::string_view a = cur().text;
      if (a == ".visible" || a == ".extern" || a == ".weak" || a == ".common") {
        if constexpr (Build)
          fn->linkage = a == ".visible"  ? Linkage::Visible
                        : a == ".extern" ? Linkage::Extern
                        : a == ".weak"   ? Linkage::Weak
                                         : Linkage::Common;
        ++i_;
      } else {
        break;
      }
    }
    bool entry = peekDot(".entry");
    if (!entry && !peekDot(".func"))
      return false;
    ++i_;
    if constexpr (Build) {
      fn->isEntry = entry;
      fn->loc = start;
    }
    if (peek('(')) {
      if (entry || !parameters(Build ? &fn->returns : nullptr))
        return false;
    }
    if (cur().kind != TK::Ident)
      return false;
    if constexpr (Build)
      fn->name = nodes_->intern(cur().text);
    ++i_;
    if (peek('(') && !parameters(Build ? &fn->params : nullptr))
      return false;
    while (peekDot() && !keyword(cur().text)) {
      PerformanceDirective d;
      if constexpr (Build)
        d.name = std::string(cur().text.substr(1));
      ++i_;
      if (cur().kind == TK::Int) {
        do {
          uint64_t value;
          if (!integer(value))
            return false;
          d.values.push_back(value);
        } while (accept(','));
      }
      if constexpr (Build)
        fn->directives.push_back(std::move(d));
    }
    if (accept(';'))
      return cur().kind == TK::End;
    if (!peek('{'))
      return false;
    if constexpr (Build) {
      // Statements end in ';' or ':' (labels): reserving that many avoids moving
      // instructions as the body grows and the doubling slack of a growing vector.
      size_t statements = 0;
      for (size_t j = i_; j < t_.size(); ++j)
        statements += t_[j].kind == TK::Punct && (t_[j].punct == ';' || t_[j].punct == ':');
      fn->body.emplace();
      fn->body->reserve(statements);
    }
    return block(Build ? &*fn->body : nullptr) && cur().kind == TK::End;
  }

  bool moduleVariable(VariableDecl *decl) { return variable(decl); }

private:
  const std::vector<Token> &t_;
  NodeFactory *nodes_;
  size_t i_ = 0;

  const Token &cur() const { return t_[i_]; }
  const Token &next() const { return t_[i_ + 1 < t_.size() ? i_ + 1 : i_]; }
  bool peek(char c) const { return cur().kind == TK::Punct && cur().punct == c; }
  bool peekDot(std::string_view text = {}) const {
    return cur().kind == TK::DotName && (text.empty() || cur().text == text);
  }
  /// Consumes an INT token that fits 64 bits (otherwise ANTLR reports it).
  bool integer(uint64_t &value) {
    auto parsed = cur().kind == TK::Int ? NodeFactory::integerValue(cur().text) : std::nullopt;
    if (!parsed)
      return false;
    value = *parsed;
    ++i_;
    return true;
  }

  bool accept(char c) {
    if (!peek(c))
      return false;
    ++i_;
    return true;
  }
  static SourceLoc loc(const Token &t) { return {t.line, t.column}; }

  /// Directives with a syntax of their own in PTX.g4 (keyword tokens there).
  static bool keyword(std::string_view text) {
    return text == ".version" || text == ".target" || text == ".address_size" ||
           text == ".entry" || text == ".func" || text == ".file" || text == ".loc" ||
           text == ".section" || text == ".pragma" || text == ".alias" || text == ".align" ||
           text == ".attribute" || text == ".callprototype" || text == ".branchtargets" ||
           text == ".calltargets";
  }

  bool parameters(std::vector<VariableDecl> *out) {
    ++i_; // '('
    if (accept(')'))
      return true;
    do {
      VariableDecl decl;
      if constexpr (Build)
        decl.loc = loc(cur());
      if (!attributes(decl) || !declarator(decl))
        return false;
      if constexpr (Build)
        out->push_back(std::move(decl));
    } while (accept(','));
    return accept(')');
  }

  /// declAttribute*: `.name` or `.align INT`.
  bool attributes(VariableDecl &decl) {
    while (peekDot()) {
      const Token &a = cur();
      if (a.text == ".align") {
        ++i_;
        const Token &value = cur();
        uint64_t ignored;
        if (!integer(ignored))
          return false;
        if constexpr (Build)
          nodes_->align(value.text, loc(value), decl);
        continue;
      }
      if (keyword(a.text))
        return false;
      if constexpr (Build)
        nodes_->declAttribute(a.text.substr(1), loc(a), decl);
      ++i_;
    }
    return true;
  }

  /// IDENT ('<' INT '>')? ('[' INT? ']')*, without initializer.
  bool declarator(VariableDecl &decl) {
    if (cur().kind != TK::Ident)
      return false;
    Declarator d;
    if constexpr (Build) {
      d.loc = loc(cur());
      d.name = nodes_->intern(cur().text);
    }
    ++i_;
    if (accept('<')) {
      uint64_t count;
      if (!integer(count) || !accept('>'))
        return false;
      d.rangeCount = uint32_t(count);
    }
    while (accept('[')) {
      if (accept(']')) {
        if constexpr (Build)
          d.dims.push_back(std::nullopt);
        continue;
      }
      uint64_t size;
      if (!integer(size) || !accept(']'))
        return false;
      d.dims.push_back(size);
    }
    if (accept('=')) {
      Initializer init;
      if (!initializer(init))
        return false;
      if constexpr (Build)
        d.init = std::move(init);
    }
    if constexpr (Build)
      decl.declarators.push_back(std::move(d));
    return true;
  }

  /// '{' initializer list '}' or a literal, `-literal` or a plain symbol.
  bool initializer(Initializer &init) {
    const Token &first = cur();
    if (accept('{')) {
      if constexpr (Build) {
        init.loc = loc(first);
        init.kind = Initializer::Kind::List;
      }
      return list(init.elements, '}', &Reader::initializer);
    }
    bool identifier = first.kind == TK::Ident;
    if (identifier && next().kind == TK::Punct && (next().punct == '(' || next().punct == '='))
      return false; // generic(sym) and `field = value`: ANTLR
    bool negative = !identifier && accept('-');
    Value v;
    if (!(identifier ? name(v) : literal(v)))
      return false;
    if constexpr (Build) {
      if (negative)
        v = nodes_->unary('-', v, loc(first));
      init = nodes_->initializer(v, loc(first));
    }
    return cur().kind == TK::Punct && (peek(',') || peek('}') || peek(';'));
  }

  /// A module-level variable declaration: declAttribute+ declarator (',' declarator)* ';'.
  bool variable(VariableDecl *decl) {
    if (!peekDot())
      return false;
    VariableDecl scratch;
    VariableDecl &d = Build ? *decl : scratch;
    if constexpr (Build)
      d.loc = loc(cur());
    if (!attributes(d))
      return false;
    do {
      if (!declarator(d))
        return false;
    } while (accept(','));
    return accept(';') && cur().kind == TK::End;
  }

  bool block(std::vector<Statement> *out) {
    ++i_; // '{'
    while (!peek('}')) {
      if (cur().kind == TK::End || !statement(out))
        return false;
    }
    ++i_;
    return true;
  }

  bool statement(std::vector<Statement> *out) {
    const Token &first = cur();
    if (first.kind == TK::Ident && next().kind == TK::Punct && next().punct == ':') {
      i_ += 2;
      if (peekDot() && keyword(cur().text) && cur().text != ".loc" && cur().text != ".pragma")
        return false; // .branchtargets / .calltargets / .callprototype
      if constexpr (Build)
        out->push_back({Label{nodes_->intern(first.text), loc(first)}});
      return true;
    }
    if (peek('{')) {
      std::vector<Statement> nested;
      if (!block(Build ? &nested : nullptr))
        return false;
      if constexpr (Build)
        out->push_back({std::move(nested)});
      return true;
    }
    if (peekDot(".loc"))
      return locDirective(out);
    if (peekDot(".pragma"))
      return pragma(out);
    if (peekDot()) {
      VariableDecl decl;
      if constexpr (Build)
        decl.loc = loc(first);
      if (!attributes(decl))
        return false;
      do {
        if (!declarator(decl))
          return false;
      } while (accept(','));
      if (!accept(';'))
        return false;
      if constexpr (Build)
        out->push_back({std::move(decl)});
      return true;
    }
    return instruction(out);
  }

  bool locDirective(std::vector<Statement> *out) {
    LocDirective d;
    if constexpr (Build)
      d.loc = loc(cur());
    ++i_;
    uint32_t *fields[] = {&d.file, &d.line, &d.column};
    for (uint32_t *field : fields) {
      uint64_t value;
      if (!integer(value))
        return false;
      *field = uint32_t(value);
    }
    if (peek(','))
      return false; // function_name / inlined_at attributes: ANTLR
    if constexpr (Build)
      out->push_back({std::move(d)});
    return true;
  }

  bool pragma(std::vector<Statement> *out) {
    Pragma p;
    if constexpr (Build)
      p.loc = loc(cur());
    ++i_;
    do {
      if (cur().kind != TK::String)
        return false;
      if constexpr (Build)
        p.values.emplace_back(cur().text.substr(1, cur().text.size() - 2));
      ++i_;
    } while (accept(','));
    if (!accept(';'))
      return false;
    if constexpr (Build)
      out->push_back({std::move(p)});
    return true;
  }

  bool instruction(std::vector<Statement> *out) {
    SourceLoc start = loc(cur());
    Symbol guard;
    bool guardNegated = false;
    if (accept('@')) {
      guardNegated = accept('!');
      if (cur().kind != TK::Ident)
        return false;
      if constexpr (Build)
        guard = nodes_->intern(cur().text);
      ++i_;
    }
    if (cur().kind != TK::Ident)
      return false;
    const Token &opcode = cur();
    ++i_;
    // Built in place: an Instruction is large and moving it is a measurable cost.
    Instruction *inst = nullptr;
    bool ok = true;
    if constexpr (Build) {
      inst = &std::get<Instruction>(out->emplace_back(std::in_place_type<Instruction>).node);
      ok = nodes_->instruction(*inst, opcode.text, loc(opcode), start);
      inst->guard = guard;
      inst->guardNegated = guardNegated;
    }
    if (!peek(';')) {
      do {
        Operand op;
        if (!operand(op))
          return false;
        if constexpr (Build)
          inst->operands.push_back(std::move(op));
      } while (accept(','));
    }
    if (!accept(';'))
      return false;
    if constexpr (Build)
      if (!ok)
        out->pop_back();
    return true;
  }

  /// `item (, item)* close` or just `close`, appending the items when building.
  template <typename T>
  bool list(std::vector<T> &out, char close, bool (Reader::*item)(T &)) {
    if (accept(close))
      return true;
    do {
      T element;
      if (!(this->*item)(element))
        return false;
      if constexpr (Build)
        out.push_back(std::move(element));
    } while (accept(','));
    return accept(close);
  }


  bool operand(Operand &op) {
    const Token &first = cur();
    if (peek('{') || peek('(')) {
      bool brace = peek('{');
      ++i_;
      std::vector<Operand> elements;
      if (!list(elements, brace ? '}' : ')', &Reader::operand))
        return false;
      if constexpr (Build) {
        op.loc = loc(first);
        op.kind = brace ? Operand::Kind::Vector : Operand::Kind::List;
        op.elements = std::move(elements);
      }
      return true;
    }
    if (peek('[')) {
      ++i_;
      std::vector<Operand> elements;
      if (peek(']') || !list(elements, ']', &Reader::operand))
        return false;
      if constexpr (Build)
        op = nodes_->address(std::move(elements), loc(first));
      return true;
    }
    Value v;
    if (!expression(v))
      return false;
    if constexpr (Build)
      op = nodes_->operand(v, loc(first));
    return true;
  }

  /// `!name`, `-literal`, literal, `name`, `name|name`, `name+INT`, `name-INT`, `name+-INT`.
  bool expression(Value &v) {
    const Token &first = cur();
    if (accept('!')) {
      if (!name(v))
        return false;
      if constexpr (Build)
        v = nodes_->unary('!', v, loc(first));
      return true;
    }
    if (accept('-')) {
      if (!literal(v))
        return false;
      if constexpr (Build)
        v = nodes_->unary('-', v, loc(first));
      return true;
    }
    if (cur().kind != TK::Ident)
      return literal(v);
    if (!name(v))
      return false;
    if (accept('|')) {
      Value rhs;
      if (!name(rhs))
        return false;
      if constexpr (Build)
        v = nodes_->binary("|", v, rhs, loc(first));
      return true;
    }
    if (peek('+') || peek('-')) {
      char op = cur().punct;
      ++i_;
      const Token &rhsStart = cur();
      bool negative = op == '+' && accept('-');
      Value rhs;
      if (cur().kind != TK::Int || !literal(rhs))
        return false;
      if constexpr (Build) {
        if (negative)
          rhs = nodes_->unary('-', rhs, loc(rhsStart));
        v = nodes_->binary(op == '+' ? "+" : "-", v, rhs, loc(first));
      }
    }
    return true;
  }

  bool name(Value &v) {
    const Token &t = cur();
    if (t.kind != TK::Ident)
      return false;
    size_t dot = t.text.find('.');
    if (dot != std::string_view::npos && t.text.find('.', dot + 1) != std::string_view::npos)
      return false; // an opcode in operand position: a syntax error ANTLR reports
    if constexpr (Build)
      v = nodes_->name(t.text, loc(t));
    ++i_;
    return true;
  }

  bool literal(Value &v) {
    const Token &t = cur();
    if (t.kind == TK::Int) {
      auto value = NodeFactory::integerValue(t.text);
      if (!value)
        return false;
      v = Value::integer(*value);
    } else if (t.kind == TK::Float) {
      v = NodeFactory::floatLiteral(t.text);
    } else {
      return false;
    }
    ++i_;
    return true;
  }
};

} // namespace

namespace {

/// Recognize first (no side effects), then build: declining leaves the module untouched.
template <typename Node, typename Read>
bool readItem(const std::vector<Token> &tokens, Module &module, DiagnosticList &diags,
              Read read) {
  Reader<false> recognizer(tokens, nullptr);
  if (!read(recognizer, static_cast<Node *>(nullptr)))
    return false;
  NodeFactory nodes(module, diags);
  Node node;
  Reader<true> builder(tokens, &nodes);
  read(builder, &node);
  module.items.emplace_back(std::move(node));
  return true;
}

} // namespace

bool FastPath::parseFunction(std::string_view item, uint32_t firstLine, Module &module,
                             DiagnosticList &diags) {
  return tokenize(item, firstLine) && tokens_.size() > 1 &&
         readItem<Function>(tokens_, module, diags,
                            [](auto &reader, Function *fn) { return reader.function(fn); });
}

bool FastPath::parseVariable(std::string_view item, uint32_t firstLine, Module &module,
                             DiagnosticList &diags) {
  return tokenize(item, firstLine) && tokens_.size() > 1 &&
         readItem<VariableDecl>(tokens_, module, diags, [](auto &reader, VariableDecl *decl) {
           return reader.moduleVariable(decl);
         });
}

} // namespace oxptx::ptx
