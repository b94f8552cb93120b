package dev.ferry.vpn.esp;

/**
 * Where {@link InboundSa#unprotect} left the decrypted inner packet: a reusable, mutable carrier
 * that a receive worker allocates once and passes with every packet (like a packet batch's offset
 * and length arrays). Meaningful only after an {@link EspVerdict#ACCEPTED} verdict; after any other
 * verdict its content is unspecified. Not thread-safe.
 *
 * <p>The inner packet lies in the same array the ESP packet was in, at {@link #offset()} for
 * {@link #length()} octets: the length its IP header states, so TFC padding (RFC 4303 section 2.7)
 * and the ESP trailer are excluded.
 */
public final class InnerPacket {
  private int offset;
  private int length;
  private int nextHeader;
  private InboundSa sa;

  void set(InboundSa sa, int offset, int length, int nextHeader) {
    this.sa = sa;
    this.offset = offset;
    this.length = length;
    this.nextHeader = nextHeader;
  }

  /** Offset of the inner IP header in the buffer that was unprotected. */
  public int offset() {
    return offset;
  }

  /** Length of the inner IP packet. */
  public int length() {
    return length;
  }

  /** The ESP next header: 4 for IPv4, 41 for IPv6 in tunnel mode (RFC 4303 section 2.6). */
  public int nextHeader() {
    return nextHeader;
  }

  /** The SA that accepted the packet (for per-SA NAT and accounting after decryption). */
  public InboundSa sa() {
    return sa;
  }

  @Override
  public String toString() {
    return "InnerPacket[offset " + offset + ", length " + length + ", next header " + nextHeader
        + "]";
  }
}
