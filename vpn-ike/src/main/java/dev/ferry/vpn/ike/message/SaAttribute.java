package dev.ferry.vpn.ike.message;

import java.util.Objects;

/**
 * One Transform Attribute (RFC 7296 section 3.3.5), in TV form (AF bit set, a two-octet value) or
 * TLV form (AF bit clear, a length and a variable value).
 */
public record SaAttribute(int attributeType, boolean tvFormat, Bytes value) {
  /** Attribute Type of Key Length, in bits, always TV (section 3.3.5). */
  public static final int KEY_LENGTH = 14;

  public SaAttribute {
    Checks.range("attribute type", attributeType, 0x7fff);
    Objects.requireNonNull(value, "value");
    if (tvFormat && value.length() != 2) {
      throw new IllegalArgumentException(
          "a TV attribute has a two-octet value, not " + value.length() + " octets");
    }
    Checks.maxLength("attribute value", value, 0xffff);
  }

  /** The Key Length attribute for {@code bits}. */
  public static SaAttribute keyLength(int bits) {
    Checks.range("key length", bits, 0xffff);
    return new SaAttribute(KEY_LENGTH, true, Bytes.of((byte) (bits >>> 8), (byte) bits));
  }

  /** The value of a TV attribute as an unsigned 16-bit number, or -1 for TLV attributes. */
  public int shortValue() {
    return tvFormat ? value.get(0) << 8 | value.get(1) : -1;
  }
}
