package dev.ferry.vpn.core.net;

/**
 * The IPv6 half of a {@link PrefixMap}: interval starts as pairs of longs, searched without
 * allocating, with a first-level table over the high words in use (see {@link Ipv4IntervalTable}
 * for the layout).
 */
final class Ipv6IntervalTable {

  /**
   * Interval starts as high word at {@code 2i}, low word at {@code 2i + 1}, sign bits flipped for
   * signed comparison. Interleaved so that one cache line serves both words of a probe.
   */
  private final long[] starts;
  private final Object[] owners;

  /** The owner's value for each interval, or null: saves a dereference on the hot path. */
  private final Object[] values;
  /** High word (not flipped) of the second interval's start: where buckets begin. */
  private final long baseHigh;

  private final int shift;
  private final int lastBucket;
  private final int[] bucketFirst;

  Ipv6IntervalTable(IntervalSweep<? extends PrefixMap.Entry<?>> sweep) {
    int n = sweep.size();
    starts = new long[2 * n];
    owners = new Object[n];
    values = new Object[n];
    for (int i = 0; i < n; i++) {
      Ipv6Address start = (Ipv6Address) sweep.starts.get(i);
      starts[2 * i] = start.high() ^ Long.MIN_VALUE;
      starts[2 * i + 1] = start.low() ^ Long.MIN_VALUE;
      PrefixMap.Entry<?> owner = sweep.owners.get(i);
      owners[i] = owner;
      values[i] = owner == null ? null : owner.value();
    }
    // Buckets span only the high words where intervals start: real tables sit inside 2000::/3,
    // so buckets over the whole word would leave seven in eight of them empty.
    baseHigh = n > 1 ? starts[2] ^ Long.MIN_VALUE : 0;
    long span = n > 1 ? (starts[2 * (n - 1)] ^ Long.MIN_VALUE) - baseHigh : 0;
    int bucketBits = Ipv4IntervalTable.bucketBits(n, 20);
    // Offsets 0..span need spanBits bits; dropping all but the top bucketBits of them gives the
    // bucket. A shift of at least 1 keeps the shifted offset non-negative as a signed long.
    shift = Math.max(1, 64 - Long.numberOfLeadingZeros(span) - bucketBits);
    int buckets = 1 << bucketBits;
    lastBucket = buckets - 1;
    bucketFirst = new int[buckets + 1];
    int interval = 0;
    for (int b = 0; b < buckets; b++) {
      long bucketHigh = baseHigh + ((long) b << shift);
      if (Long.compareUnsigned(bucketHigh, baseHigh) < 0) {
        bucketFirst[b] = n - 1; // past the end of the address space: never looked up
        continue;
      }
      long bucketStart = bucketHigh ^ Long.MIN_VALUE;
      // A bucket starts at low word 0, so an interval starting in the same high word with a
      // non-zero low word lies after it.
      while (interval + 1 < n
          && (starts[2 * interval + 2] < bucketStart
              || starts[2 * interval + 2] == bucketStart && starts[2 * interval + 3] == Long.MIN_VALUE)) {
        interval++;
      }
      bucketFirst[b] = interval;
    }
    bucketFirst[buckets] = n - 1;
  }

  /** The interval holding the address {@code high:low}. */
  int find(long high, long low) {
    if (Long.compareUnsigned(high, baseHigh) < 0) {
      return 0; // before the second interval, which starts in word baseHigh
    }
    long keyHigh = high ^ Long.MIN_VALUE;
    long keyLow = low ^ Long.MIN_VALUE;
    // Beyond the last bucket only the last bucket's intervals and the final one remain.
    int bucket = (int) Math.min((high - baseHigh) >>> shift, lastBucket);
    int lo = bucketFirst[bucket];
    int hi = bucketFirst[bucket + 1];
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      long h = starts[2 * mid];
      if (h < keyHigh || h == keyHigh && starts[2 * mid + 1] <= keyLow) {
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
}
