package dev.ferry.vpn.esp;

/**
 * What became of one inbound ESP packet. Every value except {@link #ACCEPTED} means the packet was
 * dropped; drops are silent on the wire and counted in {@link EspStats}, never logged or thrown
 * (RFC 4303 section 3.4: the receiver discards and may audit).
 */
public enum EspVerdict {
  /** Authentic, fresh, inside the SA's traffic selectors: the inner packet is ready. */
  ACCEPTED,
  /** No inbound SA has the packet's SPI (RFC 4303 section 3.4.2). */
  UNKNOWN_SPI,
  /** The sequence number is 0, older than the window or already seen (RFC 4303 section 3.4.3). */
  REPLAYED,
  /** The ICV did not verify (RFC 4303 section 3.4.4). */
  AUTH_FAILED,
  /**
   * Too short, misaligned, bad padding or pad length, an unsupported next header, or an inner
   * packet that is not well-formed IPv4/IPv6 matching the next header.
   */
  MALFORMED,
  /**
   * Authentic, but the inner source is outside the SA's remote selectors or the destination outside
   * its local ones (RFC 4301 section 5.2, step 4).
   */
  POLICY_MISMATCH,
  /** Authentic dummy packet, next header 59 (RFC 4303 section 2.6): dropped by design. */
  DUMMY_DROPPED,
  /** The SA reached a hard lifetime limit and no longer accepts packets. */
  SA_EXPIRED
}
