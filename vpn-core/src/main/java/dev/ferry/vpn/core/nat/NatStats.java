package dev.ferry.vpn.core.nat;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a {@link NatEngine}'s counters: packets per {@link NatVerdict} in each direction,
 * and the source NAT table's counters.
 */
public record NatStats(
    Map<NatVerdict, Long> outbound, Map<NatVerdict, Long> inbound, ConntrackStats conntrack) {

  public NatStats {
    outbound = Map.copyOf(Objects.requireNonNull(outbound, "outbound"));
    inbound = Map.copyOf(Objects.requireNonNull(inbound, "inbound"));
    Objects.requireNonNull(conntrack, "conntrack");
  }

  /** Outbound packets that got {@code verdict}. */
  public long outbound(NatVerdict verdict) {
    return outbound.getOrDefault(verdict, 0L);
  }

  /** Inbound packets that got {@code verdict}. */
  public long inbound(NatVerdict verdict) {
    return inbound.getOrDefault(verdict, 0L);
  }
}
