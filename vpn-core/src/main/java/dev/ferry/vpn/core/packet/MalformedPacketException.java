package dev.ferry.vpn.core.packet;

/**
 * A byte array that is not a well-formed IP packet, thrown by the convenience parser {@link
 * IpPacketView#parse(byte[])} for code off the per-packet path. The message names the field, the
 * offset (from the start of the packet) and the reason; it never contains packet bytes.
 */
public final class MalformedPacketException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final PacketDefect defect;
  private final int offset;

  public MalformedPacketException(PacketDefect defect, int offset, String detail) {
    super(describe(defect, offset, detail));
    if (defect == null || defect == PacketDefect.NONE) {
      throw new IllegalArgumentException("a malformed packet needs a defect other than NONE");
    }
    this.defect = defect;
    this.offset = offset;
  }

  private static String describe(PacketDefect defect, int offset, String detail) {
    String base = defect == null ? "malformed packet" : defect.field() + " at offset " + offset
        + ": " + defect.reason();
    return detail == null || detail.isEmpty() ? base : base + " (" + detail + ")";
  }

  /** What is wrong. */
  public PacketDefect defect() {
    return defect;
  }

  /** The field name of the defect. */
  public String field() {
    return defect.field();
  }

  /** Offset of the faulty field from the start of the packet. */
  public int offset() {
    return offset;
  }
}
