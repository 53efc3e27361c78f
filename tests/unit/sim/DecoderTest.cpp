// The OxCore decoder and disassembler against an independent oracle: LLVM 19's RISC-V
// assembler and disassembler (llvm-mc, llvm-objdump -M no-aliases). Every standard row of
// Encoding.def is exercised by a directed instruction, and random words of every standard major
// opcode must be classified and printed exactly as LLVM does. Xox rows are checked against the
// `.insn` lines of docs/oxcore-isa.md.
#include "sim/Decoder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <span>
#include <sstream>

namespace fs = std::filesystem;
using namespace oxptx::sim;

namespace {

const std::string kAttrs = "+m,+a,+f,+d,+zfh,+zba,+zbb,+zicsr,+zifencei,+v,+zvfh";

std::string run(const std::string &command) {
  std::string out;
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return out;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe))
    out.append(buffer, n);
  pclose(pipe);
  return out;
}

/// Assembles `source` with llvm-mc and returns llvm-objdump's text per instruction address,
/// with the instruction word it disassembled.
struct Listing {
  std::map<uint64_t, std::pair<uint32_t, std::string>> byAddress;
};

Listing assemble(const std::string &source) {
  fs::path dir = fs::temp_directory_path() / ("oxptx_sim_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "t.s") << source;
  std::string mc = std::string(OXPTX_LLVM_MC) + " -triple=riscv64 -mattr=" + kAttrs +
                   " -filetype=obj " + (dir / "t.s").string() + " -o " + (dir / "t.o").string() +
                   " 2>&1";
  std::string errors = run(mc);
  EXPECT_TRUE(errors.empty()) << errors;
  std::string dump = run(std::string(OXPTX_LLVM_OBJDUMP) + " -d -M no-aliases --mattr=" + kAttrs +
                         " " + (dir / "t.o").string());
  fs::remove_all(dir);
  Listing listing;
  std::regex line(R"(^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(.*)$)");
  std::istringstream lines(dump);
  std::string text;
  while (std::getline(lines, text)) {
    std::smatch m;
    if (!std::regex_match(text, m, line))
      continue;
    std::string printed = m[3];
    printed = std::regex_replace(printed, std::regex(R"( <[^>]*>$)"), ""); // symbolized target
    listing.byAddress[std::stoull(m[1], nullptr, 16)] = {uint32_t(std::stoul(m[2], nullptr, 16)),
                                                         printed};
  }
  return listing;
}

/// Our reading of every instruction in the listing must equal LLVM's.
void expectSameAsLlvm(const Listing &listing) {
  for (const auto &[address, entry] : listing.byAddress) {
    const auto &[word, llvmText] = entry;
    auto decoded = decode(word);
    if (llvmText == "<unknown>") {
      EXPECT_FALSE(decoded) << std::hex << "0x" << word << " is illegal for LLVM but decodes as "
                            << (decoded ? disassemble(*decoded, address) : "");
      continue;
    }
    ASSERT_TRUE(decoded) << std::hex << "0x" << word << " is '" << llvmText
                         << "' for LLVM but illegal here";
    EXPECT_EQ(disassemble(*decoded, address), llvmText) << std::hex << "word 0x" << word;
  }
}

} // namespace

TEST(Decoder, EveryStandardInstructionMatchesLlvm) {
  const char *source = R"(
    lui a0, 0x12345
    auipc t0, 1
    jal ra, .+2048
    jalr t1, -4(a2)
    beq a0, a1, .+16
    bne s0, s1, .-16
    blt t3, t4, .+4094
    bge a7, zero, .-4096
    bltu a0, a1, .+8
    bgeu a0, a1, .+8
    lb a0, -1(a1)
    lh a0, 2(a1)
    lw a0, 2047(a1)
    ld a0, -2048(a1)
    lbu a0, 0(sp)
    lhu t6, 6(gp)
    lwu s11, 12(tp)
    sb a0, -1(a1)
    sh a0, 2(a1)
    sw a0, 4(a1)
    sd ra, -8(sp)
    addi a0, a1, -16
    slti a0, a1, 5
    sltiu a0, a1, 5
    xori a0, a1, -1
    ori a0, a1, 255
    andi a0, a1, 15
    slli a0, a1, 63
    srli a0, a1, 1
    srai a0, a1, 33
    add a0, a1, a2
    sub a0, a1, a2
    sll a0, a1, a2
    slt a0, a1, a2
    sltu a0, a1, a2
    xor a0, a1, a2
    srl a0, a1, a2
    sra a0, a1, a2
    or a0, a1, a2
    and a0, a1, a2
    addiw a0, a1, 7
    slliw a0, a1, 31
    srliw a0, a1, 3
    sraiw a0, a1, 3
    addw a0, a1, a2
    subw a0, a1, a2
    sllw a0, a1, a2
    srlw a0, a1, a2
    sraw a0, a1, a2
    fence rw, w
    fence iorw, iorw
    fence.i
    ecall
    ebreak
    mul a0, a1, a2
    mulh a0, a1, a2
    mulhsu a0, a1, a2
    mulhu a0, a1, a2
    div a0, a1, a2
    divu a0, a1, a2
    rem a0, a1, a2
    remu a0, a1, a2
    mulw a0, a1, a2
    divw a0, a1, a2
    divuw a0, a1, a2
    remw a0, a1, a2
    remuw a0, a1, a2
    csrrw a0, fcsr, a1
    csrrs a0, cycle, zero
    csrrc a0, 0xcc0, a1
    csrrwi a0, frm, 5
    csrrsi a0, vstart, 31
    csrrci a0, 0x800, 1
    lr.w.aq a0, (a1)
    sc.d.rl a0, a2, (a1)
    amoadd.w.aqrl a0, a2, (a1)
    amoswap.d a0, a2, (a1)
    amomaxu.d.aq t0, t1, (sp)
    sh1add a0, a1, a2
    sh3add.uw a0, a1, a2
    add.uw a0, a1, a2
    slli.uw a0, a1, 3
    andn a0, a1, a2
    clz a0, a1
    ctzw a0, a1
    cpop a0, a1
    sext.b a0, a1
    zext.h a0, a1
    rori a0, a1, 5
    roriw a0, a1, 5
    rolw a0, a1, a2
    rev8 a0, a1
    orc.b a0, a1
    max a0, a1, a2
    minu a0, a1, a2
    flw fa0, 8(a0)
    fsd fs11, -8(sp)
    flh ft0, 2(a1)
    fadd.s fa0, fa1, fa2
    fsub.d fa0, fa1, fa2, rtz
    fmul.h fa0, fa1, fa2, rup
    fdiv.s ft11, fs0, fa7, rmm
    fmadd.d fa0, fa1, fa2, fa3
    fnmsub.s fa0, fa1, fa2, fa3, rdn
    fsqrt.d fa0, fa1
    fsgnjx.h fa0, fa1, fa2
    fmax.d fa0, fa1, fa2
    feq.s a0, fa0, fa1
    flt.h a0, fa0, fa1
    fclass.d a0, fa0
    fmv.x.w a0, fa0
    fmv.d.x fa0, a0
    fcvt.w.s a0, fa0, rtz
    fcvt.lu.d a0, fa0
    fcvt.s.w fa0, a0
    fcvt.d.wu fa0, a0
    fcvt.d.w fa0, a0, rtz
    fcvt.d.s fa0, fa1
    fcvt.s.d fa0, fa1
    fcvt.h.s fa0, fa1
    fcvt.s.h fa0, fa1
  )";
  Listing listing = assemble(source);
  ASSERT_GE(listing.byAddress.size(), 120u);
  expectSameAsLlvm(listing);
}

TEST(Decoder, RandomWordsOfEveryStandardMajorOpcodeMatchLlvm) {
  // SYSTEM (privileged forms) and MISC-MEM (reserved fence fields) are covered by the directed
  // test: LLVM decodes privileged and reserved encodings OxCore does not have.
  const uint32_t majors[] = {0x03, 0x07, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37,
                             0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x57, 0x63, 0x67, 0x6f};
  std::mt19937 random(20261125);
  std::string source;
  for (int i = 0; i < 20000; ++i) {
    uint32_t word = (random() & ~0x7fu) | majors[i % std::size(majors)];
    source += ".insn 4, " + std::to_string(word) + "\n";
  }
  Listing listing = assemble(source);
  ASSERT_EQ(listing.byAddress.size(), 20000u);
  expectSameAsLlvm(listing);
}

TEST(Decoder, EveryVectorFormMatchesLlvm) {
  const char *source = R"(
    vsetvli a0, a1, e32, m1, ta, ma
    vsetvli a0, a1, e8, mf8, tu, mu
    vsetvli a0, a1, 0x7ff
    vsetivli a0, 31, e64, m2, ta, mu
    vsetvl a0, a1, a2
    vle32.v v8, (a0)
    vle32.v v8, (a0), v0.t
    vle8ff.v v8, (a0)
    vlse64.v v8, (a0), a1, v0.t
    vluxei32.v v8, (a0), v9
    vloxei64.v v8, (a0), v10, v0.t
    vlseg2e32.v v8, (a0)
    vlsseg3e16.v v8, (a0), a1
    vluxseg4ei8.v v8, (a0), v16
    vl1re32.v v8, (a0)
    vl2re8.v v8, (a0)
    vl8re64.v v8, (a0)
    vlm.v v0, (a0)
    vsm.v v0, (a0)
    vse32.v v8, (a0), v0.t
    vsse8.v v8, (a0), a1
    vsuxei16.v v8, (a0), v9
    vsoxei16.v v8, (a0), v9
    vs1r.v v8, (a0)
    vs4r.v v8, (a0)
    vsseg2e64.v v8, (a0)
    vadd.vv v8, v9, v10
    vadd.vx v8, v9, a0, v0.t
    vadd.vi v8, v9, -16
    vsll.vi v8, v9, 31
    vrsub.vi v8, v9, 15
    vmerge.vvm v8, v9, v10, v0
    vmv.v.v v8, v9
    vmv.v.x v8, a0
    vmv.v.i v8, -1
    vadc.vvm v8, v9, v10, v0
    vmadc.vvm v8, v9, v10, v0
    vmadc.vv v8, v9, v10
    vmseq.vi v0, v8, 5
    vmsgtu.vx v0, v8, a0
    vslideup.vi v8, v9, 31
    vrgather.vv v8, v9, v10
    vrgatherei16.vv v8, v9, v10
    vnsrl.wi v8, v10, 0
    vnclip.wv v8, v10, v9
    vmv1r.v v8, v9
    vmv2r.v v8, v10
    vmv8r.v v8, v16
    vredsum.vs v8, v9, v10, v0.t
    vmv.x.s a0, v8
    vmv.s.x v8, a0
    vcpop.m a0, v8, v0.t
    vfirst.m a0, v8
    vzext.vf2 v8, v9
    vsext.vf8 v8, v9
    vmsbf.m v8, v9
    viota.m v8, v9, v0.t
    vid.v v8
    vcompress.vm v8, v9, v10
    vmandn.mm v8, v9, v10
    vmnand.mm v8, v9, v9
    vmacc.vv v8, v9, v10
    vmacc.vx v8, a0, v10
    vwaddu.vv v8, v10, v11
    vwadd.wv v8, v10, v12
    vwmaccus.vx v8, a0, v10
    vslide1down.vx v8, v9, a0
    vfadd.vv v8, v9, v10
    vfadd.vf v8, v9, fa0, v0.t
    vfmacc.vf v8, fa0, v9
    vfmv.f.s fa0, v8
    vfmv.s.f v8, fa0
    vfmv.v.f v8, fa0
    vfmerge.vfm v8, v9, fa0, v0
    vfcvt.xu.f.v v8, v9
    vfcvt.rtz.x.f.v v8, v9
    vfwcvt.f.f.v v8, v10
    vfncvt.rod.f.f.w v8, v10
    vfsqrt.v v8, v9
    vfrsqrt7.v v8, v9
    vfclass.v v8, v9
    vmfeq.vf v0, v8, fa0
    vmfge.vf v0, v8, fa0
    vfredusum.vs v8, v9, v10
    vfwredosum.vs v8, v9, v10
    vfslide1up.vf v8, v9, fa0
    vfwmacc.vf v8, fa0, v10
    vsaddu.vi v8, v9, 15
    vsmul.vv v8, v9, v10
    vaadd.vx v8, v9, a0
    vfrdiv.vf v8, v9, fa0
    vwredsumu.vs v8, v9, v10
  )";
  Listing listing = assemble(source);
  ASSERT_GE(listing.byAddress.size(), 90u);
  expectSameAsLlvm(listing);
}

TEST(Decoder, RandomVectorWordsMatchLlvm) {
  // OP-V, and LOAD-FP/STORE-FP with the vector element widths (8, 16, 32, 64 bits).
  std::mt19937 random(20261130);
  const uint32_t memoryWidths[] = {0, 5, 6, 7};
  std::string source;
  for (int i = 0; i < 30000; ++i) {
    uint32_t word = random() & ~0x7fu;
    if (i % 3 == 0) {
      word |= 0x57;
    } else {
      word = (word & ~0x7000u) | memoryWidths[(i / 3) % 4] << 12;
      word |= i % 3 == 1 ? 0x07 : 0x27;
    }
    source += ".insn 4, " + std::to_string(word) + "\n";
  }
  Listing listing = assemble(source);
  ASSERT_EQ(listing.byAddress.size(), 30000u);
  expectSameAsLlvm(listing);
}

/// An `.insn` line of docs/oxcore-isa.md and the text the document gives it.
struct InsnCase {
  const char *insn;
  const char *expected;
};

/// Assembles the cases with LLVM and checks that each word decodes and prints as expected.
static void expectDisassembly(std::span<const InsnCase> cases) {
  std::string source;
  for (const InsnCase &c : cases)
    source += std::string(c.insn) + "\n";
  Listing listing = assemble(source);
  ASSERT_EQ(listing.byAddress.size(), cases.size());
  size_t i = 0;
  for (const auto &[address, entry] : listing.byAddress) {
    auto decoded = decode(entry.first);
    ASSERT_TRUE(decoded) << cases[i].insn;
    EXPECT_EQ(disassemble(*decoded, address), cases[i].expected) << cases[i].insn;
    ++i;
  }
}

TEST(Decoder, XoxAtomicsFollowTheIsaDocument) {
  // The examples of docs/oxcore-isa.md §3.6 with the text the document gives them.
  const InsnCase cases[] = {
      {".insn r 0x2b, 5, 0x00, v8, v16, v12", "ox.atom.add.w.gpu.rlx\tv8, (v16), v12, v0.t"},
      {".insn r 0x2b, 1, 0x60, v0, v16, v12", "ox.red.fadd.s.gpu.rlx\t(v16), v12, v0.t"},
      {".insn r 0x2b, 6, 0x4f, v8, v16, v12", "ox.atom.cas.d.sys.acqrel\tv8, (v16), v12, v0.t"},
      {".insn r 0x2b, 4, 0x40, v8, v16, v12", "ox.atom.exch.w.cta.rlx\tv8, (v16), v12, v0.t"},
      {".insn r 0x2b, 5, 0x50, v8, v16, v12", "ox.atom.inc.w.gpu.rlx\tv8, (v16), v12, v0.t"},
      {".insn r 0x2b, 5, 0x68, v8, v16, v12", "ox.atom.fadd.h2.gpu.rlx\tv8, (v16), v12, v0.t"},
      {".insn r 0x2b, 5, 0x14, v8, v16, v12", "ox.atom.max.d.gpu.rlx\tv8, (v16), v12, v0.t"},
  };
  expectDisassembly(cases);
  // Reserved: scope 3, op 15, a red with a destination, exch/cas without a return, a 64-bit inc.
  EXPECT_FALSE(decode(0x0000702b | 8 << 7)) << "scope 3";
  EXPECT_FALSE(decode(0xf000502b | 8 << 7)) << "op 15";
  EXPECT_FALSE(decode(0x0000102b | 8 << 7)) << "red.add with rd != 0";
  EXPECT_FALSE(decode(0x8000102b)) << "red.exch";
  EXPECT_FALSE(decode(0xa800502b | 8 << 7)) << "inc.d";
}

TEST(Decoder, XoxMmaFollowsTheIsaDocument) {
  // The .insn lines of docs/oxcore-isa.md §3.7, one per kind, with their disassembly.
  const InsnCase cases[] = {
      {".insn r 0x5b, 0, 0x04, v8, v16, v24", "ox.mma.m16n8k8.f32.f16\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x05, v8, v16, v24", "ox.mma.m16n8k16.f32.f16\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x0c, v8, v16, v24", "ox.mma.m16n8k8.f16.f16\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x0d, v8, v16, v24", "ox.mma.m16n8k16.f16.f16\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x14, v8, v16, v24", "ox.mma.m16n8k8.f32.bf16\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x15, v8, v16, v24", "ox.mma.m16n8k16.f32.bf16\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x24, v8, v16, v24", "ox.mma.m16n8k4.f32.tf32\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x25, v8, v16, v24", "ox.mma.m16n8k8.f32.tf32\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x30, v8, v16, v24", "ox.mma.m8n8k4.f64\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x34, v8, v16, v24", "ox.mma.m16n8k4.f64\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x35, v8, v16, v24", "ox.mma.m16n8k8.f64\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x40, v8, v16, v24", "ox.mma.m8n8k16.s32.s8.s8\tv8, v16, v24"},
      {".insn r 0x5b, 6, 0x44, v8, v16, v24", "ox.mma.m16n8k16.s32.u8.u8\tv8, v16, v24"},
      {".insn r 0x5b, 1, 0x45, v8, v16, v24", "ox.mma.m16n8k32.s32.s8.s8.sat\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x50, v8, v16, v24", "ox.mma.m8n8k32.s32.s4.s4\tv8, v16, v24"},
      {".insn r 0x5b, 4, 0x54, v8, v16, v24", "ox.mma.m16n8k32.s32.s4.u4\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x55, v8, v16, v24", "ox.mma.m16n8k64.s32.s4.s4\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x60, v8, v16, v24", "ox.mma.m8n8k128.s32.b1.xor\tv8, v16, v24"},
      {".insn r 0x5b, 2, 0x64, v8, v16, v24", "ox.mma.m16n8k128.s32.b1.and\tv8, v16, v24"},
      {".insn r 0x5b, 0, 0x65, v8, v16, v24", "ox.mma.m16n8k256.s32.b1.xor\tv8, v16, v24"},
  };
  expectDisassembly(cases);
  EXPECT_FALSE(decode(0x0800105b)) << "float classes take no flags";
  EXPECT_FALSE(decode(0xc000105b)) << "b1 flag bit 0 is reserved";
  EXPECT_FALSE(decode(0xe000005b)) << "class 7 (fp8) is reserved";
}

TEST(Decoder, XoxControlInstructionsFollowTheIsaDocument) {
  // The `.insn` lines of docs/oxcore-isa.md §3.1, with the mnemonic and operands they encode.
  const InsnCase cases[] = {
      {".insn r 0x0b, 0, 0x00, x0, x0, x0", "ox.exit"},
      {".insn r 0x0b, 0, 0x01, x0, t0, x0", "ox.lexit\tt0"},
      {".insn r 0x0b, 0, 0x02, x0, t0, x0", "ox.trap\tt0"},
      {".insn r 0x0b, 0, 0x03, x0, x0, x0", "ox.brkpt"},
      {".insn r 0x0b, 0, 0x04, x0, t0, x0", "ox.nanosleep\tt0"},
      {".insn r 0x0b, 0, 0x05, x0, t0, x0", "ox.wsync\tt0"},
      {".insn r 0x0b, 0, 0x08, x0, t0, t1", "ox.bar.sync\tt0, t1"},
      {".insn r 0x0b, 0, 0x09, x0, t0, t1", "ox.bar.arrive\tt0, t1"},
      {".insn r4 0x0b, 1, 0, a0, t0, t1, t2", "ox.bar.red.popc\ta0, t0, t1, t2"},
      {".insn r4 0x0b, 1, 1, a0, t0, t1, t2", "ox.bar.red.and\ta0, t0, t1, t2"},
      {".insn r4 0x0b, 1, 2, a0, t0, t1, t2", "ox.bar.red.or\ta0, t0, t1, t2"},
      {".insn r 0x0b, 0, 0x25, x0, x0, x0", "ox.fence.gpu.acqrel"},
      {".insn r 0x0b, 0, 0x20, x0, x0, x0", "ox.fence.cta.sc"},
      {".insn r 0x0b, 0, 0x2b, x0, x0, x0", "ox.fence.sys.rel"},
      {".insn r 0x0b, 0, 0x10, v4, v16, v18", "ox.printf\tv4, v16, v18, v0.t"},
      {".insn r 0x0b, 0, 0x11, v0, v16, v0", "ox.assert\tv16, v0.t"},
      {".insn r 0x0b, 0, 0x12, v4, v16, v0", "ox.malloc\tv4, v16, v0.t"},
      {".insn r 0x0b, 0, 0x13, v0, v16, v0", "ox.free\tv16, v0.t"},
  };
  expectDisassembly(cases);
  // Fields the document says must be zero make the word illegal.
  EXPECT_FALSE(decode(0x0000008b)) << "ox.exit with rd != 0";
  EXPECT_FALSE(decode(0x0c00000b)) << "custom-0 funct7 0x06 is reserved";
  EXPECT_FALSE(decode(0x0600100b)) << "bar.red funct2 3 is reserved";
  EXPECT_FALSE(decode(0x0000007b)) << "custom-3 is reserved";
}
