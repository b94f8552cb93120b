package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * {@link RekeyBackoff}: a retry after TEMPORARY_FAILURE waits within a window that doubles per
 * retry up to a cap (RFC 7296 section 2.25: not at once), and never starts later than the guard
 * before the SA's hard lifetime, nor so close to now that it would be immediate.
 */
class RekeyBackoffProperties {
  private static final RekeyBackoff BACKOFF = RekeyBackoff.DEFAULT;

  @Property(tries = 500)
  void delay_staysInTheDoublingWindowAndBeforeTheHardLifetime(
      @ForAll @IntRange(min = 1, max = 40) int retry,
      @ForAll @LongRange(min = 0, max = 7_200_000) long millisLeft, @ForAll long seed) {
    Duration left = Duration.ofMillis(millisLeft);
    Optional<Duration> wait = BACKOFF.delay(retry, left, new SplittableRandom(seed));
    Duration latest = left.minus(BACKOFF.guard());

    assertEquals(latest.compareTo(BACKOFF.minDelay()) >= 0, wait.isPresent(), left::toString);
    if (wait.isPresent()) {
      long factor = 1L << Math.min(retry - 1, 20);
      Duration low = min(BACKOFF.minDelay().multipliedBy(factor), BACKOFF.maxWindow());
      Duration high = min(BACKOFF.maxDelay().multipliedBy(factor), BACKOFF.maxWindow());
      Duration w = wait.get();
      assertTrue(w.compareTo(min(low, latest)) >= 0 && w.compareTo(min(high, latest)) <= 0,
          () -> w + " not in [" + low + ", " + high + "] capped at " + latest);
      assertTrue(w.compareTo(BACKOFF.minDelay()) >= 0, w::toString);
    }
  }

  @Property(tries = 100)
  void firstRetries_withTimeToSpare_followTheTwoToTenSecondsWindow(@ForAll long seed) {
    Duration left = Duration.ofHours(1);
    SplittableRandom random = new SplittableRandom(seed);
    Duration first = BACKOFF.delay(1, left, random).orElseThrow();
    Duration second = BACKOFF.delay(2, left, random).orElseThrow();
    assertTrue(first.compareTo(Duration.ofSeconds(2)) >= 0
        && first.compareTo(Duration.ofSeconds(10)) <= 0, first::toString);
    assertTrue(second.compareTo(Duration.ofSeconds(4)) >= 0
        && second.compareTo(Duration.ofSeconds(20)) <= 0, second::toString);
    Duration late = BACKOFF.delay(30, left, random).orElseThrow();
    assertEquals(BACKOFF.maxWindow(), late);
  }

  @Test
  void badSettings_andRetryZero_areRefused() {
    Duration s = Duration.ofSeconds(1);
    assertThrows(IllegalArgumentException.class,
        () -> new RekeyBackoff(Duration.ZERO, s, s, s));
    assertThrows(IllegalArgumentException.class,
        () -> new RekeyBackoff(s.multipliedBy(2), s, s, s));
    assertThrows(IllegalArgumentException.class,
        () -> new RekeyBackoff(s, s.multipliedBy(3), s.multipliedBy(2), s));
    assertThrows(IllegalArgumentException.class,
        () -> new RekeyBackoff(s, s, s, s.negated()));
    assertThrows(IllegalArgumentException.class,
        () -> BACKOFF.delay(0, Duration.ofHours(1), new SplittableRandom(1)));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
