package dev.ferry.vpn.core.net;

/**
 * The IPv4 half of a {@link PrefixMap}: the sweep's intervals in primitive arrays, searched without
 * allocating. A first-level table indexed by the top bits of the address narrows each search to
 * the few intervals of one bucket, so a lookup costs about two cache misses however large the map.
 */
final class Ipv4IntervalTable {

  /** Interval starts with the sign bit flipped, so signed {@code <=} orders them as unsigned. */
  private final int[] starts;

  /** Owner of each interval (a {@link PrefixMap.Entry}), or null where no prefix matches. */
  private final Object[] owners;

  /** The owner's value for each interval, or null: saves a dereference on the hot path. */
  private final Object[] values;

  /** Buckets are the top {@code 32 - shift} bits of an address. */
  private final int shift;

  /**
   * {@code bucketFirst[b]} is the interval containing the first address of bucket {@code b}; the
   * extra last element is the final interval. A bucket's addresses lie in intervals {@code
   * bucketFirst[b]..bucketFirst[b + 1]}.
   */
  private final int[] bucketFirst;

  Ipv4IntervalTable(IntervalSweep<? extends PrefixMap.Entry<?>> sweep) {
    int n = sweep.size();
    starts = new int[n];
    owners = new Object[n];
    values = new Object[n];
    for (int i = 0; i < n; i++) {
      starts[i] = ((Ipv4Address) sweep.starts.get(i)).bits() ^ Integer.MIN_VALUE;
      PrefixMap.Entry<?> owner = sweep.owners.get(i);
      owners[i] = owner;
      values[i] = owner == null ? null : owner.value();
    }
    int bucketBits = bucketBits(n, 20);
    shift = 32 - bucketBits;
    int buckets = 1 << bucketBits;
    bucketFirst = new int[buckets + 1];
    int interval = 0;
    for (int b = 0; b < buckets; b++) {
      int bucketStart = (b << shift) ^ Integer.MIN_VALUE;
      while (interval + 1 < n && starts[interval + 1] <= bucketStart) {
        interval++;
      }
      bucketFirst[b] = interval;
    }
    bucketFirst[buckets] = n - 1;
  }

  /** One bucket per one to two intervals, at least 2 and at most {@code 2^maxBits} buckets. */
  static int bucketBits(int intervals, int maxBits) {
    return Math.clamp(31 - Integer.numberOfLeadingZeros(intervals), 1, maxBits);
  }

  /** The interval holding the address with these 32 bits. */
  int find(int bits) {
    int key = bits ^ Integer.MIN_VALUE;
    int bucket = bits >>> shift;
    int lo = bucketFirst[bucket];
    int hi = bucketFirst[bucket + 1];
    // Last interval in lo..hi starting at or before key; starts[lo] <= key always holds.
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= key) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** The entry owning interval {@code interval}, or null. */
  Object owner(int interval) {
    return owners[interval];
  }

  /** The value of the entry owning interval {@code interval}, or null. */
  Object value(int interval) {
    return values[interval];
  }

  int intervalCount() {
    return starts.length;
  }
}
