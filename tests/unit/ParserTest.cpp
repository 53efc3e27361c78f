// Parser: syntax of PTX ISA 9.0 into the typed AST, positions, and error recovery.
#include "TestUtil.h"

#include <bit>
#include <cstring>

using namespace oxptx::ptx;
using namespace oxptx::ptx::test;

namespace {

ParseResult parseClean(const std::string &text) {
  ParseResult r = parsePtx(text);
  EXPECT_FALSE(r.diagnostics.hasErrors()) << messages(r.diagnostics);
  return r;
}

} // namespace

TEST(Parser, ModuleHeader) {
  ParseResult r = parseClean(".version 8.7\n.target sm_90a, texmode_independent\n"
                             ".address_size 64\n");
  ASSERT_TRUE(r.module.version);
  EXPECT_EQ(r.module.version->code(), 87);
  EXPECT_EQ(r.module.targets, (std::vector<std::string>{"sm_90a", "texmode_independent"}));
  auto sm = r.module.smTarget();
  ASSERT_TRUE(sm);
  EXPECT_EQ(sm->sm, 90);
  EXPECT_TRUE(sm->archSpecific);
}

TEST(Parser, IntegerLiteralsInEveryBase) {
  ParseResult r = parseClean(kernel("mov.u32 %r1, 0x1F;\nmov.u32 %r1, 017;\n"
                                    "mov.u32 %r1, 0b101;\nmov.u32 %r1, 42U;\n"
                                    "mov.s32 %r1, -7;\nmov.u64 %rd1, 0xFFFFFFFFFFFFFFFF;"));
  uint64_t expected[] = {31, 15, 5, 42, uint64_t(-7), UINT64_MAX};
  for (size_t i = 0; i < std::size(expected); ++i) {
    const Operand &op = instruction(r.module, i).operands[1];
    EXPECT_EQ(op.kind, Operand::Kind::Integer) << i;
    EXPECT_EQ(op.bits, expected[i]) << i;
  }
}

TEST(Parser, FloatLiteralsKeepExactBits) {
  ParseResult r = parseClean(kernel("mov.f32 %f1, 0f3F800000;\nmov.f64 %fd1, 0d4000000000000000;\n"
                                    "mov.f64 %fd1, 0.5;\nmov.f32 %f1, -0f3F800000;\n"
                                    "mov.f64 %fd1, 1e3;"));
  const Operand &f32 = instruction(r.module, 0).operands[1];
  EXPECT_EQ(f32.kind, Operand::Kind::Float32);
  EXPECT_EQ(f32.bits, std::bit_cast<uint32_t>(1.0f));
  const Operand &f64 = instruction(r.module, 1).operands[1];
  EXPECT_EQ(f64.kind, Operand::Kind::Float64);
  EXPECT_EQ(f64.bits, std::bit_cast<uint64_t>(2.0));
  EXPECT_EQ(instruction(r.module, 2).operands[1].bits, std::bit_cast<uint64_t>(0.5));
  EXPECT_EQ(instruction(r.module, 3).operands[1].bits, std::bit_cast<uint32_t>(-1.0f));
  EXPECT_EQ(instruction(r.module, 4).operands[1].bits, std::bit_cast<uint64_t>(1000.0));
}

TEST(Parser, ModifiersInAnyOrderResolveToTypedFields) {
  ParseResult r = parseClean(kernel("ld.global.nc.v4.f32 {%f1, %f2, %f3, %f4}, [%rd1+16];\n"
                                    "ld.cs.global.b32 %r1, [%rd1];\n"
                                    "setp.lt.and.s32 %p1|%p2, %r1, %r2, !%p3;"));
  const Instruction &ld = instruction(r.module, 0);
  EXPECT_EQ(ld.opcode, Opcode::Ld);
  EXPECT_EQ(ld.space(), StateSpace::Global);
  EXPECT_TRUE(ld.has(Mod::NonCoherent_NC));
  EXPECT_EQ(ld.vectorWidth(), 4u);
  EXPECT_EQ(ld.types(), (llvm::SmallVector<Type, 4>{Type::F32}));
  const Operand &addr = ld.operands[1];
  EXPECT_EQ(addr.kind, Operand::Kind::Address);
  EXPECT_EQ(r.module.name(addr.name), "%rd1");
  EXPECT_EQ(addr.offset(), 16);
  EXPECT_EQ(ld.operands[0].kind, Operand::Kind::Vector);
  EXPECT_EQ(ld.operands[0].elements.size(), 4u);

  const Instruction &ldcs = instruction(r.module, 1);
  EXPECT_EQ(ldcs.mod(ModGroup::CacheOp), Mod::CacheOp_CS);
  EXPECT_EQ(ldcs.space(), StateSpace::Global);

  const Instruction &setp = instruction(r.module, 2);
  EXPECT_EQ(setp.mod(ModGroup::Compare), Mod::Compare_LT);
  EXPECT_EQ(setp.mod(ModGroup::BoolOp), Mod::BoolOp_And);
  EXPECT_EQ(setp.operands[0].kind, Operand::Kind::PredPair);
  EXPECT_TRUE(setp.operands[3].negated);
}

TEST(Parser, NegativeAddressOffsetsAndSymbolOffsets) {
  ParseResult r = parseClean(kernel("ld.global.u32 %r1, [%rd1+-4];\nld.param.u64 %rd2, [k_p0+8];"));
  EXPECT_EQ(instruction(r.module, 0).operands[1].offset(), -4);
  EXPECT_EQ(instruction(r.module, 1).operands[1].offset(), 8);
}

TEST(Parser, SpecialRegisterComponentsAndPredicatedInstructions) {
  ParseResult r = parseClean(kernel("mov.u32 %r1, %tid.x;\n@!%p1 bra $L__BB0_1;\n$L__BB0_1:\nret;"));
  const Operand &tid = instruction(r.module, 0).operands[1];
  EXPECT_EQ(r.module.name(tid.name), "%tid");
  EXPECT_EQ(r.module.name(tid.component), "x");
  const Instruction &bra = instruction(r.module, 1);
  EXPECT_EQ(r.module.name(bra.guard), "%p1");
  EXPECT_TRUE(bra.guardNegated);
}

TEST(Parser, SeveralStatementsPerLineAndInlineAsmScopes) {
  ParseResult r = parseClean(kernel(
      "{ .reg .b32 t; mov.b32 t, %r1; add.s32 %r2, t, 1; } { .reg .pred p; setp.eq.s32 p, %r1, 0; }"));
  const auto &body = *firstFunction(r.module).body;
  size_t blocks = 0;
  for (const Statement &s : body)
    blocks += std::holds_alternative<std::vector<Statement>>(s.node);
  EXPECT_EQ(blocks, 2u);
  EXPECT_EQ(instruction(r.module, 1).opcode, Opcode::Add);
}

TEST(Parser, DeclarationsWithArraysInitializersAndLinkage) {
  ParseResult r = parseClean(".version 9.0\n.target sm_80\n.address_size 64\n"
                             ".global .align 4 .u32 grid[2][3] = {{1, 2, 3}, {4, 5, 6}};\n"
                             ".extern .shared .align 16 .b8 dsmem[];\n"
                             ".global .u64 ptr = generic(grid)+8;\n"
                             ".weak .const .f32 pi = 0f40490FDB;\n");
  const auto &grid = std::get<VariableDecl>(r.module.items[0]);
  EXPECT_EQ(grid.space, StateSpace::Global);
  EXPECT_EQ(grid.type, Type::U32);
  EXPECT_EQ(grid.align, 4u);
  const Declarator &d = grid.declarators[0];
  EXPECT_EQ(d.dims, (std::vector<std::optional<uint64_t>>{2, 3}));
  ASSERT_TRUE(d.init);
  EXPECT_EQ(d.init->elements.size(), 2u);
  EXPECT_EQ(d.init->elements[1].elements[2].bits, 6u);

  const auto &dsmem = std::get<VariableDecl>(r.module.items[1]);
  EXPECT_EQ(dsmem.linkage, Linkage::Extern);
  EXPECT_EQ(dsmem.declarators[0].dims, (std::vector<std::optional<uint64_t>>{std::nullopt}));

  const auto &ptr = std::get<VariableDecl>(r.module.items[2]);
  EXPECT_EQ(ptr.declarators[0].init->kind, Initializer::Kind::Generic);
  EXPECT_EQ(ptr.declarators[0].init->bits, 8u);
  EXPECT_EQ(std::get<VariableDecl>(r.module.items[3]).linkage, Linkage::Weak);
}

TEST(Parser, FunctionsPrototypesAndCalls) {
  ParseResult r = parseClean(
      ".version 9.0\n.target sm_80\n.address_size 64\n"
      ".extern .func (.param .b32 rv) vprintf(.param .b64 fmt, .param .b64 args);\n"
      ".visible .entry k() .maxntid 128, 1, 1 .minnctapersm 2\n{\n"
      "\t.reg .b64 %rd<2>;\n"
      "\tproto: .callprototype (.param .b32 _) _ (.param .b64 _, .param .b64 _);\n"
      "\t{\n\t.param .b64 p0;\n\t.param .b64 p1;\n\t.param .b32 r0;\n"
      "\tcall.uni (r0), vprintf, (p0, p1);\n"
      "\tcall (r0), %rd1, (p0, p1), proto;\n\t}\n\tret;\n}\n");
  const auto &decl = std::get<Function>(r.module.items[0]);
  EXPECT_FALSE(decl.body);
  EXPECT_EQ(decl.linkage, Linkage::Extern);
  EXPECT_EQ(decl.returns.size(), 1u);
  EXPECT_EQ(decl.params.size(), 2u);
  const auto &k = std::get<Function>(r.module.items[1]);
  EXPECT_TRUE(k.isEntry);
  ASSERT_EQ(k.directives.size(), 2u);
  EXPECT_EQ(k.directives[0].name, "maxntid");
  EXPECT_EQ(k.directives[0].values, (std::vector<uint64_t>{128, 1, 1}));
  const Instruction &call = instruction(r.module, 0);
  EXPECT_EQ(call.opcode, Opcode::Call);
  ASSERT_EQ(call.operands.size(), 3u);
  EXPECT_EQ(call.operands[0].kind, Operand::Kind::List);
  EXPECT_EQ(instruction(r.module, 1).operands.size(), 4u);
}

TEST(Parser, DebugDirectivesAreKept) {
  ParseResult r = parseClean(".version 9.0\n.target sm_80\n.address_size 64\n"
                             ".file 1 \"/tmp/a.cu\", 1700000000, 1234\n"
                             ".visible .entry k()\n{\n.loc 1 7 3\nret;\n}\n"
                             ".section .debug_abbrev\n{\n.b8 1\n.b8 17\n}\n");
  const auto &file = std::get<FileDirective>(r.module.items[0]);
  EXPECT_EQ(file.path, "/tmp/a.cu");
  EXPECT_EQ(file.extra, (std::vector<uint64_t>{1700000000, 1234}));
  const auto &loc = std::get<LocDirective>(firstFunction(r.module).body->front().node);
  EXPECT_EQ(loc.line, 7u);
  const auto &section = std::get<Section>(r.module.items[2]);
  EXPECT_EQ(section.name, ".debug_abbrev");
  EXPECT_NE(section.contents.find(".b8 17"), std::string::npos);
}

TEST(Parser, SyntaxErrorsHavePositionsAndParsingRecovers) {
  // Two independent syntax errors in two functions: both are reported, at their positions.
  ParseResult r = parsePtx(".version 9.0\n.target sm_80\n.address_size 64\n"
                           ".entry a()\n{\n\tadd.s32 %r1, %r2 %r3;\n\tret;\n}\n"
                           ".entry b()\n{\n\tmov.u32 %r1, ;\n\tret;\n}\n");
  ASSERT_GE(r.diagnostics.errorCount(), 2u) << messages(r.diagnostics);
  const Diagnostic &first = r.diagnostics.all()[0];
  EXPECT_EQ(first.loc.line, 6u);
  EXPECT_EQ(first.loc.column, 19u); // the tab is one column
  EXPECT_NE(first.message.find("syntax error"), std::string::npos) << first.message;
  bool secondReported = false;
  for (const Diagnostic &d : r.diagnostics.all())
    secondReported |= d.loc.line == 11;
  EXPECT_TRUE(secondReported) << messages(r.diagnostics);
}

TEST(Parser, UnknownInstructionAndModifierAreReportedAtTheirColumns) {
  ParseResult r = parsePtx(kernel("\tfrobnicate.u32 %r1, %r2;\n\tadd.foo.s32 %r1, %r2, %r3;\n"
                                  "\tld.rn.global.u32 %r1, [%rd1];"));
  ASSERT_EQ(r.diagnostics.errorCount(), 3u) << messages(r.diagnostics);
  const auto &d = r.diagnostics.all();
  EXPECT_EQ(d[0].loc.line, kKernelBodyLine);
  EXPECT_EQ(d[0].loc.column, 2u);
  EXPECT_NE(d[0].message.find("unknown instruction 'frobnicate'"), std::string::npos);
  EXPECT_EQ(d[1].loc.column, 5u); // the '.foo'
  EXPECT_NE(d[1].message.find("unknown modifier '.foo'"), std::string::npos);
  EXPECT_NE(d[2].message.find("not allowed on 'ld'"), std::string::npos);
}

TEST(Parser, ChunkedParsingBuildsTheSameModule) {
  std::string text = ".version 9.0\n.target sm_80\n.address_size 64\n";
  for (int i = 0; i < 40; ++i)
    text += ".visible .entry k" + std::to_string(i) +
            "(.param .u64 p)\n{\n\t.reg .b32 %r<3>;\n\tadd.s32 %r1, %r2, " + std::to_string(i) +
            ";\n\tret;\n}\n";
  ParseResult whole = parsePtx(text);
  ParseResult chunked = parsePtx(text, ParseOptions{256});
  EXPECT_FALSE(chunked.diagnostics.hasErrors()) << messages(chunked.diagnostics);
  EXPECT_EQ(chunked.module.items.size(), 40u);
  EXPECT_TRUE(whole.module == chunked.module);
  // Positions in later chunks still refer to the whole file.
  const auto &last = std::get<Function>(chunked.module.items.back());
  EXPECT_EQ(last.loc.line, 4u + 39u * 6u);
}

TEST(Parser, MalformedUtf8IsReportedPerByteNotAsAnInternalError) {
  // structurally well-formed sequences that are not UTF-8: overlong (E0 92 90, C0 AF, F0 8F ..),
  // a surrogate (ED A0 80), past U+10FFFF (F4 90 .., F5 ..); the fuzzer found the first
  for (const char *bad : {"\xE0\x92\x90", "\xC0\xAF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80"}) {
    std::string text = kernel(std::string(bad) + ".u32 %r1, 1;");
    for (bool fastPath : {true, false}) {
      ParseOptions options;
      options.fastPath = fastPath;
      ParseResult r = parseAndCheckPtx(text, options);
      std::string rendered = renderDiagnostics(r.diagnostics, "t", text);
      EXPECT_NE(rendered.find("invalid byte"), std::string::npos) << rendered;
      EXPECT_EQ(rendered.find("internal error"), std::string::npos) << rendered;
    }
  }
}

TEST(Parser, GarbageNeverCrashes) {
  const char *inputs[] = {"", "}", "{{{{", ".version", ".entry", "@", "\"unterminated",
                          "/* unterminated comment", "\x01\x02\xff", ".version 9.0 .target",
                          ".entry k() { ld.global [ }", ".global .u32 a[99999999999999999999];"};
  for (const char *input : inputs)
    EXPECT_TRUE(parseAndCheckPtx(input).diagnostics.hasErrors()) << input;
}
