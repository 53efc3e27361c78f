// Executed corpus: tests/ptx_corpus/exec/cuda/host_calls.cu (printf, assert, malloc/free).
#include "ExecHarness.h"

#include <algorithm>
#include <cstdio>

namespace oxptx::exec {
namespace {

class HostCalls : public BothBackends {
protected:
  void SetUp() override { module = h.load("host_calls"); ASSERT_TRUE(module); }
  std::shared_ptr<runtime::Module> module;
};
INSTANTIATE_TEST_SUITE_P(Backends, HostCalls, ::testing::Bool(), backendName);

std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out.push_back(text.substr(start, end - start));
  return out;
}

TEST_P(HostCalls, PrintfFromDivergentLanesFormatsEveryArgument) {
  const int n = 150;
  std::vector<int> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = (i * 37) % 101;
  uint64_t din = h.upload(in);
  sim::LaunchResult r = h.launch(*module, "printf_divergent", {2}, {96}, Params().add(din).add(n));
  std::vector<std::string> expected;
  for (int i = 0; i < n; ++i)
    if (in[i] % 5 == 0) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "thread %d: v=%d half=%.2f hex=%x %s", i, in[i], in[i] * 0.5,
                    in[i], in[i] > 50 ? "big" : "small");
      expected.push_back(buf);
    }
  std::vector<std::string> got = lines(r.output);
  // CUDA leaves the order between warps open; within a warp, lanes print in ascending order
  std::sort(got.begin(), got.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(got, expected);
}

TEST_P(HostCalls, AssertPassesWhenTheConditionHolds) {
  std::vector<int> in(64, 3);
  uint64_t din = h.upload(in);
  h.launch(*module, "assert_below", {1}, {64}, Params().add(din).add(64).add(10));
}

TEST_P(HostCalls, FailedAssertStopsTheLaunchWithCudasMessage) {
  std::vector<int> in(64, 3);
  in[37] = 50;
  uint64_t din = h.upload(in);
  sim::LaunchResult r = h.run(*module, "assert_below", {1}, {64}, Params().add(din).add(64).add(10));
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, sim::Fault::Kind::AssertFailed);
  EXPECT_NE(r.output.find("block: [0,0,0], thread: [37,0,0] Assertion `in[i] < limit` failed."),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("host_calls.cu"), std::string::npos) << r.output;
}

TEST_P(HostCalls, MallocAndFreePerThread) {
  const int n = 200;
  std::vector<int> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = i * 13 + 5;
  uint64_t din = h.upload(in), dout = h.zeros<long long>(n);
  h.launch(*module, "heap_sums", {4}, {64}, Params().add(din).add(dout).add(n));
  auto out = h.download<long long>(dout, n);
  for (int i = 0; i < n; ++i) {
    long long count = in[i] % 40 + 1, sum = 0;
    for (long long k = 0; k < count; ++k)
      sum += k * in[i];
    ASSERT_EQ(out[i], sum) << "i = " << i;
  }
}

} // namespace
} // namespace oxptx::exec
