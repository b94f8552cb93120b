package dev.ferry.vpn.ike;

import java.time.Duration;
import java.util.Objects;

/**
 * When an unanswered IKE request is sent again (RFC 7296 section 2.1: the initiator retransmits
 * with exponential backoff until it gives up; the responder never retransmits on its own). Send
 * number {@code k} (0 for the first transmission) waits {@code initialTimeout * factor^k} for an
 * answer; after {@code retransmits} retransmissions the last wait expires and the exchange fails.
 *
 * <p>The default is strongSwan's: 4 s, factor 1.8, 5 retransmissions, so the request is sent at
 * 0, 4, 11.2, 24.2, 47.5 and 89.5 s and the SA is given up at 165 s.
 */
public record RetransmissionPolicy(Duration initialTimeout, double factor, int retransmits) {

  /** strongSwan's {@code retransmit_timeout=4.0}, {@code retransmit_base=1.8}, {@code retransmit_tries=5}. */
  public static final RetransmissionPolicy STRONGSWAN =
      new RetransmissionPolicy(Duration.ofSeconds(4), 1.8, 5);

  public RetransmissionPolicy {
    Objects.requireNonNull(initialTimeout, "initialTimeout");
    if (initialTimeout.isNegative() || initialTimeout.isZero()) {
      throw new IllegalArgumentException("initialTimeout " + initialTimeout + " must be positive");
    }
    if (!(factor >= 1.0 && factor <= 10.0)) {
      throw new IllegalArgumentException("factor " + factor + " must be in [1, 10]");
    }
    if (retransmits < 0 || retransmits > 30) {
      throw new IllegalArgumentException("retransmits " + retransmits + " must be in 0..30");
    }
  }

  /** How long to wait for an answer after send number {@code sendIndex} (0 = first send). */
  public Duration timeout(int sendIndex) {
    if (sendIndex < 0 || sendIndex > retransmits) {
      throw new IllegalArgumentException(
          "send index " + sendIndex + " is outside 0.." + retransmits);
    }
    double millis = initialTimeout.toMillis() * Math.pow(factor, sendIndex);
    return Duration.ofMillis(Math.round(millis));
  }

  /** Time from the first send until the exchange is given up. */
  public Duration giveUpAfter() {
    Duration total = Duration.ZERO;
    for (int i = 0; i <= retransmits; i++) {
      total = total.plus(timeout(i));
    }
    return total;
  }
}
