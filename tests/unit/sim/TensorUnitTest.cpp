// ox.mma against a CPU matrix multiply: random A, B, C are packed into register fragments with
// the layout formulas of docs/oxcore-isa.md §3.7 (written out again here), the instruction runs,
// and D is unpacked and compared with the reference, for every kind and flag combination.
#include "sim/Executor.h"
#include "sim/TensorUnit.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <random>

using namespace oxptx::sim;

namespace {

struct Shape {
  uint32_t funct7;
  unsigned cls, m, n, k, aRegs, bRegs, cdRegs;
  bool acc16;
};
// The table of §3.7.
constexpr Shape kShapes[] = {
    {0x04, 0, 16, 8, 8, 2, 1, 4, false},   {0x05, 0, 16, 8, 16, 4, 2, 4, false},
    {0x0c, 0, 16, 8, 8, 2, 1, 2, true},    {0x0d, 0, 16, 8, 16, 4, 2, 2, true},
    {0x14, 1, 16, 8, 8, 2, 1, 4, false},   {0x15, 1, 16, 8, 16, 4, 2, 4, false},
    {0x24, 2, 16, 8, 4, 2, 1, 4, false},   {0x25, 2, 16, 8, 8, 4, 2, 4, false},
    {0x30, 3, 8, 8, 4, 2, 2, 4, false},    {0x34, 3, 16, 8, 4, 4, 2, 8, false},
    {0x35, 3, 16, 8, 8, 8, 4, 8, false},   {0x40, 4, 8, 8, 16, 1, 1, 2, false},
    {0x44, 4, 16, 8, 16, 2, 1, 4, false},  {0x45, 4, 16, 8, 32, 4, 2, 4, false},
    {0x50, 5, 8, 8, 32, 1, 1, 2, false},   {0x54, 5, 16, 8, 32, 2, 1, 4, false},
    {0x55, 5, 16, 8, 64, 4, 2, 4, false},  {0x60, 6, 8, 8, 128, 1, 1, 2, false},
    {0x64, 6, 16, 8, 128, 2, 1, 4, false}, {0x65, 6, 16, 8, 256, 4, 2, 4, false},
};
constexpr unsigned kBits[] = {16, 16, 32, 64, 8, 4, 1};

float inputToFloat(unsigned cls, uint64_t raw) {
  switch (cls) {
  case 0: return float(std::bit_cast<_Float16>(uint16_t(raw)));
  case 1: return std::bit_cast<float>(uint32_t(raw) << 16);
  default: return std::bit_cast<float>(uint32_t(raw) & ~0x1fffu);
  }
}

class MmaTest : public ::testing::TestWithParam<Shape> {};

TEST_P(MmaTest, MatchesTheCpuReference) {
  const Shape s = GetParam();
  const unsigned M = s.m, N = s.n, K = s.k, bits = kBits[s.cls];
  const bool f64 = s.cls == 3, integer = s.cls >= 4;
  const unsigned e = f64 ? 1 : 32 / bits;
  std::mt19937_64 random(s.funct7);
  // Integer classes try all flag combinations; b1 both operations; floats none.
  std::vector<unsigned> flagSets = integer && s.cls != 6 ? std::vector<unsigned>{0, 1, 2, 4, 6, 7}
                                   : s.cls == 6        ? std::vector<unsigned>{0, 2}
                                                       : std::vector<unsigned>{0};
  for (unsigned flags : flagSets) {
    for (int round = 0; round < 4; ++round) {
      std::vector<uint64_t> a(M * K), b(K * N), c(M * N);
      auto randomInput = [&]() -> uint64_t {
        uint64_t r = random();
        switch (s.cls) {
        case 0: return 0x3000 | (r & 0x0fff) | (r >> 20 & 1) << 15;   // f16 in [2^-3, 2), signed
        case 1: return 0x3e00 | (r & 0x01ff) | (r >> 20 & 1) << 15;   // bf16
        case 2: return 0x3e000000 | (r & 0x01ffffff) | (r >> 40 & 1) << 31; // tf32 (low bits set)
        case 3: return std::bit_cast<uint64_t>(double(int64_t(r % 2001) - 1000) / 64.0 + 1e-9 * double(r >> 50));
        default: return r & ((uint64_t(1) << bits) - 1);
        }
      };
      for (auto &v : a) v = randomInput();
      for (auto &v : b) v = randomInput();
      for (auto &v : c) {
        uint64_t r = random();
        v = f64 ? std::bit_cast<uint64_t>(double(int64_t(r % 100) - 50))
            : s.acc16 ? std::bit_cast<uint16_t>(_Float16(float(int(r % 64) - 32) / 8.0f))
            : integer ? uint32_t(round == 3 ? (r & 1 ? 0x7ffffff0u : 0x80000010u) : uint32_t(r % 20001) - 10000)
                      : std::bit_cast<uint32_t>(float(int(r % 64) - 32) / 8.0f);
      }

      // Pack per the layout of §3.7: D at v8, A at v16, B at v24.
      Hart hart;
      uint8_t *regs = hart.vector.v.data();
      auto setWord = [&](unsigned reg, unsigned lane, unsigned j, uint64_t value) {
        if (f64) {
          std::memcpy(regs + reg * kVlenBytes + lane * 8, &value, 8);
          return;
        }
        uint32_t word;
        std::memcpy(&word, regs + reg * kVlenBytes + lane * 4, 4);
        uint32_t mask = bits == 32 ? ~0u : ((1u << bits) - 1) << (bits * j);
        word = (word & ~mask) | (uint32_t(value) << (bits * j) & mask);
        std::memcpy(regs + reg * kVlenBytes + lane * 4, &word, 4);
      };
      unsigned stepA = f64 ? 2 : 1;
      for (unsigned l = 0; l < 32; ++l) {
        unsigned g = l >> 2, t = l & 3;
        for (unsigned r = 0; r < s.aRegs / stepA; ++r)
          for (unsigned j = 0; j < e; ++j) {
            unsigned row = M == 16 ? g + 8 * (r & 1) : g;
            unsigned col = t * e + j + (M == 16 ? 4 * e * (r >> 1) : 0);
            setWord(16 + stepA * r, l, j, a[row * K + col]);
          }
        for (unsigned r = 0; r < std::max(1u, s.bRegs / stepA); ++r)
          for (unsigned j = 0; j < e; ++j)
            setWord(24 + stepA * r, l, j, b[(t * e + j + 4 * e * r) * N + g]);
        for (unsigned i = 0; i < M * N / 32; ++i) {
          unsigned position = (g + 8 * (i >> 1)) * N + 2 * t + (i & 1);
          if (f64)
            setWord(8 + 2 * i, l, 0, c[position]);
          else if (s.acc16) {
            uint32_t word;
            std::memcpy(&word, regs + (8 + i / 2) * kVlenBytes + l * 4, 4);
            word = (word & ~(0xffffu << 16 * (i & 1))) | uint32_t(c[position]) << 16 * (i & 1);
            std::memcpy(regs + (8 + i / 2) * kVlenBytes + l * 4, &word, 4);
          } else {
            uint32_t word = uint32_t(c[position]);
            std::memcpy(regs + (8 + i) * kVlenBytes + l * 4, &word, 4);
          }
        }
      }
      uint32_t instruction = 0x5b | 8 << 7 | flags << 12 | 16 << 15 | 24 << 20 | s.funct7 << 25;
      auto decoded = decode(instruction);
      ASSERT_TRUE(decoded) << std::hex << instruction;
      ASSERT_FALSE(executeMma(hart, *decoded));

      // Compare each output with the reference.
      for (unsigned l = 0; l < 32; ++l) {
        unsigned g = l >> 2, t = l & 3;
        for (unsigned i = 0; i < M * N / 32; ++i) {
          unsigned row = g + 8 * (i >> 1), col = 2 * t + (i & 1), position = row * N + col;
          uint64_t actual = 0, expected = 0;
          if (f64) {
            std::memcpy(&actual, regs + (8 + 2 * i) * kVlenBytes + l * 8, 8);
            double acc = std::bit_cast<double>(c[position]);
            for (unsigned k = 0; k < K; ++k)
              acc = std::fma(std::bit_cast<double>(a[row * K + k]), std::bit_cast<double>(b[k * N + col]), acc);
            expected = std::bit_cast<uint64_t>(acc);
          } else if (integer) {
            uint32_t word;
            std::memcpy(&word, regs + (8 + i) * kVlenBytes + l * 4, 4);
            actual = word;
            auto value = [&](uint64_t raw, bool isUnsigned) {
              return s.cls == 6 || isUnsigned ? int64_t(raw) : int64_t(raw << (64 - bits)) >> (64 - bits);
            };
            int64_t acc = int32_t(uint32_t(c[position]));
            for (unsigned k = 0; k < K; ++k)
              acc += s.cls == 6 ? int64_t(flags & 2 ? (a[row * K + k] & b[k * N + col])
                                                    : (a[row * K + k] ^ b[k * N + col]))
                                : value(a[row * K + k], flags & 2) * value(b[k * N + col], flags & 4);
            if ((flags & 1) && s.cls != 6)
              acc = std::min<int64_t>(std::max<int64_t>(acc, INT32_MIN), INT32_MAX);
            expected = uint32_t(acc);
          } else {
            float acc = s.acc16 ? float(std::bit_cast<_Float16>(uint16_t(c[position])))
                                : std::bit_cast<float>(uint32_t(c[position]));
            for (unsigned k = 0; k < K; ++k)
              acc = std::fma(inputToFloat(s.cls, a[row * K + k]), inputToFloat(s.cls, b[k * N + col]), acc);
            uint32_t word;
            std::memcpy(&word, regs + (8 + (s.acc16 ? i / 2 : i)) * kVlenBytes + l * 4, 4);
            if (s.acc16) {
              actual = word >> 16 * (i & 1) & 0xffff;
              expected = std::bit_cast<uint16_t>(_Float16(acc));
            } else {
              actual = word;
              expected = std::bit_cast<uint32_t>(acc);
            }
          }
          ASSERT_EQ(actual, expected) << "funct7 0x" << std::hex << s.funct7 << " flags " << flags
                                      << std::dec << " D[" << row << "][" << col << "]";
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryKind, MmaTest, ::testing::ValuesIn(kShapes),
                         [](const ::testing::TestParamInfo<Shape> &info) {
                           char name[16];
                           std::snprintf(name, sizeof name, "f7_0x%02x", info.param.funct7);
                           return std::string(name);
                         });

TEST(Mma, OverlappingOrMisalignedGroupsAreIllegal) {
  Hart hart;
  auto run = [&](unsigned vd, unsigned vs1, unsigned vs2) {
    uint32_t word = 0x5b | vd << 7 | vs1 << 15 | vs2 << 20 | 0x05u << 25; // m16n8k16 f32.f16
    return executeMma(hart, *decode(word));
  };
  EXPECT_FALSE(run(8, 16, 24));
  EXPECT_TRUE(run(8, 10, 24)) << "A v10:v13 is not aligned to its 4 registers";
  EXPECT_TRUE(run(8, 16, 9)) << "B, a group of 2, on an odd register";
  EXPECT_TRUE(run(8, 8, 24)) << "D and A overlap";
  EXPECT_FALSE(run(8, 12, 24)) << "D v8:v11 and A v12:v15 do not overlap";
}

} // namespace
