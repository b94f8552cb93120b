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

  /**
   * Parses {@code first-last} or a single number, e.g. {@code 1024-65535}; the message of the
   * exception says what is wrong without repeating more than the text given.
   */
  public static PortRange parse(String text) {
    String s = text.strip();
    int dash = s.indexOf('-');
    String first = dash < 0 ? s : s.substring(0, dash).strip();
    String last = dash < 0 ? s : s.substring(dash + 1).strip();
    if (!first.matches("[0-9]{1,5}") || !last.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("a port range is written first-last, e.g. 1024-65535");
    }
    return new PortRange(Integer.parseInt(first), Integer.parseInt(last));
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
