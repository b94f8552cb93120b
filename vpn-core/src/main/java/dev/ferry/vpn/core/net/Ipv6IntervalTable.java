package dev.ferry.vpn.core.net;

/**
 * The IPv6 half of a {@link PrefixMap}: interval starts as pairs of longs, searched without
 * allocating, with a first-level table over the top bits of the high word (see {@link
 * Ipv4IntervalTable} for the layout).
 */
final class Ipv6IntervalTable {

  /** High and low words of the interval starts, sign bits flipped for signed comparison. */
  private final long[] startHigh;
  private final long[] startLow;
  private final Object[] owners;
  private final int shift;
  private final int[] bucketFirst;

  Ipv6IntervalTable(IntervalSweep<?> sweep) {
    int n = sweep.size();
    startHigh = new long[n];
    startLow = new long[n];
    owners = new Object[n];
    for (int i = 0; i < n; i++) {
      Ipv6Address start = (Ipv6Address) sweep.starts.get(i);
      startHigh[i] = start.high() ^ Long.MIN_VALUE;
      startLow[i] = start.low() ^ Long.MIN_VALUE;
      owners[i] = sweep.owners.get(i);
    }
    int bucketBits = Ipv4IntervalTable.bucketBits(n, 20);
    shift = 64 - bucketBits;
    int buckets = 1 << bucketBits;
    bucketFirst = new int[buckets + 1];
    int interval = 0;
    for (int b = 0; b < buckets; b++) {
      long bucketStart = ((long) b << shift) ^ Long.MIN_VALUE;
      // A bucket starts at low word 0, so an interval starting in the same high word with a
      // non-zero low word lies after it.
      while (interval + 1 < n
          && (startHigh[interval + 1] < bucketStart
              || startHigh[interval + 1] == bucketStart && startLow[interval + 1] == Long.MIN_VALUE)) {
        interval++;
      }
      bucketFirst[b] = interval;
    }
    bucketFirst[buckets] = n - 1;
  }

  /** The owner of the interval holding the address {@code high:low}, or null. */
  Object lookup(long high, long low) {
    long keyHigh = high ^ Long.MIN_VALUE;
    long keyLow = low ^ Long.MIN_VALUE;
    int bucket = (int) (high >>> shift);
    int lo = bucketFirst[bucket];
    int hi = bucketFirst[bucket + 1];
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      long h = startHigh[mid];
      if (h < keyHigh || h == keyHigh && startLow[mid] <= keyLow) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return owners[lo];
  }
}
