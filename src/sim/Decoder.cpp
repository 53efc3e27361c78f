#include "sim/Decoder.h"

#include <array>
#include <cstdio>
#include <vector>

namespace oxptx::sim {
namespace {

constexpr InsnInfo kInsns[] = {
#define INSN(E, mnemonic, match, mask, format, operands)                                          \
  {mnemonic, match, mask, Format::format, operands},
#include "sim/Encoding.def"
};

int64_t signExtend(uint64_t value, unsigned bits) {
  uint64_t sign = uint64_t(1) << (bits - 1);
  return int64_t((value ^ sign) - sign);
}

uint32_t bits(uint32_t word, unsigned hi, unsigned lo) {
  return (word >> lo) & ((uint32_t(1) << (hi - lo + 1)) - 1);
}

/// Rows bucketed by major opcode (bits 6:0), in table order: decode is one short scan.
const std::array<std::vector<Insn>, 128> &buckets() {
  static const auto table = [] {
    std::array<std::vector<Insn>, 128> b;
    for (size_t i = 0; i < std::size(kInsns); ++i)
      b[kInsns[i].match & 0x7f].push_back(Insn(i));
    return b;
  }();
  return table;
}

constexpr const char *kFpRegisterNames[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",  "fs0",  "fs1",  "fa0",
    "fa1", "fa2", "fa3",  "fa4",  "fa5", "fa6", "fa7",  "fs2",  "fs3",  "fs4",  "fs5",
    "fs6", "fs7", "fs8",  "fs9",  "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

constexpr const char *kRoundingModes[8] = {"rne", "rtz", "rdn", "rup", "rmm", "", "", "dyn"};

constexpr const char *kRegisterNames[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

struct CsrName {
  uint16_t number;
  const char *name;
};
/// The user-level CSRs OxCore has by name (docs/oxcore-isa.md); others print as numbers.
constexpr CsrName kCsrNames[] = {
    {0x001, "fflags"}, {0x002, "frm"},     {0x003, "fcsr"},  {0x008, "vstart"},
    {0x009, "vxsat"},  {0x00a, "vxrm"},    {0x00f, "vcsr"},  {0xc00, "cycle"},
    {0xc01, "time"},   {0xc02, "instret"}, {0xc20, "vl"},    {0xc21, "vtype"},
    {0xc22, "vlenb"},
};

constexpr const char *kVectorRegisterNames[32] = {
    "v0",  "v1",  "v2",  "v3",  "v4",  "v5",  "v6",  "v7",  "v8",  "v9",  "v10",
    "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21",
    "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31"};

/// Register operands of the operand strings: which field, which register file.
struct RegisterOperand {
  std::string_view name;
  const char *const *file;
  uint8_t Decoded::*field;
};
constexpr RegisterOperand kRegisterOperands[] = {
    {"rd", kRegisterNames, &Decoded::rd},      {"rs1", kRegisterNames, &Decoded::rs1},
    {"rs2", kRegisterNames, &Decoded::rs2},    {"rs3", kRegisterNames, &Decoded::rs3},
    {"frd", kFpRegisterNames, &Decoded::rd},   {"frs1", kFpRegisterNames, &Decoded::rs1},
    {"frs2", kFpRegisterNames, &Decoded::rs2}, {"frs3", kFpRegisterNames, &Decoded::rs3},
    {"vd", kVectorRegisterNames, &Decoded::rd},  {"vs1", kVectorRegisterNames, &Decoded::rs1},
    {"vs2", kVectorRegisterNames, &Decoded::rs2}, {"vs3", kVectorRegisterNames, &Decoded::rd},
};

const RegisterOperand *registerOperand(std::string_view name) {
  for (const RegisterOperand &r : kRegisterOperands)
    if (r.name == name)
      return &r;
  return nullptr;
}

std::string hex(int64_t value) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, value < 0 ? "-0x%llx" : "0x%llx",
                static_cast<unsigned long long>(value < 0 ? -value : value));
  return buffer;
}

/// vsetvli's vtype immediate as LLVM prints it: `e32, m1, ta, ma`, or the number when it holds
/// a reserved LMUL, an SEW above 64 or bits above the defined fields.
std::string vtypeText(int64_t vtype) {
  unsigned lmul = vtype & 7, sew = vtype >> 3 & 7;
  if (lmul == 4 || sew > 3 || vtype >> 8)
    return hex(vtype);
  static constexpr const char *kLmul[] = {"m1", "m2", "m4", "m8", "", "mf8", "mf4", "mf2"};
  return "e" + std::to_string(8 << sew) + ", " + kLmul[lmul] + (vtype & 0x40 ? ", ta" : ", tu") +
         (vtype & 0x80 ? ", ma" : ", mu");
}

std::string fenceSet(int64_t set) {
  std::string s;
  for (auto [bit, letter] : {std::pair{8, 'i'}, {4, 'o'}, {2, 'r'}, {1, 'w'}})
    if (set & bit)
      s += letter;
  return s.empty() ? "0" : s;
}

} // namespace

const InsnInfo &insnInfo(Insn insn) { return kInsns[size_t(insn)]; }

std::optional<Decoded> decode(uint32_t word) {
  for (Insn candidate : buckets()[word & 0x7f]) {
    const InsnInfo &info = kInsns[size_t(candidate)];
    if ((word & info.mask) != info.match)
      continue;
    Decoded d{candidate};
    d.rd = uint8_t(bits(word, 11, 7));
    d.rs1 = uint8_t(bits(word, 19, 15));
    d.rs2 = uint8_t(bits(word, 24, 20));
    switch (info.format) {
    case Format::R:
    case Format::None:
      break;
    case Format::Amo:
      d.imm = bits(word, 26, 25); // aq:rl
      break;
    case Format::R4:
      d.rs3 = uint8_t(bits(word, 31, 27));
      break;
    case Format::R4Rm:
      d.rs3 = uint8_t(bits(word, 31, 27));
      [[fallthrough]];
    case Format::Rm:
      d.rm = uint8_t(bits(word, 14, 12));
      if (d.rm == 5 || d.rm == 6)
        return std::nullopt; // reserved rounding modes
      break;
    case Format::I:
      d.imm = signExtend(bits(word, 31, 20), 12);
      break;
    case Format::S:
      d.imm = signExtend(bits(word, 31, 25) << 5 | bits(word, 11, 7), 12);
      break;
    case Format::B:
      d.imm = signExtend(bits(word, 31, 31) << 12 | bits(word, 7, 7) << 11 |
                             bits(word, 30, 25) << 5 | bits(word, 11, 8) << 1,
                         13);
      break;
    case Format::U:
      d.imm = signExtend(word & 0xfffff000u, 32);
      break;
    case Format::J:
      d.imm = signExtend(bits(word, 31, 31) << 20 | bits(word, 19, 12) << 12 |
                             bits(word, 20, 20) << 11 | bits(word, 30, 21) << 1,
                         21);
      break;
    case Format::Shift5:
      d.imm = bits(word, 24, 20);
      break;
    case Format::Shift6:
      d.imm = bits(word, 25, 20);
      break;
    case Format::Csr:
      d.csr = uint16_t(bits(word, 31, 20));
      break;
    case Format::Fence:
      d.imm = bits(word, 27, 20); // pred:succ
      break;
    case Format::V:
      d.masked = !bits(word, 25, 25);
      d.imm = signExtend(d.rs1, 5);
      break;
    case Format::VMem:
      d.masked = !bits(word, 25, 25);
      d.nf = uint8_t(bits(word, 31, 29));
      // Whole-register transfers move 1, 2, 4 or 8 registers, an aligned group.
      if (bits(word, 24, 20) == 8 && bits(word, 27, 26) == 0 &&
          ((d.nf & (d.nf + 1)) || d.rd % (d.nf + 1)))
        return std::nullopt;
      break;
    case Format::VSetVli:
      d.imm = bits(word, 30, 20);
      break;
    case Format::VSetIvli:
      d.imm = bits(word, 29, 20);
      break;
    case Format::XoxMma:
      d.rm = uint8_t(bits(word, 14, 12));
      break;
    case Format::XoxAtomic:
      d.rm = uint8_t(bits(word, 13, 12));
      d.imm = bits(word, 26, 25);
      if (d.rm == 3)
        return std::nullopt; // scope 3 is reserved
      break;
    }
    return d;
  }
  return std::nullopt;
}

std::string disassemble(const Decoded &d, uint64_t pc) {
  const InsnInfo &info = insnInfo(d.insn);
  std::string out(info.mnemonic);
  if (size_t fields = out.find('#'); fields != std::string::npos) // segment and whole-register
    out.replace(fields, 1, std::to_string(d.nf + 1));
  if (info.format == Format::Amo)
    out += std::array<const char *, 4>{"", ".rl", ".aq", ".aqrl"}[size_t(d.imm)];
  if (unsigned mmaClass = info.match >> 29; info.format == Format::XoxMma) {
    if (mmaClass == 4 || mmaClass == 5) { // int8 and int4: operand signedness, saturation
      const char *width = mmaClass == 5 ? "4" : "8";
      out += std::string(d.rm & 2 ? ".u" : ".s") + width + (d.rm & 4 ? ".u" : ".s") + width;
      if (d.rm & 1)
        out += ".sat";
    } else if (mmaClass == 6) {
      out += d.rm & 2 ? ".and" : ".xor";
    }
  }
  if (info.format == Format::XoxAtomic)
    out += std::string(std::array<const char *, 3>{".cta", ".gpu", ".sys"}[d.rm]) +
           std::array<const char *, 4>{".rlx", ".acq", ".rel", ".acqrel"}[size_t(d.imm)];
  std::string_view ops = info.operands;
  if (!ops.empty())
    out += '\t';
  // Operands print by name from the table's operand string.
  size_t pos = 0;
  while (pos < ops.size()) {
    size_t end = ops.find_first_of(", ()", pos);
    if (end == std::string_view::npos)
      end = ops.size();
    std::string_view name = ops.substr(pos, end - pos);
    if (const RegisterOperand *reg = registerOperand(name))
      out += reg->file[d.*reg->field];
    else if (name == "vm") {
      if (!d.masked) {
        out.resize(out.size() - 2); // the ", " before it
        break;
      }
      out += "v0.t";
    } else if (name == "simm5")
      out += hex(d.imm);
    else if (name == "uimm5")
      out += hex(d.rs1);
    else if (name == "vtypei")
      out += vtypeText(d.imm);
    else if (name == "v0" || name == "v0.t")
      out += name;
    else if (name == "rm")
      out += kRoundingModes[d.rm];
    else if (name == "rmlegacy") {
      // Exact conversions: LLVM omits the field when it holds the legacy default (rne).
      if (d.rm == 0) {
        out.resize(out.size() - 2); // the ", " before it
        break;
      }
      out += kRoundingModes[d.rm];
    } else if (name == "imm" || name == "shamt")
      out += hex(d.imm);
    else if (name == "uimm")
      out += hex(int64_t(uint64_t(d.imm) >> 12 & 0xfffff));
    else if (name == "target") {
      char buffer[24]; // an address: unsigned, wrapping below zero as the hardware does
      std::snprintf(buffer, sizeof buffer, "0x%llx",
                    static_cast<unsigned long long>(pc + uint64_t(d.imm)));
      out += buffer;
    }
    else if (name == "zimm")
      out += hex(d.rs1);
    else if (name == "pred")
      out += fenceSet(d.imm >> 4);
    else if (name == "succ")
      out += fenceSet(d.imm & 15);
    else if (name == "csr") {
      const char *csrName = nullptr;
      for (const CsrName &c : kCsrNames)
        if (c.number == d.csr)
          csrName = c.name;
      out += csrName ? csrName : hex(d.csr);
    }
    // Copy the punctuation that follows the operand name.
    while (end < ops.size() && (ops[end] == ',' || ops[end] == ' ' || ops[end] == '(' ||
                                ops[end] == ')'))
      out += ops[end++];
    pos = end;
  }
  return out;
}

} // namespace oxptx::sim
