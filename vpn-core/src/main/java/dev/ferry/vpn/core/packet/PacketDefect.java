package dev.ferry.vpn.core.packet;

/**
 * Why a byte range is not a packet the views can work on. Returned by {@link IpPacketView#reset}
 * (no exception, no allocation) so that per-packet code can count defects and drop the packet.
 * Each value names the header field at fault; {@link IpPacketView#defectOffset()} says where.
 */
public enum PacketDefect {
  /** The packet is well formed. */
  NONE("", "well formed"),
  /** Fewer bytes than the fixed IP header (20 for IPv4, 40 for IPv6). */
  TRUNCATED_IP_HEADER("ip header", "fewer bytes than the fixed IP header"),
  /** The version nibble is neither 4 nor 6, or not the family an ICMP error must embed. */
  BAD_VERSION("version", "IP version is not 4 or 6 (or not the family expected)"),
  /** IPv4 IHL below 5 (RFC 791), or options running past the available bytes. */
  BAD_IHL("ihl", "IPv4 header length is below 20 octets or exceeds the bytes present"),
  /**
   * IPv4 total length (or IPv6 payload length + 40) is below the header length or above the bytes
   * present. Bytes after the stated length (such as ESP TFC padding) are allowed and ignored.
   */
  TOTAL_LENGTH_MISMATCH("total length", "stated length is shorter than the header or longer than the data"),
  /** An IPv6 extension header runs past the payload, is misplaced or repeated where not allowed. */
  BAD_EXTENSION_CHAIN("next header", "IPv6 extension header chain is truncated or out of order"),
  /** The first fragment (or unfragmented packet) is too short for its TCP, UDP or ICMP header. */
  TRUNCATED_TRANSPORT("transport header", "too short for the transport header"),
  /** TCP data offset below 5 words (RFC 9293 section 3.1). */
  BAD_TCP_DATA_OFFSET("tcp data offset", "TCP data offset is below 20 octets"),
  /** UDP length below 8 or above the datagram (RFC 768), in an unfragmented datagram. */
  BAD_UDP_LENGTH("udp length", "UDP length is below 8 or longer than the datagram"),
  /** A fragment whose offset plus length exceeds 65535 octets (RFC 791, RFC 8200 section 4.5). */
  BAD_FRAGMENT("fragment offset", "fragment extends past the largest possible datagram"),
  /** An ICMP error whose embedded packet is malformed; {@link IpPacketView#embeddedDefect()} says how. */
  MALFORMED_EMBEDDED_PACKET("icmp embedded packet", "the packet embedded in the ICMP error is malformed");

  private final String field;
  private final String reason;

  PacketDefect(String field, String reason) {
    this.field = field;
    this.reason = reason;
  }

  /** The header field at fault, in words ("total length"); empty for {@link #NONE}. */
  public String field() {
    return field;
  }

  /** Why the field is refused, in words. */
  public String reason() {
    return reason;
  }
}
