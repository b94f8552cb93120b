package dev.ferry.vpn.core.nat;

import java.time.Duration;
import java.util.Objects;

/**
 * Idle timeouts of source NAT flows. A flow expires when no packet refreshed it for its timeout;
 * every packet of the flow, in either direction, refreshes it.
 *
 * <p>The floors are the RFC minimums and are enforced, because a shorter timer silently breaks
 * long-lived sessions behind the NAT:
 *
 * <ul>
 *   <li>UDP at least 2 minutes (RFC 4787 section 4.3, REQ-5; 5 minutes recommended and default);
 *   <li>ICMP echo at least 60 seconds (RFC 5508 section 3.2, REQ-1);
 *   <li>TCP established at least 2 hours 4 minutes (RFC 5382 section 5, REQ-5);
 *   <li>TCP transitory (not yet seen both ways, or FIN/RST seen) at least 4 minutes (RFC 5382
 *       section 5, REQ-5).
 * </ul>
 */
public record NatTimeouts(
    Duration udp, Duration icmpEcho, Duration tcpEstablished, Duration tcpTransitory) {

  static final Duration UDP_MIN = Duration.ofMinutes(2);
  static final Duration ICMP_MIN = Duration.ofSeconds(60);
  static final Duration TCP_ESTABLISHED_MIN = Duration.ofMinutes(124);
  static final Duration TCP_TRANSITORY_MIN = Duration.ofMinutes(4);

  /** 5 min UDP, 60 s ICMP echo, 2 h 4 min TCP established, 4 min TCP transitory. */
  public static final NatTimeouts DEFAULTS =
      new NatTimeouts(Duration.ofMinutes(5), ICMP_MIN, TCP_ESTABLISHED_MIN, TCP_TRANSITORY_MIN);

  public NatTimeouts {
    atLeast("UDP", udp, UDP_MIN, "RFC 4787 REQ-5");
    atLeast("ICMP echo", icmpEcho, ICMP_MIN, "RFC 5508 REQ-1");
    atLeast("TCP established", tcpEstablished, TCP_ESTABLISHED_MIN, "RFC 5382 REQ-5");
    atLeast("TCP transitory", tcpTransitory, TCP_TRANSITORY_MIN, "RFC 5382 REQ-5");
  }

  private static void atLeast(String what, Duration value, Duration min, String rule) {
    Objects.requireNonNull(value, what + " timeout");
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          what + " timeout " + value + " is below the minimum " + min + " (" + rule + ")");
    }
  }
}
