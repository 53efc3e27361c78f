// The timing model's tag-only caches: LRU replacement within a set, and lines served by the
// level that holds them (hand-worked sequences).
#include "sim/CacheModel.h"

#include <gtest/gtest.h>

using namespace oxptx::sim;

TEST(Cache, LeastRecentlyUsedLineOfASetIsEvicted) {
  Cache cache(4 * 64, 64, 2); // 4 lines: 2 sets of 2 ways
  // Lines 0, 2, 4 map to set 0; 1, 3 to set 1.
  EXPECT_FALSE(cache.access(0));
  EXPECT_FALSE(cache.access(2));
  EXPECT_TRUE(cache.access(0));  // 0 is now the most recent in set 0
  EXPECT_FALSE(cache.access(4)); // evicts 2, the least recent
  EXPECT_TRUE(cache.access(0));
  EXPECT_FALSE(cache.access(2)); // 2 was evicted; now evicts 4
  EXPECT_FALSE(cache.access(1)); // set 1 is untouched by set 0's traffic
  EXPECT_TRUE(cache.access(0));
  EXPECT_FALSE(cache.access(4));
}

TEST(Cache, ZeroSizeMeansEveryAccessMisses) {
  Cache cache(0, 64, 4);
  EXPECT_FALSE(cache.access(7));
  EXPECT_FALSE(cache.access(7));
}

TEST(MemoryHierarchy, LinesComeFromL1ThenL2ThenDram) {
  MachineConfig m{};
  m.core.count = 2;
  m.memory.lineBytes = 64;
  m.memory.l1BytesPerCore = 4 * 64;
  m.memory.l2Bytes = 64 * 64;
  m.latency.l1Hit = 10;
  m.latency.l2Hit = 100;
  m.latency.dram = 1000;
  MemoryHierarchy caches(m);
  Counters c;
  EXPECT_EQ(caches.access(0, 5, c), 1000u) << "cold: DRAM";
  EXPECT_EQ(caches.access(0, 5, c), 10u) << "then core 0's L1";
  EXPECT_EQ(caches.access(1, 5, c), 100u) << "core 1 finds it in the shared L2";
  EXPECT_EQ(c.dramLines, 1u);
  EXPECT_EQ(c.l1Hits, 1u);
  EXPECT_EQ(c.l2Hits, 1u);
}
