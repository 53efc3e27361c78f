// cuGetExportTable: the private tables CUDA 13's cudart requires
// (../shared/reference/cuda-driver-interface.md §4). A table is an array of function pointers,
// slot 0 its size in bytes (except the context-local storage table). Slots cudart was never
// seen to call hold a function that reports the slot and fails, so nothing jumps to NULL.
#include "driver_shim/Integrity.h"
#include "driver_shim/Shim.h"

#include <cstring>
#include <ctime>

#include <pthread.h>
#include <unistd.h>

using namespace oxptx;
using namespace oxptx::shim;

namespace {

constexpr size_t kSlots = 8;
using Table = std::array<const void *, kSlots>;

template <size_t N> CUresult unknownSlot() {
  std::fprintf(stderr, "oxptx: cudart called an export-table slot oxptx does not know (%zu)\n", N);
  return CUDA_ERROR_NOT_SUPPORTED;
}

/// Slot 0 = size in bytes, the others the unknown-slot reporters until set.
Table sizedTable() {
  return {reinterpret_cast<const void *>(kSlots * sizeof(void *)), reinterpret_cast<const void *>(&unknownSlot<1>),
          reinterpret_cast<const void *>(&unknownSlot<2>), reinterpret_cast<const void *>(&unknownSlot<3>),
          reinterpret_cast<const void *>(&unknownSlot<4>), reinterpret_cast<const void *>(&unknownSlot<5>),
          reinterpret_cast<const void *>(&unknownSlot<6>), reinterpret_cast<const void *>(&unknownSlot<7>)};
}

template <typename F> const void *slot(F *function) { return reinterpret_cast<const void *>(function); }

// --- 6bd5fb6c…: runtime interface. Slot 2: the device's primary context.
CUresult primaryContextOf(CUcontext *ctx, CUdevice device) {
  if (!ctx || device != 0)
    return CUDA_ERROR_INVALID_VALUE;
  *ctx = driver().primaryContext(device);
  return CUDA_SUCCESS;
}

// --- a094798c…: tool callback hooks. Slots 2 and 6 hand out zeroed buffers.
void toolBuffer2(void **buffer, size_t *size) {
  static uint8_t storage[0x2000];
  *buffer = storage;
  *size = sizeof storage;
}
void toolBuffer6(void **buffer, size_t *size) {
  static uint8_t storage[0x40];
  *buffer = storage;
  *size = sizeof storage;
}

// --- c693336e…: context-local storage (no size word).
CUctx_st *contextOrCurrent(CUcontext ctx) { return ctx ? ctx : currentContext(); }

CUresult storagePut(CUcontext ctx, void *key, void *value, void (*destructor)(CUcontext, void *, void *)) {
  CUctx_st *c = contextOrCurrent(ctx);
  if (!c)
    return CUDA_ERROR_INVALID_CONTEXT;
  std::lock_guard lock(driver().mutex);
  c->localStorage[key] = {value, destructor};
  return CUDA_SUCCESS;
}

CUresult storageDelete(CUcontext ctx, void *key) {
  CUctx_st *c = contextOrCurrent(ctx);
  if (!c)
    return CUDA_ERROR_INVALID_CONTEXT;
  std::lock_guard lock(driver().mutex);
  return c->localStorage.erase(key) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_HANDLE;
}

CUresult storageGet(void **value, CUcontext ctx, void *key) {
  CUctx_st *c = contextOrCurrent(ctx);
  if (!c)
    return CUDA_ERROR_INVALID_CONTEXT;
  std::lock_guard lock(driver().mutex);
  auto it = c->localStorage.find(key);
  if (it == c->localStorage.end()) // a miss must be an error: cudart then sets the context up
    return CUDA_ERROR_INVALID_HANDLE;
  *value = it->second.value;
  return CUDA_SUCCESS;
}

// --- 263e8860…: context checks.
CUresult contextCheck(CUcontext, uint32_t *result, void **) {
  if (result)
    *result = 0;
  return CUDA_SUCCESS;
}
uint32_t checkZero() { return 0; }

// --- d4082055…: the integrity handshake (Integrity.h).
const Table &runtimeTable();
const Table &integrityTable();

CUresult integrityCheck(uint32_t version, uint64_t unixSeconds, uint64_t out[2]) {
  if (!out)
    return CUDA_ERROR_INVALID_VALUE;
  const sim::MachineConfig &config = driver().device().device.config();
  IntegrityInputs in{uint32_t(kDriverVersion), version, uint32_t(getpid()), uint32_t(pthread_self()),
                     &runtimeTable(), &integrityTable(), integrityTable()[1], unixSeconds, {}};
  in.devices.push_back({deviceUuid(config), kPciDomain, kPciBus, kPciDevice});
  auto answer = integrityAnswer(in);
  out[0] = answer[0];
  out[1] = answer[1];
  return CUDA_SUCCESS;
}

const Table &runtimeTable() {
  static const Table table = [] {
    Table t = sizedTable();
    t[2] = slot(&primaryContextOf);
    return t;
  }();
  return table;
}

const Table &integrityTable() {
  static const Table table = [] {
    Table t = sizedTable();
    t[1] = slot(&integrityCheck);
    return t;
  }();
  return table;
}

const Table &toolsTable() {
  static const Table table = [] {
    Table t = sizedTable();
    t[2] = slot(&toolBuffer2);
    t[6] = slot(&toolBuffer6);
    return t;
  }();
  return table;
}

const Table &toolsTlsTable() {
  static const Table table = sizedTable();
  return table;
}

const Table &storageTable() {
  static const Table table = [] {
    Table t = sizedTable();
    t[0] = slot(&storagePut);
    t[1] = slot(&storageDelete);
    t[2] = slot(&storageGet);
    return t;
  }();
  return table;
}

const Table &contextCheckTable() {
  static const Table table = [] {
    Table t = sizedTable();
    t[2] = slot(&contextCheck);
    t[3] = slot(&checkZero);
    return t;
  }();
  return table;
}

struct KnownTable {
  uint8_t uuid[16];
  const Table &(*table)();
};

const KnownTable kTables[] = {
    {{0x6b, 0xd5, 0xfb, 0x6c, 0x5b, 0xf4, 0xe7, 0x4a, 0x89, 0x87, 0xd9, 0x39, 0x12, 0xfd, 0x9d, 0xf9}, &runtimeTable},
    {{0xa0, 0x94, 0x79, 0x8c, 0x2e, 0x74, 0x2e, 0x74, 0x93, 0xf2, 0x08, 0x00, 0x20, 0x0c, 0x0a, 0x66}, &toolsTable},
    {{0x42, 0xd8, 0x5a, 0x81, 0x23, 0xf6, 0xcb, 0x47, 0x82, 0x98, 0xf6, 0xe7, 0x8a, 0x3a, 0xec, 0xdc}, &toolsTlsTable},
    {{0xc6, 0x93, 0x33, 0x6e, 0x11, 0x21, 0xdf, 0x11, 0xa8, 0xc3, 0x68, 0xf3, 0x55, 0xd8, 0x95, 0x93}, &storageTable},
    {{0x26, 0x3e, 0x88, 0x60, 0x7c, 0xd2, 0x61, 0x43, 0x92, 0xf6, 0xbb, 0xd5, 0x00, 0x6d, 0xfa, 0x7e}, &contextCheckTable},
    {{0xd4, 0x08, 0x20, 0x55, 0xbd, 0xe6, 0x70, 0x4b, 0x8d, 0x34, 0xba, 0x12, 0x3c, 0x66, 0xe1, 0xf2}, &integrityTable},
};

} // namespace

extern "C" CUresult cuGetExportTable(const void **table, const CUuuid *id) {
  return api(__func__, [&] {
    if (!table || !id)
      return CUDA_ERROR_INVALID_VALUE;
    for (const KnownTable &known : kTables)
      if (std::memcmp(known.uuid, id->bytes, 16) == 0) {
        *table = known.table().data();
        return CUDA_SUCCESS;
      }
    *table = nullptr;
    return CUDA_ERROR_NOT_SUPPORTED; // f8cff951… and any other: refusing changes nothing
  }, table, id);
}
