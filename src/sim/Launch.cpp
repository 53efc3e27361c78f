#include "sim/Launch.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace oxptx::sim {
namespace {

constexpr uint32_t kWarpSize = 32;

class Launcher;
struct Cta;

struct FreeBytes {
  void operator()(uint8_t *p) const { std::free(p); }
};
/// Zeroed by calloc: a large stack or local space comes as fresh zero pages, touched only where
/// the warp uses it (a calling kernel's 1 MiB stack costs nothing up front).
using ZeroedBytes = std::unique_ptr<uint8_t[], FreeBytes>;
ZeroedBytes zeroedBytes(uint64_t n) { return ZeroedBytes(static_cast<uint8_t *>(std::calloc(n ? n : 1, 1))); }

/// One warp: a hart, its private memory and its view of the windows.
struct Warp final : WarpEnvironment {
  enum class State : uint8_t { Ready, Blocked, Exited };

  Cta *cta = nullptr;
  uint32_t index = 0, hwThread = 0, validMask = 0;
  Hart hart;
  Windows windows;
  ZeroedBytes stack, local;
  std::unique_ptr<AddressSpace> space;
  State state = State::Ready;
  unsigned waitingBarrier = 0;
  uint64_t blockedAtClock = 0; // the core's clock when the warp began to wait
  uint64_t sliceStartInstret = 0;
  Counters counters;

  std::optional<uint64_t> readCsr(uint16_t csr) override;
  bool arriveAtBarrier(BarrierOp op, unsigned id, unsigned count, uint32_t contribution,
                       uint8_t rd, std::string &error) override;
  void hostOutput(std::string_view text) override;
  DeviceHeap *heap() override;
};

/// A named barrier's state in its current phase (docs/oxcore-isa.md §3.4).
struct Barrier {
  uint32_t arrived = 0;  // threads (32 per warp)
  uint32_t expected = 0; // 0: all non-exited threads of the CTA
  BarrierOp kind = BarrierOp::Sync; // Sync stands for sync and arrive, which may mix
  uint32_t accumulator = 0;
  std::vector<std::pair<Warp *, uint8_t>> waiting; // warps and their result registers
};

struct Cta {
  Launcher *launcher = nullptr;
  Dim3 id;
  unsigned core = 0;
  std::vector<uint8_t> scratchpad;
  std::vector<std::unique_ptr<Warp>> warps;
  std::array<Barrier, 16> barriers;
  unsigned liveWarps = 0;

  bool arrive(Warp &warp, BarrierOp op, unsigned id, unsigned count, uint32_t contribution,
              uint8_t rd, std::string &error);
  /// Completes barrier `id` if its arrivals reach the expected count; releases its waiters.
  bool tryComplete(unsigned id);
  void warpExited() {
    --liveWarps;
    for (unsigned id = 0; id < barriers.size(); ++id) // exits release "all threads" barriers
      if (barriers[id].arrived && !barriers[id].expected)
        tryComplete(id);
  }
};

struct Core {
  unsigned freeThreads = 0;
  uint64_t freeScratchpad = 0;
  uint64_t usedThreads = 0; // bitmap of hardware-thread slots
  uint64_t clock = 0;       // instructions issued by the core (functional clock)
  std::vector<std::unique_ptr<Cta>> resident;
  Counters counters;
  uint64_t slowestWarpLatency = 0;
};

class Launcher {
public:
  Launcher(const MachineConfig &machine, Memory &global, const DecodedProgram &code,
           const KernelLaunch &launch)
      : m_(machine), global_(global), code_(code), k_(launch) {}

  LaunchResult run();

  const MachineConfig &machine() const { return m_; }
  const KernelLaunch &launch() const { return k_; }
  const Core &core(unsigned i) const { return cores_[i]; }
  void append(std::string_view text) {
    std::lock_guard lock(mutex_);
    output_.append(text);
  }
  uint32_t nwarps() const { return nwarps_; }
  uint64_t sharedTotal() const { return sharedTotal_; }

private:
  const MachineConfig &m_;
  Memory &global_;
  const DecodedProgram &code_;
  const KernelLaunch &k_;
  std::vector<Core> cores_;
  MemoryHierarchy caches_{m_}; // cold at every launch
  uint32_t nwarps_ = 0;
  uint64_t sharedTotal_ = 0;
  std::atomic<uint64_t> nextCta_ = 0;        // the next CTA to place (linear index)
  std::vector<unsigned> nextCore_;           // per worker: where its round-robin resumes
  std::mutex mutex_;                         // guards output_ and fault_
  std::atomic<bool> stop_ = false;
  std::string output_;
  std::optional<LaunchFault> fault_;

  std::string validate();
  void work(unsigned first, unsigned stride);
  bool dispatch(unsigned first, unsigned stride);
  std::unique_ptr<Cta> makeCta(uint64_t linear, unsigned core);
  std::optional<LaunchFault> deadlock(const Cta &cta) const;
};

uint64_t roundUp(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

std::string hex(uint64_t v) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(v));
  return buffer;
}

std::optional<uint64_t> Warp::readCsr(uint16_t csr) {
  const Launcher &l = *cta->launcher;
  const KernelLaunch &k = l.launch();
  uint64_t reservedBegin = l.sharedTotal() - kReservedSharedBytes;
  uint64_t clock = l.core(cta->core).clock + (hart.instret - sliceStartInstret);
  switch (csr) {
  case 0xcc0: return cta->id.x;
  case 0xcc1: return cta->id.y;
  case 0xcc2: return cta->id.z;
  case 0xcc3: return k.grid.x;
  case 0xcc4: return k.grid.y;
  case 0xcc5: return k.grid.z;
  case 0xcc6: return k.block.x;
  case 0xcc7: return k.block.y;
  case 0xcc8: return k.block.z;
  case 0xcc9: return index;
  case 0xcca: return l.nwarps();
  case 0xccb: return kWarpSize;
  case 0xccc: return cta->core;
  case 0xccd: return l.machine().core.count;
  case 0xcce: return hwThread;
  case 0xccf: return l.machine().core.hardwareThreads;
  case 0xcd0: return clock;
  case 0xcd1: return clock * 1000 / l.machine().clockMhz; // ns of simulated time
  case 0xcd2: return k.gridId;
  case 0xcd3: return k.dynamicSharedBytes;
  case 0xcd4: return l.sharedTotal();
  case 0xcd5: return validMask;
  case 0xcd7: case 0xcda: return reservedBegin;
  case 0xcd8: return l.sharedTotal();
  case 0xcd9: return kReservedSharedBytes;
  case 0xcdb: return reservedBegin + 512;
  case 0xcdc: return k.localBytesPerLane;
  default: break;
  }
  if (csr >= 0xce0 && csr <= 0xcff)
    return k.environment[csr - 0xce0]; // %envreg<n>
  return std::nullopt;
}

bool Warp::arriveAtBarrier(BarrierOp op, unsigned id, unsigned count, uint32_t contribution,
                           uint8_t rd, std::string &error) {
  waitingBarrier = id;
  return cta->arrive(*this, op, id, count, contribution, rd, error);
}

void Warp::hostOutput(std::string_view text) { cta->launcher->append(text); }
DeviceHeap *Warp::heap() { return cta->launcher->launch().heap; }

bool Cta::arrive(Warp &warp, BarrierOp op, unsigned id, unsigned count, uint32_t contribution,
                 uint8_t rd, std::string &error) {
  uint32_t threads = uint32_t(warps.size()) * kWarpSize;
  if (count > threads) {
    error = "barrier " + std::to_string(id) + " thread count " + std::to_string(count) +
            " exceeds the CTA's " + std::to_string(threads) + " threads";
    return false;
  }
  Barrier &b = barriers[id];
  BarrierOp kind = op == BarrierOp::Arrive ? BarrierOp::Sync : op;
  if (b.arrived == 0) {
    b.expected = count;
    b.kind = kind;
    b.accumulator = kind == BarrierOp::RedAnd ? 1 : 0;
  } else if (count != b.expected) {
    error = "barrier count mismatch: barrier " + std::to_string(id) + " expects " +
            (b.expected ? std::to_string(b.expected) + " threads" : std::string("all threads")) +
            " in this phase, this warp arrives with " +
            (count ? std::to_string(count) : std::string("all"));
    return false;
  } else if (kind != b.kind) {
    error = "barrier kind mismatch: barrier " + std::to_string(id) +
            " mixes a reduction with another kind of arrival in one phase";
    return false;
  }
  b.arrived += kWarpSize;
  switch (kind) {
  case BarrierOp::RedPopc: b.accumulator += contribution; break;
  case BarrierOp::RedAnd: b.accumulator &= contribution != 0; break;
  case BarrierOp::RedOr: b.accumulator |= contribution != 0; break;
  default: break;
  }
  bool waits = op != BarrierOp::Arrive;
  if (waits)
    b.waiting.emplace_back(&warp, rd);
  return waits && !tryComplete(id);
}

bool Cta::tryComplete(unsigned id) {
  Barrier &b = barriers[id];
  uint32_t target = b.expected ? b.expected : liveWarps * kWarpSize;
  if (!b.arrived || b.arrived < target)
    return false;
  bool reduction = b.kind != BarrierOp::Sync;
  uint64_t clock = launcher->core(core).clock;
  for (auto [warp, rd] : b.waiting) {
    if (warp->state == Warp::State::Blocked)
      warp->counters.barrierWait += clock - warp->blockedAtClock;
    warp->state = Warp::State::Ready;
    if (reduction && rd)
      warp->hart.x[rd] = b.accumulator;
  }
  b = Barrier{};
  return true;
}

std::string Launcher::validate() {
  uint64_t threads = k_.block.count();
  if (!k_.grid.count() || !threads)
    return "the grid and the CTA must have at least one thread in each dimension";
  nwarps_ = uint32_t((threads + kWarpSize - 1) / kWarpSize);
  if (nwarps_ > m_.core.hardwareThreads)
    return "a CTA of " + std::to_string(threads) + " threads needs " + std::to_string(nwarps_) +
           " warps, but a core of '" + m_.name + "' has " +
           std::to_string(m_.core.hardwareThreads) + " hardware threads";
  sharedTotal_ = roundUp(k_.staticSharedBytes, 16) + k_.dynamicSharedBytes + kReservedSharedBytes;
  if (sharedTotal_ > m_.core.scratchpadBytes || sharedTotal_ > kSharedWindow)
    return "a CTA needs " + std::to_string(sharedTotal_) +
           " bytes of scratchpad (static, dynamic and 1024 reserved), but a core of '" + m_.name +
           "' has " + std::to_string(m_.core.scratchpadBytes);
  if (k_.parameters.size() > kParamWindow)
    return "the parameter buffer exceeds 64 KiB";
  if (k_.localBytesPerLane > kLocalLaneStride)
    return "local memory per thread exceeds 16 MiB";
  if (k_.stackBytes > kStackWindow || k_.stackBytes % 16)
    return "the stack size must be a multiple of 16 bytes, at most 16 MiB";
  return "";
}

std::unique_ptr<Cta> Launcher::makeCta(uint64_t linear, unsigned coreIndex) {
  auto cta = std::make_unique<Cta>();
  cta->launcher = this;
  cta->id = {uint32_t(linear % k_.grid.x), uint32_t(linear / k_.grid.x % k_.grid.y),
             uint32_t(linear / (uint64_t(k_.grid.x) * k_.grid.y))};
  cta->core = coreIndex;
  cta->scratchpad.assign(sharedTotal_, 0);
  cta->liveWarps = nwarps_;
  Core &core = cores_[coreIndex];
  uint64_t threads = k_.block.count();
  for (uint32_t w = 0; w < nwarps_; ++w) {
    auto warp = std::make_unique<Warp>();
    warp->cta = cta.get();
    warp->index = w;
    warp->hwThread = uint32_t(std::countr_one(core.usedThreads));
    core.usedThreads |= uint64_t(1) << warp->hwThread;
    uint64_t remaining = threads - uint64_t(w) * kWarpSize;
    warp->validMask = remaining >= kWarpSize ? ~0u : (1u << remaining) - 1;
    warp->stack = zeroedBytes(k_.stackBytes);
    warp->local = zeroedBytes(uint64_t(k_.localBytesPerLane) * kWarpSize);
    Windows &win = warp->windows;
    win.shared = cta->scratchpad.data();
    win.sharedBytes = sharedTotal_;
    win.local = warp->local.get();
    win.localBytesPerLane = k_.localBytesPerLane;
    win.stack = warp->stack.get();
    win.stackBytes = k_.stackBytes;
    win.param = k_.parameters.data();
    win.paramBytes = k_.parameters.size();
    win.constant = k_.constant;
    win.constantBytes = k_.constantBytes;
    warp->space = std::make_unique<AddressSpace>(global_, &warp->windows);
    // The kernel ABI's entry state (docs/oxcore-isa.md §7).
    Hart &h = warp->hart;
    h.pc = k_.entry;
    h.x[1] = kExitPc;                                             // ra
    h.x[2] = kKernelStackTop;                                     // sp
    h.x[3] = k_.globalPointer;                                    // gp
    h.x[10] = kParamBase;                                         // a0
    h.x[11] = kSharedBase;                                        // a1
    h.x[12] = kSharedBase + roundUp(k_.staticSharedBytes, 16);    // a2: dynamic shared
    h.x[13] = kLocalBase;                                         // a3
    h.x[14] = kLocalLaneStride;                                   // a4
    h.x[15] = w;                                                  // a5: warp id
    h.x[16] = warp->validMask;                                    // a6
    std::memcpy(h.vector.v.data(), &warp->validMask, 4);          // v0: the exec mask
    h.livemask = warp->validMask;
    cta->warps.push_back(std::move(warp));
  }
  core.freeThreads -= nwarps_;
  core.freeScratchpad -= sharedTotal_;
  return cta;
}

/// Places the next CTAs, in linear order, on the worker's cores that have room, starting after
/// the core that got its previous one, so that CTAs spread over the machine. False when every
/// CTA of the grid has been placed (by any worker).
bool Launcher::dispatch(unsigned first, unsigned stride) {
  uint64_t total = k_.grid.count();
  unsigned count = unsigned((cores_.size() - first + stride - 1) / stride);
  unsigned &next = nextCore_[first];
  while (true) {
    unsigned placed = count;
    for (unsigned n = 0; n < count; ++n) {
      const Core &core = cores_[first + stride * ((next + n) % count)];
      if (core.freeThreads >= nwarps_ && core.freeScratchpad >= sharedTotal_) {
        placed = (next + n) % count;
        break;
      }
    }
    if (placed == count)
      return nextCta_.load() < total;
    uint64_t cta = nextCta_.fetch_add(1);
    if (cta >= total)
      return false;
    unsigned core = first + stride * placed;
    cores_[core].resident.push_back(makeCta(cta, core));
    next = (placed + 1) % count;
  }
}

std::optional<LaunchFault> Launcher::deadlock(const Cta &cta) const {
  std::string waits;
  for (const auto &warp : cta.warps) {
    if (warp->state != Warp::State::Blocked)
      continue;
    waits += (waits.empty() ? "" : ", ") + std::string("warp ") + std::to_string(warp->index) +
             " at barrier " + std::to_string(warp->waitingBarrier) + " (pc " +
             hex(warp->hart.pc - 4) + ")";
  }
  Fault fault{Fault::Kind::BarrierDeadlock, 0, 0, 0,
              "every live warp of the CTA waits and no barrier can complete: " + waits};
  return LaunchFault{fault, cta.id, 0, 0};
}

/// Runs the warps of the cores `first, first + stride, ...` until they have no CTA left to run,
/// or the launch stops. One worker per host thread; with one worker the launch is
/// deterministic.
void Launcher::work(unsigned first, unsigned stride) {
  RunOptions options;
  options.maxInstructions = k_.maxInstructionsPerWarp;
  options.sliceInstructions = k_.sliceInstructions;
  options.lineBytes = uint32_t(m_.memory.lineBytes);
  options.trapOnDivideByZero = k_.trapOnDivideByZero;
  options.caches = &caches_;
  auto mine = [&](auto &&f) {
    for (unsigned c = first; c < cores_.size(); c += stride)
      f(cores_[c]);
  };
  auto stopWith = [&](LaunchFault fault) {
    std::lock_guard lock(mutex_);
    if (!fault_)
      fault_ = std::move(fault);
    stop_ = true;
  };
  dispatch(first, stride);
  while (!stop_) {
    bool anyResident = false, progressed = false;
    mine([&](Core &core) {
      for (size_t c = 0; c < core.resident.size() && !stop_; ++c) {
        Cta &cta = *core.resident[c];
        anyResident = true;
        for (auto &warpPtr : cta.warps) {
          Warp &warp = *warpPtr;
          if (warp.state != Warp::State::Ready || stop_)
            continue;
          progressed = true;
          options.warp = &warp;
          options.counters = &warp.counters;
          options.core = cta.core;
          warp.sliceStartInstret = warp.hart.instret;
          RunResult r = sim::run(warp.hart, *warp.space, code_, options);
          core.clock += warp.hart.instret - warp.sliceStartInstret;
          switch (r.status) {
          case RunResult::Status::Exited:
            warp.state = Warp::State::Exited;
            cta.warpExited();
            break;
          case RunResult::Status::Blocked:
            warp.state = Warp::State::Blocked;
            warp.blockedAtClock = core.clock;
            break;
          case RunResult::Status::Yielded: break;
          case RunResult::Status::Faulted: {
            uint32_t exec;
            std::memcpy(&exec, warp.hart.vector.v.data(), 4);
            stopWith(LaunchFault{*r.fault, cta.id, warp.index, exec});
            return;
          }
          }
        }
      }
    });
    if (stop_)
      return;
    if (!anyResident && !dispatch(first, stride))
      return; // no CTA left for these cores
    if (anyResident && !progressed) {
      mine([&](Core &core) {
        for (auto &cta : core.resident)
          if (cta->liveWarps && !stop_)
            stopWith(*deadlock(*cta));
      });
      return;
    }
    // Retire completed CTAs, then fill the freed room.
    mine([&](Core &core) {
      for (size_t c = 0; c < core.resident.size();) {
        Cta &cta = *core.resident[c];
        if (cta.liveWarps) {
          ++c;
          continue;
        }
        for (auto &warp : cta.warps) {
          core.counters += warp->counters;
          core.slowestWarpLatency =
              std::max(core.slowestWarpLatency, serialLatency(m_, warp->counters));
          core.usedThreads &= ~(uint64_t(1) << warp->hwThread);
        }
        core.freeThreads += nwarps_;
        core.freeScratchpad += sharedTotal_;
        core.resident.erase(core.resident.begin() + long(c));
      }
    });
    dispatch(first, stride);
  }
}

LaunchResult Launcher::run() {
  LaunchResult result;
  result.error = validate();
  if (!result.error.empty())
    return result;
  cores_.resize(m_.core.count);
  for (Core &core : cores_) {
    core.freeThreads = unsigned(m_.core.hardwareThreads);
    core.freeScratchpad = m_.core.scratchpadBytes;
  }
  unsigned workers = std::max(1u, std::min<unsigned>(k_.hostThreads, unsigned(cores_.size())));
  nextCore_.assign(workers, 0);
  if (workers == 1) {
    work(0, 1);
  } else {
    std::vector<std::thread> threads;
    for (unsigned w = 0; w < workers; ++w)
      threads.emplace_back([this, w, workers] { work(w, workers); });
    for (std::thread &thread : threads)
      thread.join();
  }
  result.fault = std::move(fault_);
  result.output = std::move(output_);
  if (result.fault)
    return result;
  std::vector<uint64_t> slowest;
  for (const Core &core : cores_) {
    result.perCore.push_back(core.counters);
    result.counters += core.counters;
    slowest.push_back(core.slowestWarpLatency);
  }
  result.timing = estimateTiming(m_, result.perCore, slowest);
  return result;
}

} // namespace

std::string LaunchFault::describe() const {
  char lanes[16];
  std::snprintf(lanes, sizeof lanes, "0x%08x", execMask);
  return "CTA (" + std::to_string(cta.x) + "," + std::to_string(cta.y) + "," +
         std::to_string(cta.z) + ") warp " + std::to_string(warp) + " (exec mask " + lanes +
         "): " + sim::describe(fault);
}

LaunchResult launchKernel(const MachineConfig &machine, Memory &global,
                          const DecodedProgram &code, const KernelLaunch &launch) {
  return Launcher(machine, global, code, launch).run();
}

} // namespace oxptx::sim
