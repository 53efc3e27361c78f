// Differential test of the warp vectorizer: random per-thread programs with nested if/else,
// loops with data-dependent trip counts, breaks, continues and early returns (every branch
// condition data-dependent, so lanes diverge everywhere; some also joined by and/or with a
// warp-uniform test of the CTA index or a loop counter), written as PTX and evaluated by an
// interpreter of the same program on the CPU, thread by thread. Each program runs under the
// full backend and the generic baseline on CTAs with a partial last warp.
#include "ExecHarness.h"

#include "backend/KernelImage.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <sstream>

namespace oxptx::exec {
namespace {

constexpr int kVars = 4; // v0..v3 live in %r10..%r13

enum class Op { Add, Sub, Mul, Xor, And, Or, Shr, Min, Max };
enum class Cmp { Lt, Ge, Eq, Ne };

struct Operand {
  bool immediate;
  int var;       // when !immediate
  uint32_t value; // when immediate
};

struct Stmt {
  enum Kind { Assign, If, Loop, Break, Continue, Return } kind = Assign;
  // Assign: v[dst] = op(v[a], b); If/Break/Continue/Return: cond = v[a] cmp b
  int dst = 0, a = 0;
  Op op = Op::Add;
  Cmp cmp = Cmp::Lt;
  Operand b{};
  int limitVar = 0; // Loop: trip count v[limitVar] & 7
  // a condition's optional second, warp-uniform test: `uniform ucmp uvalue`, where uniform is
  // the innermost loop's counter or 3·ctaid.x + 2, joined to the first by && or ||
  enum class Join { None, And, Or } join = Join::None;
  bool onCounter = false;
  Cmp ucmp = Cmp::Lt;
  uint32_t uvalue = 0;
  std::vector<Stmt> body, orElse;
};

class Generator {
public:
  explicit Generator(unsigned seed) : rng_(seed) {}
  std::vector<Stmt> block(int depth, bool inLoop) {
    std::vector<Stmt> out;
    int n = pick(1, depth > 2 ? 2 : 4);
    for (int i = 0; i < n; ++i)
      out.push_back(statement(depth, inLoop));
    return out;
  }

private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  Operand operand() {
    return pick(0, 1) ? Operand{true, 0, uint32_t(pick(0, 40))} : Operand{false, pick(0, kVars - 1), 0};
  }
  static Stmt make(Stmt::Kind kind) {
    Stmt s;
    s.kind = kind;
    return s;
  }
  Stmt condition(Stmt::Kind kind, bool inLoop) {
    Stmt s = make(kind);
    s.a = pick(0, kVars - 1);
    s.cmp = Cmp(pick(0, 3));
    s.b = operand();
    s.join = Stmt::Join(pick(0, 2));
    s.onCounter = inLoop && pick(0, 1);
    s.ucmp = Cmp(pick(0, 3));
    s.uvalue = uint32_t(pick(0, 6));
    return s;
  }
  Stmt statement(int depth, bool inLoop) {
    int choice = pick(0, depth >= 3 ? 0 : 9);
    if (choice <= 4) {
      Stmt s = make(Stmt::Assign);
      s.dst = pick(0, kVars - 1);
      s.a = pick(0, kVars - 1);
      s.op = Op(pick(0, 8));
      s.b = operand();
      if (s.op == Op::Shr)
        s.b = Operand{true, 0, uint32_t(pick(0, 7))};
      return s;
    }
    if (choice <= 6) {
      Stmt s = condition(Stmt::If, inLoop);
      s.body = block(depth + 1, inLoop);
      if (pick(0, 1))
        s.orElse = block(depth + 1, inLoop);
      return s;
    }
    if (choice == 7) {
      Stmt s = make(Stmt::Loop);
      s.limitVar = pick(0, kVars - 1);
      s.body = block(depth + 1, true);
      return s;
    }
    if (choice == 8 && inLoop)
      return condition(pick(0, 1) ? Stmt::Break : Stmt::Continue, inLoop);
    return condition(Stmt::Return, inLoop);
  }
  std::mt19937 rng_;
};

// ---- the CPU interpreter (one thread) -------------------------------------------------------

struct Thread {
  uint32_t v[kVars];
  uint32_t cta = 0;
  std::vector<uint32_t> counters; // of the enclosing loops, innermost last
  bool returned = false;
  enum Flow { Normal, Broke, Continued } flow = Normal;
};

uint32_t value(const Thread &t, const Operand &o) { return o.immediate ? o.value : t.v[o.var]; }

bool compare(Cmp cmp, int32_t x, int32_t y) {
  switch (cmp) {
  case Cmp::Lt: return x < y;
  case Cmp::Ge: return x >= y;
  case Cmp::Eq: return x == y;
  case Cmp::Ne: return x != y;
  }
  return false;
}

bool holds(const Thread &t, const Stmt &s) {
  bool first = compare(s.cmp, int32_t(t.v[s.a]), int32_t(value(t, s.b)));
  uint32_t uniform = s.onCounter ? t.counters.back() : 3 * t.cta + 2;
  bool second = compare(s.ucmp, int32_t(uniform), int32_t(s.uvalue));
  switch (s.join) {
  case Stmt::Join::None: return first;
  case Stmt::Join::And: return first && second;
  case Stmt::Join::Or: return first || second;
  }
  return false;
}

void run(Thread &t, const std::vector<Stmt> &code) {
  for (const Stmt &s : code) {
    if (t.returned || t.flow != Thread::Normal)
      return;
    switch (s.kind) {
    case Stmt::Assign: {
      uint32_t x = t.v[s.a], y = value(t, s.b), r = 0;
      switch (s.op) {
      case Op::Add: r = x + y; break;
      case Op::Sub: r = x - y; break;
      case Op::Mul: r = x * y; break;
      case Op::Xor: r = x ^ y; break;
      case Op::And: r = x & y; break;
      case Op::Or: r = x | y; break;
      case Op::Shr: r = x >> y; break;
      case Op::Min: r = uint32_t(std::min(int32_t(x), int32_t(y))); break;
      case Op::Max: r = uint32_t(std::max(int32_t(x), int32_t(y))); break;
      }
      t.v[s.dst] = r;
      break;
    }
    case Stmt::If:
      run(t, holds(t, s) ? s.body : s.orElse);
      break;
    case Stmt::Loop: {
      uint32_t limit = t.v[s.limitVar] & 7;
      t.counters.push_back(0);
      for (uint32_t c = 0; c < limit && !t.returned; ++c) {
        t.counters.back() = c;
        run(t, s.body);
        if (t.flow == Thread::Broke) {
          t.flow = Thread::Normal;
          break;
        }
        t.flow = Thread::Normal;
      }
      t.counters.pop_back();
      break;
    }
    case Stmt::Break:
      if (holds(t, s))
        t.flow = Thread::Broke;
      break;
    case Stmt::Continue:
      if (holds(t, s))
        t.flow = Thread::Continued;
      break;
    case Stmt::Return:
      if (holds(t, s))
        t.returned = true;
      break;
    }
  }
}

// ---- PTX ------------------------------------------------------------------------------------

class PtxWriter {
public:
  std::string program(const std::vector<Stmt> &code) {
    emit(code, -1);
    std::ostringstream p;
    p << ".version 8.0\n.target sm_80\n.address_size 64\n"
      << ".visible .entry random_cfg(.param .u64 in, .param .u64 out)\n{\n"
      << "\t.reg .b32 %r<500>;\n\t.reg .pred %p<" << predicates_ + 1 << ">;\n\t.reg .b64 %rd<8>;\n"
      << "\tld.param.u64 %rd1, [in];\n\tld.param.u64 %rd2, [out];\n"
      << "\tcvta.to.global.u64 %rd1, %rd1;\n\tcvta.to.global.u64 %rd2, %rd2;\n"
      << "\tmov.u32 %r0, %tid.x;\n\tmov.u32 %r1, %ctaid.x;\n\tmov.u32 %r2, %ntid.x;\n"
      << "\tmad.lo.s32 %r3, %r1, %r2, %r0;\n\tmad.lo.u32 %r20, %r1, 3, 2;\n\tmul.wide.u32 %rd3, %r3, 4;\n"
      << "\tadd.s64 %rd4, %rd1, %rd3;\n\tld.global.u32 %r10, [%rd4];\n"
      << "\tmov.u32 %r11, %r3;\n\tand.b32 %r12, %r10, 63;\n\txor.b32 %r13, %r10, %r3;\n"
      << body_.str()
      << "\tmul.wide.u32 %rd5, %r3, 16;\n\tadd.s64 %rd6, %rd2, %rd5;\n"
      << "\tst.global.v4.u32 [%rd6], {%r10, %r11, %r12, %r13};\n"
      << "EXIT:\n\tret;\n}\n";
    return p.str();
  }

private:
  std::string var(int v) { return "%r" + std::to_string(10 + v); }
  std::string operand(const Operand &o) { return o.immediate ? std::to_string(o.value) : var(o.var); }
  /// A predicate that holds when the statement's condition does (negated: when it does not).
  std::string predicate(const Stmt &s, int loop) {
    static const char *names[] = {"lt", "ge", "eq", "ne"};
    std::string p = "%p" + std::to_string(++predicates_);
    body_ << "\tsetp." << names[int(s.cmp)] << ".s32 " << p << ", " << var(s.a) << ", " << operand(s.b) << ";\n";
    if (s.join == Stmt::Join::None)
      return p;
    std::string q = "%p" + std::to_string(++predicates_), joined = "%p" + std::to_string(++predicates_);
    body_ << "\tsetp." << names[int(s.ucmp)] << ".s32 " << q << ", " << (s.onCounter ? counters_[loop] : "%r20")
          << ", " << s.uvalue << ";\n\t" << (s.join == Stmt::Join::And ? "and" : "or") << ".pred " << joined << ", "
          << p << ", " << q << ";\n";
    return joined;
  }
  void emit(const std::vector<Stmt> &code, int loop) {
    static const char *ops[] = {"add.s32", "sub.s32", "mul.lo.s32", "xor.b32", "and.b32",
                                "or.b32",  "shr.u32", "min.s32",    "max.s32"};
    for (const Stmt &s : code) {
      int label = ++labels_;
      switch (s.kind) {
      case Stmt::Assign:
        body_ << "\t" << ops[int(s.op)] << " " << var(s.dst) << ", " << var(s.a) << ", " << operand(s.b) << ";\n";
        break;
      case Stmt::If: {
        std::string p = predicate(s, loop);
        body_ << "\t@!" << p << " bra ELSE" << label << ";\n";
        emit(s.body, loop);
        body_ << "\tbra.uni ENDIF" << label << ";\nELSE" << label << ":\n";
        emit(s.orElse, loop);
        body_ << "ENDIF" << label << ":\n";
        break;
      }
      case Stmt::Loop: {
        ++loops_;
        std::string counter = "%r" + std::to_string(100 + loops_), limit = "%r" + std::to_string(300 + loops_);
        counters_[label] = counter;
        body_ << "\tand.b32 " << limit << ", " << var(s.limitVar) << ", 7;\n\tmov.u32 " << counter << ", 0;\n"
              << "LOOP" << label << ":\n";
        std::string p = "%p" + std::to_string(++predicates_);
        body_ << "\tsetp.ge.u32 " << p << ", " << counter << ", " << limit << ";\n\t@" << p << " bra LOOPEND"
              << label << ";\n";
        emit(s.body, label);
        body_ << "CONT" << label << ":\n\tadd.u32 " << counter << ", " << counter << ", 1;\n\tbra.uni LOOP" << label
              << ";\nLOOPEND" << label << ":\n";
        break;
      }
      case Stmt::Break:
      case Stmt::Continue:
      case Stmt::Return: {
        std::string p = predicate(s, loop); // emits the setp first
        body_ << "\t@" << p << " bra "
              << (s.kind == Stmt::Break ? "LOOPEND" + std::to_string(loop)
                  : s.kind == Stmt::Continue ? "CONT" + std::to_string(loop)
                                             : std::string("EXIT"))
              << ";\n";
        break;
      }
      }
    }
  }
  std::ostringstream body_;
  int labels_ = 0, predicates_ = 0, loops_ = 0;
  std::map<int, std::string> counters_; // loop label → its counter register
};

class RandomCfg : public BothBackends {};
INSTANTIATE_TEST_SUITE_P(Backends, RandomCfg, ::testing::Bool(), backendName);

TEST_P(RandomCfg, RandomDivergentProgramsMatchTheCpuInterpreter) {
  // CI runs 60 programs; OXPTX_RANDOM_CFG_PROGRAMS=N runs more (a longer local search)
  const char *more = std::getenv("OXPTX_RANDOM_CFG_PROGRAMS");
  const int programs = more ? std::atoi(more) : 60;
  const int blocks = 2, threadsPartial = 80, n = blocks * threadsPartial; // 3 warps per CTA
  std::mt19937 rng(71);
  std::vector<int> in(n);
  for (int &x : in)
    x = int(rng() % 200) - 40;
  for (int k = 0; k < programs; ++k) {
    std::vector<Stmt> code = Generator(1000 + k).block(0, false);
    std::string ptx = PtxWriter().program(code);
    backend::BackendOptions options;
    options.genericSimt = GetParam();
    backend::ImageResult built = backend::buildImage(ptx, "random_cfg_" + std::to_string(k), options);
    ASSERT_TRUE(built.errors.empty()) << built.errors << ptx;
    auto loaded = h.device().loadImage(built.image);
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<runtime::Module>>(loaded));
    auto module = std::get<std::shared_ptr<runtime::Module>>(loaded);
    // 80 threads: a partial last warp; 64: ntid.x % 32 == 0, the body where every warp is full
    for (int threads : {threadsPartial, 64}) {
      int n = blocks * threads;
      uint64_t din = h.upload(in), dout = h.zeros<uint32_t>(4 * n);
      h.launch(*module, "random_cfg", {blocks}, {unsigned(threads)}, Params().add(din).add(dout));
      auto out = h.download<uint32_t>(dout, 4 * n);
      for (int i = 0; i < n; ++i) {
        Thread t{{uint32_t(in[i]), uint32_t(i), uint32_t(in[i]) & 63, uint32_t(in[i]) ^ uint32_t(i)}, uint32_t(i / threads), {}};
        run(t, code);
        for (int v = 0; v < kVars; ++v)
          ASSERT_EQ(out[4 * i + v], t.returned ? 0u : t.v[v])
              << threads << " threads, program " << k << ", thread " << i << ", v" << v << "\n" << ptx;
      }
    }
  }
}

} // namespace
} // namespace oxptx::exec
