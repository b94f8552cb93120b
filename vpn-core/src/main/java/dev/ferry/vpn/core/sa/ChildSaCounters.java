package dev.ferry.vpn.core.sa;

import java.time.Instant;
import java.util.Optional;

/**
 * Traffic seen on one CHILD SA so far, as the data plane counts it: inbound packets and octets
 * after authentication, outbound ones after protection, and when inbound traffic last arrived (for
 * liveness: RFC 7296 section 2.4 lets a peer skip DPD while protected traffic flows).
 */
public record ChildSaCounters(
    long inboundPackets, long inboundBytes, long outboundPackets, long outboundBytes,
    Optional<Instant> lastInbound) {

  /** Nothing counted yet. */
  public static final ChildSaCounters NONE = new ChildSaCounters(0, 0, 0, 0, Optional.empty());

  public ChildSaCounters {
    if (inboundPackets < 0 || inboundBytes < 0 || outboundPackets < 0 || outboundBytes < 0) {
      throw new IllegalArgumentException("counters cannot be negative");
    }
    java.util.Objects.requireNonNull(lastInbound, "lastInbound");
  }
}
