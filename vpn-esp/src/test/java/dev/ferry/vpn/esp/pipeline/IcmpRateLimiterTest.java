package dev.ferry.vpn.esp.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IcmpRateLimiterTest {
  private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative

  @Test
  void aBurstOfTheRateThenOnePerIntervalPerSource() {
    IcmpRateLimiter limiter = new IcmpRateLimiter(4, now::get);
    assertEquals(4, granted(limiter, 0x0A010005L, 10));
    assertFalse(limiter.tryAcquire(0x0A010005L));
    // Another source has its own budget.
    assertEquals(4, granted(limiter, 0x0A010006L, 10));
    now.addAndGet(250_000_000L); // one interval at 4 per second
    assertTrue(limiter.tryAcquire(0x0A010005L));
    assertFalse(limiter.tryAcquire(0x0A010005L));
    now.addAndGet(10_000_000_000L); // idle: the bucket refills to the burst, not beyond
    assertEquals(4, granted(limiter, 0x0A010005L, 10));
  }

  @Test
  void zeroPerSecondNeverSends() {
    IcmpRateLimiter limiter = new IcmpRateLimiter(0, now::get);
    assertEquals(0, granted(limiter, 1, 5));
  }

  private static int granted(IcmpRateLimiter limiter, long source, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.tryAcquire(source)) {
        granted++;
      }
    }
    return granted;
  }
}
