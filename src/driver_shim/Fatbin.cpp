#include "driver_shim/Fatbin.h"

#include <algorithm>
#include <cstring>

#include <lz4.h>
#include <zstd.h>

namespace oxptx::shim {
namespace {

constexpr uint64_t kFlagLz4 = 0x2000, kFlagZstd = 0x8000;

template <typename T> T read(std::span<const uint8_t> bytes, size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

/// The wrapper of §5: {magic, version, container, v2: NULL-terminated prelinked containers}.
struct Wrapper {
  int32_t magic, version;
  const uint8_t *data;
  const uint8_t *const *prelinked;
};

std::span<const uint8_t> containerAt(const uint8_t *p) {
  uint16_t headerBytes;
  uint64_t entryBytes;
  std::memcpy(&headerBytes, p + 6, 2);
  std::memcpy(&entryBytes, p + 8, 8);
  return {p, headerBytes + entryBytes};
}

std::string hex(uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

/// The chosen PTX of one container (highest SM not above maxSm) appended to `out`; else the error.
std::string choosePtx(std::span<const uint8_t> container, uint32_t maxSm, std::vector<std::string> &out) {
  auto parsed = parseContainer(container);
  if (auto *error = std::get_if<std::string>(&parsed))
    return *error;
  const FatbinEntry *best = nullptr;
  std::string found;
  for (const FatbinEntry &e : std::get<0>(parsed)) {
    found += std::string(found.empty() ? "" : ", ") + (e.kind == FatbinEntry::Kind::Ptx ? "PTX" : "SASS") +
             " sm_" + std::to_string(e.sm);
    if (e.kind == FatbinEntry::Kind::Ptx && e.sm <= maxSm && (!best || e.sm > best->sm))
      best = &e;
  }
  if (!best)
    return std::string("the fatbinary holds no PTX for compute capability ") + std::to_string(maxSm / 10) +
           "." + std::to_string(maxSm % 10) + " or lower (it has: " + (found.empty() ? "nothing" : found) +
           "); oxptx translates PTX, so build with PTX embedded (nvcc's default, or "
           "-gencode arch=compute_XX,code=compute_XX)";
  auto payload = payloadOf(*best);
  if (auto *error = std::get_if<std::string>(&payload))
    return *error;
  auto &bytes = std::get<0>(payload);
  out.emplace_back(bytes.begin(), std::find(bytes.begin(), bytes.end(), uint8_t(0)));
  return {};
}

} // namespace

std::variant<std::vector<FatbinEntry>, std::string> parseContainer(std::span<const uint8_t> bytes) {
  if (bytes.size() < 16 || read<uint32_t>(bytes, 0) != kContainerMagic)
    return std::string("not a fatbinary container (magic ") +
           (bytes.size() < 4 ? "missing" : hex(read<uint32_t>(bytes, 0))) + ")";
  uint16_t headerBytes = read<uint16_t>(bytes, 6);
  uint64_t entryBytes = read<uint64_t>(bytes, 8);
  if (headerBytes < 16 || entryBytes > bytes.size() - std::min<size_t>(headerBytes, bytes.size()))
    return std::string("fatbinary container truncated: its header states ") + std::to_string(entryBytes) +
           " bytes of entries";
  std::vector<FatbinEntry> entries;
  size_t at = headerBytes, end = headerBytes + entryBytes;
  while (at < end) {
    if (end - at < 0x40)
      return "fatbinary entry at offset " + std::to_string(at) + " is truncated";
    auto entry = bytes.subspan(at);
    uint32_t entryHeader = read<uint32_t>(entry, 4);
    uint64_t payloadBytes = read<uint64_t>(entry, 8);
    if (entryHeader < 0x40 || entryHeader > end - at || payloadBytes > end - at - entryHeader)
      return "fatbinary entry at offset " + std::to_string(at) + " overruns its container";
    FatbinEntry e;
    e.kind = FatbinEntry::Kind(read<uint16_t>(entry, 0));
    e.sm = read<uint32_t>(entry, 0x1c);
    e.flags = read<uint64_t>(entry, 0x28);
    uint32_t compressed = read<uint32_t>(entry, 0x10);
    e.uncompressedBytes = read<uint64_t>(entry, 0x38);
    e.payload = entry.subspan(entryHeader, compressed && compressed <= payloadBytes ? compressed : payloadBytes);
    if (e.kind == FatbinEntry::Kind::Ptx || e.kind == FatbinEntry::Kind::Elf)
      entries.push_back(e);
    at += entryHeader + payloadBytes;
  }
  return entries;
}

std::variant<std::vector<uint8_t>, std::string> payloadOf(const FatbinEntry &e) {
  const auto &in = e.payload;
  if (!(e.flags & (kFlagLz4 | kFlagZstd)))
    return std::vector<uint8_t>(in.begin(), in.end());
  std::vector<uint8_t> out(e.uncompressedBytes);
  if (e.flags & kFlagZstd) {
    size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(n))
      return std::string("zstd-compressed fatbinary entry does not decompress: ") + ZSTD_getErrorName(n);
    out.resize(n);
    return out;
  }
  int n = LZ4_decompress_safe(reinterpret_cast<const char *>(in.data()), reinterpret_cast<char *>(out.data()),
                              int(in.size()), int(out.size()));
  if (n < 0)
    return std::string("LZ4-compressed fatbinary entry does not decompress (corrupt block)");
  out.resize(size_t(n));
  return out;
}

std::variant<ImagePtx, std::string> ptxOfImage(const void *image, uint32_t maxSm) {
  if (!image)
    return std::string("the module image is a null pointer");
  const auto *p = static_cast<const uint8_t *>(image);
  uint32_t magic;
  std::memcpy(&magic, p, 4);
  ImagePtx result;
  auto add = [&](std::span<const uint8_t> container) { return choosePtx(container, maxSm, result.modules); };
  if (magic == kWrapperMagic) {
    Wrapper w;
    std::memcpy(&w, p, sizeof w);
    if (w.version == 2) { // -rdc=true: one PTX per translation unit, in the prelinked list
      if (!w.prelinked || !*w.prelinked)
        return std::string("relocatable-device-code fatbinary without prelinked PTX");
      for (auto *c = w.prelinked; *c; ++c)
        if (std::string error = add(containerAt(*c)); !error.empty())
          return error;
      return result;
    }
    if (w.version != 1)
      return "fatbinary wrapper version " + std::to_string(w.version) + " is not supported (1 or 2 expected)";
    p = w.data;
    std::memcpy(&magic, p, 4);
  }
  if (magic == kContainerMagic) {
    if (std::string error = add(containerAt(p)); !error.empty())
      return error;
    return result;
  }
  if (std::memcmp(p, "\x7f" "ELF", 4) == 0)
    return std::string("the module image is a cubin (SASS): oxptx runs PTX only; load PTX text or a "
                       "fatbinary with PTX instead");
  std::string text(reinterpret_cast<const char *>(p)); // PTX text is NUL-terminated
  if (text.find(".version") == std::string::npos || text.find(".target") == std::string::npos)
    return std::string("the module image is neither a fatbinary nor PTX text (no .version/.target)");
  result.modules.push_back(std::move(text));
  return result;
}

} // namespace oxptx::shim
