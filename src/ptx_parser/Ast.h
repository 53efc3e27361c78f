// The typed PTX AST. Independent of ANTLR: the parse tree never leaves src/ptx_parser.
//
// Names (registers, variables, labels, functions) are interned in the Module's NameTable and
// referred to by Symbol, which keeps instructions small: a 20 MB module has ~10^6 of them.
// Every node carries the SourceLoc of its first token. Structural equality (operator==) ignores
// nothing; tests that compare two parses of different texts clear locations first.
#pragma once

#include "ptx_parser/Diagnostics.h"
#include "ptx_parser/Instructions.h"
#include "ptx_parser/PtxTypes.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringMap.h>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace oxptx::ptx {

struct Symbol {
  static constexpr uint32_t NoneId = UINT32_MAX;
  uint32_t id = NoneId;
  explicit operator bool() const { return id != NoneId; }
  bool operator==(const Symbol &) const = default;
};

/// Interned names. Symbols of equal text are equal within one table.
class NameTable {
public:
  Symbol intern(std::string_view text);
  std::optional<Symbol> find(std::string_view text) const;
  std::string_view text(Symbol symbol) const {
    return symbol ? std::string_view(names_[symbol.id]->getKey()) : std::string_view();
  }
  size_t size() const { return names_.size(); }

private:
  // StringMap keeps each key in its entry, which never moves: names_ points into it.
  llvm::StringMap<uint32_t> index_;
  std::vector<const llvm::StringMapEntry<uint32_t> *> names_;
};

// ------------------------------------------------------------------------------- operands

struct Operand;

/// The sub-operands of a vector, list, address or pair. Most operands have none, so they live
/// behind one pointer (an Operand is 40 bytes, not 56); copies are deep, equality by value.
class OperandList {
public:
  OperandList() = default;
  OperandList(const OperandList &other);
  OperandList(OperandList &&) noexcept = default;
  OperandList &operator=(const OperandList &other);
  OperandList &operator=(OperandList &&) noexcept = default;
  OperandList &operator=(std::vector<Operand> &&elements);

  size_t size() const;
  bool empty() const { return size() == 0; }
  const Operand &operator[](size_t i) const;
  const Operand *begin() const;
  const Operand *end() const;
  bool operator==(const OperandList &other) const;

private:
  std::unique_ptr<std::vector<Operand>> elements_;
};

struct Operand {
  enum class Kind : uint8_t {
    Name,       // register, variable, label or function; `name+offset`; `%tid.x`; `!p`
    Integer,    // any integer literal, value in `bits` as two's complement
    Float32,    // 0fXXXXXXXX, bit pattern in `bits`
    Float64,    // 0dXXXXXXXXXXXXXXXX or a decimal literal, bit pattern in `bits`
    Sink,       // `_`
    Vector,     // {a, b, c, d}
    Address,    // [base+offset] (base may be absent), further elements in `elements` ([tex, {x,y}])
    List,       // (a, b) in call
    PredPair,   // p|q: elements[0], elements[1]
  };

  uint64_t bits = 0;      // Integer / Float32 / Float64 payload; Name and Address offset
  SourceLoc loc;
  Symbol name;            // Name, Address base
  Symbol component;       // `.x` of %tid.x, `.b0` of video selectors
  Kind kind = Kind::Name;
  bool negated = false;   // `!p`
  OperandList elements;

  int64_t offset() const { return int64_t(bits); }
  bool operator==(const Operand &) const = default;
};

inline size_t OperandList::size() const { return elements_ ? elements_->size() : 0; }
inline const Operand &OperandList::operator[](size_t i) const { return (*elements_)[i]; }
inline const Operand *OperandList::begin() const {
  return elements_ ? elements_->data() : nullptr;
}
inline const Operand *OperandList::end() const { return begin() + size(); }

// ------------------------------------------------------------------------------- instructions

struct Instruction {
  Opcode opcode = Opcode::Invalid;
  SourceLoc loc;
  Symbol guard;              // @p
  bool guardNegated = false; // @!p
  llvm::SmallVector<Modifier, 4> modifiers; // in source order (the printer keeps it)
  llvm::SmallVector<Operand, 3> operands;

  const InstructionSpec &spec() const { return instructionSpec(opcode); }
  /// The value of the modifier of `group`, or nullopt. Types and spaces have helpers below.
  std::optional<uint16_t> modifier(ModGroup group) const;
  bool has(Mod mod) const;
  Mod mod(ModGroup group) const; // Mod::None when absent
  StateSpace space() const;      // StateSpace::None when absent (generic addressing)
  llvm::SmallVector<Type, 4> types() const;
  std::optional<Shape> shape() const;
  unsigned vectorWidth() const;  // 1 unless .v2/.v4/.v8

  bool operator==(const Instruction &) const = default;
};

// ------------------------------------------------------------------------------- declarations

struct Initializer {
  enum class Kind : uint8_t { Integer, Float32, Float64, Name, Generic, List, Field };
  Kind kind = Kind::Integer;
  uint64_t bits = 0;         // value, or offset of Name/Generic
  Symbol name;               // Name, Generic(name), Field name
  Symbol fieldValue;         // Field: `addr_mode_0 = clamp_to_edge`
  std::vector<Initializer> elements;
  SourceLoc loc;
  bool operator==(const Initializer &) const = default;
};

enum class Linkage : uint8_t { None, Visible, Extern, Weak, Common };

struct Declarator {
  Symbol name;
  uint32_t rangeCount = 0;                  // %r<100>: declares %r0..%r99
  std::vector<std::optional<uint64_t>> dims; // [] is nullopt (unsized extern arrays)
  std::optional<Initializer> init;
  SourceLoc loc;
  bool operator==(const Declarator &) const = default;
};

/// `.visible .global .align 8 .v2 .f32 a, b[4] = {...};` or a parameter.
struct VariableDecl {
  StateSpace space = StateSpace::None;
  Linkage linkage = Linkage::None;
  Type type = Type::None;
  unsigned vectorWidth = 1;
  uint32_t align = 0;
  bool ptr = false;                   // .ptr (kernel parameter attribute)
  StateSpace ptrSpace = StateSpace::None;
  uint32_t ptrAlign = 0;
  std::vector<std::string> attributes; // .attribute(.managed) → "managed"
  std::vector<std::string> opaqueKind; // .texref / .samplerref / .surfref
  std::vector<Declarator> declarators;
  SourceLoc loc;
  bool operator==(const VariableDecl &) const = default;
};

// ------------------------------------------------------------------------------- statements

struct Label {
  Symbol name;
  SourceLoc loc;
  bool operator==(const Label &) const = default;
};

struct LocDirective {
  uint32_t file = 0, line = 0, column = 0;
  std::string attributes; // `function_name ..., inlined_at 1 2 3` kept verbatim
  SourceLoc loc;
  bool operator==(const LocDirective &) const = default;
};

struct Pragma {
  std::vector<std::string> values; // the string literals, unquoted
  SourceLoc loc;
  bool operator==(const Pragma &) const = default;
};

/// `L: .branchtargets a, b;` / `L: .calltargets f, g;`
struct TargetList {
  bool calls = false;
  Symbol name;
  std::vector<Symbol> targets;
  SourceLoc loc;
  bool operator==(const TargetList &) const = default;
};

/// `proto: .callprototype (.param .b32 _) _ (.param .b32 _);`
struct CallPrototype {
  Symbol name;
  std::vector<VariableDecl> returns;
  std::vector<VariableDecl> params;
  bool noreturn = false;
  SourceLoc loc;
  bool operator==(const CallPrototype &) const = default;
};

struct Statement {
  using Node = std::variant<Instruction, Label, VariableDecl, LocDirective, Pragma, TargetList,
                            CallPrototype, std::vector<Statement> /* nested { } block */>;
  Node node;

  Statement() = default;
  template <typename T>
    requires(!std::is_same_v<std::decay_t<T>, Statement>)
  Statement(T &&n) : node(std::forward<T>(n)) {}
  // Moves never throw (SmallVector's move does not allocate); saying so lets std::vector move
  // statements when it grows instead of copying them.
  Statement(Statement &&) noexcept = default;
  Statement &operator=(Statement &&) noexcept = default;
  Statement(const Statement &) = default;
  Statement &operator=(const Statement &) = default;
  bool operator==(const Statement &) const = default;
};

// ------------------------------------------------------------------------------- module

struct PerformanceDirective {
  std::string name;              // "maxntid", "noreturn", ...
  std::vector<uint64_t> values;
  bool operator==(const PerformanceDirective &) const = default;
};

struct Function {
  bool isEntry = false;
  Linkage linkage = Linkage::None;
  Symbol name;
  std::vector<VariableDecl> returns;
  std::vector<VariableDecl> params;
  std::vector<PerformanceDirective> directives;
  std::vector<Pragma> pragmas;
  std::optional<std::vector<Statement>> body; // nullopt for a declaration (prototype)
  SourceLoc loc;
  bool operator==(const Function &) const = default;
};

struct FileDirective {
  uint32_t index = 0;
  std::string path;
  std::vector<uint64_t> extra; // timestamp, size
  SourceLoc loc;
  bool operator==(const FileDirective &) const = default;
};

struct Section {
  std::string name;     // ".debug_info"
  std::string contents; // the text between the braces, kept verbatim
  SourceLoc loc;
  bool operator==(const Section &) const = default;
};

struct Alias {
  Symbol alias, target;
  SourceLoc loc;
  bool operator==(const Alias &) const = default;
};

struct Module {
  std::optional<PtxVersion> version;
  SourceLoc versionLoc;
  std::vector<std::string> targets; // "sm_90a", "texmode_independent", "debug"
  SourceLoc targetLoc;
  uint32_t addressSize = 64;
  bool hasAddressSize = false;

  using TopLevel = std::variant<Function, VariableDecl, FileDirective, Section, Alias, Pragma>;
  std::vector<TopLevel> items;
  NameTable names;

  std::string_view name(Symbol symbol) const { return names.text(symbol); }
  std::optional<SmTarget> smTarget() const;
};

bool operator==(const Module &a, const Module &b);

/// Bytes and alignment of one parameter in the .param space.
struct ParamExtent {
  uint64_t size, align;
};
ParamExtent paramExtent(const VariableDecl &decl, const Declarator &declarator);

/// Where each parameter of a kernel lies in its .param buffer (what cuLaunchKernel fills from
/// kernelParams), in declaration order, and the buffer's size.
struct ParamLayout {
  struct Slot {
    uint64_t offset, size;
  };
  std::vector<Slot> slots;
  uint64_t bytes = 0;
};
ParamLayout kernelParamLayout(const Function &kernel);

} // namespace oxptx::ptx
