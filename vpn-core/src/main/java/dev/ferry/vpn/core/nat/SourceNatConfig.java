package dev.ferry.vpn.core.nat;

import java.util.Objects;

/**
 * Limits of a {@link SourceNatTable}: the most flows it holds at once, the external port range per
 * protocol and the idle timeouts.
 */
public record SourceNatConfig(
    int maxFlows,
    PortRange tcpPorts,
    PortRange udpPorts,
    PortRange icmpIdentifiers,
    NatTimeouts timeouts) {

  /** 65,536 flows, ports 1024-65535, any ICMP identifier, {@link NatTimeouts#DEFAULTS}. */
  public static final SourceNatConfig DEFAULTS = new SourceNatConfig(
      65_536, PortRange.UNPRIVILEGED, PortRange.UNPRIVILEGED, PortRange.ALL, NatTimeouts.DEFAULTS);

  /** Refuses tables too large to index with an int or to size a hash table for. */
  static final int MAX_FLOWS_LIMIT = 1 << 24;

  public SourceNatConfig {
    if (maxFlows < 1 || maxFlows > MAX_FLOWS_LIMIT) {
      throw new IllegalArgumentException(
          "maxFlows " + maxFlows + " must be between 1 and " + MAX_FLOWS_LIMIT);
    }
    Objects.requireNonNull(tcpPorts, "tcpPorts");
    Objects.requireNonNull(udpPorts, "udpPorts");
    Objects.requireNonNull(icmpIdentifiers, "icmpIdentifiers");
    Objects.requireNonNull(timeouts, "timeouts");
  }

  /** The same limits with another flow bound. */
  public SourceNatConfig withMaxFlows(int flows) {
    return new SourceNatConfig(flows, tcpPorts, udpPorts, icmpIdentifiers, timeouts);
  }

  /** The same limits with other port ranges. */
  public SourceNatConfig withPorts(PortRange tcp, PortRange udp, PortRange icmp) {
    return new SourceNatConfig(maxFlows, tcp, udp, icmp, timeouts);
  }

  PortRange range(FlowProtocol protocol) {
    return switch (protocol) {
      case TCP -> tcpPorts;
      case UDP -> udpPorts;
      case ICMP_ECHO -> icmpIdentifiers;
    };
  }
}
