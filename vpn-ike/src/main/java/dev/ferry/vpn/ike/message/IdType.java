package dev.ferry.vpn.ike.message;

/**
 * IKEv2 Identification Payload ID Types (RFC 7296 section 3.5).
 *
 * <p>An open registry: {@link #valueOf} accepts every value of the field's width, unknown values
 * round-trip unchanged, and {@link #isKnown} tells whether Ferry has a name for the value.
 */
public record IdType(int value) {
  private static final RegistryNames NAMES = new RegistryNames("IdType", 255);

  /** A single four-octet IPv4 address. */
  public static final IdType ID_IPV4_ADDR = new IdType(NAMES.define(1, "ID_IPV4_ADDR"));
  /** A fully qualified domain name, ASCII, no terminator. */
  public static final IdType ID_FQDN = new IdType(NAMES.define(2, "ID_FQDN"));
  /** An RFC 822 e-mail address, ASCII, no terminator. */
  public static final IdType ID_RFC822_ADDR = new IdType(NAMES.define(3, "ID_RFC822_ADDR"));
  /** A single sixteen-octet IPv6 address. */
  public static final IdType ID_IPV6_ADDR = new IdType(NAMES.define(5, "ID_IPV6_ADDR"));
  /** The DER encoding of an ASN.1 X.500 Distinguished Name. */
  public static final IdType ID_DER_ASN1_DN = new IdType(NAMES.define(9, "ID_DER_ASN1_DN"));
  /** The DER encoding of an ASN.1 X.509 GeneralName. */
  public static final IdType ID_DER_ASN1_GN = new IdType(NAMES.define(10, "ID_DER_ASN1_GN"));
  /** An opaque octet string for vendor-specific information. */
  public static final IdType ID_KEY_ID = new IdType(NAMES.define(11, "ID_KEY_ID"));
  /** A Fibre Channel name (RFC 4595). */
  public static final IdType ID_FC_NAME = new IdType(NAMES.define(12, "ID_FC_NAME"));
  /** No identity (RFC 7619). */
  public static final IdType ID_NULL = new IdType(NAMES.define(13, "ID_NULL"));

  public IdType {
    NAMES.checkRange(value);
  }

  /** The registry value {@code value}; throws IllegalArgumentException outside 0..255. */
  public static IdType valueOf(int value) {
    return new IdType(value);
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code ID_FQDN}, or {@code IdType(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
