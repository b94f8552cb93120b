package dev.ferry.vpn.esp.pipeline;

import java.util.function.LongSupplier;

/**
 * Limits the ICMP errors sent to each inner source (RFC 1812 section 4.3.2.8, RFC 4443 section 2.4
 * (f)): a token bucket per source, as a generic cell rate algorithm over a fixed table of 256 slots
 * hashed from the source address, so it neither allocates nor grows. Sources that share a slot
 * share a budget, which errs towards sending fewer errors. Not thread-safe: the outbound worker
 * owns it.
 */
final class IcmpRateLimiter {
  private static final int SLOTS = 256;

  private final LongSupplier nanoTime;
  private final long origin;
  private final long interval;
  private final long tolerance;
  /** Per slot: when the bucket would be full again, in nanoseconds since {@link #origin}. */
  private final long[] fullAt = new long[SLOTS];

  IcmpRateLimiter(int perSecond, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
    this.interval = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
    // A burst of perSecond errors, then one every interval.
    this.tolerance = perSecond == 0 ? 0 : interval * (perSecond - 1);
  }

  /** True when one more error may go to the source whose address hashes to {@code sourceKey}. */
  boolean tryAcquire(long sourceKey) {
    if (interval == 0) {
      return false;
    }
    long now = nanoTime.getAsLong() - origin;
    int slot = slot(sourceKey);
    long due = Math.max(fullAt[slot], now);
    if (due - now > tolerance) {
      return false;
    }
    fullAt[slot] = due + interval;
    return true;
  }

  private static int slot(long key) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h >>> 56) & (SLOTS - 1);
  }
}
