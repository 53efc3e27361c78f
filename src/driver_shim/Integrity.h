// cudart's integrity handshake (export table d4082055…, slot 1), isolated here because the scheme
// is cudart's, undocumented, and may change with a CUDA release. The facts are in
// ../shared/reference/cuda-driver-interface.md §4: versions ending in 0 and 1 get fixed answers,
// the others HMAC-MD2 over a record of the process, the tables and the devices.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace oxptx::shim {

using Md2Digest = std::array<uint8_t, 16>;

/// HMAC (RFC 2104) over MD2 (RFC 1319), through GNU Nettle.
Md2Digest hmacMd2(std::span<const uint8_t> key, std::span<const uint8_t> message);

/// What the answer hashes, per device.
struct IntegrityDevice {
  std::array<uint8_t, 16> uuid;
  int32_t pciDomain, pciBus, pciDevice;
};

struct IntegrityInputs {
  uint32_t driverVersion; // exactly what cuDriverGetVersion reports
  uint32_t version;       // the argument
  uint32_t processId;
  uint32_t threadId; // (uint32_t)pthread_self() of the caller
  const void *runtimeTable, *integrityTable, *integrityFunction;
  uint64_t unixSeconds;
  std::vector<IntegrityDevice> devices;
};

/// The hashed message: a 48-byte record (four u32, three pointers, u64 seconds; the reference
/// note says 40, but cudart accepts exactly this), then 28 bytes per device.
std::vector<uint8_t> integrityMessage(const IntegrityInputs &inputs);

/// The two words cudart expects back.
std::array<uint64_t, 2> integrityAnswer(const IntegrityInputs &inputs);

} // namespace oxptx::shim
