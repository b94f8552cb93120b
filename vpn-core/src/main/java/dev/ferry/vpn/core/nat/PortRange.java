package dev.ferry.vpn.core.nat;

/**
 * An inclusive range of external ports (TCP, UDP) or ICMP echo identifiers that source NAT may hand
 * out, {@code 0 <= first <= last <= 65535}.
 */
public record PortRange(int first, int last) {

  /**
   * TCP/UDP default: the non-privileged ports. RFC 4787 section 4.2.2 (REQ-3): a source port in
   * 1024-65535 should keep a mapped port in that range, and ports below 1024 are left to the host.
   */
  public static final PortRange UNPRIVILEGED = new PortRange(1024, 65535);

  /** ICMP echo default: any identifier (RFC 5508 section 3.1 treats it as the query's port). */
  public static final PortRange ALL = new PortRange(0, 65535);

  public PortRange {
    if (first < 0 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "port range " + first + "-" + last + " must satisfy 0 <= first <= last <= 65535");
    }
  }

  /** Number of ports in the range. */
  public int size() {
    return last - first + 1;
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
