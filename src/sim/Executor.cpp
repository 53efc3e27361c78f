#include "sim/Executor.h"

#include "sim/FloatOps.h"
#include "sim/IntegerOps.h"

#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace oxptx::sim {
namespace {

constexpr uint16_t kCsrFflags = 0x001, kCsrFrm = 0x002, kCsrFcsr = 0x003;
constexpr uint16_t kCsrCycle = 0xc00, kCsrTime = 0xc01, kCsrInstret = 0xc02;
constexpr uint16_t kCsrVstart = 0x008, kCsrVxsat = 0x009, kCsrVxrm = 0x00a, kCsrVcsr = 0x00f;
constexpr uint16_t kCsrVl = 0xc20, kCsrVtype = 0xc21, kCsrVlenb = 0xc22;
constexpr uint64_t kSysWrite = 64, kSysExit = 93, kSysExitGroup = 94;

int64_t sext32(uint64_t v) { return int64_t(int32_t(uint32_t(v))); }
uint64_t zext32(uint64_t v) { return uint32_t(v); }

/// Decoded instructions of the code range, filled on first execution.
class DecodedCache {
public:
  DecodedCache(uint64_t base, uint64_t size) : base_(base), entries_(size / 4) {}

  /// nullptr for an illegal word; `word` receives the raw bits.
  const Decoded *get(Memory &memory, uint64_t pc, uint32_t &word, Decoded &scratch) {
    uint64_t index = (pc - base_) / 4;
    bool cached = pc >= base_ && index < entries_.size();
    if (cached && entries_[index].state == Entry::Valid) {
      word = entries_[index].word;
      return &entries_[index].decoded;
    }
    auto fetched = memory.load<uint32_t>(pc);
    word = fetched.value_or(0);
    auto decoded = fetched ? decode(*fetched) : std::nullopt;
    if (!decoded)
      return nullptr;
    if (!cached) {
      scratch = *decoded;
      return &scratch;
    }
    entries_[index] = {Entry::Valid, word, *decoded};
    return &entries_[index].decoded;
  }

private:
  struct Entry {
    enum State : uint8_t { Empty, Valid } state = Empty;
    uint32_t word = 0;
    Decoded decoded{};
  };
  uint64_t base_;
  std::vector<Entry> entries_;
};

uint64_t orcB(uint64_t v) {
  uint64_t r = 0;
  for (int i = 0; i < 64; i += 8)
    if ((v >> i) & 0xff)
      r |= uint64_t(0xff) << i;
  return r;
}

/// The value an AMO stores, from the old memory value and rs2 (both at the access width).
template <typename T> T amoResult(Insn insn, T old, T src) {
  using S = std::make_signed_t<T>;
  switch (insn) {
  case Insn::AMOSWAP_W: case Insn::AMOSWAP_D: return src;
  case Insn::AMOADD_W: case Insn::AMOADD_D: return T(old + src);
  case Insn::AMOXOR_W: case Insn::AMOXOR_D: return old ^ src;
  case Insn::AMOAND_W: case Insn::AMOAND_D: return old & src;
  case Insn::AMOOR_W: case Insn::AMOOR_D: return old | src;
  case Insn::AMOMIN_W: case Insn::AMOMIN_D: return S(old) < S(src) ? old : src;
  case Insn::AMOMAX_W: case Insn::AMOMAX_D: return S(old) > S(src) ? old : src;
  case Insn::AMOMINU_W: case Insn::AMOMINU_D: return old < src ? old : src;
  case Insn::AMOMAXU_W: case Insn::AMOMAXU_D: return old > src ? old : src;
  default: return old;
  }
}

class Engine {
public:
  Engine(Hart &hart, Memory &memory, uint64_t codeBase, uint64_t codeSize,
         const RunOptions &options)
      : h_(hart), mem_(memory), cache_(codeBase, codeSize), options_(options) {}

  RunResult run() {
    RunResult result;
    Decoded scratch;
    while (true) {
      if (h_.instret >= options_.maxInstructions) {
        result.fault = fault(Fault::Kind::Watchdog, 0);
        break;
      }
      if (h_.pc & 3) {
        result.fault = fault(Fault::Kind::Misaligned, h_.pc, "instruction fetch");
        break;
      }
      const Decoded *d = cache_.get(mem_, h_.pc, word_, scratch);
      if (!d) {
        bool mapped = mem_.translate(h_.pc, 4) != nullptr;
        result.fault = fault(mapped ? Fault::Kind::IllegalInstruction : Fault::Kind::OutOfBounds,
                             h_.pc, mapped ? "" : "instruction fetch");
        break;
      }
      if (!step(*d))
        break;
      ++h_.instret;
    }
    result.instructions = h_.instret;
    if (exitCode_) {
      result.status = RunResult::Status::Exited;
      result.exitCode = *exitCode_;
      result.fault.reset();
    } else if (!result.fault) {
      result.fault = stopFault_;
    }
    return result;
  }

private:
  Hart &h_;
  Memory &mem_;
  DecodedCache cache_;
  const RunOptions &options_;
  uint32_t word_ = 0;
  std::optional<int> exitCode_;
  std::optional<Fault> stopFault_;

  Fault fault(Fault::Kind kind, uint64_t address, std::string detail = "") const {
    return Fault{kind, h_.pc, address, word_, std::move(detail)};
  }
  bool stop(Fault::Kind kind, uint64_t address = 0, std::string detail = "") {
    stopFault_ = fault(kind, address, std::move(detail));
    return false;
  }

  uint64_t &x(uint8_t r) { return h_.x[r]; }
  void set(uint8_t rd, uint64_t value) {
    if (rd)
      h_.x[rd] = value;
  }

  template <typename T> bool load(const Decoded &d, uint64_t address, bool signExtend) {
    auto value = loadRaw<T>(address);
    if (!value)
      return false;
    using S = std::make_signed_t<T>;
    set(d.rd, signExtend ? uint64_t(int64_t(S(*value))) : uint64_t(*value));
    return true;
  }

  template <typename T> std::optional<T> loadRaw(uint64_t address) {
    if (address % sizeof(T)) {
      stop(Fault::Kind::Misaligned, address);
      return std::nullopt;
    }
    auto value = mem_.load<T>(address);
    if (!value)
      stop(Fault::Kind::OutOfBounds, address);
    return value;
  }

  template <typename T> bool store(uint64_t address, T value) {
    if (address % sizeof(T))
      return stop(Fault::Kind::Misaligned, address);
    if (!mem_.store<T>(address, value))
      return stop(Fault::Kind::OutOfBounds, address);
    return true;
  }

  template <typename T> bool atomic(const Decoded &d) {
    uint64_t address = x(d.rs1);
    if (address % sizeof(T))
      return stop(Fault::Kind::Misaligned, address);
    uint8_t *p = mem_.translate(address, sizeof(T));
    if (!p)
      return stop(Fault::Kind::OutOfBounds, address);
    T old;
    std::memcpy(&old, p, sizeof(T));
    using S = std::make_signed_t<T>;
    uint64_t oldExtended = uint64_t(int64_t(S(old)));
    if (d.insn == Insn::LR_W || d.insn == Insn::LR_D) {
      h_.reservation = address;
      set(d.rd, oldExtended);
    } else if (d.insn == Insn::SC_W || d.insn == Insn::SC_D) {
      bool ok = h_.reservation == address;
      if (ok) {
        T value = T(x(d.rs2));
        std::memcpy(p, &value, sizeof(T));
      }
      h_.reservation.reset();
      set(d.rd, ok ? 0 : 1);
    } else {
      T value = amoResult<T>(d.insn, old, T(x(d.rs2)));
      std::memcpy(p, &value, sizeof(T));
      set(d.rd, oldExtended);
    }
    return true;
  }

  bool csr(const Decoded &d) {
    uint64_t old;
    bool writable = true;
    switch (d.csr) {
    case kCsrFflags: old = h_.fflags; break;
    case kCsrFrm: old = h_.frm; break;
    case kCsrFcsr: old = uint64_t(h_.frm) << 5 | h_.fflags; break;
    case kCsrCycle:
    case kCsrTime: // one instruction per cycle, one cycle per time unit, in this functional model
    case kCsrInstret:
      old = h_.instret;
      writable = false;
      break;
    case kCsrVstart: old = h_.vector.vstart; break;
    case kCsrVxsat: old = h_.vector.vxsat; break;
    case kCsrVxrm: old = h_.vector.vxrm; break;
    case kCsrVcsr: old = uint64_t(h_.vector.vxrm) << 1 | h_.vector.vxsat; break;
    case kCsrVl: old = h_.vector.vl; writable = false; break;
    case kCsrVtype: old = h_.vector.vtype; writable = false; break;
    case kCsrVlenb: old = kVlenBytes; writable = false; break;
    default:
      return stop(Fault::Kind::Unimplemented, 0, "CSR not implemented by the simulator");
    }
    bool immediate = d.insn == Insn::CSRRWI || d.insn == Insn::CSRRSI || d.insn == Insn::CSRRCI;
    uint64_t operand = immediate ? d.rs1 : x(d.rs1);
    bool writes = d.insn == Insn::CSRRW || d.insn == Insn::CSRRWI || d.rs1 != 0;
    if (writes && !writable)
      return stop(Fault::Kind::IllegalInstruction, 0, "write to a read-only CSR");
    if (writes) {
      uint64_t value = d.insn == Insn::CSRRW || d.insn == Insn::CSRRWI   ? operand
                       : d.insn == Insn::CSRRS || d.insn == Insn::CSRRSI ? old | operand
                                                                         : old & ~operand;
      switch (d.csr) {
      case kCsrFflags: h_.fflags = uint8_t(value & 0x1f); break;
      case kCsrFrm: h_.frm = uint8_t(value & 7); break;
      case kCsrFcsr:
        h_.fflags = uint8_t(value & 0x1f);
        h_.frm = uint8_t(value >> 5 & 7);
        break;
      case kCsrVstart: h_.vector.vstart = value & (kVlenBytes * 8 - 1); break;
      case kCsrVxsat: h_.vector.vxsat = value & 1; break;
      case kCsrVxrm: h_.vector.vxrm = uint8_t(value & 3); break;
      case kCsrVcsr:
        h_.vector.vxsat = value & 1;
        h_.vector.vxrm = uint8_t(value >> 1 & 3);
        break;
      }
    }
    set(d.rd, old);
    return true;
  }

  bool floatingPoint(const Decoded &d) {
    FloatShape shape = floatShape(d.insn);
    if (!shape.handled)
      return stop(Fault::Kind::Unimplemented, 0,
                  std::string(insnInfo(d.insn).mnemonic) + " is not executed by the simulator "
                                                           "yet (the Xox instructions come with "
                                                           "the warp and CTA stage)");
    unsigned rm = d.rm == 7 ? h_.frm : d.rm;
    if (rm > 4)
      return stop(Fault::Kind::IllegalInstruction, 0, "invalid dynamic rounding mode in frm");
    uint64_t a = shape.readsIntA ? x(d.rs1) : h_.f[d.rs1];
    auto r = executeFloat(d.insn, a, h_.f[d.rs2], h_.f[d.rs3], rm);
    if (shape.writesInt)
      set(d.rd, r->bits);
    else
      h_.f[d.rd] = r->bits;
    h_.fflags |= r->flags;
    return true;
  }

  bool ecall() {
    uint64_t number = x(17), a0 = x(10), a1 = x(11), a2 = x(12);
    switch (number) {
    case kSysWrite: {
      if (a0 != 1 && a0 != 2) {
        set(10, uint64_t(-9)); // -EBADF
        return true;
      }
      uint8_t *bytes = a2 ? mem_.translate(a1, a2) : nullptr;
      if (a2 && !bytes) {
        set(10, uint64_t(-14)); // -EFAULT, as Linux answers
        return true;
      }
      if (options_.write && a2)
        options_.write(int(a0), std::string_view(reinterpret_cast<char *>(bytes), a2));
      set(10, a2);
      return true;
    }
    case kSysExit:
    case kSysExitGroup:
      exitCode_ = int(a0 & 0xff);
      return false;
    default:
      return stop(Fault::Kind::BadSyscall, 0, "system call " + std::to_string(number));
    }
  }

  /// Executes one instruction; false stops the run (exit or fault).
  bool step(const Decoded &d) {
    uint64_t pc = h_.pc, next = pc + 4;
    uint64_t a = x(d.rs1), b = x(d.rs2);
    int64_t imm = d.imm;
    switch (d.insn) {
    case Insn::LUI: set(d.rd, uint64_t(imm)); break;
    case Insn::AUIPC: set(d.rd, pc + uint64_t(imm)); break;
    case Insn::JAL: set(d.rd, next); next = pc + uint64_t(imm); break;
    case Insn::JALR: next = (a + uint64_t(imm)) & ~uint64_t(1); set(d.rd, pc + 4); break;
    case Insn::BEQ: if (a == b) next = pc + uint64_t(imm); break;
    case Insn::BNE: if (a != b) next = pc + uint64_t(imm); break;
    case Insn::BLT: if (int64_t(a) < int64_t(b)) next = pc + uint64_t(imm); break;
    case Insn::BGE: if (int64_t(a) >= int64_t(b)) next = pc + uint64_t(imm); break;
    case Insn::BLTU: if (a < b) next = pc + uint64_t(imm); break;
    case Insn::BGEU: if (a >= b) next = pc + uint64_t(imm); break;
    case Insn::LB: if (!load<uint8_t>(d, a + uint64_t(imm), true)) return false; break;
    case Insn::LH: if (!load<uint16_t>(d, a + uint64_t(imm), true)) return false; break;
    case Insn::LW: if (!load<uint32_t>(d, a + uint64_t(imm), true)) return false; break;
    case Insn::LD: if (!load<uint64_t>(d, a + uint64_t(imm), false)) return false; break;
    case Insn::LBU: if (!load<uint8_t>(d, a + uint64_t(imm), false)) return false; break;
    case Insn::LHU: if (!load<uint16_t>(d, a + uint64_t(imm), false)) return false; break;
    case Insn::LWU: if (!load<uint32_t>(d, a + uint64_t(imm), false)) return false; break;
    case Insn::SB: if (!store<uint8_t>(a + uint64_t(imm), uint8_t(b))) return false; break;
    case Insn::SH: if (!store<uint16_t>(a + uint64_t(imm), uint16_t(b))) return false; break;
    case Insn::SW: if (!store<uint32_t>(a + uint64_t(imm), uint32_t(b))) return false; break;
    case Insn::SD: if (!store<uint64_t>(a + uint64_t(imm), b)) return false; break;
    case Insn::ADDI: set(d.rd, a + uint64_t(imm)); break;
    case Insn::SLTI: set(d.rd, int64_t(a) < imm); break;
    case Insn::SLTIU: set(d.rd, a < uint64_t(imm)); break;
    case Insn::XORI: set(d.rd, a ^ uint64_t(imm)); break;
    case Insn::ORI: set(d.rd, a | uint64_t(imm)); break;
    case Insn::ANDI: set(d.rd, a & uint64_t(imm)); break;
    case Insn::SLLI: set(d.rd, a << imm); break;
    case Insn::SRLI: set(d.rd, a >> imm); break;
    case Insn::SRAI: set(d.rd, uint64_t(int64_t(a) >> imm)); break;
    case Insn::ADD: set(d.rd, a + b); break;
    case Insn::SUB: set(d.rd, a - b); break;
    case Insn::SLL: set(d.rd, a << (b & 63)); break;
    case Insn::SLT: set(d.rd, int64_t(a) < int64_t(b)); break;
    case Insn::SLTU: set(d.rd, a < b); break;
    case Insn::XOR: set(d.rd, a ^ b); break;
    case Insn::SRL: set(d.rd, a >> (b & 63)); break;
    case Insn::SRA: set(d.rd, uint64_t(int64_t(a) >> (b & 63))); break;
    case Insn::OR: set(d.rd, a | b); break;
    case Insn::AND: set(d.rd, a & b); break;
    case Insn::ADDIW: set(d.rd, uint64_t(sext32(a + uint64_t(imm)))); break;
    case Insn::SLLIW: set(d.rd, uint64_t(sext32(a << imm))); break;
    case Insn::SRLIW: set(d.rd, uint64_t(sext32(uint32_t(a) >> imm))); break;
    case Insn::SRAIW: set(d.rd, uint64_t(int64_t(int32_t(a) >> imm))); break;
    case Insn::ADDW: set(d.rd, uint64_t(sext32(a + b))); break;
    case Insn::SUBW: set(d.rd, uint64_t(sext32(a - b))); break;
    case Insn::SLLW: set(d.rd, uint64_t(sext32(a << (b & 31)))); break;
    case Insn::SRLW: set(d.rd, uint64_t(sext32(uint32_t(a) >> (b & 31)))); break;
    case Insn::SRAW: set(d.rd, uint64_t(int64_t(int32_t(a) >> (b & 31)))); break;
    case Insn::FENCE:
    case Insn::FENCE_I: break; // one hart, in-order memory: nothing to order
    case Insn::ECALL: if (!ecall()) return false; break;
    case Insn::EBREAK: return stop(Fault::Kind::Breakpoint);
    case Insn::MUL: set(d.rd, a * b); break;
    case Insn::MULH: set(d.rd, mulh(a, b)); break;
    case Insn::MULHSU: set(d.rd, mulhsu(a, b)); break;
    case Insn::MULHU: set(d.rd, mulhu(a, b)); break;
    case Insn::DIV: set(d.rd, uint64_t(divSigned<int64_t>(int64_t(a), int64_t(b)))); break;
    case Insn::DIVU: set(d.rd, divUnsigned<uint64_t>(a, b)); break;
    case Insn::REM: set(d.rd, uint64_t(remSigned<int64_t>(int64_t(a), int64_t(b)))); break;
    case Insn::REMU: set(d.rd, remUnsigned<uint64_t>(a, b)); break;
    case Insn::MULW: set(d.rd, uint64_t(sext32(a * b))); break;
    case Insn::DIVW: set(d.rd, uint64_t(int64_t(divSigned<int32_t>(int32_t(a), int32_t(b))))); break;
    case Insn::DIVUW: set(d.rd, uint64_t(sext32(divUnsigned<uint32_t>(uint32_t(a), uint32_t(b))))); break;
    case Insn::REMW: set(d.rd, uint64_t(int64_t(remSigned<int32_t>(int32_t(a), int32_t(b))))); break;
    case Insn::REMUW: set(d.rd, uint64_t(sext32(remUnsigned<uint32_t>(uint32_t(a), uint32_t(b))))); break;
    case Insn::CSRRW: case Insn::CSRRS: case Insn::CSRRC:
    case Insn::CSRRWI: case Insn::CSRRSI: case Insn::CSRRCI:
      if (!csr(d)) return false;
      break;
    case Insn::LR_W: case Insn::SC_W: case Insn::AMOSWAP_W: case Insn::AMOADD_W:
    case Insn::AMOXOR_W: case Insn::AMOAND_W: case Insn::AMOOR_W: case Insn::AMOMIN_W:
    case Insn::AMOMAX_W: case Insn::AMOMINU_W: case Insn::AMOMAXU_W:
      if (!atomic<uint32_t>(d)) return false;
      break;
    case Insn::LR_D: case Insn::SC_D: case Insn::AMOSWAP_D: case Insn::AMOADD_D:
    case Insn::AMOXOR_D: case Insn::AMOAND_D: case Insn::AMOOR_D: case Insn::AMOMIN_D:
    case Insn::AMOMAX_D: case Insn::AMOMINU_D: case Insn::AMOMAXU_D:
      if (!atomic<uint64_t>(d)) return false;
      break;
    case Insn::SH1ADD: set(d.rd, (a << 1) + b); break;
    case Insn::SH2ADD: set(d.rd, (a << 2) + b); break;
    case Insn::SH3ADD: set(d.rd, (a << 3) + b); break;
    case Insn::ADD_UW: set(d.rd, zext32(a) + b); break;
    case Insn::SH1ADD_UW: set(d.rd, (zext32(a) << 1) + b); break;
    case Insn::SH2ADD_UW: set(d.rd, (zext32(a) << 2) + b); break;
    case Insn::SH3ADD_UW: set(d.rd, (zext32(a) << 3) + b); break;
    case Insn::SLLI_UW: set(d.rd, zext32(a) << imm); break;
    case Insn::ANDN: set(d.rd, a & ~b); break;
    case Insn::ORN: set(d.rd, a | ~b); break;
    case Insn::XNOR: set(d.rd, ~(a ^ b)); break;
    case Insn::MAX: set(d.rd, int64_t(a) > int64_t(b) ? a : b); break;
    case Insn::MAXU: set(d.rd, a > b ? a : b); break;
    case Insn::MIN: set(d.rd, int64_t(a) < int64_t(b) ? a : b); break;
    case Insn::MINU: set(d.rd, a < b ? a : b); break;
    case Insn::ROL: set(d.rd, std::rotl(a, int(b & 63))); break;
    case Insn::ROR: set(d.rd, std::rotr(a, int(b & 63))); break;
    case Insn::ROLW: set(d.rd, uint64_t(sext32(std::rotl(uint32_t(a), int(b & 31))))); break;
    case Insn::RORW: set(d.rd, uint64_t(sext32(std::rotr(uint32_t(a), int(b & 31))))); break;
    case Insn::RORI: set(d.rd, std::rotr(a, int(imm))); break;
    case Insn::RORIW: set(d.rd, uint64_t(sext32(std::rotr(uint32_t(a), int(imm))))); break;
    case Insn::CLZ: set(d.rd, uint64_t(std::countl_zero(a))); break;
    case Insn::CTZ: set(d.rd, uint64_t(std::countr_zero(a))); break;
    case Insn::CPOP: set(d.rd, uint64_t(std::popcount(a))); break;
    case Insn::CLZW: set(d.rd, uint64_t(std::countl_zero(uint32_t(a)))); break;
    case Insn::CTZW: set(d.rd, uint64_t(std::countr_zero(uint32_t(a)))); break;
    case Insn::CPOPW: set(d.rd, uint64_t(std::popcount(uint32_t(a)))); break;
    case Insn::SEXT_B: set(d.rd, uint64_t(int64_t(int8_t(a)))); break;
    case Insn::SEXT_H: set(d.rd, uint64_t(int64_t(int16_t(a)))); break;
    case Insn::ZEXT_H: set(d.rd, uint16_t(a)); break;
    case Insn::ORC_B: set(d.rd, orcB(a)); break;
    case Insn::REV8: set(d.rd, __builtin_bswap64(a)); break;
    case Insn::FLW: {
      auto value = loadRaw<uint32_t>(a + uint64_t(imm));
      if (!value)
        return false;
      h_.f[d.rd] = 0xffffffff00000000ull | *value; // NaN-boxed
      break;
    }
    case Insn::FLD: {
      auto value = loadRaw<uint64_t>(a + uint64_t(imm));
      if (!value)
        return false;
      h_.f[d.rd] = *value;
      break;
    }
    case Insn::FLH: {
      auto value = loadRaw<uint16_t>(a + uint64_t(imm));
      if (!value)
        return false;
      h_.f[d.rd] = 0xffffffffffff0000ull | *value; // NaN-boxed
      break;
    }
    case Insn::FSH: if (!store<uint16_t>(a + uint64_t(imm), uint16_t(h_.f[d.rs2]))) return false; break;
    case Insn::FSW: if (!store<uint32_t>(a + uint64_t(imm), uint32_t(h_.f[d.rs2]))) return false; break;
    case Insn::FSD: if (!store<uint64_t>(a + uint64_t(imm), h_.f[d.rs2])) return false; break;
    default:
      if (isVectorInstruction(d.insn)) {
        if (auto trap = executeVector(h_, mem_, d))
          return stop(trap->kind, trap->address, std::move(trap->detail));
        break;
      }
      if (!floatingPoint(d))
        return false;
    }
    h_.pc = next;
    return true;
  }
};

} // namespace

RunResult run(Hart &hart, Memory &memory, uint64_t codeBase, uint64_t codeSize,
              const RunOptions &options) {
  return Engine(hart, memory, codeBase, codeSize, options).run();
}

} // namespace oxptx::sim
