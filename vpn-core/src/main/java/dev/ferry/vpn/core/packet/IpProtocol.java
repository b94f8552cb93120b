package dev.ferry.vpn.core.packet;

/**
 * IANA "Assigned Internet Protocol Numbers" used by the packet views: the IPv4 protocol field and
 * the IPv6 next header field share one number space (RFC 8200 section 4).
 */
public final class IpProtocol {

  /** IPv6 hop-by-hop options header (RFC 8200 section 4.3); only directly after the IPv6 header. */
  public static final int HOP_BY_HOP = 0;
  /** ICMP for IPv4 (RFC 792). */
  public static final int ICMP = 1;
  /** TCP (RFC 9293). */
  public static final int TCP = 6;
  /** UDP (RFC 768). */
  public static final int UDP = 17;
  /** IPv6 routing header (RFC 8200 section 4.4). */
  public static final int IPV6_ROUTING = 43;
  /** IPv6 fragment header (RFC 8200 section 4.5). */
  public static final int IPV6_FRAGMENT = 44;
  /** Encapsulating Security Payload (RFC 4303): opaque, ends the header walk. */
  public static final int ESP = 50;
  /** Authentication Header (RFC 4302); its length is counted in 4-octet units. */
  public static final int AH = 51;
  /** ICMP for IPv6 (RFC 4443). */
  public static final int ICMPV6 = 58;
  /** IPv6 "no next header" (RFC 8200 section 4.7): nothing follows. */
  public static final int IPV6_NO_NEXT_HEADER = 59;
  /** IPv6 destination options header (RFC 8200 section 4.6). */
  public static final int IPV6_DESTINATION_OPTIONS = 60;

  private IpProtocol() {}

  /** True for the IPv6 extension headers the views walk over to find the upper-layer header. */
  public static boolean isIpv6ExtensionHeader(int nextHeader) {
    return nextHeader == HOP_BY_HOP
        || nextHeader == IPV6_ROUTING
        || nextHeader == IPV6_FRAGMENT
        || nextHeader == IPV6_DESTINATION_OPTIONS
        || nextHeader == AH;
  }
}
