package dev.ferry.vpn.core.nat;

/**
 * What {@link NatEngine} did with one packet. Every {@code DROPPED_*} verdict leaves the packet
 * bytes exactly as they were; the caller drops the packet and the engine has counted it.
 */
public enum NatVerdict {
  /** No rule matched: forward the packet as it is. */
  UNCHANGED,
  /** Addresses, ports or identifiers were rewritten and every checksum updated: forward it. */
  TRANSLATED,
  /** The view is not a valid packet ({@link dev.ferry.vpn.core.packet.IpPacketView#defect()}). */
  DROPPED_MALFORMED,
  /** A new source NAT flow was needed but the table holds its maximum of flows. */
  DROPPED_TABLE_FULL,
  /** A new source NAT flow was needed but its external address has no free port left. */
  DROPPED_PORTS_EXHAUSTED,
  /**
   * Inbound to a source NAT address without a live flow (or from another remote endpoint), or an
   * ICMP error about a flow that does not exist: many-to-one NAT accepts only replies.
   */
  DROPPED_UNSOLICITED,
  /**
   * Source NAT applies but the packet has nothing to tell flows apart: a protocol other than TCP,
   * UDP or an ICMP query, or a fragment (reassemble before NAT).
   */
  DROPPED_UNTRACKABLE;

  /** True for the {@code DROPPED_*} verdicts: the caller must not forward the packet. */
  public boolean dropped() {
    return this != UNCHANGED && this != TRANSLATED;
  }
}
