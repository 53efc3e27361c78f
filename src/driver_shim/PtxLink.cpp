#include "driver_shim/PtxLink.h"

#include "ptx_parser/Parser.h"

#include <map>
#include <regex>
#include <set>

namespace oxptx::shim {
namespace {

bool identifierStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '%'; }
bool identifierChar(char c) { return identifierStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

/// Applies `rename` to every identifier token of `text`.
std::string renameIdentifiers(const std::string &text, const std::map<std::string, std::string> &rename) {
  if (rename.empty())
    return text;
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (!identifierStart(text[i]) || (i > 0 && (identifierChar(text[i - 1]) || text[i - 1] == '.'))) {
      out += text[i++];
      continue;
    }
    size_t end = i;
    while (end < text.size() && identifierChar(text[end]))
      ++end;
    std::string token = text.substr(i, end - i);
    auto it = rename.find(token);
    out += it == rename.end() ? token : it->second;
    i = end;
  }
  return out;
}

/// Whether a declaration statement names one of `names`.
bool mentions(const std::string &statement, const std::set<std::string> &names) {
  for (size_t i = 0; i < statement.size();) {
    if (!identifierStart(statement[i]) || (i > 0 && (identifierChar(statement[i - 1]) || statement[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < statement.size() && identifierChar(statement[end]))
      ++end;
    if (names.count(statement.substr(i, end - i)))
      return true;
    i = end;
  }
  return false;
}

struct ModuleSymbols {
  std::set<std::string> visible, internal;
};

ModuleSymbols symbolsOf(const std::string &text) {
  ModuleSymbols symbols;
  ptx::ParseResult parsed = ptx::parsePtx(text);
  const ptx::Module &m = parsed.module;
  for (const auto &item : m.items) {
    if (const auto *f = std::get_if<ptx::Function>(&item)) {
      if (!f->body)
        continue;
      (f->linkage == ptx::Linkage::None ? symbols.internal : symbols.visible).insert(std::string(m.name(f->name)));
    } else if (const auto *v = std::get_if<ptx::VariableDecl>(&item)) {
      if (v->linkage == ptx::Linkage::Extern)
        continue;
      for (const ptx::Declarator &d : v->declarators)
        (v->linkage == ptx::Linkage::None ? symbols.internal : symbols.visible).insert(std::string(m.name(d.name)));
    }
  }
  return symbols;
}

} // namespace

std::variant<std::string, LinkError> linkPtx(const std::vector<std::string> &modules) {
  if (modules.empty())
    return LinkError{"nothing to link"};
  std::vector<ModuleSymbols> symbols;
  std::map<std::string, size_t> definedBy;
  for (size_t i = 0; i < modules.size(); ++i) {
    symbols.push_back(symbolsOf(modules[i]));
    for (const std::string &name : symbols.back().visible)
      if (auto [it, fresh] = definedBy.emplace(name, i); !fresh)
        return LinkError{"symbol '" + name + "' is defined in PTX module " + std::to_string(it->second + 1) +
                         " and in module " + std::to_string(i + 1)};
  }
  std::set<std::string> defined;
  for (const auto &[name, module] : definedBy)
    defined.insert(name);

  static const std::regex kVersion(R"(\.version\s+(\d+)\.(\d+))");
  static const std::regex kHeader(R"((^|\n)[ \t]*\.(version|target|address_size)[^\n]*)");
  static const std::regex kExtern(R"(\.extern\s[^;{}]*;)");
  std::string version = "7.0", target;
  int best = -1;
  std::string body;
  std::set<std::string> declared; // one copy of each remaining declaration
  for (size_t i = 0; i < modules.size(); ++i) {
    std::smatch match;
    if (std::regex_search(modules[i], match, kVersion)) {
      int v = std::stoi(match[1]) * 100 + std::stoi(match[2]);
      if (v > best) {
        best = v;
        version = match[1].str() + "." + match[2].str();
      }
    }
    static const std::regex kTarget(R"(\.target\s+([^\n]*))");
    if (target.empty() && std::regex_search(modules[i], match, kTarget))
      target = match[1];
    std::map<std::string, std::string> rename;
    if (i > 0)
      for (const std::string &name : symbols[i].internal)
        rename[name] = name + "_oxm" + std::to_string(i);
    std::string text = std::regex_replace(modules[i], kHeader, "$1");
    std::string kept;
    auto begin = std::sregex_iterator(text.begin(), text.end(), kExtern);
    size_t at = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      kept += text.substr(at, size_t(it->position()) - at);
      if (!mentions(it->str(), defined) && declared.insert(it->str()).second)
        kept += it->str();
      at = size_t(it->position() + it->length());
    }
    kept += text.substr(at);
    body += renameIdentifiers(kept, rename) + "\n";
  }
  return ".version " + version + "\n.target " + (target.empty() ? "sm_75" : target) + "\n.address_size 64\n" + body;
}

} // namespace oxptx::shim
