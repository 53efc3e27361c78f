#include "runtime/ImageLoader.h"

#include "backend/KernelImage.h"

#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/Endian.h>

#include <cstring>

namespace oxptx::runtime {
namespace {

using Object = llvm::object::ELF64LEObjectFile;

struct Placement {
  std::map<uint64_t, uint64_t> sectionAddress; // section index → device address
  uint64_t size = 0, codeSize = 0;
};

bool isAllocated(const llvm::object::SectionRef &s) {
  return llvm::object::ELFSectionRef(s).getFlags() & llvm::ELF::SHF_ALLOC;
}

/// Code sections first (one executable range), then data, each at its alignment.
Placement place(const Object &object, uint64_t base) {
  Placement p;
  for (bool code : {true, false}) {
    for (const llvm::object::SectionRef &s : object.sections()) {
      if (!isAllocated(s) || s.isText() != code)
        continue;
      uint64_t align = std::max<uint64_t>(s.getAlignment().value(), 1);
      p.size = (p.size + align - 1) / align * align;
      p.sectionAddress[s.getIndex()] = base + p.size;
      p.size += s.getSize();
    }
    if (code)
      p.codeSize = p.size;
  }
  p.size = std::max<uint64_t>((p.size + 255) / 256 * 256, 256);
  return p;
}

std::string describe(llvm::Error e) { return llvm::toString(std::move(e)); }

/// Applies one relocation at `where` (host pointer) for the instruction/datum at device address
/// `pc`. `value` is S + A; for PCREL_LO12 it is the target of the matching HI20.
std::string relocate(uint32_t type, uint8_t *where, uint64_t pc, uint64_t value) {
  using namespace llvm::support::endian;
  auto hi20 = [](int64_t offset) { return uint32_t((offset + 0x800) & 0xFFFFF000); };
  auto itype = [&](uint32_t lo) { write32le(where, (read32le(where) & 0x000FFFFF) | (lo << 20)); };
  auto stype = [&](uint32_t lo) {
    uint32_t w = read32le(where) & 0x01FFF07F;
    write32le(where, w | ((lo & 0x1F) << 7) | ((lo >> 5) << 25));
  };
  int64_t rel = int64_t(value - pc);
  switch (type) {
  case llvm::ELF::R_RISCV_64:
    write64le(where, value);
    return {};
  case llvm::ELF::R_RISCV_32:
    write32le(where, uint32_t(value));
    return {};
  case llvm::ELF::R_RISCV_ADD32:
    write32le(where, read32le(where) + uint32_t(value));
    return {};
  case llvm::ELF::R_RISCV_SUB32:
    write32le(where, read32le(where) - uint32_t(value));
    return {};
  case llvm::ELF::R_RISCV_ADD64:
    write64le(where, read64le(where) + value);
    return {};
  case llvm::ELF::R_RISCV_SUB64:
    write64le(where, read64le(where) - value);
    return {};
  case llvm::ELF::R_RISCV_PCREL_HI20:
    write32le(where, (read32le(where) & 0xFFF) | hi20(rel));
    return {};
  case llvm::ELF::R_RISCV_PCREL_LO12_I:
    itype(uint32_t(value) & 0xFFF);
    return {};
  case llvm::ELF::R_RISCV_PCREL_LO12_S:
    stype(uint32_t(value) & 0xFFF);
    return {};
  case llvm::ELF::R_RISCV_HI20:
    write32le(where, (read32le(where) & 0xFFF) | hi20(int64_t(value)));
    return {};
  case llvm::ELF::R_RISCV_LO12_I:
    itype(uint32_t(value) & 0xFFF);
    return {};
  case llvm::ELF::R_RISCV_LO12_S:
    stype(uint32_t(value) & 0xFFF);
    return {};
  case llvm::ELF::R_RISCV_CALL:
  case llvm::ELF::R_RISCV_CALL_PLT: // auipc ra, hi; jalr ra, lo(ra)
    write32le(where, (read32le(where) & 0xFFF) | hi20(rel));
    write32le(where + 4, (read32le(where + 4) & 0x000FFFFF) | (uint32_t(rel) << 20));
    return {};
  case llvm::ELF::R_RISCV_BRANCH: {
    uint32_t o = uint32_t(rel), w = read32le(where) & 0x01FFF07F;
    w |= ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3F) << 25 | ((o >> 1) & 0xF) << 8 | ((o >> 11) & 1) << 7;
    write32le(where, w);
    return {};
  }
  case llvm::ELF::R_RISCV_JAL: {
    uint32_t o = uint32_t(rel), w = read32le(where) & 0xFFF;
    w |= ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3FF) << 21 | ((o >> 11) & 1) << 20 | ((o >> 12) & 0xFF) << 12;
    write32le(where, w);
    return {};
  }
  case llvm::ELF::R_RISCV_RELAX:
  case llvm::ELF::R_RISCV_ALIGN:
  case llvm::ELF::R_RISCV_NONE:
    return {};
  default:
    return "relocation type " + std::to_string(type) + " is not supported by the image loader";
  }
}

} // namespace

std::variant<uint64_t, std::string> imageFootprint(std::string_view image) {
  auto object = Object::create(llvm::MemoryBufferRef(llvm::StringRef(image.data(), image.size()), "image"));
  if (!object)
    return "not an OxCore kernel image: " + describe(object.takeError());
  return place(*object, 0).size;
}

std::variant<LoadedImage, std::string> loadImage(std::string_view image, sim::Memory &memory,
                                                 uint64_t base) {
  auto parsed = Object::create(llvm::MemoryBufferRef(llvm::StringRef(image.data(), image.size()), "image"));
  if (!parsed)
    return "not an OxCore kernel image: " + describe(parsed.takeError());
  const Object &object = *parsed;
  if (object.getELFFile().getHeader().e_machine != llvm::ELF::EM_RISCV || object.getELFFile().getHeader().e_type != llvm::ELF::ET_REL)
    return std::string("not an OxCore kernel image: expected an ELF64 RISC-V relocatable object");
  Placement p = place(object, base);
  LoadedImage loaded;
  loaded.base = base;
  loaded.size = p.size;
  loaded.codeBase = base;
  loaded.codeSize = p.codeSize;
  memory.map(base, p.size);
  uint8_t *bytes = memory.translate(base, p.size);

  bool haveMetadata = false;
  for (const llvm::object::SectionRef &s : object.sections()) {
    auto name = s.getName();
    if (name && *name == backend::kMetadataSection) {
      auto contents = s.getContents();
      if (!contents)
        return describe(contents.takeError());
      std::string error;
      auto kernels = backend::parseKernelMetadata(std::string_view(contents->data(), contents->size()), error);
      if (!kernels)
        return error;
      loaded.kernels = std::move(*kernels);
      haveMetadata = true;
    }
    if (!isAllocated(s) || s.isBSS())
      continue;
    auto contents = s.getContents();
    if (!contents)
      return describe(contents.takeError());
    std::memcpy(bytes + (p.sectionAddress[s.getIndex()] - base), contents->data(), contents->size());
  }
  if (!haveMetadata)
    return std::string("not an OxCore kernel image: no ") + backend::kMetadataSection + " section";

  auto symbolAddress = [&](const llvm::object::SymbolRef &sym, uint64_t &address) -> std::string {
    auto section = sym.getSection();
    if (!section)
      return describe(section.takeError());
    auto value = sym.getValue();
    if (!value)
      return describe(value.takeError());
    if (*section == object.section_end()) {
      auto name = sym.getName();
      return "the image refers to the undefined symbol '" + (name ? name->str() : std::string("?")) + "'";
    }
    auto placed = p.sectionAddress.find((*section)->getIndex());
    if (placed == p.sectionAddress.end())
      return "a symbol of the image lies in a section that is not loaded";
    address = placed->second + *value;
    return {};
  };
  for (const llvm::object::SymbolRef &sym : object.symbols()) {
    auto name = sym.getName();
    auto type = sym.getType();
    if (!name || !type || name->empty() || *type == llvm::object::SymbolRef::ST_File)
      continue;
    uint64_t address = 0;
    if (auto section = sym.getSection(); section && *section != object.section_end() &&
                                         symbolAddress(sym, address).empty()) {
      loaded.symbols[name->str()] = address;
      loaded.symbolSizes[name->str()] = llvm::object::ELFSymbolRef(sym).getSize();
    }
  }

  for (const llvm::object::SectionRef &target : object.sections()) {
    auto relocated = target.getRelocatedSection();
    if (!relocated || *relocated == object.section_end() || !isAllocated(**relocated))
      continue;
    uint64_t sectionBase = p.sectionAddress[(*relocated)->getIndex()];
    // PCREL_LO12 names the label of its AUIPC: the HI20 targets by the AUIPC's address
    std::map<uint64_t, uint64_t> hi20Targets;
    for (int pass = 0; pass < 2; ++pass)
      for (const llvm::object::RelocationRef &r : target.relocations()) {
        uint32_t type = uint32_t(r.getType());
        uint64_t pc = sectionBase + r.getOffset();
        uint64_t symbol = 0;
        if (auto sym = r.getSymbol(); sym != object.symbol_end())
          if (std::string e = symbolAddress(*sym, symbol); !e.empty())
            return e;
        int64_t addend = 0;
        if (auto a = llvm::object::ELFRelocationRef(r).getAddend())
          addend = *a;
        uint64_t value = symbol + addend;
        bool lo = type == llvm::ELF::R_RISCV_PCREL_LO12_I || type == llvm::ELF::R_RISCV_PCREL_LO12_S;
        if (pass == 0) {
          if (type == llvm::ELF::R_RISCV_PCREL_HI20)
            hi20Targets[pc] = value;
          continue;
        }
        if (lo) {
          auto hi = hi20Targets.find(symbol);
          if (hi == hi20Targets.end())
            return std::string("the image has a PCREL_LO12 relocation without its PCREL_HI20");
          value = hi->second - symbol; // target − address of the AUIPC
        }
        if (std::string e = relocate(type, bytes + (pc - base), pc, value); !e.empty())
          return e;
      }
  }
  return loaded;
}

} // namespace oxptx::runtime
