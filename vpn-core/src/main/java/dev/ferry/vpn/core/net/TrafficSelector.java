package dev.ferry.vpn.core.net;

import java.util.Objects;
import java.util.Optional;

/**
 * One IKEv2 traffic selector (RFC 7296 section 3.13.1): an address range, an IP protocol (0 for
 * any) and a port range (0-65535 for any). For ICMP and ICMPv6 the "ports" carry the message type
 * in the high octet and the code in the low octet (RFC 4301 section 4.4.1.1), so the full range
 * still means any. Immutable.
 *
 * <p>Negotiation narrows selectors: a responder may answer with a subset of what was proposed
 * (RFC 7296 section 2.9), which is {@link #intersect}.
 */
public record TrafficSelector(IpRange addresses, int ipProtocol, int startPort, int endPort)
    implements Comparable<TrafficSelector> {

  /** The IP protocol value meaning any protocol. */
  public static final int ANY_PROTOCOL = 0;

  public TrafficSelector {
    Objects.requireNonNull(addresses, "addresses");
    if (ipProtocol < 0 || ipProtocol > 255) {
      throw new IllegalArgumentException("IP protocol " + ipProtocol + " is outside 0..255");
    }
    if (startPort < 0 || endPort > 65535 || startPort > endPort) {
      throw new IllegalArgumentException("port range " + startPort + "-" + endPort
          + " must satisfy 0 <= start <= end <= 65535 (RFC 7296 section 3.13.1)");
    }
  }

  /** Every address of {@code prefix}, any protocol, any port: how a subnet is proposed. */
  public static TrafficSelector of(IpPrefix prefix) {
    return new TrafficSelector(IpRange.of(prefix), ANY_PROTOCOL, 0, 65535);
  }

  /** Every address of {@code range}, any protocol, any port. */
  public static TrafficSelector of(IpRange range) {
    return new TrafficSelector(range, ANY_PROTOCOL, 0, 65535);
  }

  public IpFamily family() {
    return addresses.family();
  }

  /** True when any protocol and any port is allowed. */
  public boolean isAnyProtocolAndPort() {
    return ipProtocol == ANY_PROTOCOL && startPort == 0 && endPort == 65535;
  }

  /** True when every packet this selector matches is also matched by {@code other}. */
  public boolean isSubsetOf(TrafficSelector other) {
    return other.addresses.contains(addresses)
        && (other.ipProtocol == ANY_PROTOCOL || other.ipProtocol == ipProtocol)
        && other.startPort <= startPort
        && endPort <= other.endPort;
  }

  /**
   * The selector matching exactly the packets both match, or empty when they share none (other
   * families, disjoint ranges, different protocols or ports).
   */
  public Optional<TrafficSelector> intersect(TrafficSelector other) {
    if (family() != other.family() || !addresses.overlaps(other.addresses)) {
      return Optional.empty();
    }
    int protocol;
    if (ipProtocol == ANY_PROTOCOL) {
      protocol = other.ipProtocol;
    } else if (other.ipProtocol == ANY_PROTOCOL || other.ipProtocol == ipProtocol) {
      protocol = ipProtocol;
    } else {
      return Optional.empty();
    }
    int start = Math.max(startPort, other.startPort);
    int end = Math.min(endPort, other.endPort);
    if (start > end) {
      return Optional.empty();
    }
    IpAddress first = addresses.first().compareTo(other.addresses.first()) >= 0
        ? addresses.first() : other.addresses.first();
    IpAddress last = addresses.last().compareTo(other.addresses.last()) <= 0
        ? addresses.last() : other.addresses.last();
    return Optional.of(new TrafficSelector(new IpRange(first, last), protocol, start, end));
  }

  /** True when the packet's address, protocol and port fall inside this selector. */
  public boolean matches(IpAddress address, int protocol, int port) {
    return addresses.contains(address)
        && (ipProtocol == ANY_PROTOCOL || ipProtocol == protocol)
        && port >= startPort
        && port <= endPort;
  }

  @Override
  public int compareTo(TrafficSelector other) {
    int c = addresses.compareTo(other.addresses);
    if (c == 0) {
      c = Integer.compare(ipProtocol, other.ipProtocol);
    }
    if (c == 0) {
      c = Integer.compare(startPort, other.startPort);
    }
    return c != 0 ? c : Integer.compare(endPort, other.endPort);
  }

  /** {@code 10.0.0.0/24}, or {@code 10.0.0.5-10.0.0.9[tcp 80-80]}-style text. */
  @Override
  public String toString() {
    String where = addresses.isPrefix() ? addresses.toPrefixes().get(0).toString() : addresses.toString();
    return isAnyProtocolAndPort() ? where
        : where + "[" + (ipProtocol == ANY_PROTOCOL ? "any" : Integer.toString(ipProtocol))
            + " " + startPort + "-" + endPort + "]";
  }
}
