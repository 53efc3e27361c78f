#include "sim/HostCalls.h"

#include "sim/Executor.h"

#include <cstdio>
#include <cstring>

namespace oxptx::sim {
namespace {

constexpr size_t kMaxString = 1 << 16; // longest format or %s string read from the guest

/// A NUL-terminated guest string, or nullopt if some byte before the NUL is not readable.
std::optional<std::string> guestString(AddressSpace &memory, uint64_t address) {
  std::string s;
  for (size_t i = 0; i < kMaxString; ++i) {
    const uint8_t *p = memory.translate(address + i, 1);
    if (!p)
      return std::nullopt;
    if (!*p)
      return s;
    s.push_back(char(*p));
  }
  return s;
}

/// Reads the next argument of `bytes` bytes at its natural alignment (CUDA's vprintf buffer).
struct ArgumentReader {
  AddressSpace &memory;
  uint64_t next;
  int consumed = 0;
  std::optional<uint64_t> read(unsigned bytes) {
    next = (next + bytes - 1) / bytes * bytes;
    const uint8_t *p = memory.translate(next, bytes);
    if (!p)
      return std::nullopt;
    uint64_t v = 0;
    std::memcpy(&v, p, bytes);
    next += bytes;
    ++consumed;
    return v;
  }
};

template <typename... Args> std::string formatted(const std::string &spec, Args... args) {
  int n = std::snprintf(nullptr, 0, spec.c_str(), args...);
  std::string s(size_t(std::max(n, 0)), '\0');
  std::snprintf(s.data(), s.size() + 1, spec.c_str(), args...);
  return s;
}

} // namespace

int formatDevicePrintf(AddressSpace &memory, uint64_t formatAddress, uint64_t args,
                       std::string &out) {
  std::optional<std::string> format = guestString(memory, formatAddress);
  if (!format)
    return -1;
  ArgumentReader reader{memory, args};
  const std::string &f = *format;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out.push_back(f[i]);
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '%') {
      out.push_back('%');
      ++i;
      continue;
    }
    // %[flags][width][.precision][length]conversion; '*' takes an int argument.
    size_t start = i;
    std::string spec = "%";
    size_t j = i + 1;
    while (j < f.size() && std::strchr("-+ #0", f[j]))
      spec.push_back(f[j++]);
    for (int part = 0; part < 2; ++part) {
      if (part == 1) {
        if (j >= f.size() || f[j] != '.')
          break;
        spec.push_back(f[j++]);
      }
      if (j < f.size() && f[j] == '*') {
        auto star = reader.read(4);
        spec += std::to_string(int32_t(star.value_or(0)));
        ++j;
      }
      while (j < f.size() && f[j] >= '0' && f[j] <= '9')
        spec.push_back(f[j++]);
    }
    bool wide = false;
    for (; j < f.size() && std::strchr("hlLqjzt", f[j]); ++j)
      wide = wide || f[j] != 'h';
    if (j >= f.size()) { // a lone '%' at the end prints as itself
      out += f.substr(i);
      break;
    }
    char conversion = f[j];
    i = j;
    std::optional<uint64_t> v;
    switch (conversion) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'c':
      v = reader.read(wide && conversion != 'c' ? 8 : 4);
      if (!v)
        return reader.consumed;
      spec += conversion == 'c' ? "c" : std::string("ll") + conversion;
      if (conversion == 'c')
        out += formatted(spec, int(uint8_t(*v)));
      else if (conversion == 'd' || conversion == 'i')
        out += formatted(spec, static_cast<long long>(wide ? int64_t(*v) : int64_t(int32_t(*v))));
      else
        out += formatted(spec, static_cast<unsigned long long>(wide ? *v : uint32_t(*v)));
      break;
    case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': {
      v = reader.read(8); // float arguments are promoted to double
      if (!v)
        return reader.consumed;
      double d;
      std::memcpy(&d, &*v, 8);
      out += formatted(spec + conversion, d);
      break;
    }
    case 'p':
      v = reader.read(8);
      if (!v)
        return reader.consumed;
      out += formatted("0x%llx", static_cast<unsigned long long>(*v));
      break;
    case 's': {
      v = reader.read(8);
      if (!v)
        return reader.consumed;
      std::optional<std::string> s = guestString(memory, *v);
      if (s)
        out += formatted(spec + "s", s->c_str());
      else
        out += formatted("(bad address 0x%llx)", static_cast<unsigned long long>(*v));
      break;
    }
    default: // an unknown conversion prints as written
      out += f.substr(start, j - start + 1);
    }
  }
  return reader.consumed;
}

bool isHostCall(Insn insn) {
  return insn == Insn::OX_PRINTF || insn == Insn::OX_ASSERT || insn == Insn::OX_MALLOC ||
         insn == Insn::OX_FREE;
}

std::optional<VectorTrap> executeHostCall(Hart &hart, AddressSpace &memory, const Decoded &d,
                                          WarpEnvironment &warp) {
  uint8_t *regs = hart.vector.v.data();
  auto address = [&](unsigned group, unsigned lane) {
    uint64_t v;
    std::memcpy(&v, regs + group * kVlenBytes + lane * 8, 8);
    return v;
  };
  if (d.rs1 % 2 || (d.insn == Insn::OX_PRINTF && (d.rs2 % 2 || d.rd == 0)) ||
      (d.insn == Insn::OX_MALLOC && (d.rd % 2 || d.rd == 0)))
    return VectorTrap{Fault::Kind::IllegalInstruction, 0,
                      "host-call address operands are even register pairs; results are not in v0"};
  uint32_t exec;
  std::memcpy(&exec, regs, 4);
  uint32_t lanes = exec & hart.livemask;
  for (unsigned lane = 0; lane < 32; ++lane) {
    if (!(lanes >> lane & 1))
      continue;
    if (d.insn == Insn::OX_MALLOC) { // an address, or 0 when the heap has no room
      DeviceHeap *heap = warp.heap();
      uint64_t block = heap ? heap->allocate(address(d.rs1, lane)).value_or(0) : 0;
      std::memcpy(regs + d.rd * kVlenBytes + lane * 8, &block, 8);
      continue;
    }
    if (d.insn == Insn::OX_FREE) {
      uint64_t block = address(d.rs1, lane);
      DeviceHeap *heap = warp.heap();
      if (block && !(heap && heap->release(block)))
        return VectorTrap{Fault::Kind::OutOfBounds, block,
                          "lane " + std::to_string(lane) +
                              " frees an address that device malloc did not return"};
      continue;
    }
    if (d.insn == Insn::OX_PRINTF) {
      std::string text;
      int32_t result = formatDevicePrintf(memory, address(d.rs1, lane), address(d.rs2, lane), text);
      warp.hostOutput(text);
      std::memcpy(regs + d.rd * kVlenBytes + lane * 4, &result, 4);
      continue;
    }
    // ox.assert: the descriptor holds message, file, function, line (docs §3.8).
    uint64_t descriptor = address(d.rs1, lane);
    const uint8_t *p = memory.translate(descriptor, 32);
    if (!p)
      return VectorTrap{Fault::Kind::OutOfBounds, descriptor, "assert descriptor"};
    uint64_t message, file, function;
    uint32_t line;
    std::memcpy(&message, p, 8);
    std::memcpy(&file, p + 8, 8);
    std::memcpy(&function, p + 16, 8);
    std::memcpy(&line, p + 24, 4);
    auto text = [&](uint64_t a) { return guestString(memory, a).value_or("?"); };
    auto csr = [&](uint16_t n) { return uint32_t(warp.readCsr(n).value_or(0)); };
    uint32_t nx = csr(0xcc6), ny = csr(0xcc7), t = 32 * csr(0xcc9) + lane;
    char position[160];
    std::snprintf(position, sizeof position, "block: [%u,%u,%u], thread: [%u,%u,%u]", csr(0xcc0),
                  csr(0xcc1), csr(0xcc2), t % nx, t / nx % ny, t / (nx * ny));
    warp.hostOutput(text(file) + ":" + std::to_string(line) + ": " + text(function) + ": " +
                    position + " Assertion `" + text(message) + "` failed.\n");
    return VectorTrap{Fault::Kind::AssertFailed, 0, "lane " + std::to_string(lane)};
  }
  return std::nullopt;
}

} // namespace oxptx::sim
