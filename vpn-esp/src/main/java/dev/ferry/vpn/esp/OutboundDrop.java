package dev.ferry.vpn.esp;

/**
 * Why an outbound packet was not protected. {@link OutboundSa#protect} reports these as negative
 * return values ({@link #code()}), which {@link #of(int)} turns back into the constant, so the hot
 * path neither allocates nor throws.
 */
public enum OutboundDrop {
  /** No installed CHILD SA's traffic selectors cover the packet. */
  NO_SA,
  /** The bytes handed over do not start like an IPv4 or IPv6 packet. */
  NOT_IP,
  /** The SA reached a hard lifetime limit. */
  SA_EXPIRED,
  /** The sequence number space is used up; the SA refuses to wrap (RFC 4303 section 3.3.3). */
  SEQUENCE_EXHAUSTED;

  private static final OutboundDrop[] VALUES = values();

  /** The negative number {@link OutboundSa#protect} returns for this reason. */
  public int code() {
    return -1 - ordinal();
  }

  /**
   * The reason behind a negative {@link OutboundSa#protect} result.
   *
   * @throws IllegalArgumentException when {@code protectResult} is not such a code
   */
  public static OutboundDrop of(int protectResult) {
    int index = -1 - protectResult;
    if (index < 0 || index >= VALUES.length) {
      throw new IllegalArgumentException(protectResult + " is not an OutboundDrop code");
    }
    return VALUES[index];
  }
}
