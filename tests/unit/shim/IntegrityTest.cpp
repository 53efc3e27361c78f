// cudart's integrity handshake (../shared/reference/cuda-driver-interface.md §4).
#include "driver_shim/Integrity.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nettle/md2.h>

using namespace oxptx::shim;

namespace {

Md2Digest md2Of(std::span<const uint8_t> a, std::span<const uint8_t> b = {}) {
  md2_ctx ctx;
  md2_init(&ctx);
  md2_update(&ctx, a.size(), a.data());
  md2_update(&ctx, b.size(), b.data());
  Md2Digest d;
  md2_digest(&ctx, d.size(), d.data());
  return d;
}

IntegrityInputs sampleInputs(uint32_t version) {
  static int runtimeTable, integrityTable, function;
  IntegrityInputs in{13000, version, 4242, 0xdeadbeef, &runtimeTable, &integrityTable, &function, 1795612201, {}};
  in.devices.push_back({{'O', 'x'}, 0, 0x0a, 0});
  return in;
}

} // namespace

TEST(Integrity, Md2KnownAnswers) { // RFC 1319 appendix A.5
  const char *abc = "abc";
  Md2Digest d = md2Of({reinterpret_cast<const uint8_t *>(abc), 3});
  const uint8_t expected[16] = {0xda, 0x85, 0x3b, 0x0d, 0x3f, 0x88, 0xd9, 0x9b,
                                0x30, 0x28, 0x3a, 0x69, 0xe6, 0xde, 0xd6, 0xbb};
  EXPECT_EQ(std::memcmp(d.data(), expected, 16), 0);
}

TEST(Integrity, HmacFollowsRfc2104WithMd2sBlockOf16) {
  std::vector<uint8_t> key(16), message(70);
  for (size_t i = 0; i < key.size(); ++i)
    key[i] = uint8_t(i * 7 + 1);
  for (size_t i = 0; i < message.size(); ++i)
    message[i] = uint8_t(i ^ 0x5a);
  std::vector<uint8_t> inner(16), outer(16);
  for (size_t i = 0; i < 16; ++i) {
    inner[i] = key[i] ^ 0x36;
    outer[i] = key[i] ^ 0x5c;
  }
  Md2Digest innerDigest = md2Of(inner, message);
  Md2Digest expected = md2Of(outer, innerDigest);
  EXPECT_EQ(hmacMd2(key, message), expected);
}

TEST(Integrity, MessageIsTheRecordThenOneEntryPerDevice) {
  IntegrityInputs in = sampleInputs(13002);
  std::vector<uint8_t> m = integrityMessage(in);
  ASSERT_EQ(m.size(), 48u + 28u); // the reference says 40, but its own field list (and cudart) make 48
  uint32_t words[4];
  std::memcpy(words, m.data(), 16);
  EXPECT_EQ(words[0], 13000u);
  EXPECT_EQ(words[1], 13002u);
  EXPECT_EQ(words[2], 4242u);
  EXPECT_EQ(words[3], 0xdeadbeefu);
  const void *pointers[3];
  std::memcpy(pointers, m.data() + 16, 24);
  EXPECT_EQ(pointers[0], in.runtimeTable);
  EXPECT_EQ(pointers[2], in.integrityFunction);
  uint64_t seconds;
  std::memcpy(&seconds, m.data() + 40, 8);
  EXPECT_EQ(seconds, 1795612201u);
  EXPECT_EQ(m[48], 'O');
  int32_t bus;
  std::memcpy(&bus, m.data() + 48 + 16 + 4, 4);
  EXPECT_EQ(bus, 0x0a);
}

TEST(Integrity, FixedAnswersForVersionsEndingInZeroAndOne) {
  EXPECT_EQ(integrityAnswer(sampleInputs(13000)), (std::array<uint64_t, 2>{0x3341181C03CB675Cull, 0x8ED383AA1F4CD1E8ull}));
  EXPECT_EQ(integrityAnswer(sampleInputs(13001)), (std::array<uint64_t, 2>{0x1841181C03CB675Cull, 0x8ED383AA1F4CD1E8ull}));
}

TEST(Integrity, OtherVersionsHashEveryInput) {
  IntegrityInputs in = sampleInputs(13002);
  auto base = integrityAnswer(in);
  EXPECT_NE(base, integrityAnswer(sampleInputs(13000)));
  IntegrityInputs otherThread = in;
  otherThread.threadId ^= 1;
  EXPECT_NE(integrityAnswer(otherThread), base);
  IntegrityInputs otherBus = in;
  otherBus.devices[0].pciBus = 1;
  EXPECT_NE(integrityAnswer(otherBus), base);
  EXPECT_EQ(integrityAnswer(in), base);
}
