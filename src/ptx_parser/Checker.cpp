#include "ptx_parser/Checker.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

namespace oxptx::ptx {
namespace {

constexpr uint16_t kNewestPtx = 90; // PTX ISA 9.0

struct VarInfo {
  StateSpace space = StateSpace::None;
  Linkage linkage = Linkage::None;
  Type type = Type::None;
  uint32_t rangeCount = 0; // > 0 for %r<N>
  SourceLoc loc;
};

enum class NameKind { Variable, Function, Label, SpecialRegister, Unknown };

std::string typeName(Type type) { return "." + std::string(typeInfo(type).spelling); }

/// PTX's operand type rules: bit types match any type of their size, signed and unsigned
/// integers of one size match each other, floats need their own type (or a bit type).
/// `wider` allows a register wider than the instruction type (ld, st, cvt and friends).
bool compatible(Type expected, Type declared, bool wider) {
  if (expected == declared)
    return true;
  const TypeInfo &e = typeInfo(expected), &d = typeInfo(declared);
  if ((e.kind == TypeKind::Pred) != (d.kind == TypeKind::Pred))
    return false;
  bool sizeOk = wider ? d.bits >= e.bits : d.bits == e.bits;
  if (!sizeOk)
    return false;
  if (e.kind == TypeKind::Bits || d.kind == TypeKind::Bits)
    return true;
  bool eInt = e.kind == TypeKind::Signed || e.kind == TypeKind::Unsigned;
  bool dInt = d.kind == TypeKind::Signed || d.kind == TypeKind::Unsigned;
  if (eInt && dInt)
    return true;
  // With `wider`, an integer register may receive a narrower float (ld.f16 into .b32/.u32 is
  // common in nvcc output) and a float register a narrower integer is still an error.
  if (wider && dInt && e.bits < d.bits)
    return true;
  return false;
}

bool allowsWiderRegisters(Opcode op) {
  switch (op) {
  case Opcode::Ld:
  case Opcode::Ldu:
  case Opcode::St:
  case Opcode::Cvt:
  case Opcode::Atom:
  case Opcode::Red:
  case Opcode::Suld:
  case Opcode::Sust:
  case Opcode::Tex:
  case Opcode::Tld4:
  case Opcode::Mov:
    return true;
  default:
    return false;
  }
}

Type widen(Type type) {
  switch (type) {
  case Type::U16: return Type::U32;
  case Type::U32: return Type::U64;
  case Type::S16: return Type::S32;
  case Type::S32: return Type::S64;
  case Type::B16: return Type::B32;
  case Type::B32: return Type::B64;
  case Type::F16: return Type::F32;
  case Type::F32: return Type::F64;
  default: return type;
  }
}

Type bitsType(unsigned bits) {
  switch (bits) {
  case 8: return Type::B8;
  case 16: return Type::B16;
  case 32: return Type::B32;
  case 64: return Type::B64;
  case 128: return Type::B128;
  default: return Type::None;
  }
}

struct PerformanceDirectiveRule {
  std::string_view name;
  uint16_t minPtx, minSm;
  bool entryOnly;
};
constexpr PerformanceDirectiveRule kPerformanceDirectives[] = {
    {"maxntid", 13, 0, false},        {"reqntid", 21, 0, false},
    {"minnctapersm", 20, 20, false},  {"maxnctapersm", 13, 0, false},
    {"maxnreg", 13, 0, false},        {"maxclusterrank", 78, 90, true},
    {"reqnctapercluster", 78, 90, true}, {"explicitcluster", 78, 90, true},
    {"noreturn", 64, 0, false},       {"blocksareclusters", 90, 90, true},
    {"abi_preserve", 90, 0, false},   {"abi_preserve_control", 90, 0, false},
};

bool isFloat(Type t) {
  TypeKind k = typeInfo(t).kind;
  return k == TypeKind::Float || k == TypeKind::Packed;
}

/// Modifiers whose legality depends on the instruction type, for the arithmetic instructions
/// (the table says which groups an opcode takes; this says for which of its types).
struct ModifierTypeRule {
  ModGroup group;
  bool (*allows)(Type);
  const char *requirement;
};
constexpr ModifierTypeRule kArithmeticModifierRules[] = {
    {ModGroup::Rounding, isFloat, "a floating-point type"},
    {ModGroup::Ftz, [](Type t) { return t != Type::F64 && isFloat(t); }, "an f32 or f16 type"},
    {ModGroup::Sat, [](Type t) { return t == Type::S32 || (t != Type::F64 && isFloat(t)); },
     "type .s32 or an f32/f16 type"},
    {ModGroup::MulMode, [](Type t) { return !isFloat(t); }, "an integer type"},
    {ModGroup::Carry, [](Type t) { return !isFloat(t); }, "an integer type"},
};

bool isArithmetic(Opcode op) {
  switch (op) {
  case Opcode::Add: case Opcode::Sub: case Opcode::Mul: case Opcode::Mad: case Opcode::Fma:
  case Opcode::Div: case Opcode::Abs: case Opcode::Neg: case Opcode::Min: case Opcode::Max:
    return true; // not rcp/sqrt: `rcp.approx.ftz.f64` is a form of its own
  default:
    return false;
  }
}

/// Matrix element types newer than the matrix instructions themselves.
struct MatrixTypeTarget {
  Type type;
  uint16_t minSm;
};
constexpr MatrixTypeTarget kMatrixTypeTargets[] = {
    {Type::F64, 80}, {Type::BF16, 80}, {Type::TF32, 80}, {Type::U8, 72}, {Type::S8, 72},
    {Type::U4, 75},  {Type::S4, 75},   {Type::B1, 75},   {Type::E4M3, 89}, {Type::E5M2, 89},
};

bool isMatrix(Opcode op) {
  return op == Opcode::Mma || op == Opcode::MmaSp || op == Opcode::WmmaLoad ||
         op == Opcode::WmmaStore || op == Opcode::WmmaMma;
}

class Checker {
public:
  explicit Checker(const Module &module) : m_(module) {
    if (module.version)
      version_ = module.version->code();
    if (auto target = module.smTarget())
      target_ = *target;
  }

  DiagnosticList run() {
    checkHeader();
    declareModuleScope();
    for (const Module::TopLevel &item : m_.items)
      if (const Function *fn = std::get_if<Function>(&item))
        checkFunction(*fn);
    return std::move(diags_);
  }

private:
  const Module &m_;
  DiagnosticList diags_;
  uint16_t version_ = kNewestPtx;
  SmTarget target_{1000, false, false};

  // Scopes: module scope first, then function and nested block scopes.
  struct Scope {
    std::unordered_map<uint32_t, VarInfo> names;
    std::unordered_map<uint32_t, VarInfo> ranges; // %r<N>: keyed by prefix
  };
  std::vector<Scope> scopes_;
  std::unordered_map<uint32_t, SourceLoc> functions_;
  std::unordered_set<uint32_t> labels_;
  // name id → (prefix text, index) for %rN-style lookups, computed on demand
  // name id → %rN split (prefix symbol, N), computed on first use; the hot path of the checker
  struct NumberedName {
    bool computed = false;
    Symbol prefix; // none when the prefix was never declared as a range
    uint32_t index = UINT32_MAX;
  };
  std::vector<NumberedName> split_;

  std::string_view text(Symbol s) const { return m_.name(s); }

  // ---------------------------------------------------------------- versions

  void requireVersion(uint16_t minPtx, uint16_t minSm, bool archSpecific, SourceLoc at,
                      const std::string &what) {
    if (minPtx > version_)
      diags_.error(at, what + " requires PTX ISA " + formatVersionCode(minPtx) +
                           " (the module declares .version " + formatVersionCode(version_) +
                           ")");
    if (minSm > target_.sm)
      diags_.error(at, what + " requires sm_" + std::to_string(minSm) +
                           (archSpecific ? "a" : "") + " or later (the module targets " +
                           target_.spelling() + ")");
    else if (archSpecific && !target_.archSpecific && target_.sm == minSm)
      diags_.error(at, what + " requires the architecture-specific target sm_" +
                           std::to_string(minSm) + "a (the module targets " +
                           target_.spelling() + ")");
  }

  void checkHeader() {
    if (!m_.version) {
      diags_.error({1, 1}, "missing .version directive: a PTX module starts with .version "
                           "and .target");
    } else if (m_.version->code() > kNewestPtx) {
      diags_.error(m_.versionLoc, "PTX ISA " + formatVersionCode(m_.version->code()) +
                                      " is newer than 9.0, the newest version oxptx reads");
    }
    if (m_.targets.empty()) {
      diags_.error(m_.versionLoc.valid() ? m_.versionLoc : SourceLoc{1, 1},
                   "missing .target directive: a PTX module starts with .version and .target");
      return;
    }
    for (const std::string &target : m_.targets) {
      static const std::unordered_set<std::string_view> kOptions = {
          "texmode_unified", "texmode_independent", "debug", "map_f64_to_f32"};
      if (!SmTarget::parse(target) && !kOptions.contains(target))
        diags_.error(m_.targetLoc, "unknown target '" + target +
                                       "': expected sm_XX[a|f] or a target option");
    }
  }

  // ---------------------------------------------------------------- declarations

  void declare(Symbol name, const VarInfo &info, const Declarator &d) {
    Scope &scope = scopes_.back();
    auto &table = d.rangeCount ? scope.ranges : scope.names;
    auto [it, inserted] = table.emplace(name.id, info);
    // A variable may be declared .extern and defined once; anything else twice is an error,
    // including a name that a %r<N> range of the same scope already covers.
    bool clash = !inserted && info.linkage != Linkage::Extern &&
                 it->second.linkage != Linkage::Extern;
    if (inserted && !d.rangeCount)
      clash = coveredByRange(scope, name);
    if (clash)
      diags_.error(d.loc, "'" + std::string(text(name)) + "' redeclared in this scope");
    else if (!inserted && info.linkage != Linkage::Extern)
      it->second = info; // the definition replaces the .extern declaration
  }

  bool coveredByRange(const Scope &scope, Symbol name) {
    if (scope.ranges.empty())
      return false;
    const NumberedName &numbered = splitNumbered(name);
    if (numbered.index == UINT32_MAX)
      return false;
    auto it = scope.ranges.find(numbered.prefix.id);
    return it != scope.ranges.end() && numbered.index < it->second.rangeCount;
  }

  void declareVariables(const VariableDecl &decl) {
    if (decl.space == StateSpace::None)
      diags_.error(decl.loc, "a declaration needs a state space (.reg, .global, .shared, ...)");
    else
      requireVersion(stateSpaceInfo(decl.space).minPtx, stateSpaceInfo(decl.space).minSm, false,
                     decl.loc, "state space '." +
                                   std::string(stateSpaceInfo(decl.space).spelling) + "'");
    if (decl.type == Type::None && decl.opaqueKind.empty())
      diags_.error(decl.loc, "a declaration needs a type (.b32, .u64, .f32, .pred, ...)");
    for (const Declarator &d : decl.declarators) {
      if (d.rangeCount && decl.space != StateSpace::Reg)
        diags_.error(d.loc, "parameterized names (%r<N>) are only allowed for .reg");
      for (size_t i = 0; i < d.dims.size(); ++i)
        if (!d.dims[i] && !(i == 0 && (d.init || decl.linkage == Linkage::Extern ||
                                       decl.space == StateSpace::Param)))
          diags_.error(d.loc, "array '" + std::string(text(d.name)) +
                                  "' needs a size unless it is initialized or an .extern declaration");
      declare(d.name, {decl.space, decl.linkage, decl.type, d.rangeCount, d.loc}, d);
    }
  }

  void declareModuleScope() {
    scopes_.emplace_back();
    std::unordered_map<uint32_t, bool> defined;
    for (const Module::TopLevel &item : m_.items) {
      if (const VariableDecl *decl = std::get_if<VariableDecl>(&item)) {
        declareVariables(*decl);
      } else if (const Function *fn = std::get_if<Function>(&item)) {
        functions_.emplace(fn->name.id, fn->loc);
        if (fn->body && defined[fn->name.id])
          diags_.error(fn->loc, "function '" + std::string(text(fn->name)) +
                                    "' redeclared: it is already defined");
        defined[fn->name.id] |= fn->body.has_value();
      } else if (const Alias *alias = std::get_if<Alias>(&item)) {
        functions_.emplace(alias->alias.id, alias->loc);
      }
    }
    for (const Module::TopLevel &item : m_.items)
      if (const Alias *alias = std::get_if<Alias>(&item))
        if (!functions_.contains(alias->target.id))
          diags_.error(alias->loc, "use of undeclared function '" +
                                       std::string(text(alias->target)) + "' in .alias");
  }

  // ---------------------------------------------------------------- lookup

  const VarInfo *lookupVariable(Symbol name) {
    for (size_t i = scopes_.size(); i-- > 0;)
      if (auto it = scopes_[i].names.find(name.id); it != scopes_[i].names.end())
        return &it->second;
    const NumberedName &numbered = splitNumbered(name);
    if (numbered.index == UINT32_MAX)
      return nullptr;
    for (size_t i = scopes_.size(); i-- > 0;)
      if (auto it = scopes_[i].ranges.find(numbered.prefix.id); it != scopes_[i].ranges.end())
        if (numbered.index < it->second.rangeCount)
          return &it->second;
    return nullptr;
  }

  /// `%r12` → ("%r", 12); names without a canonical numeric suffix give index UINT32_MAX.
  /// `%r12` → (%r, 12); index UINT32_MAX for names without a canonical numeric suffix or whose
  /// prefix names nothing.
  const NumberedName &splitNumbered(Symbol name) {
    if (split_.size() <= name.id)
      split_.resize(m_.names.size());
    NumberedName &entry = split_[name.id];
    if (!entry.computed) {
      entry.computed = true;
      std::string_view t = text(name);
      size_t digits = t.size();
      while (digits > 0 && t[digits - 1] >= '0' && t[digits - 1] <= '9')
        --digits;
      auto prefix = m_.names.find(t.substr(0, digits));
      if (prefix && digits < t.size() && (t.size() - digits == 1 || t[digits] != '0')) {
        entry.prefix = *prefix;
        std::from_chars(t.data() + digits, t.data() + t.size(), entry.index);
      }
    }
    return entry;
  }


  // ---------------------------------------------------------------- functions

  void collectLabels(const std::vector<Statement> &body) {
    for (const Statement &s : body) {
      Symbol name;
      SourceLoc at;
      if (const Label *label = std::get_if<Label>(&s.node)) {
        name = label->name;
        at = label->loc;
      } else if (const TargetList *list = std::get_if<TargetList>(&s.node)) {
        name = list->name;
        at = list->loc;
      } else if (const CallPrototype *proto = std::get_if<CallPrototype>(&s.node)) {
        name = proto->name;
        at = proto->loc;
      } else if (const auto *block = std::get_if<std::vector<Statement>>(&s.node)) {
        collectLabels(*block);
        continue;
      } else {
        continue;
      }
      if (!labels_.insert(name.id).second)
        diags_.error(at, "label '" + std::string(text(name)) + "' redeclared in this function");
    }
  }

  void checkFunction(const Function &fn) {
    for (const PerformanceDirective &d : fn.directives) {
      const PerformanceDirectiveRule *rule = nullptr;
      for (const auto &r : kPerformanceDirectives)
        if (r.name == d.name)
          rule = &r;
      if (!rule) {
        diags_.error(fn.loc, "unknown performance directive '." + d.name + "' on '" +
                                 std::string(text(fn.name)) + "'");
        continue;
      }
      requireVersion(rule->minPtx, rule->minSm, false, fn.loc, "directive '." + d.name + "'");
      if (rule->entryOnly && !fn.isEntry)
        diags_.error(fn.loc, "directive '." + d.name + "' is only allowed on kernels (.entry)");
    }
    scopes_.emplace_back();
    for (const VariableDecl &p : fn.returns)
      declareVariables(p);
    for (const VariableDecl &p : fn.params)
      declareVariables(p);
    if (fn.body) {
      labels_.clear();
      collectLabels(*fn.body);
      checkStatements(*fn.body);
    }
    scopes_.pop_back();
  }

  void checkStatements(const std::vector<Statement> &body) {
    for (const Statement &s : body) {
      if (const Instruction *inst = std::get_if<Instruction>(&s.node)) {
        checkInstruction(*inst);
      } else if (const VariableDecl *decl = std::get_if<VariableDecl>(&s.node)) {
        declareVariables(*decl);
      } else if (const TargetList *list = std::get_if<TargetList>(&s.node)) {
        for (Symbol target : list->targets)
          if (list->calls ? !functions_.contains(target.id) : !labels_.contains(target.id))
            diags_.error(list->loc, "use of undeclared " +
                                        std::string(list->calls ? "function" : "label") + " '" +
                                        std::string(text(target)) + "'");
      } else if (const auto *block = std::get_if<std::vector<Statement>>(&s.node)) {
        scopes_.emplace_back();
        checkStatements(*block);
        scopes_.pop_back();
      }
    }
  }

  // ---------------------------------------------------------------- instructions

  void checkInstruction(const Instruction &inst) {
    const InstructionSpec &spec = inst.spec();
    std::string opName(spec.name);
    requireVersion(spec.minPtx, spec.minTarget.sm, spec.minTarget.archSpecific, inst.loc,
                   "'" + opName + "'");
    for (const Modifier &m : inst.modifiers) {
      if (m.group == ModGroup::Type || m.group == ModGroup::Shape)
        continue;
      uint16_t minPtx, minSm;
      if (m.group == ModGroup::Space) {
        minPtx = stateSpaceInfo(StateSpace(m.value)).minPtx;
        minSm = stateSpaceInfo(StateSpace(m.value)).minSm;
      } else {
        minPtx = modInfo(Mod(m.value)).minPtx;
        minSm = modInfo(Mod(m.value)).minSm;
      }
      if (minPtx > spec.minPtx || minSm > spec.minTarget.sm)
        requireVersion(minPtx, minSm, false, inst.loc,
                       "modifier '." + m.spelling() + "' of '" + opName + "'");
    }

    if (inst.guard)
      checkPredicateName(inst.guard, inst.loc);

    auto types = inst.types();
    if (types.size() < spec.minTypes)
      diags_.error(inst.loc, "'" + opName + "' needs " +
                                 (spec.minTypes == 1 ? std::string("a type modifier")
                                                     : std::to_string(spec.minTypes) +
                                                           " type modifiers") +
                                 " (e.g. ." + std::string(typeInfo(spec.allowedTypes.empty()
                                                                        ? Type::B32
                                                                        : spec.allowedTypes[0])
                                                               .spelling) +
                                 ")");
    else if (types.size() > spec.maxTypes)
      diags_.error(inst.loc, "'" + opName + "' takes at most " + std::to_string(spec.maxTypes) +
                                 " type modifier(s), " + std::to_string(types.size()) + " given");
    bool typesOk = true;
    for (Type t : types) {
      if (!spec.allowsType(t)) {
        diags_.error(inst.loc, "type '" + typeName(t) + "' is not allowed on '" + opName + "'");
        typesOk = false;
      }
    }
    if (!typesOk) // operand types would only repeat the problem
      types.clear();
    if (isArithmetic(inst.opcode) && !types.empty()) {
      for (const ModifierTypeRule &rule : kArithmeticModifierRules) {
        auto value = inst.modifier(rule.group);
        if (value && !rule.allows(types[0]))
          diags_.error(inst.loc, "modifier '." + Modifier{rule.group, *value}.spelling() +
                                     "' is not allowed on '" + opName + typeName(types[0]) +
                                     "': it needs " + rule.requirement);
      }
    }
    if (isMatrix(inst.opcode))
      for (const MatrixTypeTarget &rule : kMatrixTypeTargets)
        if (std::find(types.begin(), types.end(), rule.type) != types.end())
          requireVersion(0, rule.minSm, false, inst.loc,
                         "'" + opName + "' with " + typeName(rule.type) + " elements");

    size_t count = inst.operands.size();
    if (count < spec.minOperands() || count > spec.maxOperands()) {
      std::string expected = std::to_string(spec.minOperands());
      if (spec.maxOperands() == UINT32_MAX)
        expected = "at least " + expected;
      else if (spec.maxOperands() != spec.minOperands())
        expected += " to " + std::to_string(spec.maxOperands());
      diags_.error(inst.loc, "wrong operand count: '" + opName + "' takes " + expected +
                                 " operand(s), " + std::to_string(count) + " given");
    }

    bool wider = allowsWiderRegisters(inst.opcode);
    auto shapes = matchOperandSpecs(spec, count);
    for (size_t i = 0; i < count; ++i) {
      const OperandSpec *os = i < shapes.size() ? shapes[i] : nullptr;
      Type expected = os ? expectedType(*os, inst, types) : Type::None;
      checkOperand(inst.operands[i], os, expected, wider, inst, opName);
    }
  }

  /// The operand spec of each of `count` operands: optional operands that are absent are
  /// dropped from the end backwards (`bar.red d, a, {b,} c` drops `b`), a trailing `*`
  /// repeats.
  static std::vector<const OperandSpec *> matchOperandSpecs(const InstructionSpec &spec,
                                                            size_t count) {
    std::vector<const OperandSpec *> chosen;
    for (const OperandSpec &os : spec.operands)
      if (!os.repeated)
        chosen.push_back(&os);
    for (size_t i = chosen.size(); i-- > 0 && chosen.size() > count;)
      if (chosen[i]->optional)
        chosen.erase(chosen.begin() + ptrdiff_t(i));
    if (!spec.operands.empty() && spec.operands.back().repeated)
      while (chosen.size() < count)
        chosen.push_back(&spec.operands.back());
    return chosen;
  }

  Type expectedType(const OperandSpec &os, const Instruction &inst,
                    const llvm::SmallVector<Type, 4> &types) {
    switch (os.typeRef) {
    case OperandSpec::TypeRef::None:
      return Type::None;
    case OperandSpec::TypeRef::Fixed:
      return os.fixed;
    case OperandSpec::TypeRef::Slot:
      // `cvt.f32.s32` has two slots; an instruction written with one type uses it for all.
      if (types.empty())
        return Type::None;
      return os.slot < types.size() ? types[os.slot] : types.back();
    case OperandSpec::TypeRef::Wide:
      if (types.empty())
        return Type::None;
      return inst.has(Mod::MulMode_Wide) ? widen(types[0]) : types[0];
    }
    return Type::None;
  }

  void checkPredicateName(Symbol name, SourceLoc at) {
    const VarInfo *info = lookupVariable(name);
    if (!info) {
      diags_.error(at, "use of undeclared predicate '" + std::string(text(name)) + "'");
      return;
    }
    if (info->type != Type::Pred)
      diags_.error(at, "type mismatch: '" + std::string(text(name)) + "' is " +
                           typeName(info->type) + ", a predicate (.pred) is required");
  }

  void checkOperand(const Operand &op, const OperandSpec *os, Type expected, bool wider,
                    const Instruction &inst, const std::string &opName) {
    using K = OperandSpec::Kind;
    K kind = os ? os->kind : K::Any;
    auto kindError = [&](const std::string &what) {
      diags_.error(op.loc, "operand of '" + opName + "' must be " + what);
    };
    switch (op.kind) {
    case Operand::Kind::Address:
      if (kind != K::Address && kind != K::Any)
        kindError(kind == K::Dest ? "a register" : "a register or value, not an address");
      if (op.name)
        resolveName(op.name, op.loc, /*allowLabel=*/false, Type::None, false, opName);
      for (const Operand &e : op.elements)
        checkOperand(e, nullptr, Type::None, wider, inst, opName);
      return;
    case Operand::Kind::Vector: {
      if (kind == K::Address || kind == K::Target)
        kindError(kind == K::Address ? "an address [..]" : "a label or function");
      Type elementType = expected;
      if (expected != Type::None && inst.vectorWidth() == 1 && !op.elements.empty())
        elementType = bitsType(typeInfo(expected).bits / unsigned(op.elements.size()));
      for (const Operand &e : op.elements)
        checkOperand(e, nullptr, elementType, wider, inst, opName);
      return;
    }
    case Operand::Kind::List:
      for (const Operand &e : op.elements)
        checkOperand(e, nullptr, Type::None, wider, inst, opName);
      return;
    case Operand::Kind::PredPair: {
      // `p|q` (setp) pairs two predicates; `d|p` (shfl, match, elect) a value and a predicate.
      if (kind != K::PredDest && kind != K::Dest && kind != K::Any)
        kindError("a single value; 'a|p' is only for results");
      const Operand &first = op.elements[0], &second = op.elements[1];
      if (first.kind == Operand::Kind::Sink && kind == K::Dest && !(os && os->discardable))
        discardError(op, opName);
      if (first.kind == Operand::Kind::Name) {
        if (kind == K::PredDest)
          checkPredicateName(first.name, op.loc);
        else
          resolveName(first.name, op.loc, false, expected, wider, opName);
      }
      if (second.kind == Operand::Kind::Name)
        checkPredicateName(second.name, op.loc);
      return;
    }
    case Operand::Kind::Integer:
    case Operand::Kind::Float32:
    case Operand::Kind::Float64:
      if (kind == K::Dest || kind == K::PredDest)
        kindError("a register, not a constant");
      else if (kind == K::Address)
        kindError("an address [..]");
      else if (kind == K::Target)
        kindError("a label or function");
      return;
    case Operand::Kind::Sink:
      if (kind == K::Dest && !(os && os->discardable))
        discardError(op, opName);
      return;
    case Operand::Kind::Name:
      break;
    }
    if (kind == K::Address)
      kindError("an address [..]");
    if (kind == K::PredDest || kind == K::PredSource) {
      checkPredicateName(op.name, op.loc);
      return;
    }
    resolveName(op.name, op.loc, kind == K::Target || kind == K::Any, expected, wider, opName,
                &op);
  }

  void discardError(const Operand &op, const std::string &opName) {
    diags_.error(op.loc, "result discard '_' is not allowed for '" + opName +
                             "': write the result to a register");
  }

  void resolveName(Symbol name, SourceLoc at, bool allowLabel, Type expected, bool wider,
                   const std::string &opName, const Operand *op = nullptr) {
    std::string_view t = text(name);
    if (const VarInfo *info = lookupVariable(name)) {
      if (info->space == StateSpace::Reg && expected != Type::None && info->type != Type::None &&
          !compatible(expected, info->type, wider))
        diags_.error(at, "type mismatch: '" + std::string(t) + "' is declared " +
                             typeName(info->type) + " but '" + opName + "' uses it as " +
                             typeName(expected));
      return;
    }
    if (t == "WARP_SZ") // the one predefined constant of PTX (nvcc's warpSize)
      return;
    if (t.starts_with('%')) {
      if (auto sreg = lookupSpecialRegister(t)) {
        requireVersion(sreg->minPtx, sreg->minSm, false, at,
                       "special register '" + std::string(t) + "'");
        if (op && op->component && !sreg->vector)
          diags_.error(at, "special register '" + std::string(t) + "' has no components");
        return;
      }
    }
    if (functions_.contains(name.id))
      return;
    if (labels_.contains(name.id)) {
      if (!allowLabel)
        diags_.error(at, "label '" + std::string(t) + "' used as a value");
      return;
    }
    diags_.error(at, "use of undeclared identifier '" + std::string(t) + "'");
  }
};

} // namespace

DiagnosticList checkModule(const Module &module) { return Checker(module).run(); }

} // namespace oxptx::ptx
