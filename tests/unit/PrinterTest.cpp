// Printer: AST → PTX text that re-parses to an equal AST.
#include "ptx_parser/Printer.h"

#include "TestUtil.h"

using namespace oxptx::ptx;
using namespace oxptx::ptx::test;

TEST(Printer, InstructionKeepsModifierOrderAndExactFloats) {
  ParseResult r = parsePtx(kernel("@!%p1 ld.global.nc.v2.f32 {%f1, _}, [%rd1+-8];\n"
                                  "mov.f32 %f2, 0f3DCCCCCD;\nsetp.ne.or.s32 %p1|%p2, %r1, 3, %p3;"));
  ASSERT_FALSE(r.diagnostics.hasErrors()) << messages(r.diagnostics);
  EXPECT_EQ(printInstruction(r.module, instruction(r.module, 0)),
            "@!%p1 ld.global.nc.v2.f32 {%f1, _}, [%rd1+-8];");
  EXPECT_EQ(printInstruction(r.module, instruction(r.module, 1)), "mov.f32 %f2, 0f3DCCCCCD;");
  EXPECT_EQ(printInstruction(r.module, instruction(r.module, 2)),
            "setp.ne.or.s32 %p1|%p2, %r1, 3, %p3;");
}

TEST(Printer, ModuleRoundTripsToAnEqualAst) {
  std::string text = ".version 9.0\n.target sm_90a\n.address_size 64\n"
                     ".global .align 8 .b8 table[2][2] = {{1, 2}, {3, 4}};\n"
                     ".global .u64 p = generic(table)+1;\n"
                     ".extern .shared .align 16 .b8 dsmem[];\n"
                     ".func (.param .b32 r) f(.param .b32 a)\n{\n.reg .b32 %r<2>;\n"
                     "ld.param.b32 %r0, [a];\nst.param.b32 [r], %r0;\nret;\n}\n" +
                     kernel("{ .reg .b32 t; mov.b32 t, %tid.y; }\nL: bra.uni L;")
                         .substr(std::string(".version 9.0\n.target sm_90\n.address_size 64\n")
                                     .size());
  ParseResult first = parseAndCheckPtx(text);
  ASSERT_FALSE(first.diagnostics.hasErrors()) << messages(first.diagnostics);
  std::string printed = printModule(first.module);
  ParseResult second = parseAndCheckPtx(printed);
  ASSERT_FALSE(second.diagnostics.hasErrors()) << messages(second.diagnostics) << printed;
  EXPECT_TRUE(first.module == second.module) << printed;
  EXPECT_EQ(printModule(second.module), printed);
}
