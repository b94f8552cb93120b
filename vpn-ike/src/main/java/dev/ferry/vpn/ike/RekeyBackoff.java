package dev.ferry.vpn.ike;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a rekey again after the peer answered it with TEMPORARY_FAILURE. RFC 7296 section
 * 2.25: the initiator must not retry at once but wait so the peer can finish whatever made it
 * refuse, and may retry several times over several minutes; section 2.8: rekeying happens before
 * the SA expires and the old SA carries traffic meanwhile. So retry number {@code n} (1 for the
 * first retry) waits a random time between {@code minDelay * 2^(n-1)} and {@code maxDelay *
 * 2^(n-1)}, both capped at {@code maxWindow} (random, so two peers that refused each other do not
 * meet again; strongSwan also retries after a randomised few seconds), and never later than {@code
 * guard} before the SA's hard lifetime, so the retry has time to complete. Without that much time
 * left (at least {@code minDelay} before that latest start) there is no retry: the SA expires as
 * it would have without a rekey.
 *
 * @param minDelay lower end of the first retry's wait
 * @param maxDelay upper end of the first retry's wait
 * @param maxWindow the most any retry waits
 * @param guard how long before the hard lifetime a retry must start at the latest
 */
public record RekeyBackoff(Duration minDelay, Duration maxDelay, Duration maxWindow,
    Duration guard) {

  /** 2-10 s, doubling, at most 2 minutes, starting at least 2 s before the hard lifetime. */
  public static final RekeyBackoff DEFAULT = new RekeyBackoff(Duration.ofSeconds(2),
      Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofSeconds(2));

  /** More doublings than this would only hit {@code maxWindow}; it also keeps shifts in range. */
  private static final int MAX_DOUBLINGS = 20;

  public RekeyBackoff {
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(maxWindow, "maxWindow");
    Objects.requireNonNull(guard, "guard");
    // RFC 7296 section 2.25: "MUST NOT immediately retry", so the shortest wait is positive.
    if (!minDelay.isPositive() || maxDelay.compareTo(minDelay) < 0
        || maxWindow.compareTo(maxDelay) < 0 || guard.isNegative()) {
      throw new IllegalArgumentException("rekey backoff needs 0 < minDelay (" + minDelay
          + ") <= maxDelay (" + maxDelay + ") <= maxWindow (" + maxWindow + ") and guard ("
          + guard + ") >= 0");
    }
  }

  /**
   * The wait before retry number {@code retry} (1 for the first), or empty when the SA, whose
   * hard lifetime ends {@code untilHardExpiry} from now, has no time left for one: the retry
   * would have to start less than {@code minDelay} from now.
   */
  public Optional<Duration> delay(int retry, Duration untilHardExpiry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry numbers start at 1, not " + retry);
    }
    Duration latest = untilHardExpiry.minus(guard);
    if (latest.compareTo(minDelay) < 0) {
      // A retry squeezed in sooner than minDelay would be the immediate retry 2.25 forbids.
      return Optional.empty();
    }
    long factor = 1L << Math.min(retry - 1, MAX_DOUBLINGS);
    long low = Math.min(minDelay.toMillis() * factor, maxWindow.toMillis());
    long high = Math.min(maxDelay.toMillis() * factor, maxWindow.toMillis());
    Duration wait = Duration.ofMillis(low + random.nextLong(high - low + 1));
    return Optional.of(wait.compareTo(latest) < 0 ? wait : latest);
  }
}
