package dev.ferry.vpn.core.sa;

import java.time.Duration;
import java.util.Objects;

/**
 * Soft and hard limits of a CHILD SA. At the soft limit the control plane starts a rekey; at the
 * hard limit the data plane stops using the SA. Byte and packet limits of 0 mean "no limit" (the
 * strongSwan default). Time limits are relative to installation.
 */
public record SaLifetime(
    Duration softTime, Duration hardTime, long softBytes, long hardBytes, long softPackets,
    long hardPackets) {

  public SaLifetime {
    Objects.requireNonNull(softTime, "softTime");
    Objects.requireNonNull(hardTime, "hardTime");
    if (softTime.isNegative() || softTime.isZero() || softTime.compareTo(hardTime) > 0) {
      throw new IllegalArgumentException(
          "soft time " + softTime + " must be positive and not after hard time " + hardTime);
    }
    checkCounts("bytes", softBytes, hardBytes);
    checkCounts("packets", softPackets, hardPackets);
  }

  /** Time limits only: soft at {@code lifetime - margin}, hard at {@code lifetime}. */
  public static SaLifetime ofTime(Duration lifetime, Duration margin) {
    return new SaLifetime(lifetime.minus(margin), lifetime, 0, 0, 0, 0);
  }

  private static void checkCounts(String what, long soft, long hard) {
    if (soft < 0 || hard < 0 || (hard != 0 && soft > hard)) {
      throw new IllegalArgumentException(
          "soft " + what + " limit " + soft + " and hard limit " + hard
              + " must be non-negative with soft <= hard (0 means no limit)");
    }
  }
}
