#include "sim/VectorUnit.h"

#include "sim/Executor.h"
#include "sim/FloatFormat.h"
#include "sim/FloatOps.h"
#include "sim/IntegerOps.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cfenv>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <vector>

namespace oxptx::sim {
namespace {

/// Where an OP-V instruction's second operand comes from, by its funct3.
enum class Source : uint8_t { Vector, Immediate, Scalar, Float };

Source sourceOf(Insn insn) {
  static constexpr Source kByFunct3[] = {Source::Vector, Source::Vector,    Source::Vector,
                                         Source::Immediate, Source::Scalar, Source::Float,
                                         Source::Scalar, Source::Scalar};
  return kByFunct3[insnInfo(insn).match >> 12 & 7];
}

/// Rows whose immediate is unsigned (shift amounts, slide offsets, gather indices).
bool immediateIsUnsigned(Insn insn) {
  static const std::vector<bool> table = [] {
    std::vector<bool> t(size_t(Insn::NumInsns));
    for (size_t i = 0; i < t.size(); ++i)
      t[i] = insnInfo(Insn(i)).operands.find("uimm5") != std::string_view::npos;
    return t;
  }();
  return table[size_t(insn)];
}

/// Rows with a vs1 register operand (unary rows keep a selector in that field).
bool readsVs1(Insn insn) {
  static const std::vector<bool> table = [] {
    std::vector<bool> t(size_t(Insn::NumInsns));
    for (size_t i = 0; i < t.size(); ++i)
      t[i] = insnInfo(Insn(i)).operands.find("vs1") != std::string_view::npos;
    return t;
  }();
  return table[size_t(insn)];
}

/// Calls f with a value of the unsigned type of `bits` width (8, 16, 32, 64).
template <typename F> void withWidth(unsigned bits, F &&f) {
  switch (bits) {
  case 8: f(uint8_t{}); break;
  case 16: f(uint16_t{}); break;
  case 32: f(uint32_t{}); break;
  default: f(uint64_t{}); break;
  }
}

template <typename T> using Signed = SignedT<T>;
template <typename T> constexpr unsigned kBits = 8 * sizeof(T);

/// Fixed-point rounding increment (RVV §3.8) for shifting `v` right by `shift` under vxrm.
template <typename W> W roundingIncrement(W v, unsigned shift, unsigned vxrm) {
  if (shift == 0)
    return 0;
  auto bit = [&](unsigned i) { return W(v >> i & 1); };
  W below = shift >= 2 ? W(v & ((W(1) << (shift - 1)) - 1)) : W(0);
  switch (vxrm) {
  case 0: return bit(shift - 1);                                       // rnu
  case 1: return W(bit(shift - 1) & W(below != 0 || bit(shift)));      // rne
  case 2: return 0;                                                     // rdn
  default: return W(!bit(shift) && (v & ((W(1) << shift) - 1)) != 0);  // rod
  }
}

/// binary32/binary64 element bits as host values and back (NaN results become the canonical NaN).
template <typename F> F toHost(uint64_t bits) {
  if constexpr (sizeof(F) == 4)
    return std::bit_cast<float>(uint32_t(bits));
  else
    return std::bit_cast<double>(bits);
}
template <typename F> uint64_t fromHost(F value) {
  if constexpr (sizeof(F) == 4)
    return std::isnan(value) ? 0x7fc00000u : std::bit_cast<uint32_t>(value);
  else
    return std::isnan(value) ? 0x7ff8000000000000ull : std::bit_cast<uint64_t>(value);
}

/// Calls f with host values of the floating-point types of `bits` (32 or 64) for each width.
template <typename F> void withHostFloat(unsigned bits, F &&f) {
  if (bits == 32)
    f(float{});
  else
    f(double{});
}

/// Floating-point operations of the OPF rows, on exact operand values.
enum class FpArith : uint8_t { Add, Sub, ReverseSub, Mul, Div, ReverseDiv, Sqrt };
enum class FpFused : uint8_t { Madd, Nmadd, Msub, Nmsub, Macc, Nmacc, Msac, Nmsac };

class VectorUnit {
public:
  VectorUnit(Hart &hart, AddressSpace &memory, const Decoded &d, const VectorOptions &options)
      : h_(hart), s_(hart.vector), mem_(memory), d_(d), counters_(options.counters),
        lineBytes_(options.lineBytes), trapOnDivideByZero_(options.trapOnDivideByZero),
        caches_(options.caches), core_(options.core) {}

  std::optional<VectorTrap> execute() {
    if (d_.insn == Insn::VSETVLI || d_.insn == Insn::VSETIVLI || d_.insn == Insn::VSETVL) {
      setVl();
      return trap_;
    }
    if (!wholeRegister()) {
      if (s_.vtype & kVtypeVill) {
        illegal("vtype is invalid (vill is set): configure it with vsetvli first");
        return trap_;
      }
      sew_ = 8u << (s_.vtype >> 3 & 7);
      lmul_ = int(s_.vtype & 7) - (s_.vtype & 4 ? 8 : 0);
      vlmax_ = lmul_ >= 0 ? (kVlenBytes * 8 / sew_) << lmul_ : (kVlenBytes * 8 / sew_) >> -lmul_;
    }
    uint64_t vl = s_.vl, start = s_.vstart;
    dispatch();
    if (!trap_) {
      if (counters_)
        countElements(start, vl);
      s_.vstart = 0;
    }
    return trap_;
  }

private:
  Hart &h_;
  VectorState &s_;
  AddressSpace &mem_;
  const Decoded &d_;
  Counters *counters_;
  uint32_t lineBytes_;
  bool trapOnDivideByZero_;
  MemoryHierarchy *caches_;
  unsigned core_;
  FpControl control_{h_.fpctl}; // ox.fpctl: flush-to-zero and NVIDIA NaNs
  unsigned sew_ = 0;   // bits
  int lmul_ = 0;       // log2
  uint64_t vlmax_ = 0;
  std::optional<VectorTrap> trap_;

  // ---- registers and checks ---------------------------------------------------------------

  template <typename T> T get(unsigned reg, uint64_t i) const {
    T value;
    std::memcpy(&value, s_.v.data() + reg * kVlenBytes + i * sizeof(T), sizeof(T));
    return value;
  }
  template <typename T> void put(unsigned reg, uint64_t i, T value) {
    std::memcpy(s_.v.data() + reg * kVlenBytes + i * sizeof(T), &value, sizeof(T));
  }
  bool maskBit(unsigned reg, uint64_t i) const {
    return s_.v[reg * kVlenBytes + i / 8] >> (i % 8) & 1;
  }
  void setMaskBit(unsigned reg, uint64_t i, bool value) {
    uint8_t &byte = s_.v[reg * kVlenBytes + i / 8];
    byte = uint8_t((byte & ~(1u << (i % 8))) | unsigned(value) << (i % 8));
  }
  bool active(uint64_t i) const { return !d_.masked || maskBit(0, i); }

  bool illegal(std::string why) {
    trap_ = VectorTrap{Fault::Kind::IllegalInstruction, 0, std::move(why)};
    return false;
  }

  static unsigned registersOf(int emulLog2) { return emulLog2 > 0 ? 1u << emulLog2 : 1; }

  /// A register group of EMUL = 2^emulLog2 starting at `reg` must exist and be aligned.
  bool group(unsigned reg, int emulLog2, const char *role) {
    if (emulLog2 < -3 || emulLog2 > 3)
      return illegal(std::string("the ") + role + " operand would need a register group of EMUL " +
                     (emulLog2 < 0 ? "1/" + std::to_string(1 << -emulLog2)
                                   : std::to_string(1 << emulLog2)) +
                     ", outside 1/8..8");
    if (reg % registersOf(emulLog2))
      return illegal(std::string("the ") + role + " register group v" + std::to_string(reg) +
                     " is not aligned to its " + std::to_string(registersOf(emulLog2)) +
                     " registers");
    return true;
  }
  static bool overlap(unsigned a, int aLog2, unsigned b, int bLog2) {
    return a < b + registersOf(bLog2) && b < a + registersOf(aLog2);
  }
  /// Masked instructions writing vectors (not masks) must not overwrite the mask in v0.
  bool maskSafe() {
    return d_.masked && d_.rd == 0 ? illegal("a masked instruction's destination overlaps v0")
                                   : true;
  }
  /// The usual shape: vd, vs2 (and vs1) groups of LMUL.
  bool sameWidthGroups() {
    return group(d_.rd, lmul_, "destination") && group(d_.rs2, lmul_, "source") &&
           (!readsVs1(d_.insn) || group(d_.rs1, lmul_, "source")) && maskSafe();
  }
  bool wideSew() {
    return sew_ <= 32 ? true : illegal("a widening or narrowing operation needs SEW <= 32");
  }

  template <typename T> T scalarOperand() const {
    return T(immediateIsUnsigned(d_.insn) && sourceOf(d_.insn) == Source::Immediate
                 ? uint64_t(d_.rs1)
             : sourceOf(d_.insn) == Source::Immediate ? uint64_t(d_.imm)
                                                      : h_.x[d_.rs1]);
  }
  /// The second operand of element i: vs1[i], rs1 or the immediate.
  template <typename T> T operand(uint64_t i) const {
    return sourceOf(d_.insn) == Source::Vector ? get<T>(d_.rs1, i) : scalarOperand<T>();
  }

  template <typename F> void forActive(F &&f) {
    for (uint64_t i = s_.vstart; i < s_.vl; ++i)
      if (active(i))
        f(i);
  }

  // ---- counting ---------------------------------------------------------------------------

  /// Element slots, active elements and vector-unit beats of the instruction just executed.
  void countElements(uint64_t start, uint64_t vl) {
    uint64_t slots = wholeRegister() ? kVlenBytes : vl > start ? vl - start : 0;
    uint64_t activeCount = slots;
    if (d_.masked && !wholeRegister()) {
      activeCount = 0;
      for (uint64_t i = start; i < vl; ++i)
        activeCount += maskBit(0, i);
    }
    counters_->vectorElementSlots += slots;
    counters_->vectorActiveElements += activeCount;
    uint64_t bits = wholeRegister() ? kVlenBytes * 8 : slots * std::max(sew_, 8u);
    counters_->vectorBeats += std::max<uint64_t>(1, (bits + kVlenBytes * 8 - 1) / (kVlenBytes * 8));
  }

  enum class Pattern : uint8_t { UnitStride, Strided, Indexed };
  /// Bytes, access pattern, global lines touched and scratchpad bank conflicts of a transfer.
  /// Conflicts: the busiest of the 32 four-byte banks serves its distinct words one per cycle.
  template <typename Address>
  void countAccess(Pattern pattern, bool store, unsigned bytes, unsigned fields,
                   uint64_t elements, bool masked, Address address) {
    if (!counters_)
      return;
    Counters &c = *counters_;
    (pattern == Pattern::UnitStride ? c.unitStrideAccesses
     : pattern == Pattern::Strided  ? c.stridedAccesses
                                    : c.indexedAccesses)++;
    static thread_local std::vector<uint64_t> lines, words;
    lines.clear();
    words.clear();
    uint64_t moved = 0, addresses = 0;
    bool scratchpadOnly = true;
    for (uint64_t i = s_.vstart; i < elements; ++i) {
      if (masked && !maskBit(0, i))
        continue;
      for (unsigned f = 0; f < fields; ++f) {
        uint64_t a = address(i, f);
        moved += bytes;
        ++addresses;
        scratchpadOnly &= a >= kSharedBase && a < kSharedBase + kSharedWindow;
        if (a < kWindowsBase) {
          lines.push_back(a / lineBytes_);
          lines.push_back((a + bytes - 1) / lineBytes_);
        } else if (a >= kSharedBase && a < kSharedBase + kSharedWindow) {
          for (uint64_t w = (a - kSharedBase) >> 2; w <= (a - kSharedBase + bytes - 1) >> 2; ++w)
            words.push_back(w);
        }
      }
    }
    (store ? c.vectorStoreBytes : c.vectorLoadBytes) += moved;
    auto distinct = [](std::vector<uint64_t> &v) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    };
    distinct(lines);
    c.memoryLines += lines.size();
    uint64_t occupancy = pattern == Pattern::UnitStride || scratchpadOnly ? lines.size() : addresses;
    c.memoryPipeExtra += occupancy > 1 ? occupancy - 1 : 0;
    if (caches_ && !lines.empty()) { // the access waits for its slowest line
      uint64_t slowest = 0;
      for (uint64_t line : lines)
        slowest = std::max(slowest, caches_->access(core_, line, c));
      if (!store)
        c.memoryStall += slowest - caches_->l1Latency();
    }
    if (!words.empty()) {
      distinct(words);
      std::array<uint32_t, 32> perBank{};
      for (uint64_t w : words)
        ++perBank[w & 31];
      c.sharedAccesses += 1;
      c.sharedBankConflicts += *std::max_element(perBank.begin(), perBank.end()) - 1;
    }
  }

  // ---- configuration ----------------------------------------------------------------------

  void setVl() {
    uint64_t vtype = d_.insn == Insn::VSETVL ? h_.x[d_.rs2] : uint64_t(d_.imm);
    uint64_t avl = d_.insn == Insn::VSETIVLI ? d_.rs1
                   : d_.rs1 != 0             ? h_.x[d_.rs1]
                   : d_.rd != 0              ? ~uint64_t(0)
                                             : s_.vl;
    unsigned vsew = vtype >> 3 & 7, vlmul = vtype & 7;
    int lmul = int(vlmul) - (vlmul & 4 ? 8 : 0);
    bool valid = (vtype >> 8) == 0 && vlmul != 4 && vsew <= 3 &&
                 (lmul >= 0 || (8u << vsew) << -lmul <= 64);
    if (!valid) {
      s_.vtype = kVtypeVill;
      s_.vl = 0;
    } else {
      uint64_t elements = kVlenBytes * 8 / (8u << vsew);
      uint64_t vlmax = lmul >= 0 ? elements << lmul : elements >> -lmul;
      s_.vtype = vtype;
      s_.vl = std::min(avl, vlmax);
    }
    s_.vstart = 0;
    if (d_.rd)
      h_.x[d_.rd] = s_.vl;
  }

  // ---- loads and stores -------------------------------------------------------------------

  bool wholeRegister() const {
    const InsnInfo &info = insnInfo(d_.insn);
    bool memory = info.format == Format::VMem && (info.match >> 26 & 3) == 0 &&
                  (info.match >> 20 & 0x1f) == 8;
    return memory || d_.insn == Insn::VMV1R_V || d_.insn == Insn::VMV2R_V ||
           d_.insn == Insn::VMV4R_V || d_.insn == Insn::VMV8R_V;
  }

  struct Transfer {
    uint8_t *memory;
    uint8_t *reg;
  };

  /// Checks every element's access, then performs them in element order. `address(i, field)`
  /// and `reg(i, field)` locate element i of a field; `elements` bounds i.
  template <typename Address, typename Reg>
  void transfer(bool store, unsigned bytes, unsigned fields, uint64_t elements, bool masked,
                bool faultOnlyFirst, Address address, Reg reg) {
    static thread_local std::vector<Transfer> plan; // reused: no allocation per instruction
    plan.clear();
    Access access = store ? Access::Write : Access::Read;
    // Every access is checked before any is performed; false ends the planning early.
    auto planElement = [&](uint64_t i) {
      for (unsigned f = 0; f < fields; ++f) {
        uint64_t a = address(i, f);
        uint8_t *p = a % bytes ? nullptr : mem_.translate(a, bytes, access);
        if (!p) {
          if (faultOnlyFirst && i > 0) { // a later element trims vl instead of faulting
            s_.vl = i;
            return false;
          }
          trap_ = VectorTrap{a % bytes ? Fault::Kind::Misaligned : Fault::Kind::OutOfBounds, a,
                             "element " + std::to_string(i) +
                                 (fields > 1 ? " field " + std::to_string(f) : "")};
          return false;
        }
        plan.push_back({p, s_.v.data() + reg(i, f)});
      }
      return true;
    };
    for (uint64_t i = s_.vstart; i < elements; ++i)
      if ((!masked || maskBit(0, i)) && !planElement(i))
        break;
    if (trap_)
      return;
    for (const Transfer &t : plan) {
      if (store)
        std::memcpy(t.memory, t.reg, bytes);
      else
        std::memcpy(t.reg, t.memory, bytes);
    }
  }

  /// Affine transfers (unit-stride, strided, whole-register, mask) whose span lies in one memory
  /// region and whose elements are aligned: one translation, then direct copies. False leaves
  /// the decision, and any fault report, to the element-by-element path.
  template <typename Reg>
  bool affineTransfer(bool store, unsigned bytes, unsigned fields, uint64_t elements, bool masked,
                      uint64_t base, uint64_t stride, Reg reg) {
    uint64_t first = s_.vstart;
    if (first >= elements)
      return true;
    if (base % bytes || stride % bytes)
      return false;
    uint64_t a = base + first * stride, b = base + (elements - 1) * stride;
    uint64_t lo = std::min(a, b), hi = std::max(a, b) + fields * bytes;
    bool wraps = int64_t(stride) >= 0 ? b < a : b > a;
    uint8_t *host =
        wraps || hi < lo ? nullptr : mem_.translate(lo, hi - lo, store ? Access::Write : Access::Read);
    if (!host)
      return false;
    uint8_t *regs = s_.v.data();
    if (!masked && fields == 1 && stride == bytes) { // one contiguous run
      uint8_t *r = regs + reg(first, 0);
      store ? std::memcpy(host, r, (elements - first) * bytes)
            : std::memcpy(r, host, (elements - first) * bytes);
      return true;
    }
    for (uint64_t i = first; i < elements; ++i) {
      if (masked && !maskBit(0, i))
        continue;
      uint8_t *m = host + (base + i * stride - lo);
      for (unsigned f = 0; f < fields; ++f, m += bytes)
        store ? std::memcpy(m, regs + reg(i, f), bytes) : std::memcpy(regs + reg(i, f), m, bytes);
    }
    return true;
  }

  void loadStore() {
    const InsnInfo &info = insnInfo(d_.insn);
    bool store = (info.match & 0x7f) == 0x27;
    unsigned mop = info.match >> 26 & 3, lumop = info.match >> 20 & 0x1f;
    unsigned width = info.match >> 12 & 7;
    unsigned eew = width == 0 ? 1 : 1u << (width - 4); // bytes
    unsigned fields = d_.nf + 1;
    uint64_t base = h_.x[d_.rs1];
    unsigned vd = d_.rd;

    if (mop == 0 && (lumop == 8 || lumop == 11)) {
      // Whole registers (vl and vtype play no part) or a mask (ceil(vl / 8) bytes).
      unsigned bytes = lumop == 8 ? eew : 1;
      uint64_t elements = lumop == 8 ? fields * kVlenBytes / eew : (s_.vl + 7) / 8;
      auto reg = [&](uint64_t i, unsigned) { return vd * kVlenBytes + i * bytes; };
      countAccess(Pattern::UnitStride, store, bytes, 1, elements, false,
                  [&](uint64_t i, unsigned) { return base + i * bytes; });
      if (!affineTransfer(store, bytes, 1, elements, false, base, bytes, reg))
        transfer(store, bytes, 1, elements, false, false,
                 [&](uint64_t i, unsigned) { return base + i * bytes; }, reg);
      return;
    }
    bool indexed = mop & 1;
    unsigned dataBytes = indexed ? sew_ / 8 : eew;
    int dataEmul = indexed ? lmul_ : std::countr_zero(eew) - std::countr_zero(sew_ / 8) + lmul_;
    if (!group(vd, dataEmul, store ? "data" : "destination"))
      return;
    unsigned regs = registersOf(dataEmul);
    if (fields * regs > 8 || vd + fields * regs > 32)
      return void(illegal("a segment access needs NFIELDS * EMUL <= 8 registers within v0..v31"));
    if (!store && d_.masked && vd == 0)
      return void(illegal("a masked load's destination overlaps v0"));
    auto reg = [&](uint64_t i, unsigned f) {
      return (vd + f * regs) * kVlenBytes + i * dataBytes;
    };
    if (indexed) {
      int indexEmul = std::countr_zero(eew) - std::countr_zero(sew_ / 8) + lmul_;
      if (!group(d_.rs2, indexEmul, "index"))
        return;
      auto index = [&](uint64_t i) -> uint64_t {
        switch (eew) {
        case 1: return get<uint8_t>(d_.rs2, i);
        case 2: return get<uint16_t>(d_.rs2, i);
        case 4: return get<uint32_t>(d_.rs2, i);
        default: return get<uint64_t>(d_.rs2, i);
        }
      };
      auto address = [&](uint64_t i, unsigned f) { return base + index(i) + f * dataBytes; };
      countAccess(Pattern::Indexed, store, dataBytes, fields, s_.vl, d_.masked, address);
      transfer(store, dataBytes, fields, s_.vl, d_.masked, false, address, reg);
    } else {
      uint64_t stride = mop == 2 ? h_.x[d_.rs2] : fields * eew;
      countAccess(stride == fields * eew ? Pattern::UnitStride : Pattern::Strided, store, eew,
                  fields, s_.vl, d_.masked,
                  [&](uint64_t i, unsigned f) { return base + i * stride + f * eew; });
      if (!affineTransfer(store, eew, fields, s_.vl, d_.masked, base, stride, reg))
        transfer(store, eew, fields, s_.vl, d_.masked, mop == 0 && lumop == 16,
                 [&](uint64_t i, unsigned f) { return base + i * stride + f * eew; }, reg);
    }
  }

  // ---- integer ----------------------------------------------------------------------------

  /// vd[i] = op(vs2[i], operand(i), vd[i]) over active elements at SEW.
  template <typename Op> void elementwise(Op op) {
    if (!sameWidthGroups())
      return;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) {
        put<T>(d_.rd, i, T(op(get<T>(d_.rs2, i), operand<T>(i), get<T>(d_.rd, i))));
      });
    });
  }
  template <typename Op> void binary(Op op) {
    elementwise([&](auto a, auto b, auto) { return op(a, b); });
  }
  /// Multiply-adds: op(vd[i], operand(i), vs2[i]).
  template <typename Op> void multiplyAdd(Op op) {
    elementwise([&](auto a, auto b, auto dest) { return op(dest, b, a); });
  }

  /// Mask results: vd.mask[i] = op(vs2[i], operand(i)).
  template <typename Op> void compare(Op op) {
    if (!group(d_.rs2, lmul_, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")))
      return;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) {
        setMaskBit(d_.rd, i, op(get<T>(d_.rs2, i), operand<T>(i)));
      });
    });
  }

  /// Add/subtract with carry: vd[i] = op(vs2[i], operand(i), carry-in v0[i]).
  template <typename Op> void withCarry(Op op, bool producesMask) {
    bool carryIn = d_.masked || !producesMask; // the .vvm/.vxm/.vim forms read v0
    if (!group(d_.rs2, lmul_, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")) ||
        (!producesMask && (!group(d_.rd, lmul_, "destination") ||
                           (d_.rd == 0 && !illegal("vadc/vsbc cannot write v0")))))
      return;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      for (uint64_t i = s_.vstart; i < s_.vl; ++i) {
        auto [value, carry] = op(get<T>(d_.rs2, i), operand<T>(i), carryIn && maskBit(0, i));
        if (producesMask)
          setMaskBit(d_.rd, i, carry);
        else
          put<T>(d_.rd, i, T(value));
      }
    });
  }

  /// Widening: vd (2*SEW) = op(vs2[i] at SEW or 2*SEW, operand(i) at SEW, vd[i]), extending
  /// the SEW operands as signed or unsigned.
  template <typename Op>
  void widening(bool wideFirst, bool signedFirst, bool signedSecond, Op op) {
    if (!wideSew() || !group(d_.rd, lmul_ + 1, "destination") ||
        !group(d_.rs2, wideFirst ? lmul_ + 1 : lmul_, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")) || !maskSafe())
      return;
    if ((!wideFirst && overlap(d_.rd, lmul_ + 1, d_.rs2, lmul_)) ||
        (sourceOf(d_.insn) == Source::Vector && overlap(d_.rd, lmul_ + 1, d_.rs1, lmul_)))
      return void(illegal("a widening destination overlaps a narrower source"));
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      using W = WiderT<T>;
      using WS = SignedT<W>;
      auto extend = [](T v, bool isSigned) { return isSigned ? W(WS(Signed<T>(v))) : W(v); };
      forActive([&](uint64_t i) {
        W a = wideFirst ? get<W>(d_.rs2, i) : extend(get<T>(d_.rs2, i), signedFirst);
        W b = extend(operand<T>(i), signedSecond);
        put<W>(d_.rd, i, W(op(a, b, get<W>(d_.rd, i))));
      });
    });
  }

  /// Narrowing: vd (SEW) = op(vs2[i] at 2*SEW, shift amount).
  template <typename Op> void narrowing(Op op) {
    if (!wideSew() || !group(d_.rd, lmul_, "destination") ||
        !group(d_.rs2, lmul_ + 1, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")) || !maskSafe())
      return;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      using W = WiderT<T>;
      forActive([&](uint64_t i) {
        unsigned shift = unsigned(operand<T>(i)) & (2 * kBits<T> - 1);
        put<T>(d_.rd, i, op(get<W>(d_.rs2, i), shift, T{}));
      });
    });
  }

  /// Integer reductions: vd[0] = fold(vs1[0], active vs2[i]); `widen` sums into 2*SEW.
  template <typename Op> void reduce(bool widen, bool signedWiden, Op op) {
    if ((widen && !wideSew()) || !group(d_.rs2, lmul_, "source"))
      return;
    if (s_.vl == 0)
      return;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      auto run = [&](auto accumulatorType) {
        using A = decltype(accumulatorType);
        A acc = get<A>(d_.rs1, 0);
        forActive([&](uint64_t i) {
          T v = get<T>(d_.rs2, i);
          A x = signedWiden ? A(SignedT<A>(Signed<T>(v))) : A(v);
          acc = A(op(acc, x));
        });
        put<A>(d_.rd, 0, acc);
      };
      if (widen)
        run(WiderT<T>{});
      else
        run(T{});
    });
  }

  void extend(unsigned factor, bool isSigned) {
    int sourceEmul = lmul_ - std::countr_zero(factor);
    if (sew_ / factor < 8)
      return void(illegal("vzext/vsext: SEW / " + std::to_string(factor) + " is below 8 bits"));
    if (!group(d_.rd, lmul_, "destination") || !group(d_.rs2, sourceEmul, "source") ||
        !maskSafe())
      return;
    if (overlap(d_.rd, lmul_, d_.rs2, sourceEmul))
      return void(illegal("vzext/vsext: the destination overlaps the source"));
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      withWidth(sew_ / factor, [&](auto s) {
        using S = decltype(s);
        forActive([&](uint64_t i) {
          S v = get<S>(d_.rs2, i);
          put<T>(d_.rd, i, isSigned ? T(Signed<T>(Signed<S>(v))) : T(v));
        });
      });
    });
  }

  // Fixed point: saturation sets vxsat.
  template <typename T> T saturateAddUnsigned(T a, T b) {
    T r = T(a + b);
    return r < a ? (s_.vxsat = true, T(~T(0))) : r;
  }
  template <typename T> T saturateSubUnsigned(T a, T b) {
    return a < b ? (s_.vxsat = true, T(0)) : T(a - b);
  }
  template <typename T> T saturateSigned(WiderSignedT<T> v) {
    using S = Signed<T>;
    if (v > std::numeric_limits<S>::max()) {
      s_.vxsat = true;
      return T(std::numeric_limits<S>::max());
    }
    if (v < std::numeric_limits<S>::min()) {
      s_.vxsat = true;
      return T(std::numeric_limits<S>::min());
    }
    return T(S(v));
  }

  // ---- masks, permutations, moves --------------------------------------------------------

  template <typename Op> void maskLogic(Op op) {
    for (uint64_t i = s_.vstart; i < s_.vl; ++i)
      setMaskBit(d_.rd, i, op(maskBit(d_.rs2, i), maskBit(d_.rs1, i)));
  }

  /// vmsbf/vmsif/vmsof: bits before / up to / at the first set bit of vs2.
  void setFirst(bool before, bool at, bool after) {
    if (d_.rd == d_.rs2 || (d_.masked && d_.rd == 0))
      return void(illegal("vmsbf/vmsif/vmsof: the destination overlaps a source"));
    bool found = false;
    forActive([&](uint64_t i) {
      bool here = !found && maskBit(d_.rs2, i);
      setMaskBit(d_.rd, i, here ? at : found ? after : before);
      found = found || here;
    });
  }

  void slide(bool up, uint64_t offset, std::optional<uint64_t> fill) {
    if (!sameWidthGroups())
      return;
    if (up && overlap(d_.rd, lmul_, d_.rs2, lmul_))
      return void(illegal("vslideup/vslide1up: the destination overlaps the source"));
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) {
        if (up) {
          if (i >= offset)
            put<T>(d_.rd, i, get<T>(d_.rs2, i - offset));
          else if (fill)
            put<T>(d_.rd, i, T(*fill));
        } else if (fill && i + 1 == s_.vl) {
          put<T>(d_.rd, i, T(*fill));
        } else {
          bool inside = offset < vlmax_ && i < vlmax_ - offset;
          put<T>(d_.rd, i, inside ? get<T>(d_.rs2, i + offset) : T(0));
        }
      });
    });
  }

  void gather(bool index16) {
    int indexEmul = index16 ? 4 - std::countr_zero(sew_) + lmul_ : lmul_;
    bool vectorIndex = sourceOf(d_.insn) == Source::Vector;
    if (!group(d_.rd, lmul_, "destination") || !group(d_.rs2, lmul_, "source") ||
        (vectorIndex && !group(d_.rs1, indexEmul, "index")) || !maskSafe())
      return;
    if (overlap(d_.rd, lmul_, d_.rs2, lmul_) ||
        (vectorIndex && overlap(d_.rd, lmul_, d_.rs1, indexEmul)))
      return void(illegal("vrgather: the destination overlaps a source"));
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) {
        uint64_t index = !vectorIndex ? scalarOperand<uint64_t>()
                         : index16    ? get<uint16_t>(d_.rs1, i)
                                      : uint64_t(get<T>(d_.rs1, i));
        put<T>(d_.rd, i, index < vlmax_ ? get<T>(d_.rs2, index) : T(0));
      });
    });
  }

  void compress() {
    if (overlap(d_.rd, lmul_, d_.rs1, 0) || overlap(d_.rd, lmul_, d_.rs2, lmul_))
      return void(illegal("vcompress: the destination overlaps a source"));
    if (!group(d_.rd, lmul_, "destination") || !group(d_.rs2, lmul_, "source"))
      return;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      uint64_t j = 0;
      for (uint64_t i = 0; i < s_.vl; ++i)
        if (maskBit(d_.rs1, i))
          put<T>(d_.rd, j++, get<T>(d_.rs2, i));
    });
  }

  void moveWhole(unsigned registers) {
    if (d_.rd % registers || d_.rs2 % registers)
      return void(illegal("vmv<nr>r.v: register groups must be aligned to nr"));
    std::memmove(s_.v.data() + d_.rd * kVlenBytes, s_.v.data() + d_.rs2 * kVlenBytes,
                 registers * kVlenBytes);
  }

  // ---- floating point ---------------------------------------------------------------------

  static FpFormat format(unsigned bits) { return fpFormatOfWidth(bits); }
  bool floatSew(unsigned bits) {
    return bits == 16 || bits == 32 || bits == 64
               ? true
               : illegal("floating-point vector operations need SEW 16, 32 or 64");
  }
  unsigned roundingMode() {
    if (h_.frm > 4) {
      illegal("frm holds an invalid rounding mode");
      return 0;
    }
    return h_.frm;
  }
  /// f[rs1] as a `bits`-wide value: the canonical NaN unless properly NaN-boxed.
  uint64_t floatScalar(unsigned bits) const {
    uint64_t f = h_.f[d_.rs1];
    if (bits == 64)
      return f;
    uint64_t box = ~uint64_t(0) << bits;
    return (f & box) == box ? f & ~box : fpCanonicalNaN(fpFormatOfWidth(bits));
  }
  uint64_t element(unsigned reg, uint64_t i, unsigned bits) const {
    switch (bits) {
    case 8: return get<uint8_t>(reg, i);
    case 16: return get<uint16_t>(reg, i);
    case 32: return get<uint32_t>(reg, i);
    default: return get<uint64_t>(reg, i);
    }
  }
  void setElement(unsigned reg, uint64_t i, unsigned bits, uint64_t value) {
    switch (bits) {
    case 8: put<uint8_t>(reg, i, uint8_t(value)); break;
    case 16: put<uint16_t>(reg, i, uint16_t(value)); break;
    case 32: put<uint32_t>(reg, i, uint32_t(value)); break;
    default: put<uint64_t>(reg, i, value); break;
    }
  }
  /// The second operand of element i at `bits`: vs1[i] or f[rs1].
  uint64_t floatOperand(uint64_t i, unsigned bits) const {
    return sourceOf(d_.insn) == Source::Float ? floatScalar(bits) : element(d_.rs1, i, bits);
  }

  /// Runs `body` with the host rounding toward zero (fpEvaluate's precondition) and adds the
  /// flags it raised to fflags.
  template <typename Body> void floatingPoint(Body body) {
    uint8_t flags = 0;
    std::fesetround(FE_TOWARDZERO);
    body(flags);
    std::fesetround(FE_TONEAREST);
    h_.fflags |= flags;
  }

  /// On long double (the exact path: sums signed per fpSum) or on the host's float/double
  /// (rounded by the host in rm, which gives zero sums their IEEE sign itself).
  template <typename F> static F arith(FpArith op, F a, F b, unsigned rm) {
    auto sum = [&](F x, F y) {
      if constexpr (std::is_same_v<F, long double>)
        return fpSum(x, y, rm);
      else
        return x + y;
    };
    switch (op) {
    case FpArith::Add: return sum(a, b);
    case FpArith::Sub: return sum(a, -b);
    case FpArith::ReverseSub: return sum(b, -a);
    case FpArith::Mul: return a * b;
    case FpArith::Div: return a / b;
    case FpArith::ReverseDiv: return b / a;
    case FpArith::Sqrt: return std::sqrt(a);
    }
    return 0;
  }

  /// Whether the host computes this instruction exactly itself: binary32/64 only, rm 0-3, and
  /// ox.fpctl at its defaults.
  bool hostRounds(unsigned rm, std::initializer_list<unsigned> widths) const {
    return rm < 4 && !control_.active() &&
           std::all_of(widths.begin(), widths.end(), [](unsigned w) { return w >= 32; });
  }
  /// A floating-point operand / result of `bits` through ox.fpctl.
  uint64_t in(unsigned bits, uint64_t v) const { return control_.operand(format(bits), v); }
  uint64_t out(unsigned bits, uint64_t v, uint8_t &flags) const {
    return control_.result(format(bits), v, flags);
  }
  /// Runs `body` under the host rounding mode of rm and adds the flags it raised to fflags:
  /// one flag read per instruction.
  template <typename Body> void hostFloatingPoint(unsigned rm, Body body) {
    std::fesetround(hostRounding(rm));
    std::feclearexcept(FE_ALL_EXCEPT);
    body();
    h_.fflags |= hostFloatFlags();
    std::fesetround(FE_TONEAREST);
  }

  /// vd[i] = vs2[i] op operand(i), computed in the format of `resultBits`; the sources are
  /// `firstBits` and `secondBits` wide (widening forms read narrower sources).
  void floatArith(FpArith op, unsigned resultBits, unsigned firstBits, unsigned secondBits) {
    unsigned rm = roundingMode();
    if (trap_ || !floatSew(sew_) || (resultBits > sew_ && !wideSew()))
      return;
    int resultEmul = lmul_ + (resultBits > sew_), firstEmul = lmul_ + (firstBits > sew_);
    if (!group(d_.rd, resultEmul, "destination") || !group(d_.rs2, firstEmul, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")) || !maskSafe())
      return;
    if (resultBits > sew_ &&
        ((firstBits == sew_ && overlap(d_.rd, resultEmul, d_.rs2, lmul_)) ||
         (sourceOf(d_.insn) == Source::Vector && overlap(d_.rd, resultEmul, d_.rs1, lmul_))))
      return void(illegal("a widening destination overlaps a narrower source"));
    if (hostRounds(rm, {resultBits, firstBits, secondBits})) {
      hostFloatingPoint(rm, [&] {
        withHostFloat(resultBits, [&](auto r) {
          using R = decltype(r);
          withHostFloat(firstBits, [&](auto x) {
            withHostFloat(secondBits, [&](auto y) {
              using A = decltype(x);
              using B = decltype(y);
              forActive([&](uint64_t i) {
                R a = R(toHost<A>(element(d_.rs2, i, firstBits)));
                R b = op == FpArith::Sqrt ? R(0) : R(toHost<B>(floatOperand(i, secondBits)));
                setElement(d_.rd, i, resultBits, fromHost<R>(arith<R>(op, a, b, rm)));
              });
            });
          });
        });
      });
      return;
    }
    floatingPoint([&](uint8_t &flags) {
      forActive([&](uint64_t i) {
        long double a =
            fpOperand(format(firstBits), in(firstBits, element(d_.rs2, i, firstBits)), flags);
        long double b = op == FpArith::Sqrt ? 0
                                            : fpOperand(format(secondBits),
                                                        in(secondBits, floatOperand(i, secondBits)),
                                                        flags);
        FpBits r = fpEvaluate(format(resultBits), rm, [&] { return arith<long double>(op, a, b, rm); },
                              a, b);
        flags |= r.flags;
        setElement(d_.rd, i, resultBits, out(resultBits, r.bits, flags));
      });
    });
  }

  /// Fused multiply-adds; `wide` accumulates in 2*SEW.
  void floatFused(FpFused kind, bool wide) {
    unsigned rm = roundingMode();
    if (trap_ || !floatSew(sew_) || (wide && !wideSew()))
      return;
    unsigned accBits = wide ? 2 * sew_ : sew_;
    int accEmul = lmul_ + (wide ? 1 : 0);
    if (!group(d_.rd, accEmul, "destination") || !group(d_.rs2, lmul_, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")) || !maskSafe())
      return;
    FpFormat acc = format(accBits);
    // vfmadd-style forms multiply vd; vfmacc-style forms accumulate into it.
    bool multipliesVd = kind <= FpFused::Nmsub;
    bool negateProduct = kind == FpFused::Nmadd || kind == FpFused::Nmsub ||
                         kind == FpFused::Nmacc || kind == FpFused::Nmsac;
    bool negateAddend = kind == FpFused::Nmadd || kind == FpFused::Msub ||
                        kind == FpFused::Nmacc || kind == FpFused::Msac;
    if (hostRounds(rm, {sew_})) {
      hostFloatingPoint(rm, [&] {
        withHostFloat(accBits, [&](auto r) {
          withHostFloat(sew_, [&](auto s) {
            using R = decltype(r);
            using S = decltype(s);
            forActive([&](uint64_t i) {
              R s1 = R(toHost<S>(floatOperand(i, sew_)));
              R s2 = R(toHost<S>(element(d_.rs2, i, sew_)));
              R vd = toHost<R>(element(d_.rd, i, accBits));
              R x = multipliesVd ? vd : s2, addend = multipliesVd ? s2 : vd;
              R result = fusedMultiplyAdd(negateProduct ? -s1 : s1, x, negateAddend ? -addend : addend);
              setElement(d_.rd, i, accBits, fromHost<R>(result));
            });
          });
        });
      });
      return;
    }
    floatingPoint([&](uint8_t &flags) {
      forActive([&](uint64_t i) {
        long double s1 = fpOperand(format(sew_), in(sew_, floatOperand(i, sew_)), flags);
        long double s2 = fpOperand(format(sew_), in(sew_, element(d_.rs2, i, sew_)), flags);
        long double vd = fpOperand(acc, in(accBits, element(d_.rd, i, accBits)), flags);
        long double x = multipliesVd ? vd : s2, addend = multipliesVd ? s2 : vd;
        long double p1 = negateProduct ? -s1 : s1, c = negateAddend ? -addend : addend;
        // The product of two binary32 (or narrower) values is exact in x87 precision.
        bool productExact = !(acc == FpFormat::Double && !wide);
        FpBits r = fpEvaluate(
            acc, rm, [&] { return fpMultiplyAdd(p1, x, c, rm, productExact); }, p1, x, c);
        flags |= r.flags;
        setElement(d_.rd, i, accBits, out(accBits, r.bits, flags));
      });
    });
  }

  void floatMinMax(bool isMax) {
    if (!floatSew(sew_) || !sameWidthGroups())
      return;
    uint8_t flags = 0;
    forActive([&](uint64_t i) {
      setElement(d_.rd, i, sew_,
                 fpMinMax(format(sew_), isMax, element(d_.rs2, i, sew_), floatOperand(i, sew_),
                        flags));
    });
    h_.fflags |= flags;
  }

  void signInjection(unsigned kind) {
    if (!floatSew(sew_) || !sameWidthGroups())
      return;
    uint64_t sign = uint64_t(1) << (sew_ - 1);
    forActive([&](uint64_t i) {
      uint64_t a = element(d_.rs2, i, sew_), b = floatOperand(i, sew_);
      uint64_t s = kind == 0 ? b & sign : kind == 1 ? ~b & sign : (a ^ b) & sign;
      setElement(d_.rd, i, sew_, (a & ~sign) | s);
    });
  }

  void floatCompare(FpCompare kind) {
    if (!floatSew(sew_) || !group(d_.rs2, lmul_, "source") ||
        (readsVs1(d_.insn) && !group(d_.rs1, lmul_, "source")))
      return;
    uint8_t flags = 0;
    forActive([&](uint64_t i) {
      bool result = fpCompare(format(sew_), kind, in(sew_, element(d_.rs2, i, sew_)),
                              in(sew_, floatOperand(i, sew_)), flags);
      setMaskBit(d_.rd, i, result);
    });
    h_.fflags |= flags;
  }

  /// Conversions: `from`/`to` widths; integer sides signed or not; `rm` overrides frm (rtz).
  enum class Kind : uint8_t { Float, Signed, Unsigned };
  void convert(Kind fromKind, unsigned fromBits, Kind toKind, unsigned toBits,
               std::optional<unsigned> fixedRm) {
    unsigned rm = fixedRm ? *fixedRm : roundingMode();
    if (trap_)
      return;
    unsigned floatBits = fromKind == Kind::Float ? fromBits : toBits;
    if (floatBits != 16 && floatBits != 32 && floatBits != 64)
      return void(illegal("this conversion needs a 16-, 32- or 64-bit floating-point side"));
    if ((fromBits > sew_ || toBits > sew_) && !wideSew())
      return;
    int fromEmul = lmul_ + (fromBits > sew_), toEmul = lmul_ + (toBits > sew_);
    if (!group(d_.rd, toEmul, "destination") || !group(d_.rs2, fromEmul, "source") ||
        !maskSafe())
      return;
    if (fromBits != toBits && overlap(d_.rd, toEmul, d_.rs2, fromEmul) &&
        !(toBits < fromBits && d_.rd == d_.rs2))
      return void(illegal("a widening or narrowing conversion's destination overlaps its source"));
    floatingPoint([&](uint8_t &flags) {
      forActive([&](uint64_t i) {
        uint64_t v = element(d_.rs2, i, fromBits);
        if (fromKind == Kind::Float)
          v = in(fromBits, v);
        FpBits r;
        if (fromKind == Kind::Float && toKind != Kind::Float) {
          r = fpToInteger(format(fromBits), v, toBits, toKind == Kind::Signed, rm);
        } else if (fromKind == Kind::Float) {
          long double x = fpOperand(format(fromBits), v, flags);
          r = fpRound(format(toBits), x, false, rm);
        } else {
          long double x = fromKind == Kind::Signed
                              ? static_cast<long double>(int64_t(v << (64 - fromBits)) >> (64 - fromBits))
                              : static_cast<long double>(v);
          r = fpRound(format(toBits), x, false, rm);
        }
        flags |= r.flags;
        setElement(d_.rd, i, toBits, toKind == Kind::Float ? out(toBits, r.bits, flags) : r.bits);
      });
    });
  }

  /// Floating-point reductions; sums are computed in element order (as qemu does for both
  /// the ordered and the unordered forms), each step rounded.
  enum class FpReduce : uint8_t { Sum, Min, Max };
  void floatReduce(FpReduce kind, bool wide) {
    unsigned rm = roundingMode();
    if (trap_ || !floatSew(sew_) || (wide && !wideSew()) || !group(d_.rs2, lmul_, "source"))
      return;
    if (s_.vl == 0)
      return;
    unsigned accBits = wide ? 2 * sew_ : sew_;
    FpFormat acc = format(accBits), src = format(sew_);
    if (kind == FpReduce::Sum && hostRounds(rm, {sew_, accBits})) {
      hostFloatingPoint(rm, [&] {
        withHostFloat(accBits, [&](auto r) {
          withHostFloat(sew_, [&](auto s) {
            using R = decltype(r);
            using S = decltype(s);
            // With no active element the start value is copied bit for bit.
            uint64_t start = element(d_.rs1, 0, accBits);
            R sum = toHost<R>(start);
            bool added = false;
            forActive([&](uint64_t i) {
              sum = sum + R(toHost<S>(element(d_.rs2, i, sew_)));
              added = true;
            });
            setElement(d_.rd, 0, accBits, added ? fromHost<R>(sum) : start);
          });
        });
      });
      return;
    }
    floatingPoint([&](uint8_t &flags) {
      uint64_t result = element(d_.rs1, 0, accBits);
      forActive([&](uint64_t i) {
        uint64_t v = in(sew_, element(d_.rs2, i, sew_));
        if (kind == FpReduce::Sum) {
          long double a = fpOperand(acc, in(accBits, result), flags), b = fpOperand(src, v, flags);
          FpBits r = fpEvaluate(acc, rm, [&] { return fpSum(a, b, rm); }, a, b);
          flags |= r.flags;
          result = out(accBits, r.bits, flags);
        } else {
          result = out(accBits, fpMinMax(acc, kind == FpReduce::Max, in(accBits, result), v, flags),
                       flags);
        }
      });
      setElement(d_.rd, 0, accBits, result);
    });
  }

  void floatClass() {
    if (!floatSew(sew_) || !sameWidthGroups())
      return;
    forActive([&](uint64_t i) {
      setElement(d_.rd, i, sew_, fpClassify(format(sew_), element(d_.rs2, i, sew_)));
    });
  }

  /// trap_on_div0: whether an active element divides by zero (then trap_ holds the report).
  bool divisionByZero() {
    bool zero = false;
    uint64_t lane = 0;
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) {
        if (!zero && operand<T>(i) == 0) {
          zero = true;
          lane = i;
        }
      });
    });
    if (zero)
      trap_ = VectorTrap{Fault::Kind::DivideByZero, 0, "element " + std::to_string(lane)};
    return zero;
  }

  // ---- dispatch ---------------------------------------------------------------------------

  void dispatch();
};

#define VV_VX(op) case Insn::op##_VV: case Insn::op##_VX
#define VV_VX_VI(op) VV_VX(op): case Insn::op##_VI
#define VX_VI(op) case Insn::op##_VX: case Insn::op##_VI
#define VV_VF(op) case Insn::op##_VV: case Insn::op##_VF
#define WV_WX_WI(op) case Insn::op##_WV: case Insn::op##_WX: case Insn::op##_WI

void VectorUnit::dispatch() {
  bool division = d_.insn == Insn::VDIV_VV || d_.insn == Insn::VDIV_VX ||
                  d_.insn == Insn::VDIVU_VV || d_.insn == Insn::VDIVU_VX ||
                  d_.insn == Insn::VREM_VV || d_.insn == Insn::VREM_VX ||
                  d_.insn == Insn::VREMU_VV || d_.insn == Insn::VREMU_VX;
  if (division && trapOnDivideByZero_ && divisionByZero())
    return;
  switch (d_.insn) {
  // Integer arithmetic
  VV_VX_VI(VADD): return binary([](auto a, auto b) { return a + b; });
  VV_VX(VSUB): return binary([](auto a, auto b) { return a - b; });
  VX_VI(VRSUB): return binary([](auto a, auto b) { return b - a; });
  VV_VX(VMINU): return binary([](auto a, auto b) { return std::min(a, b); });
  VV_VX(VMAXU): return binary([](auto a, auto b) { return std::max(a, b); });
  VV_VX(VMIN): return binary([](auto a, auto b) {
    return Signed<decltype(a)>(a) < Signed<decltype(a)>(b) ? a : b;
  });
  VV_VX(VMAX): return binary([](auto a, auto b) {
    return Signed<decltype(a)>(a) > Signed<decltype(a)>(b) ? a : b;
  });
  VV_VX_VI(VAND): return binary([](auto a, auto b) { return a & b; });
  VV_VX_VI(VOR): return binary([](auto a, auto b) { return a | b; });
  VV_VX_VI(VXOR): return binary([](auto a, auto b) { return a ^ b; });
  VV_VX_VI(VSLL): return binary([](auto a, auto b) { return a << (b & (kBits<decltype(a)> - 1)); });
  VV_VX_VI(VSRL): return binary([](auto a, auto b) { return a >> (b & (kBits<decltype(a)> - 1)); });
  VV_VX_VI(VSRA): return binary([](auto a, auto b) {
    return Signed<decltype(a)>(a) >> (b & (kBits<decltype(a)> - 1));
  });
  VV_VX(VMUL): return binary([](auto a, auto b) { return WiderT<decltype(a)>(a) * b; });
  VV_VX(VMULH): return binary([](auto a, auto b) { return mulh(a, b); });
  VV_VX(VMULHU): return binary([](auto a, auto b) { return mulhu(a, b); });
  VV_VX(VMULHSU): return binary([](auto a, auto b) { return mulhsu(a, b); });
  VV_VX(VDIVU): return binary([](auto a, auto b) { return divUnsigned(a, b); });
  VV_VX(VREMU): return binary([](auto a, auto b) { return remUnsigned(a, b); });
  VV_VX(VDIV): return binary([](auto a, auto b) {
    using S = Signed<decltype(a)>;
    return divSigned<S>(S(a), S(b));
  });
  VV_VX(VREM): return binary([](auto a, auto b) {
    using S = Signed<decltype(a)>;
    return remSigned<S>(S(a), S(b));
  });
  VV_VX(VMACC): return multiplyAdd([](auto d, auto s1, auto s2) { return d + WiderT<decltype(s2)>(s1) * s2; });
  VV_VX(VNMSAC): return multiplyAdd([](auto d, auto s1, auto s2) { return d - WiderT<decltype(s2)>(s1) * s2; });
  VV_VX(VMADD): return multiplyAdd([](auto d, auto s1, auto s2) { return WiderT<decltype(s2)>(s1) * d + s2; });
  VV_VX(VNMSUB): return multiplyAdd([](auto d, auto s1, auto s2) { return s2 - WiderT<decltype(s2)>(s1) * d; });
  case Insn::VMERGE_VVM: case Insn::VMERGE_VXM: case Insn::VMERGE_VIM:
    if (!group(d_.rd, lmul_, "destination") || !group(d_.rs2, lmul_, "source") ||
        (d_.rd == 0 && !illegal("vmerge cannot write v0")))
      return;
    return withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      for (uint64_t i = s_.vstart; i < s_.vl; ++i)
        put<T>(d_.rd, i, maskBit(0, i) ? operand<T>(i) : get<T>(d_.rs2, i));
    });
  case Insn::VMV_V_V: case Insn::VMV_V_X: case Insn::VMV_V_I:
    if (!group(d_.rd, lmul_, "destination") ||
        (d_.insn == Insn::VMV_V_V && !group(d_.rs1, lmul_, "source")))
      return;
    return withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) { put<T>(d_.rd, i, operand<T>(i)); });
    });

  // Carry and borrow
  case Insn::VADC_VVM: case Insn::VADC_VXM: case Insn::VADC_VIM:
  case Insn::VMADC_VVM: case Insn::VMADC_VXM: case Insn::VMADC_VIM:
  case Insn::VMADC_VV: case Insn::VMADC_VX: case Insn::VMADC_VI: {
    bool mask = d_.insn != Insn::VADC_VVM && d_.insn != Insn::VADC_VXM && d_.insn != Insn::VADC_VIM;
    return withCarry([](auto a, auto b, bool c) {
      auto sum = decltype(a)(a + b + c);
      return std::pair{sum, c ? sum <= a : sum < a};
    }, mask);
  }
  case Insn::VSBC_VVM: case Insn::VSBC_VXM:
  case Insn::VMSBC_VVM: case Insn::VMSBC_VXM: case Insn::VMSBC_VV: case Insn::VMSBC_VX: {
    bool mask = d_.insn != Insn::VSBC_VVM && d_.insn != Insn::VSBC_VXM;
    return withCarry([](auto a, auto b, bool c) {
      auto difference = decltype(a)(a - b - c);
      return std::pair{difference, c ? a <= b : a < b};
    }, mask);
  }

  // Compares
  VV_VX_VI(VMSEQ): return compare([](auto a, auto b) { return a == b; });
  VV_VX_VI(VMSNE): return compare([](auto a, auto b) { return a != b; });
  VV_VX(VMSLTU): return compare([](auto a, auto b) { return a < b; });
  VV_VX_VI(VMSLEU): return compare([](auto a, auto b) { return a <= b; });
  VX_VI(VMSGTU): return compare([](auto a, auto b) { return a > b; });
  VV_VX(VMSLT): return compare([](auto a, auto b) {
    return Signed<decltype(a)>(a) < Signed<decltype(a)>(b);
  });
  VV_VX_VI(VMSLE): return compare([](auto a, auto b) {
    return Signed<decltype(a)>(a) <= Signed<decltype(a)>(b);
  });
  VX_VI(VMSGT): return compare([](auto a, auto b) {
    return Signed<decltype(a)>(a) > Signed<decltype(a)>(b);
  });

  // Fixed point
  VV_VX_VI(VSADDU): return binary([this](auto a, auto b) { return saturateAddUnsigned(a, b); });
  VV_VX(VSSUBU): return binary([this](auto a, auto b) { return saturateSubUnsigned(a, b); });
  VV_VX_VI(VSADD): return binary([this](auto a, auto b) {
    using T = decltype(a);
    using W = WiderSignedT<T>;
    return saturateSigned<T>(W(Signed<T>(a)) + W(Signed<T>(b)));
  });
  VV_VX(VSSUB): return binary([this](auto a, auto b) {
    using T = decltype(a);
    using W = WiderSignedT<T>;
    return saturateSigned<T>(W(Signed<T>(a)) - W(Signed<T>(b)));
  });
  VV_VX(VAADDU): case Insn::VAADD_VV: case Insn::VAADD_VX:
  VV_VX(VASUBU): case Insn::VASUB_VV: case Insn::VASUB_VX: {
    bool isSigned = d_.insn == Insn::VAADD_VV || d_.insn == Insn::VAADD_VX ||
                    d_.insn == Insn::VASUB_VV || d_.insn == Insn::VASUB_VX;
    bool subtract = d_.insn == Insn::VASUBU_VV || d_.insn == Insn::VASUBU_VX ||
                    d_.insn == Insn::VASUB_VV || d_.insn == Insn::VASUB_VX;
    return binary([&](auto a, auto b) {
      using T = decltype(a);
      using W = WiderSignedT<T>; // holds SEW + 1 bits either way
      W x = isSigned ? W(Signed<T>(a)) : W(a), y = isSigned ? W(Signed<T>(b)) : W(b);
      W sum = subtract ? x - y : x + y;
      return T((sum >> 1) + roundingIncrement(sum, 1, s_.vxrm));
    });
  }
  VV_VX(VSMUL): return binary([this](auto a, auto b) {
    using T = decltype(a);
    using W = WiderSignedT<T>;
    W product = W(Signed<T>(a)) * W(Signed<T>(b));
    W rounded = (product >> (kBits<T> - 1)) + roundingIncrement(product, kBits<T> - 1, s_.vxrm);
    return saturateSigned<T>(rounded);
  });
  VV_VX_VI(VSSRL): return binary([this](auto a, auto b) {
    unsigned shift = unsigned(b) & (kBits<decltype(a)> - 1);
    return (a >> shift) + roundingIncrement(a, shift, s_.vxrm);
  });
  VV_VX_VI(VSSRA): return binary([this](auto a, auto b) {
    using T = decltype(a);
    unsigned shift = unsigned(b) & (kBits<T> - 1);
    return T((Signed<T>(a) >> shift) + roundingIncrement(a, shift, s_.vxrm));
  });
  WV_WX_WI(VNSRL): return narrowing([](auto w, unsigned shift, auto t) { return decltype(t)(w >> shift); });
  WV_WX_WI(VNSRA): return narrowing([](auto w, unsigned shift, auto t) {
    using W = decltype(w);
    return decltype(t)(SignedT<W>(w) >> shift);
  });
  WV_WX_WI(VNCLIPU): return narrowing([this](auto w, unsigned shift, auto t) {
    using T = decltype(t);
    auto v = (w >> shift) + roundingIncrement(w, shift, s_.vxrm);
    if (v > decltype(v)(T(~T(0)))) {
      s_.vxsat = true;
      return T(~T(0));
    }
    return T(v);
  });
  WV_WX_WI(VNCLIP): return narrowing([this](auto w, unsigned shift, auto t) {
    using T = decltype(t);
    using WS = SignedT<decltype(w)>;
    WS v = WS(WS(w) >> shift) + WS(roundingIncrement(w, shift, s_.vxrm));
    return saturateSigned<T>(v);
  });

  // Widening
  VV_VX(VWADDU): return widening(false, false, false, [](auto a, auto b, auto) { return a + b; });
  VV_VX(VWADD): return widening(false, true, true, [](auto a, auto b, auto) { return a + b; });
  VV_VX(VWSUBU): return widening(false, false, false, [](auto a, auto b, auto) { return a - b; });
  VV_VX(VWSUB): return widening(false, true, true, [](auto a, auto b, auto) { return a - b; });
  case Insn::VWADDU_W_WV: case Insn::VWADDU_W_WX:
    return widening(true, false, false, [](auto a, auto b, auto) { return a + b; });
  case Insn::VWADD_W_WV: case Insn::VWADD_W_WX:
    return widening(true, true, true, [](auto a, auto b, auto) { return a + b; });
  case Insn::VWSUBU_W_WV: case Insn::VWSUBU_W_WX:
    return widening(true, false, false, [](auto a, auto b, auto) { return a - b; });
  case Insn::VWSUB_W_WV: case Insn::VWSUB_W_WX:
    return widening(true, true, true, [](auto a, auto b, auto) { return a - b; });
  VV_VX(VWMULU): return widening(false, false, false, [](auto a, auto b, auto) { return a * b; });
  VV_VX(VWMUL): return widening(false, true, true, [](auto a, auto b, auto) { return a * b; });
  VV_VX(VWMULSU): return widening(false, true, false, [](auto a, auto b, auto) { return a * b; });
  VV_VX(VWMACCU): return widening(false, false, false, [](auto a, auto b, auto d) { return d + a * b; });
  VV_VX(VWMACC): return widening(false, true, true, [](auto a, auto b, auto d) { return d + a * b; });
  case Insn::VWMACCUS_VX: // rs1 unsigned, vs2 signed
    return widening(false, true, false, [](auto a, auto b, auto d) { return d + a * b; });
  VV_VX(VWMACCSU): // vs1/rs1 signed, vs2 unsigned
    return widening(false, false, true, [](auto a, auto b, auto d) { return d + a * b; });
  case Insn::VZEXT_VF2: return extend(2, false);
  case Insn::VZEXT_VF4: return extend(4, false);
  case Insn::VZEXT_VF8: return extend(8, false);
  case Insn::VSEXT_VF2: return extend(2, true);
  case Insn::VSEXT_VF4: return extend(4, true);
  case Insn::VSEXT_VF8: return extend(8, true);

  // Reductions
  case Insn::VREDSUM_VS: return reduce(false, false, [](auto a, auto b) { return a + b; });
  case Insn::VREDAND_VS: return reduce(false, false, [](auto a, auto b) { return a & b; });
  case Insn::VREDOR_VS: return reduce(false, false, [](auto a, auto b) { return a | b; });
  case Insn::VREDXOR_VS: return reduce(false, false, [](auto a, auto b) { return a ^ b; });
  case Insn::VREDMINU_VS: return reduce(false, false, [](auto a, auto b) { return std::min(a, b); });
  case Insn::VREDMAXU_VS: return reduce(false, false, [](auto a, auto b) { return std::max(a, b); });
  case Insn::VREDMIN_VS: return reduce(false, false, [](auto a, auto b) {
    return Signed<decltype(a)>(a) < Signed<decltype(a)>(b) ? a : b;
  });
  case Insn::VREDMAX_VS: return reduce(false, false, [](auto a, auto b) {
    return Signed<decltype(a)>(a) > Signed<decltype(a)>(b) ? a : b;
  });
  case Insn::VWREDSUMU_VS: return reduce(true, false, [](auto a, auto b) { return a + b; });
  case Insn::VWREDSUM_VS: return reduce(true, true, [](auto a, auto b) { return a + b; });

  // Masks
  case Insn::VMAND_MM: return maskLogic([](bool a, bool b) { return a && b; });
  case Insn::VMNAND_MM: return maskLogic([](bool a, bool b) { return !(a && b); });
  case Insn::VMANDN_MM: return maskLogic([](bool a, bool b) { return a && !b; });
  case Insn::VMOR_MM: return maskLogic([](bool a, bool b) { return a || b; });
  case Insn::VMNOR_MM: return maskLogic([](bool a, bool b) { return !(a || b); });
  case Insn::VMORN_MM: return maskLogic([](bool a, bool b) { return a || !b; });
  case Insn::VMXOR_MM: return maskLogic([](bool a, bool b) { return a != b; });
  case Insn::VMXNOR_MM: return maskLogic([](bool a, bool b) { return a == b; });
  case Insn::VCPOP_M: {
    uint64_t count = 0;
    forActive([&](uint64_t i) { count += maskBit(d_.rs2, i); });
    h_.x[d_.rd] = d_.rd ? count : 0;
    return;
  }
  case Insn::VFIRST_M: {
    int64_t first = -1;
    forActive([&](uint64_t i) {
      if (first < 0 && maskBit(d_.rs2, i))
        first = int64_t(i);
    });
    if (d_.rd)
      h_.x[d_.rd] = uint64_t(first);
    return;
  }
  case Insn::VMSBF_M: return setFirst(true, false, false);
  case Insn::VMSIF_M: return setFirst(true, true, false);
  case Insn::VMSOF_M: return setFirst(false, true, false);
  case Insn::VIOTA_M:
    if (!group(d_.rd, lmul_, "destination") || !maskSafe())
      return;
    if (overlap(d_.rd, lmul_, d_.rs2, 0))
      return void(illegal("viota.m: the destination overlaps the source mask"));
    return withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      T count = 0;
      forActive([&](uint64_t i) {
        put<T>(d_.rd, i, count);
        count = T(count + maskBit(d_.rs2, i));
      });
    });
  case Insn::VID_V:
    if (!group(d_.rd, lmul_, "destination") || !maskSafe())
      return;
    return withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      forActive([&](uint64_t i) { put<T>(d_.rd, i, T(i)); });
    });

  // Moves between engines, permutations
  case Insn::VMV_X_S:
    withWidth(sew_, [&](auto t) {
      using T = decltype(t);
      if (d_.rd)
        h_.x[d_.rd] = uint64_t(int64_t(Signed<T>(get<T>(d_.rs2, 0))));
    });
    return;
  case Insn::VMV_S_X:
    if (s_.vstart < s_.vl)
      withWidth(sew_, [&](auto t) { put<decltype(t)>(d_.rd, 0, decltype(t)(h_.x[d_.rs1])); });
    return;
  VX_VI(VSLIDEUP): return slide(true, scalarOperand<uint64_t>(), std::nullopt);
  VX_VI(VSLIDEDOWN): return slide(false, scalarOperand<uint64_t>(), std::nullopt);
  case Insn::VSLIDE1UP_VX: return slide(true, 1, h_.x[d_.rs1]);
  case Insn::VSLIDE1DOWN_VX: return slide(false, 1, h_.x[d_.rs1]);
  case Insn::VFSLIDE1UP_VF:
    return floatSew(sew_) ? slide(true, 1, floatScalar(sew_)) : void();
  case Insn::VFSLIDE1DOWN_VF:
    return floatSew(sew_) ? slide(false, 1, floatScalar(sew_)) : void();
  VV_VX_VI(VRGATHER): return gather(false);
  case Insn::VRGATHEREI16_VV: return gather(true);
  case Insn::VCOMPRESS_VM: return compress();
  case Insn::VMV1R_V: return moveWhole(1);
  case Insn::VMV2R_V: return moveWhole(2);
  case Insn::VMV4R_V: return moveWhole(4);
  case Insn::VMV8R_V: return moveWhole(8);

  // Floating point
  VV_VF(VFADD): return floatArith(FpArith::Add, sew_, sew_, sew_);
  VV_VF(VFSUB): return floatArith(FpArith::Sub, sew_, sew_, sew_);
  case Insn::VFRSUB_VF: return floatArith(FpArith::ReverseSub, sew_, sew_, sew_);
  VV_VF(VFMUL): return floatArith(FpArith::Mul, sew_, sew_, sew_);
  VV_VF(VFDIV): return floatArith(FpArith::Div, sew_, sew_, sew_);
  case Insn::VFRDIV_VF: return floatArith(FpArith::ReverseDiv, sew_, sew_, sew_);
  case Insn::VFSQRT_V: return floatArith(FpArith::Sqrt, sew_, sew_, sew_);
  VV_VF(VFWADD): return floatArith(FpArith::Add, 2 * sew_, sew_, sew_);
  VV_VF(VFWSUB): return floatArith(FpArith::Sub, 2 * sew_, sew_, sew_);
  VV_VF(VFWMUL): return floatArith(FpArith::Mul, 2 * sew_, sew_, sew_);
  case Insn::VFWADD_W_WV: case Insn::VFWADD_W_WF:
    return floatArith(FpArith::Add, 2 * sew_, 2 * sew_, sew_);
  case Insn::VFWSUB_W_WV: case Insn::VFWSUB_W_WF:
    return floatArith(FpArith::Sub, 2 * sew_, 2 * sew_, sew_);
  VV_VF(VFMADD): return floatFused(FpFused::Madd, false);
  VV_VF(VFNMADD): return floatFused(FpFused::Nmadd, false);
  VV_VF(VFMSUB): return floatFused(FpFused::Msub, false);
  VV_VF(VFNMSUB): return floatFused(FpFused::Nmsub, false);
  VV_VF(VFMACC): return floatFused(FpFused::Macc, false);
  VV_VF(VFNMACC): return floatFused(FpFused::Nmacc, false);
  VV_VF(VFMSAC): return floatFused(FpFused::Msac, false);
  VV_VF(VFNMSAC): return floatFused(FpFused::Nmsac, false);
  VV_VF(VFWMACC): return floatFused(FpFused::Macc, true);
  VV_VF(VFWNMACC): return floatFused(FpFused::Nmacc, true);
  VV_VF(VFWMSAC): return floatFused(FpFused::Msac, true);
  VV_VF(VFWNMSAC): return floatFused(FpFused::Nmsac, true);
  VV_VF(VFMIN): return floatMinMax(false);
  VV_VF(VFMAX): return floatMinMax(true);
  VV_VF(VFSGNJ): return signInjection(0);
  VV_VF(VFSGNJN): return signInjection(1);
  VV_VF(VFSGNJX): return signInjection(2);
  VV_VF(VMFEQ): return floatCompare(FpCompare::Eq);
  VV_VF(VMFNE): return floatCompare(FpCompare::Ne);
  VV_VF(VMFLT): return floatCompare(FpCompare::Lt);
  VV_VF(VMFLE): return floatCompare(FpCompare::Le);
  case Insn::VMFGT_VF: return floatCompare(FpCompare::Gt);
  case Insn::VMFGE_VF: return floatCompare(FpCompare::Ge);
  case Insn::VFCLASS_V: return floatClass();
  case Insn::VFREDUSUM_VS: case Insn::VFREDOSUM_VS: return floatReduce(FpReduce::Sum, false);
  case Insn::VFREDMIN_VS: return floatReduce(FpReduce::Min, false);
  case Insn::VFREDMAX_VS: return floatReduce(FpReduce::Max, false);
  case Insn::VFWREDUSUM_VS: case Insn::VFWREDOSUM_VS: return floatReduce(FpReduce::Sum, true);
  case Insn::VFMV_F_S:
    if (floatSew(sew_))
      h_.f[d_.rd] = sew_ == 64 ? get<uint64_t>(d_.rs2, 0)
                               : (~uint64_t(0) << sew_) | element(d_.rs2, 0, sew_);
    return;
  case Insn::VFMV_S_F:
    if (floatSew(sew_) && s_.vstart < s_.vl)
      setElement(d_.rd, 0, sew_, floatScalar(sew_));
    return;
  case Insn::VFMV_V_F:
    if (!floatSew(sew_) || !group(d_.rd, lmul_, "destination"))
      return;
    forActive([&](uint64_t i) { setElement(d_.rd, i, sew_, floatScalar(sew_)); });
    return;
  case Insn::VFMERGE_VFM:
    if (!floatSew(sew_) || !group(d_.rd, lmul_, "destination") ||
        !group(d_.rs2, lmul_, "source") || (d_.rd == 0 && !illegal("vfmerge cannot write v0")))
      return;
    for (uint64_t i = s_.vstart; i < s_.vl; ++i)
      setElement(d_.rd, i, sew_, maskBit(0, i) ? floatScalar(sew_) : element(d_.rs2, i, sew_));
    return;
  case Insn::VFCVT_XU_F_V: return convert(Kind::Float, sew_, Kind::Unsigned, sew_, std::nullopt);
  case Insn::VFCVT_X_F_V: return convert(Kind::Float, sew_, Kind::Signed, sew_, std::nullopt);
  case Insn::VFCVT_RTZ_XU_F_V: return convert(Kind::Float, sew_, Kind::Unsigned, sew_, kRtz);
  case Insn::VFCVT_RTZ_X_F_V: return convert(Kind::Float, sew_, Kind::Signed, sew_, kRtz);
  case Insn::VFCVT_F_XU_V: return convert(Kind::Unsigned, sew_, Kind::Float, sew_, std::nullopt);
  case Insn::VFCVT_F_X_V: return convert(Kind::Signed, sew_, Kind::Float, sew_, std::nullopt);
  case Insn::VFWCVT_XU_F_V: return convert(Kind::Float, sew_, Kind::Unsigned, 2 * sew_, std::nullopt);
  case Insn::VFWCVT_X_F_V: return convert(Kind::Float, sew_, Kind::Signed, 2 * sew_, std::nullopt);
  case Insn::VFWCVT_RTZ_XU_F_V: return convert(Kind::Float, sew_, Kind::Unsigned, 2 * sew_, kRtz);
  case Insn::VFWCVT_RTZ_X_F_V: return convert(Kind::Float, sew_, Kind::Signed, 2 * sew_, kRtz);
  case Insn::VFWCVT_F_XU_V: return convert(Kind::Unsigned, sew_, Kind::Float, 2 * sew_, std::nullopt);
  case Insn::VFWCVT_F_X_V: return convert(Kind::Signed, sew_, Kind::Float, 2 * sew_, std::nullopt);
  case Insn::VFWCVT_F_F_V: return convert(Kind::Float, sew_, Kind::Float, 2 * sew_, std::nullopt);
  case Insn::VFNCVT_XU_F_W: return convert(Kind::Float, 2 * sew_, Kind::Unsigned, sew_, std::nullopt);
  case Insn::VFNCVT_X_F_W: return convert(Kind::Float, 2 * sew_, Kind::Signed, sew_, std::nullopt);
  case Insn::VFNCVT_RTZ_XU_F_W: return convert(Kind::Float, 2 * sew_, Kind::Unsigned, sew_, kRtz);
  case Insn::VFNCVT_RTZ_X_F_W: return convert(Kind::Float, 2 * sew_, Kind::Signed, sew_, kRtz);
  case Insn::VFNCVT_F_XU_W: return convert(Kind::Unsigned, 2 * sew_, Kind::Float, sew_, std::nullopt);
  case Insn::VFNCVT_F_X_W: return convert(Kind::Signed, 2 * sew_, Kind::Float, sew_, std::nullopt);
  case Insn::VFNCVT_F_F_W: return convert(Kind::Float, 2 * sew_, Kind::Float, sew_, std::nullopt);
  case Insn::VFNCVT_ROD_F_F_W: return convert(Kind::Float, 2 * sew_, Kind::Float, sew_, kRod);
  case Insn::VFREC7_V:
  case Insn::VFRSQRT7_V: {
    unsigned rm = roundingMode();
    if (trap_ || !floatSew(sew_) || !sameWidthGroups())
      return;
    uint8_t flags = 0;
    forActive([&](uint64_t i) {
      uint64_t v = in(sew_, element(d_.rs2, i, sew_));
      FpBits r = d_.insn == Insn::VFREC7_V ? fpReciprocalEstimate(format(sew_), v, rm)
                                            : fpReciprocalSqrtEstimate(format(sew_), v);
      flags |= r.flags;
      setElement(d_.rd, i, sew_, out(sew_, r.bits, flags));
    });
    h_.fflags |= flags;
    return;
  }
  default:
    if (insnInfo(d_.insn).format == Format::VMem)
      return loadStore();
    trap_ = VectorTrap{Fault::Kind::Unimplemented, 0, "vector instruction not executed"};
  }
}

#undef VV_VX
#undef VV_VX_VI
#undef VX_VI
#undef VV_VF
#undef WV_WX_WI

} // namespace

bool isVectorInstruction(Insn insn) {
  Format f = insnInfo(insn).format;
  return f == Format::V || f == Format::VMem || f == Format::VSetVli || f == Format::VSetIvli ||
         insn == Insn::VSETVL;
}

std::optional<VectorTrap> executeVector(Hart &hart, AddressSpace &memory, const Decoded &d,
                                        const VectorOptions &options) {
  return VectorUnit(hart, memory, d, options).execute();
}

} // namespace oxptx::sim
