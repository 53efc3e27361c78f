#include "ptx_parser/Printer.h"

#include <cstdio>

namespace oxptx::ptx {
namespace {

std::string hex(uint64_t bits, int digits) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%0*llX", digits, static_cast<unsigned long long>(bits));
  return buffer;
}

class Printer {
public:
  explicit Printer(const Module &module) : m_(module) {}

  std::string module() {
    if (m_.version)
      out_ += ".version " + std::to_string(m_.version->major) + "." +
              std::to_string(m_.version->minor) + "\n";
    if (!m_.targets.empty()) {
      out_ += ".target ";
      for (size_t i = 0; i < m_.targets.size(); ++i)
        out_ += (i ? ", " : "") + m_.targets[i];
      out_ += "\n";
    }
    if (m_.hasAddressSize)
      out_ += ".address_size " + std::to_string(m_.addressSize) + "\n";
    for (const Module::TopLevel &item : m_.items) {
      out_ += "\n";
      std::visit([this](const auto &node) { topLevel(node); }, item);
    }
    return std::move(out_);
  }

  void instruction(const Instruction &inst) {
    if (inst.guard)
      out_ += std::string("@") + (inst.guardNegated ? "!" : "") + name(inst.guard) + " ";
    out_ += inst.spec().name;
    for (const Modifier &m : inst.modifiers)
      out_ += "." + m.spelling();
    for (size_t i = 0; i < inst.operands.size(); ++i) {
      out_ += i ? ", " : " ";
      operand(inst.operands[i]);
    }
    out_ += ";";
  }

  std::string take() { return std::move(out_); }

private:
  const Module &m_;
  std::string out_;

  std::string name(Symbol s) const { return std::string(m_.name(s)); }

  // ptxas reads `[%rd1+-4]` but not `[%rd1-4]`: offsets are always written `+value`.
  void offset(uint64_t bits) {
    if (bits)
      out_ += "+" + std::to_string(int64_t(bits));
  }

  void operand(const Operand &op) {
    switch (op.kind) {
    case Operand::Kind::Name:
      out_ += op.negated ? "!" : "";
      out_ += name(op.name);
      if (op.component)
        out_ += "." + name(op.component);
      offset(op.bits);
      return;
    case Operand::Kind::Integer:
      // Negative values print signed so that `-1` stays readable; the parser folds both back.
      out_ += int64_t(op.bits) < 0 ? std::to_string(int64_t(op.bits)) : std::to_string(op.bits);
      return;
    case Operand::Kind::Float32:
      out_ += "0f" + hex(op.bits, 8);
      return;
    case Operand::Kind::Float64:
      out_ += "0d" + hex(op.bits, 16);
      return;
    case Operand::Kind::Sink:
      out_ += "_";
      return;
    case Operand::Kind::Vector:
    case Operand::Kind::List:
      out_ += op.kind == Operand::Kind::Vector ? "{" : "(";
      for (size_t i = 0; i < op.elements.size(); ++i) {
        out_ += i ? ", " : "";
        operand(op.elements[i]);
      }
      out_ += op.kind == Operand::Kind::Vector ? "}" : ")";
      return;
    case Operand::Kind::Address:
      out_ += "[";
      if (op.name) {
        out_ += name(op.name);
        offset(op.bits);
      } else {
        out_ += std::to_string(op.bits);
      }
      for (const Operand &e : op.elements) {
        out_ += ", ";
        operand(e);
      }
      out_ += "]";
      return;
    case Operand::Kind::PredPair:
      operand(op.elements[0]);
      out_ += "|";
      operand(op.elements[1]);
      return;
    }
  }

  void initializer(const Initializer &init) {
    switch (init.kind) {
    case Initializer::Kind::Integer:
      out_ += int64_t(init.bits) < 0 ? std::to_string(int64_t(init.bits))
                                     : std::to_string(init.bits);
      return;
    case Initializer::Kind::Float32:
      out_ += "0f" + hex(init.bits, 8);
      return;
    case Initializer::Kind::Float64:
      out_ += "0d" + hex(init.bits, 16);
      return;
    case Initializer::Kind::Name:
      out_ += name(init.name);
      offset(init.bits);
      return;
    case Initializer::Kind::Generic:
      out_ += "generic(" + name(init.name) + ")";
      offset(init.bits);
      return;
    case Initializer::Kind::Field:
      out_ += name(init.name) + " = " + name(init.fieldValue);
      return;
    case Initializer::Kind::List:
      out_ += "{";
      for (size_t i = 0; i < init.elements.size(); ++i) {
        out_ += i ? ", " : "";
        initializer(init.elements[i]);
      }
      out_ += "}";
      return;
    }
  }

  void variableDecl(const VariableDecl &decl) {
    static constexpr std::string_view kLinkage[] = {"", ".visible ", ".extern ", ".weak ",
                                                    ".common "};
    out_ += kLinkage[size_t(decl.linkage)];
    if (!decl.attributes.empty()) {
      out_ += ".attribute(";
      for (size_t i = 0; i < decl.attributes.size(); ++i)
        out_ += (i ? ", ." : ".") + decl.attributes[i];
      out_ += ") ";
    }
    if (decl.space != StateSpace::None)
      out_ += "." + std::string(stateSpaceInfo(decl.space).spelling) + " ";
    if (decl.align)
      out_ += ".align " + std::to_string(decl.align) + " ";
    if (decl.vectorWidth > 1)
      out_ += ".v" + std::to_string(decl.vectorWidth) + " ";
    for (const std::string &kind : decl.opaqueKind)
      out_ += "." + kind + " ";
    if (decl.type != Type::None)
      out_ += "." + std::string(typeInfo(decl.type).spelling) + " ";
    if (decl.ptr) {
      out_ += ".ptr ";
      if (decl.ptrSpace != StateSpace::None)
        out_ += "." + std::string(stateSpaceInfo(decl.ptrSpace).spelling) + " ";
      if (decl.ptrAlign)
        out_ += ".align " + std::to_string(decl.ptrAlign) + " ";
    }
    for (size_t i = 0; i < decl.declarators.size(); ++i) {
      const Declarator &d = decl.declarators[i];
      out_ += (i ? ", " : "") + name(d.name);
      if (d.rangeCount)
        out_ += "<" + std::to_string(d.rangeCount) + ">";
      for (const auto &dim : d.dims)
        out_ += dim ? "[" + std::to_string(*dim) + "]" : "[]";
      if (d.init) {
        out_ += " = ";
        initializer(*d.init);
      }
    }
  }

  void parameterList(const std::vector<VariableDecl> &params) {
    out_ += "(";
    for (size_t i = 0; i < params.size(); ++i) {
      out_ += i ? ",\n\t" : "\n\t";
      variableDecl(params[i]);
    }
    out_ += "\n)";
  }

  void pragma(const Pragma &p) {
    out_ += ".pragma ";
    for (size_t i = 0; i < p.values.size(); ++i)
      out_ += (i ? ", \"" : "\"") + p.values[i] + "\"";
    out_ += ";";
  }

  void statements(const std::vector<Statement> &body, int depth) {
    std::string indent(size_t(depth), '\t');
    for (const Statement &s : body) {
      std::visit(
          [&](const auto &node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, Label>) {
              out_ += name(node.name) + ":\n";
              return;
            } else if constexpr (std::is_same_v<T, std::vector<Statement>>) {
              out_ += indent + "{\n";
              statements(node, depth + 1);
              out_ += indent + "}\n";
              return;
            } else {
              out_ += indent;
              if constexpr (std::is_same_v<T, Instruction>) {
                instruction(node);
              } else if constexpr (std::is_same_v<T, VariableDecl>) {
                variableDecl(node);
                out_ += ";";
              } else if constexpr (std::is_same_v<T, LocDirective>) {
                out_ += ".loc " + std::to_string(node.file) + " " + std::to_string(node.line) +
                        " " + std::to_string(node.column);
                if (!node.attributes.empty())
                  out_ += ", " + node.attributes;
              } else if constexpr (std::is_same_v<T, Pragma>) {
                pragma(node);
              } else if constexpr (std::is_same_v<T, TargetList>) {
                out_ += name(node.name) + ": " +
                        (node.calls ? ".calltargets " : ".branchtargets ");
                for (size_t i = 0; i < node.targets.size(); ++i)
                  out_ += (i ? ", " : "") + name(node.targets[i]);
                out_ += ";";
              } else if constexpr (std::is_same_v<T, CallPrototype>) {
                out_ += name(node.name) + ": .callprototype ";
                if (!node.returns.empty()) {
                  parameterList(node.returns);
                  out_ += " ";
                }
                out_ += "_ ";
                parameterList(node.params);
                if (node.noreturn)
                  out_ += " .noreturn";
                out_ += ";";
              }
              out_ += "\n";
            }
          },
          s.node);
    }
  }

  void topLevel(const Function &fn) {
    static constexpr std::string_view kLinkage[] = {"", ".visible ", ".extern ", ".weak ",
                                                    ".common "};
    out_ += kLinkage[size_t(fn.linkage)];
    out_ += fn.isEntry ? ".entry " : ".func ";
    if (!fn.returns.empty()) {
      parameterList(fn.returns);
      out_ += " ";
    }
    out_ += name(fn.name);
    if (fn.isEntry || !fn.params.empty())
      parameterList(fn.params);
    out_ += "\n";
    for (const PerformanceDirective &d : fn.directives) {
      out_ += "." + d.name;
      for (size_t i = 0; i < d.values.size(); ++i)
        out_ += (i ? ", " : " ") + std::to_string(d.values[i]);
      out_ += "\n";
    }
    for (const Pragma &p : fn.pragmas) {
      pragma(p);
      out_ += "\n";
    }
    if (!fn.body) {
      out_ += ";\n";
      return;
    }
    out_ += "{\n";
    statements(*fn.body, 1);
    out_ += "}\n";
  }

  void topLevel(const VariableDecl &decl) {
    variableDecl(decl);
    out_ += ";\n";
  }

  void topLevel(const FileDirective &file) {
    out_ += ".file " + std::to_string(file.index) + " \"" + file.path + "\"";
    for (uint64_t value : file.extra)
      out_ += ", " + std::to_string(value);
    out_ += "\n";
  }

  void topLevel(const Section &section) {
    out_ += ".section " + section.name + "\n{" + section.contents + "}\n";
  }

  void topLevel(const Alias &alias) {
    out_ += ".alias " + name(alias.alias) + ", " + name(alias.target) + ";\n";
  }

  void topLevel(const Pragma &p) {
    pragma(p);
    out_ += "\n";
  }
};

} // namespace

std::string printModule(const Module &module) { return Printer(module).module(); }

std::string printInstruction(const Module &module, const Instruction &inst) {
  Printer printer(module);
  printer.instruction(inst);
  return printer.take();
}

} // namespace oxptx::ptx
