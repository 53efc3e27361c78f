#include "sim/Executor.h"

#include "sim/AtomicUnit.h"
#include "sim/HostCalls.h"
#include "sim/FloatOps.h"
#include "sim/IntegerOps.h"
#include "sim/TensorUnit.h"

#include <atomic>
#include <algorithm>
#include <bit>
#include <cstdio>
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
constexpr uint16_t kCsrOxFpctl = 0x800, kCsrOxFirst = 0xcc0, kCsrOxLast = 0xcff;
constexpr uint16_t kCsrOxClock = 0xcd0, kCsrOxGlobalTimer = 0xcd1, kCsrOxLivemask = 0xcd6;
constexpr uint64_t kSysWrite = 64, kSysExit = 93, kSysExitGroup = 94;

int64_t sext32(uint64_t v) { return int64_t(int32_t(uint32_t(v))); }
uint64_t zext32(uint64_t v) { return uint32_t(v); }

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
  Engine(Hart &hart, AddressSpace &memory, const DecodedProgram &program,
         const RunOptions &options)
      : h_(hart), mem_(memory), program_(program), options_(options) {}

  RunResult run() {
    RunResult result;
    Decoded scratch;
    uint64_t sliceEnd = options_.sliceInstructions == ~0ull
                            ? ~0ull
                            : h_.instret + options_.sliceInstructions;
    uint64_t limit = std::min(sliceEnd, options_.maxInstructions);
    while (!outcome_) {
      if (h_.instret >= limit) {
        if (h_.instret >= options_.maxInstructions)
          stop(Fault::Kind::Watchdog);
        else
          outcome_ = RunResult::Status::Yielded;
        break;
      }
      // The hot path: an aligned pc inside the decoded program.
      const Decoded *d = program_.at(h_.pc);
      if (!d && !(d = fetchElsewhere(scratch)))
        break;
      if (step(*d)) {
        ++h_.instret;
        if (options_.counters)
          ++options_.counters->byClass[size_t(insnClass(d->insn))];
      }
    }
    result.instructions = h_.instret;
    result.status = *outcome_;
    result.exitCode = exitCode_;
    if (result.status == RunResult::Status::Faulted)
      result.fault = stopFault_;
    return result;
  }

private:
  Hart &h_;
  AddressSpace &mem_;
  const DecodedProgram &program_;
  const RunOptions &options_;
  int exitCode_ = 0;
  std::optional<RunResult::Status> outcome_; // set when the run must end
  std::optional<Fault> stopFault_;

  /// The instruction at a pc outside the decoded program (or illegal there): EXIT_PC ends a
  /// kernel warp; a plain program may run code from other segments, decoded on the fly.
  /// nullptr when the run ends.
  const Decoded *fetchElsewhere(Decoded &scratch) {
    if (options_.warp && h_.pc == kExitPc) { // a kernel returning to EXIT_PC exits (§3.2)
      exitWarp();
      return nullptr;
    }
    if (h_.pc & 3) {
      stop(Fault::Kind::Misaligned, h_.pc, "instruction fetch");
      return nullptr;
    }
    auto fetched = program_.contains(h_.pc) ? std::optional<uint32_t>(program_.word(h_.pc))
                                            : mem_.load<uint32_t>(h_.pc);
    if (!fetched) {
      stop(Fault::Kind::OutOfBounds, h_.pc, "instruction fetch");
      return nullptr;
    }
    auto decoded = decode(*fetched);
    if (!decoded) {
      stop(Fault::Kind::IllegalInstruction);
      return nullptr;
    }
    scratch = *decoded;
    return &scratch;
  }

  /// The instruction word at pc, for reports.
  uint32_t wordAt(uint64_t pc) const {
    if (program_.contains(pc))
      return program_.word(pc);
    return mem_.load<uint32_t>(pc & ~uint64_t(3)).value_or(0);
  }

  Fault fault(Fault::Kind kind, uint64_t address, std::string detail = "") const {
    return Fault{kind, h_.pc, address, wordAt(h_.pc), std::move(detail)};
  }
  bool stop(Fault::Kind kind, uint64_t address = 0, std::string detail = "") {
    if (kind == Fault::Kind::OutOfBounds && address >= kKernelStackTop - kStackWindow &&
        address < kKernelStackTop) {
      kind = Fault::Kind::StackOverflow;
      detail = "the warp's frames outgrew its stack (deep recursion?)";
    }
    stopFault_ = fault(kind, address, std::move(detail));
    outcome_ = RunResult::Status::Faulted;
    return false;
  }
  void exitWarp() {
    h_.livemask = 0;
    outcome_ = RunResult::Status::Exited;
  }

  uint64_t &x(uint8_t r) { return h_.x[r]; }
  void set(uint8_t rd, uint64_t value) {
    if (rd)
      h_.x[rd] = value;
  }

  void countScalarAccess(uint64_t address, unsigned bytes, bool store) {
    if (Counters *c = options_.counters) {
      (store ? c->scalarStoreBytes : c->scalarLoadBytes) += bytes;
      if (address < kWindowsBase) {
        c->memoryLines += 1;
        if (options_.caches) {
          uint64_t latency = options_.caches->access(options_.core, address / options_.lineBytes, *c);
          if (!store)
            c->memoryStall += latency - options_.caches->l1Latency();
        }
      }
      else if (address >= kSharedBase && address < kSharedBase + kSharedWindow)
        c->sharedAccesses += 1;
    }
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
    else
      countScalarAccess(address, sizeof(T), false);
    return value;
  }

  template <typename T> bool store(uint64_t address, T value) {
    if (address % sizeof(T))
      return stop(Fault::Kind::Misaligned, address);
    if (!mem_.store<T>(address, value))
      return stop(Fault::Kind::OutOfBounds, address);
    countScalarAccess(address, sizeof(T), true);
    return true;
  }

  /// A-extension AMOs and LR/SC, atomic on the host too (several host threads may simulate
  /// cores at once). SC succeeds when memory still holds the value LR read: value-based, so
  /// an ABA change between them goes unnoticed (documented in docs/simulator.md).
  template <typename T> bool atomic(const Decoded &d) {
    uint64_t address = x(d.rs1);
    if (address % sizeof(T))
      return stop(Fault::Kind::Misaligned, address);
    uint8_t *p = mem_.translate(address, sizeof(T), Access::Write);
    if (!p)
      return stop(Fault::Kind::OutOfBounds, address);
    std::atomic_ref<T> cell(*reinterpret_cast<T *>(p));
    using S = std::make_signed_t<T>;
    auto extended = [](T v) { return uint64_t(int64_t(S(v))); };
    if (d.insn == Insn::LR_W || d.insn == Insn::LR_D) {
      T value = cell.load();
      h_.reservation = address;
      h_.reservedValue = value;
      set(d.rd, extended(value));
    } else if (d.insn == Insn::SC_W || d.insn == Insn::SC_D) {
      T expected = T(h_.reservedValue);
      bool ok = h_.reservation == address && cell.compare_exchange_strong(expected, T(x(d.rs2)));
      h_.reservation.reset();
      set(d.rd, ok ? 0 : 1);
    } else {
      T old = cell.load(), src = T(x(d.rs2));
      while (!cell.compare_exchange_weak(old, amoResult<T>(d.insn, old, src))) {
      }
      set(d.rd, extended(old));
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
    case kCsrTime:
      // A kernel reads its launch's clock (ox.clock, ox.globaltimer); a plain program counts
      // one cycle and one time unit per instruction.
      old = options_.warp ? options_.warp->readCsr(d.csr == kCsrCycle ? kCsrOxClock
                                                                      : kCsrOxGlobalTimer)
                                .value_or(0)
                          : h_.instret;
      writable = false;
      break;
    case kCsrInstret:
      old = h_.instret;
      writable = false;
      break;
    case kCsrOxFpctl: old = h_.fpctl; break;
    case kCsrOxLivemask: old = h_.livemask; writable = false; break;
    case kCsrVstart: old = h_.vector.vstart; break;
    case kCsrVxsat: old = h_.vector.vxsat; break;
    case kCsrVxrm: old = h_.vector.vxrm; break;
    case kCsrVcsr: old = uint64_t(h_.vector.vxrm) << 1 | h_.vector.vxsat; break;
    case kCsrVl: old = h_.vector.vl; writable = false; break;
    case kCsrVtype: old = h_.vector.vtype; writable = false; break;
    case kCsrVlenb: old = kVlenBytes; writable = false; break;
    default: {
      bool xox = d.csr >= kCsrOxFirst && d.csr <= kCsrOxLast;
      std::optional<uint64_t> value =
          xox && options_.warp ? options_.warp->readCsr(d.csr) : std::nullopt;
      if (!value)
        return stop(Fault::Kind::IllegalInstruction, 0,
                    xox && !options_.warp ? "an Xox CSR read outside a kernel launch"
                                          : "CSR not defined by OxCore");
      old = *value;
      writable = false;
    }
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
      case kCsrOxFpctl: h_.fpctl = value & 7; break;
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
    auto r = executeFloat(d.insn, a, h_.f[d.rs2], h_.f[d.rs3], rm, h_.fpctl);
    if (shape.writesInt)
      set(d.rd, r->bits);
    else
      h_.f[d.rd] = r->bits;
    h_.fflags |= r->flags;
    return true;
  }

  /// The Xox control group (docs/oxcore-isa.md §3.1-3.4): exits, traps, sleeps, barriers.
  /// False stops the run; a warp that exits, blocks or sleeps still retires the instruction.
  bool xoxControl(const Decoded &d) {
    if (!options_.warp && d.insn != Insn::OX_BRKPT)
      return stop(Fault::Kind::IllegalInstruction, 0,
                  "an Xox control instruction outside a kernel launch");
    uint32_t a = uint32_t(x(d.rs1)), b = uint32_t(x(d.rs2));
    switch (d.insn) {
    case Insn::OX_EXIT:
      exitWarp();
      return true;
    case Insn::OX_LEXIT:
      h_.livemask &= ~a;
      if (!h_.livemask)
        exitWarp();
      return true;
    case Insn::OX_TRAP: {
      if (a == 3) // the codes of docs/oxcore-isa.md §3.2
        return stop(Fault::Kind::StackOverflow, 0,
                    "device-function frames need more local memory than the per-thread call stack "
                    "(deep recursion?)");
      static const char *const meanings[] = {"PTX trap", "unreachable code reached",
                                             "a feature the backend could not lower was reached", "",
                                             "a surface access outside the surface (.trap mode)"};
      char code[16];
      std::snprintf(code, sizeof code, "0x%x", a);
      std::string what = std::string("trap code ") + code;
      if (a < std::size(meanings))
        what += std::string(" (") + meanings[a] + ")";
      return stop(Fault::Kind::Trap, 0, what);
    }
    case Insn::OX_BRKPT: return stop(Fault::Kind::Breakpoint);
    case Insn::OX_NANOSLEEP:
      outcome_ = RunResult::Status::Yielded;
      return true;
    case Insn::OX_WSYNC: {
      uint32_t exec;
      std::memcpy(&exec, h_.vector.v.data(), 4); // v0[31:0]
      if (a & h_.livemask & ~exec)
        return stop(Fault::Kind::IllegalInstruction, 0,
                    "warp sync with inactive member lanes: lanes that are alive but not in the "
                    "exec mask can never arrive under lock-step execution");
      return true;
    }
    default: break;
    }
    static constexpr BarrierOp kOps[] = {BarrierOp::Sync, BarrierOp::Arrive, BarrierOp::RedPopc,
                                         BarrierOp::RedAnd, BarrierOp::RedOr};
    BarrierOp op = kOps[d.insn == Insn::OX_BAR_SYNC     ? 0
                        : d.insn == Insn::OX_BAR_ARRIVE ? 1
                        : d.insn == Insn::OX_BAR_RED_POPC ? 2
                        : d.insn == Insn::OX_BAR_RED_AND  ? 3
                                                          : 4];
    if (a > 15)
      return stop(Fault::Kind::IllegalInstruction, 0,
                  "barrier id " + std::to_string(a) + " is out of range (0-15)");
    if (b % 32)
      return stop(Fault::Kind::IllegalInstruction, 0,
                  "barrier thread count " + std::to_string(b) + " is not a multiple of 32");
    if (op == BarrierOp::Arrive && b == 0)
      return stop(Fault::Kind::IllegalInstruction, 0, "bar.arrive needs a thread count");
    std::string error;
    bool waits = options_.warp->arriveAtBarrier(op, a, b, uint32_t(x(d.rs3)), d.rd, error);
    if (options_.counters)
      ++options_.counters->barrierArrivals;
    if (!error.empty())
      return stop(Fault::Kind::IllegalInstruction, 0, error);
    if (waits)
      outcome_ = RunResult::Status::Blocked;
    return true;
  }

  bool ecall() {
    if (options_.warp)
      return stop(Fault::Kind::BadSyscall, 0, "ECALL in a kernel");
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
      outcome_ = RunResult::Status::Exited;
      return false;
    default:
      return stop(Fault::Kind::BadSyscall, 0, "system call " + std::to_string(number));
    }
  }

  /// trap_on_div0 (docs/oxcore-isa.md §1): a division or remainder by zero is reported.
  bool divisionByZero(const Decoded &d, uint64_t divisor) {
    switch (d.insn) {
    case Insn::DIV: case Insn::DIVU: case Insn::REM: case Insn::REMU:
      return divisor == 0;
    case Insn::DIVW: case Insn::DIVUW: case Insn::REMW: case Insn::REMUW:
      return uint32_t(divisor) == 0;
    default: return false;
    }
  }

  /// Executes one instruction; false stops the run (exit or fault).
  bool step(const Decoded &d) {
    uint64_t pc = h_.pc, next = pc + 4;
    uint64_t a = x(d.rs1), b = x(d.rs2);
    int64_t imm = d.imm;
    if (options_.trapOnDivideByZero && divisionByZero(d, b))
      return stop(Fault::Kind::DivideByZero);
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
    case Insn::FENCE_I:
    case Insn::OX_FENCE_CTA_SC: case Insn::OX_FENCE_CTA_ACQREL: case Insn::OX_FENCE_CTA_ACQ:
    case Insn::OX_FENCE_CTA_REL: case Insn::OX_FENCE_GPU_SC: case Insn::OX_FENCE_GPU_ACQREL:
    case Insn::OX_FENCE_GPU_ACQ: case Insn::OX_FENCE_GPU_REL: case Insn::OX_FENCE_SYS_SC:
    case Insn::OX_FENCE_SYS_ACQREL: case Insn::OX_FENCE_SYS_ACQ: case Insn::OX_FENCE_SYS_REL:
      // A hart's own accesses are in order; other cores may run on other host threads.
      std::atomic_thread_fence(std::memory_order_seq_cst);
      break;
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
    case Insn::OX_EXIT: case Insn::OX_LEXIT: case Insn::OX_TRAP: case Insn::OX_BRKPT:
    case Insn::OX_NANOSLEEP: case Insn::OX_WSYNC: case Insn::OX_BAR_SYNC:
    case Insn::OX_BAR_ARRIVE: case Insn::OX_BAR_RED_POPC: case Insn::OX_BAR_RED_AND:
    case Insn::OX_BAR_RED_OR:
      if (!xoxControl(d))
        return false;
      break;
    default:
      if (isHostCall(d.insn)) {
        if (!options_.warp)
          return stop(Fault::Kind::IllegalInstruction, 0, "a host call outside a kernel launch");
        if (auto trap = executeHostCall(h_, mem_, d, *options_.warp))
          return stop(trap->kind, trap->address, std::move(trap->detail));
        break;
      }
      if (isMmaInstruction(d.insn)) {
        if (auto trap = executeMma(h_, d))
          return stop(trap->kind, trap->address, std::move(trap->detail));
        break;
      }
      if (isAtomicInstruction(d.insn)) {
        if (!options_.warp)
          return stop(Fault::Kind::IllegalInstruction, 0, "an Xox atomic outside a kernel launch");
        if (auto trap = executeAtomic(h_, mem_, d, options_.counters))
          return stop(trap->kind, trap->address, std::move(trap->detail));
        break;
      }
      if (isVectorInstruction(d.insn)) {
        VectorOptions vector{options_.counters, options_.lineBytes, options_.trapOnDivideByZero,
                             options_.caches, options_.core};
        if (auto trap = executeVector(h_, mem_, d, vector))
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

DecodedProgram::DecodedProgram(const Memory &memory, uint64_t base, uint64_t size)
    : base_(base), entries_(size / 4) {
  const uint8_t *code = memory.translate(base, size);
  for (size_t i = 0; code && i < entries_.size(); ++i) {
    Entry &e = entries_[i];
    std::memcpy(&e.word, code + 4 * i, 4);
    if (auto d = decode(e.word)) {
      e.decoded = *d;
      e.legal = true;
    }
  }
}

RunResult run(Hart &hart, AddressSpace &memory, const DecodedProgram &program,
              const RunOptions &options) {
  return Engine(hart, memory, program, options).run();
}

} // namespace oxptx::sim
