// Linking PTX translation units (relocatable device code).
#include "driver_shim/PtxLink.h"
#include "ptx_parser/Parser.h"

#include <gtest/gtest.h>

using namespace oxptx::shim;

namespace {

const char *kMain = R"(.version 8.0
.target sm_75
.address_size 64
.extern .func (.param .b32 func_retval0) twice(.param .b32 twice_param_0);
.extern .global .align 4 .u32 counter;
.global .align 1 .b8 $str[5] = {109, 97, 105, 110, 0};
.visible .entry k(.param .u64 k_param_0)
{
.reg .b32 %r<3>;
.reg .b64 %rd<3>;
ld.param.u64 %rd1, [k_param_0];
mov.u32 %r1, 4;
{
.param .b32 param0;
st.param.b32 [param0], %r1;
.param .b32 retval0;
call.uni (retval0), twice, (param0);
ld.param.b32 %r2, [retval0];
}
st.global.u32 [%rd1], %r2;
mov.u64 %rd2, $str;
st.global.u32 [counter], %r2;
ret;
}
)";

const char *kLibrary = R"(.version 8.4
.target sm_75
.address_size 64
.visible .global .align 4 .u32 counter;
.global .align 1 .b8 $str[4] = {108, 105, 98, 0};
.visible .func (.param .b32 func_retval0) twice(.param .b32 twice_param_0)
{
.reg .b32 %r<3>;
.reg .b64 %rd<2>;
ld.param.u32 %r1, [twice_param_0];
add.s32 %r2, %r1, %r1;
mov.u64 %rd1, $str;
st.param.b32 [func_retval0], %r2;
ret;
}
)";

} // namespace

TEST(PtxLink, OneModuleWithTheNewestVersionAndNoDuplicateSymbols) {
  auto linked = linkPtx({kMain, kLibrary});
  ASSERT_TRUE(std::holds_alternative<std::string>(linked)) << std::get<LinkError>(linked).message;
  const std::string &text = std::get<std::string>(linked);
  EXPECT_EQ(text.find(".version 8.4"), 0u);
  EXPECT_EQ(text.find(".version", 1), std::string::npos);
  EXPECT_EQ(text.find(".extern"), std::string::npos); // both declarations are defined by the library
  EXPECT_NE(text.find("$str_oxm1"), std::string::npos); // the library's internal string, renamed
  auto parsed = oxptx::ptx::parseAndCheckPtx(text);
  EXPECT_FALSE(parsed.diagnostics.hasErrors()) << text;
}

TEST(PtxLink, UndefinedExternalsStayDeclaredOnce) {
  std::string printfUser = std::string(".version 8.0\n.target sm_75\n.address_size 64\n") +
                           ".extern .func (.param .b32 func_retval0) vprintf(.param .b64 a, .param .b64 b);\n";
  auto linked = linkPtx({printfUser, printfUser.substr(0, printfUser.size())});
  ASSERT_TRUE(std::holds_alternative<std::string>(linked));
  const std::string &text = std::get<std::string>(linked);
  EXPECT_NE(text.find("vprintf"), std::string::npos);
  EXPECT_EQ(text.find("vprintf", text.find("vprintf") + 1), std::string::npos);
}

TEST(PtxLink, ASymbolDefinedTwiceIsAnError) {
  auto linked = linkPtx({kLibrary, kLibrary});
  ASSERT_TRUE(std::holds_alternative<LinkError>(linked));
  EXPECT_NE(std::get<LinkError>(linked).message.find("defined in PTX module 1 and in module 2"), std::string::npos);
}
