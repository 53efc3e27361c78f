// The instruction table (Instructions.def / Modifiers.def) is data: these tests check that it
// is well formed and that lookups resolve the way the PTX ISA manual reads.
#include "ptx_parser/Instructions.h"

#include <gtest/gtest.h>

#include <set>

using namespace oxptx::ptx;

TEST(InstructionTable, EveryRowBuildsAndNamesAreUnique) {
  std::set<std::string_view> names;
  for (const InstructionSpec &spec : allInstructionSpecs()) {
    EXPECT_TRUE(names.insert(spec.name).second) << "duplicate opcode " << spec.name;
    EXPECT_LE(spec.minTypes, spec.maxTypes) << spec.name;
    EXPECT_EQ(spec.maxTypes > 0, !spec.allowedTypes.empty()) << spec.name;
    EXPECT_GE(spec.minPtx, 10) << spec.name << " has no minimum PTX version";
    size_t index = size_t(&spec - allInstructionSpecs().data());
    EXPECT_EQ(size_t(spec.opcode), index) << spec.name;
  }
  EXPECT_GT(names.size(), 150u);
}

TEST(InstructionTable, LongestOpcodePrefixWins) {
  struct Case {
    std::string_view text;
    Opcode opcode;
    size_t matched;
  } cases[] = {
      {"ld.global.nc.v4.f32", Opcode::Ld, 2},
      {"cp.async.wait_group", Opcode::CpAsyncWaitGroup, 19},
      {"cp.async.ca.shared.global", Opcode::CpAsync, 8},
      {"bar.warp.sync", Opcode::BarWarpSync, 13},
      {"bar.sync", Opcode::BarSync, 8},
      {"mbarrier.try_wait.parity.shared::cta.b64", Opcode::MbarrierTryWait, 17},
      {"ret", Opcode::Ret, 3},
      {"cvt.pack.sat.s8.s32.b32", Opcode::CvtPack, 8},
  };
  for (const Case &c : cases) {
    size_t matched = 0;
    EXPECT_EQ(lookupOpcode(c.text, matched), c.opcode) << c.text;
    EXPECT_EQ(matched, c.matched) << c.text;
  }
  size_t matched = 0;
  EXPECT_EQ(lookupOpcode("frobnicate.u32", matched), Opcode::Invalid);
}

TEST(InstructionTable, SpellingResolvesToTheGroupTheInstructionTakes) {
  // `.lo` is a multiply mode on mul and an unsigned comparison on setp.
  auto onMul = lookupModifier(instructionSpec(Opcode::Mul), "lo");
  ASSERT_EQ(onMul.status, ModifierLookup::Status::Ok);
  EXPECT_EQ(onMul.modifier.group, ModGroup::MulMode);
  auto onSetp = lookupModifier(instructionSpec(Opcode::Setp), "lo");
  ASSERT_EQ(onSetp.status, ModifierLookup::Status::Ok);
  EXPECT_EQ(onSetp.modifier.group, ModGroup::Compare);
  EXPECT_EQ(Mod(onSetp.modifier.value), Mod::Compare_LO);
}

TEST(InstructionTable, UnknownAndMisplacedModifiersAreDistinguished) {
  EXPECT_EQ(lookupModifier(instructionSpec(Opcode::Add), "foo").status,
            ModifierLookup::Status::Unknown);
  EXPECT_EQ(lookupModifier(instructionSpec(Opcode::Ld), "rn").status,
            ModifierLookup::Status::NotAllowed);
  EXPECT_EQ(lookupModifier(instructionSpec(Opcode::Ld), "L2::128B").status,
            ModifierLookup::Status::Ok);
}

TEST(InstructionTable, MatrixShapesRoundTripThroughTheirPackedForm) {
  for (std::string_view text : {"m16n8k16", "m8n8k4", "m64n256k16", "m8n8", "m16n16k8"}) {
    auto shape = Shape::parse(text);
    ASSERT_TRUE(shape) << text;
    EXPECT_EQ(Shape::unpack(shape->pack()), *shape) << text;
    EXPECT_EQ(shape->spelling(), text);
  }
  EXPECT_FALSE(Shape::parse("m7n8k16"));
  EXPECT_FALSE(Shape::parse("m16n8k3"));
  EXPECT_FALSE(Shape::parse("mxn8"));
}

TEST(InstructionTable, OperandShapesCountOptionalAndRepeatedOperands) {
  const InstructionSpec &setp = instructionSpec(Opcode::Setp);
  EXPECT_EQ(setp.minOperands(), 3u);
  EXPECT_EQ(setp.maxOperands(), 4u);
  EXPECT_EQ(instructionSpec(Opcode::Call).maxOperands(), UINT32_MAX);
  const InstructionSpec &mul = instructionSpec(Opcode::Mul);
  EXPECT_EQ(mul.operands[0].typeRef, OperandSpec::TypeRef::Wide);
}

TEST(SpecialRegisters, FixedNamesAndNumberedFamilies) {
  auto tid = lookupSpecialRegister("%tid");
  ASSERT_TRUE(tid);
  EXPECT_TRUE(tid->vector);
  EXPECT_EQ(lookupSpecialRegister("%clock64")->type, Type::U64);
  EXPECT_TRUE(lookupSpecialRegister("%envreg31"));
  EXPECT_FALSE(lookupSpecialRegister("%envreg32"));
  EXPECT_FALSE(lookupSpecialRegister("%envreg01"));
  EXPECT_FALSE(lookupSpecialRegister("%tidx"));
}
