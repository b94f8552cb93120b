package dev.ferry.vpn.core.nat;

/**
 * The protocols source NAT can track: they carry a port or identifier that tells flows sharing one
 * external address apart.
 */
public enum FlowProtocol {
  /** TCP: ports; timeouts follow RFC 5382. */
  TCP,
  /** UDP: ports; timeouts follow RFC 4787. */
  UDP,
  /** ICMP or ICMPv6 echo request/reply: the identifier acts as the port (RFC 5508 section 3.1). */
  ICMP_ECHO
}
