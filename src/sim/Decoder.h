// OxCore instruction decoding and disassembly (src/sim depends on nothing above it).
// Both are driven by Encoding.def, the one table of instruction encodings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oxptx::sim {

enum class Insn : uint16_t {
#define INSN(E, mnemonic, match, mask, format, operands) E,
#include "sim/Encoding.def"
  NumInsns,
};

enum class Format : uint8_t {
  R, R4, Rm, R4Rm, I, S, B, U, J, Shift5, Shift6, Csr, Fence, Amo, None,
  V,        // OP-V arithmetic: vd, vs2, vs1 | rs1 | imm5, vm
  VMem,     // vector loads and stores: vd | vs3, rs1, rs2 | vs2, vm, nf
  VSetVli,  // vsetvli: rd, rs1, zimm11
  VSetIvli, // vsetivli: rd, uimm5 (in rs1), zimm10
  XoxAtomic, // Xox atomics: vd, vs1, vs2; scope (funct3 bits 1:0) in rm, order (funct7 bits 1:0) in imm
  XoxMma,    // Xox MMA: vd, vs1, vs2; the funct3 flags in rm
};

struct InsnInfo {
  std::string_view mnemonic;
  uint32_t match, mask;
  Format format;
  std::string_view operands; // how the disassembler prints them, e.g. "rd, imm(rs1)"
};

const InsnInfo &insnInfo(Insn insn);

/// One decoded instruction: the fields its format defines (others are zero).
struct Decoded {
  Insn insn;
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  int64_t imm = 0; // sign-extended immediate / branch offset / shift amount / fence bits /
                   // vector simm5 / vtype immediate
  uint16_t csr = 0;
  uint8_t rm = 0;     // floating-point rounding mode field (Rm, R4Rm)
  bool masked = false; // vector: vm = 0, the instruction acts under the mask in v0
  uint8_t nf = 0;      // vector loads and stores: number of fields - 1
};

/// nullopt for an illegal (unlisted) instruction word.
std::optional<Decoded> decode(uint32_t word);

/// LLVM-style text without aliases (`addi a0, a1, -0x10`); branch and jump targets print as
/// the absolute address pc + offset.
std::string disassemble(const Decoded &inst, uint64_t pc);

} // namespace oxptx::sim
