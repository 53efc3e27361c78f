// The runtime's C++ API: PTX modules built in a child process (diagnostics come back, the host
// survives), launches checked against the kernel's metadata, faults reported as values.
#include "ExecHarness.h"

#include <filesystem>
#include <unistd.h>

namespace oxptx::exec {
namespace {

TEST(Runtime, MalformedPtxComesBackAsPositionedDiagnostics) {
  Harness h;
  auto loaded = h.device().loadPtx(".version 9.0\n.target sm_80\n.address_size 64\n"
                                   ".entry k()\n{\n\tadd.s32 %r1, %r2;\n}\n",
                                   "bad.ptx");
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  EXPECT_NE(std::get<std::string>(loaded).find("bad.ptx:6:"), std::string::npos) << std::get<std::string>(loaded);
}

TEST(Runtime, UnsupportedConstructsAreNamed) {
  Harness h;
  // a function declared .extern and defined nowhere (a separately compiled module left unlinked)
  std::string ptx = ".version 9.0\n.target sm_80\n.address_size 64\n"
                    ".extern .func (.param .b32 r) ext(.param .b32 a);\n"
                    ".entry k(.param .u64 out)\n{\n\t.reg .b32 x;\n\t.reg .b64 p;\n\t{\n"
                    "\t.param .b32 a0;\n\tst.param.b32 [a0], 5;\n\t.param .b32 r0;\n"
                    "\tcall (r0), ext, (a0);\n\tld.param.b32 x, [r0];\n\t}\n"
                    "\tld.param.u64 p, [out];\n\tst.global.u32 [p], x;\n\tret;\n}\n";
  auto loaded = h.device().loadPtx(ptx, "extern.ptx");
  ASSERT_TRUE(std::holds_alternative<std::string>(loaded));
  EXPECT_NE(std::get<std::string>(loaded).find("unsupported: call of ext in kernel k "), std::string::npos)
      << std::get<std::string>(loaded);
}

TEST(Runtime, LaunchesAreCheckedAgainstTheKernelMetadata) {
  Harness h;
  auto module = h.load("basics");
  ASSERT_TRUE(module);
  sim::LaunchResult r = h.run(*module, "no_such_kernel", {1}, {32}, Params());
  EXPECT_NE(r.error.find("no kernel named 'no_such_kernel'"), std::string::npos) << r.error;
  r = h.run(*module, "vector_add", {1}, {32}, Params().add(uint64_t(0)));
  EXPECT_NE(r.error.find("takes 28 bytes of parameters, 8 given"), std::string::npos) << r.error;
}

TEST(Runtime, OutOfBoundsAccessesAreFaultsNotCrashes) {
  Harness h;
  auto module = h.load("basics");
  ASSERT_TRUE(module);
  uint64_t a = h.zeros<float>(16);
  // n larger than the buffers: lanes past the 16 floats (rounded to 256 bytes) fault
  sim::LaunchResult r = h.run(*module, "vector_add", {4}, {256}, Params().add(a).add(a).add(a).add(1000));
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->fault.kind, sim::Fault::Kind::OutOfBounds);
}

TEST(Runtime, ModuleCacheKeepsImagesAcrossDevicesAndRebuildsDamagedEntries) {
  std::string dir = ::testing::TempDir() + "/oxptx-cache-test-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::string ptx = readFile(std::string(OXPTX_EXEC_PTX_DIR) + "/basics.ptx");
  auto config = std::get<sim::MachineConfig>(sim::loadMachineConfig("mid"));
  runtime::ModuleCache cache(dir);
  ASSERT_TRUE(cache.enabled());
  std::string key = cache.key(ptx, {});
  EXPECT_FALSE(cache.find(key));
  {
    runtime::Device device(config, runtime::ModuleCache(dir));
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<runtime::Module>>(device.loadPtx(ptx, "basics.ptx")));
  }
  auto stored = cache.find(key);
  ASSERT_TRUE(stored); // the first device built and stored the image
  EXPECT_NE(cache.key(ptx + " ", {}), key);
  backend::BackendOptions generic;
  generic.genericSimt = true;
  EXPECT_NE(cache.key(ptx, generic), key);
  { // a damaged entry: rebuilt and replaced
    std::ofstream(dir + "/" + key + ".oximg", std::ios::binary) << "\x7f" "ELF but not an image";
    runtime::Device device(config, runtime::ModuleCache(dir));
    auto loaded = device.loadPtx(ptx, "basics.ptx");
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<runtime::Module>>(loaded));
    EXPECT_TRUE(std::get<std::shared_ptr<runtime::Module>>(loaded)->kernel("vector_add"));
  }
  EXPECT_EQ(cache.find(key), stored);
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace oxptx::exec
