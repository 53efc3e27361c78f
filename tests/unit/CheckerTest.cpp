// Semantic checker: names, instruction shapes, operand types and ISA version/target limits.
#include "TestUtil.h"

using namespace oxptx::ptx;
using namespace oxptx::ptx::test;

namespace {

/// Diagnostics of `body` checked inside `kernel()`.
DiagnosticList check(const std::string &body, const std::string &version = "9.0",
                     const std::string &target = "sm_90") {
  return parseAndCheckPtx(kernel(body, version, target)).diagnostics;
}

void expectOneError(const DiagnosticList &diags, const std::string &phrase, uint32_t line,
                    uint32_t column = 0) {
  ASSERT_EQ(diags.errorCount(), 1u) << messages(diags);
  const Diagnostic &d = diags.all()[0];
  EXPECT_NE(d.message.find(phrase), std::string::npos) << d.message;
  EXPECT_EQ(d.loc.line, line) << d.message;
  if (column) {
    EXPECT_EQ(d.loc.column, column) << d.message;
  }
}

} // namespace

TEST(Checker, WellFormedKernelHasNoDiagnostics) {
  DiagnosticList d = check("ld.param.u64 %rd1, [k_p0];\ncvta.to.global.u64 %rd2, %rd1;\n"
                           "mov.u32 %r1, %tid.x;\nmul.wide.u32 %rd3, %r1, 4;\n"
                           "add.s64 %rd4, %rd2, %rd3;\nld.global.f32 %f1, [%rd4];\n"
                           "add.f32 %f1, %f1, 0f3F800000;\nst.global.f32 [%rd4], %f1;\nret;");
  EXPECT_TRUE(d.empty()) << messages(d);
}

TEST(Checker, UndeclaredRegisterAndLabel) {
  expectOneError(check("add.s32 %r1, %r2, %q9;"), "undeclared identifier '%q9'", kKernelBodyLine,
                 19);
  expectOneError(check("bra MISSING;"), "undeclared identifier 'MISSING'", kKernelBodyLine);
  // %r<16> declares %r0..%r15 only.
  expectOneError(check("mov.u32 %r16, 0;"), "undeclared identifier '%r16'", kKernelBodyLine);
}

TEST(Checker, RedeclarationInOneScopeButShadowingInNestedScopes) {
  expectOneError(check(".reg .b32 x;\n.reg .b32 x;"), "'x' redeclared", kKernelBodyLine + 1);
  EXPECT_TRUE(check(".reg .b32 x;\n{ .reg .b32 x; mov.b32 x, 1; }").empty());
  expectOneError(check("L1:\nL1:\nret;"), "label 'L1' redeclared", kKernelBodyLine + 1);
}

TEST(Checker, OperandCountAndKinds) {
  expectOneError(check("add.s32 %r1, %r2;"), "wrong operand count", kKernelBodyLine);
  expectOneError(check("add.s32 5, %r2, %r3;"), "must be a register", kKernelBodyLine);
  expectOneError(check("ld.global.u32 %r1, %rd1;"), "must be an address", kKernelBodyLine);
}

TEST(Checker, OperandTypesFollowPtxRules) {
  // .b32 and .u32 registers are fine for s32; a 64-bit float is not.
  EXPECT_TRUE(check("add.s32 %r1, %r2, %r3;").empty());
  expectOneError(check("add.s32 %r1, %fd1, %r3;"), "type mismatch", kKernelBodyLine, 14);
  // mul.wide.s32 writes a 64-bit result.
  EXPECT_TRUE(check("mul.wide.s32 %rd1, %r1, %r2;").empty());
  expectOneError(check("mul.wide.s32 %r1, %r1, %r2;"), "type mismatch", kKernelBodyLine);
  // ld may load into a wider register, never a narrower one.
  EXPECT_TRUE(check("ld.global.u8 %r1, [%rd1];").empty());
  expectOneError(check("ld.global.u64 %r1, [%rd1];"), "type mismatch", kKernelBodyLine);
  // Predicates where predicates belong.
  expectOneError(check("selp.b32 %r1, %r2, %r3, %r4;"), ".pred", kKernelBodyLine);
}

TEST(Checker, TypeModifiersMustBeAllowed) {
  expectOneError(check("popc.f32 %r1, %r2;"), "type '.f32' is not allowed on 'popc'",
                 kKernelBodyLine);
  expectOneError(check("add %r1, %r2, %r3;"), "needs a type", kKernelBodyLine);
}

TEST(Checker, FeaturesAboveTheDeclaredVersionOrTarget) {
  expectOneError(check("redux.sync.add.s32 %r1, %r2, -1;", "6.0", "sm_90"), "requires PTX ISA 7.0",
                 kKernelBodyLine);
  expectOneError(check("redux.sync.add.s32 %r1, %r2, -1;", "9.0", "sm_75"),
                 "requires sm_80 or later", kKernelBodyLine);
  expectOneError(check("wgmma.fence.sync.aligned;", "9.0", "sm_90"),
                 "architecture-specific target sm_90a", kKernelBodyLine);
  EXPECT_TRUE(check("wgmma.fence.sync.aligned;", "9.0", "sm_90a").empty());
  expectOneError(check("mov.u32 %r1, %cluster_ctarank;", "9.0", "sm_80"), "requires sm_90",
                 kKernelBodyLine);
}

TEST(Checker, ModuleHeaderIsRequired) {
  DiagnosticList d = parseAndCheckPtx(".entry k()\n{\nret;\n}\n").diagnostics;
  EXPECT_NE(messages(d).find("missing .version"), std::string::npos) << messages(d);
  DiagnosticList newer = parseAndCheckPtx(".version 9.9\n.target sm_90\n").diagnostics;
  EXPECT_NE(messages(newer).find("newer than 9.0"), std::string::npos) << messages(newer);
}

TEST(Checker, AllErrorsInAFileAreReported) {
  DiagnosticList d = check("add.s32 %r1, %r2, %zz;\nmov.u32 %r1;\npopc.f64 %r1, %r2;");
  EXPECT_EQ(d.errorCount(), 3u) << messages(d);
}
