package dev.ferry.vpn.esp.pipeline;

/**
 * Why the {@link DataPlane} did not forward a packet. Counted in {@link DataPlaneStats}; where a
 * lower layer knows more, its own counters say which case it was ({@link
 * dev.ferry.vpn.esp.EspStats} per {@link dev.ferry.vpn.esp.EspVerdict} and {@link
 * dev.ferry.vpn.esp.OutboundDrop}, {@link dev.ferry.vpn.core.nat.NatStats} per verdict).
 */
public enum DataPlaneDrop {
  /** Outbound: what the TUN device gave is not a well-formed IPv4 or IPv6 packet. */
  OUTBOUND_MALFORMED,
  /** Outbound: subnet or source NAT refused the packet (NatStats says why). */
  OUTBOUND_NAT,
  /** Outbound: no CHILD SA's traffic selectors cover the packet (RFC 4301 section 5.1). */
  NO_POLICY,
  /**
   * Outbound: the SA was negotiated without UDP encapsulation; this data plane sends ESP only in
   * UDP (RFC 3948), so the control plane must force encapsulation.
   */
  NOT_UDP_ENCAPSULATED,
  /** Outbound: too big for the path and not fragmentable; an ICMP error went back to the sender. */
  PACKET_TOO_BIG,
  /** Outbound: too big for the path; the sender's ICMP error budget was used up, none was sent. */
  PACKET_TOO_BIG_RATE_LIMITED,
  /** Outbound: the SA refused to protect (expired, sequence numbers used up; EspStats says). */
  PROTECT_FAILED,
  /** Inbound: the ESP layer did not accept the packet (EspStats counts the verdict). */
  INBOUND_REJECTED,
  /** Inbound: subnet or source NAT refused the decrypted packet (NatStats says why). */
  INBOUND_NAT,
  /** Inbound: the TUN device refused the packet (too long for its MTU, full, closed, failed). */
  TUN_REFUSED
}
