#include "sim/ElfLoader.h"

#include <cstring>
#include <elf.h>

namespace oxptx::sim {

std::variant<LoadedProgram, std::string> loadElf(std::string_view image, Memory &memory) {
  Elf64_Ehdr header;
  if (image.size() < sizeof header)
    return std::string("not an ELF file: too short");
  std::memcpy(&header, image.data(), sizeof header);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
    return std::string("not an ELF file (bad magic number)");
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB ||
      header.e_machine != EM_RISCV)
    return std::string("not a 64-bit little-endian RISC-V ELF");
  if (header.e_type != ET_EXEC)
    return std::string("not a statically linked executable (ELF type ") +
           std::to_string(header.e_type) + ")";
  if (header.e_phentsize != sizeof(Elf64_Phdr) ||
      header.e_phoff + uint64_t(header.e_phnum) * sizeof(Elf64_Phdr) > image.size())
    return std::string("truncated program header table");

  LoadedProgram program;
  program.entry = header.e_entry;
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    std::memcpy(&segment, image.data() + header.e_phoff + i * sizeof segment, sizeof segment);
    if (segment.p_type != PT_LOAD || segment.p_memsz == 0)
      continue;
    if (segment.p_filesz > segment.p_memsz || segment.p_offset > image.size() ||
        segment.p_filesz > image.size() - segment.p_offset)
      return "segment " + std::to_string(i) + " lies outside the file";
    if (segment.p_memsz > (1ull << 32))
      return "segment " + std::to_string(i) + " is larger than 4 GiB";
    if (memory.translate(segment.p_vaddr, 1) || memory.translate(segment.p_vaddr + segment.p_memsz - 1, 1))
      return "segment " + std::to_string(i) + " overlaps another";
    memory.map(segment.p_vaddr, segment.p_memsz);
    std::memcpy(memory.translate(segment.p_vaddr, segment.p_memsz), image.data() + segment.p_offset,
                segment.p_filesz);
    if (segment.p_flags & PF_X) {
      program.codeBase = segment.p_vaddr;
      program.codeSize = segment.p_memsz;
    }
  }
  if (!program.codeSize)
    return std::string("no executable segment");
  // Symbols: functions and objects of .symtab, if the file has one.
  if (header.e_shentsize == sizeof(Elf64_Shdr) &&
      header.e_shoff + uint64_t(header.e_shnum) * sizeof(Elf64_Shdr) <= image.size()) {
    for (unsigned i = 0; i < header.e_shnum; ++i) {
      Elf64_Shdr section, strings;
      std::memcpy(&section, image.data() + header.e_shoff + i * sizeof section, sizeof section);
      if (section.sh_type != SHT_SYMTAB || section.sh_link >= header.e_shnum ||
          section.sh_offset > image.size() || section.sh_size > image.size() - section.sh_offset)
        continue;
      std::memcpy(&strings, image.data() + header.e_shoff + section.sh_link * sizeof strings,
                  sizeof strings);
      if (strings.sh_offset > image.size() || strings.sh_size > image.size() - strings.sh_offset)
        continue;
      std::string_view names(image.data() + strings.sh_offset, strings.sh_size);
      for (uint64_t s = 0; s + sizeof(Elf64_Sym) <= section.sh_size; s += sizeof(Elf64_Sym)) {
        Elf64_Sym symbol;
        std::memcpy(&symbol, image.data() + section.sh_offset + s, sizeof symbol);
        int type = ELF64_ST_TYPE(symbol.st_info);
        if ((type != STT_FUNC && type != STT_OBJECT) || symbol.st_name >= names.size())
          continue;
        std::string_view name = names.substr(symbol.st_name);
        name = name.substr(0, name.find('\0'));
        program.symbols[std::string(name)] = {symbol.st_value, symbol.st_size};
      }
    }
  }
  memory.map(kStackTop - kStackSize, kStackSize);
  program.stackTop = kStackTop - 16;
  return program;
}

} // namespace oxptx::sim
