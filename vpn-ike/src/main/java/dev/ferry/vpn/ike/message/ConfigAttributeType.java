package dev.ferry.vpn.ike.message;

/**
 * IKEv2 Configuration Payload Attribute Types (RFC 7296 section 3.15.1): 15 bits, after the
 * reserved bit.
 *
 * <p>An open registry: {@link #valueOf} accepts every value of the field's width, unknown values
 * round-trip unchanged, and {@link #isKnown} tells whether Ferry has a name for the value.
 */
public record ConfigAttributeType(int value) {
  private static final RegistryNames NAMES = new RegistryNames("ConfigAttributeType", 32767);

  /** An IPv4 address on the internal network. */
  public static final ConfigAttributeType INTERNAL_IP4_ADDRESS = new ConfigAttributeType(NAMES.define(1, "INTERNAL_IP4_ADDRESS"));
  /** The internal network's IPv4 netmask. */
  public static final ConfigAttributeType INTERNAL_IP4_NETMASK = new ConfigAttributeType(NAMES.define(2, "INTERNAL_IP4_NETMASK"));
  /** An IPv4 DNS server. */
  public static final ConfigAttributeType INTERNAL_IP4_DNS = new ConfigAttributeType(NAMES.define(3, "INTERNAL_IP4_DNS"));
  /** An IPv4 NetBIOS name server. */
  public static final ConfigAttributeType INTERNAL_IP4_NBNS = new ConfigAttributeType(NAMES.define(4, "INTERNAL_IP4_NBNS"));
  /** An IPv4 DHCP server. */
  public static final ConfigAttributeType INTERNAL_IP4_DHCP = new ConfigAttributeType(NAMES.define(6, "INTERNAL_IP4_DHCP"));
  /** The application version, as text. */
  public static final ConfigAttributeType APPLICATION_VERSION = new ConfigAttributeType(NAMES.define(7, "APPLICATION_VERSION"));
  /** An IPv6 address and prefix length on the internal network. */
  public static final ConfigAttributeType INTERNAL_IP6_ADDRESS = new ConfigAttributeType(NAMES.define(8, "INTERNAL_IP6_ADDRESS"));
  /** An IPv6 DNS server. */
  public static final ConfigAttributeType INTERNAL_IP6_DNS = new ConfigAttributeType(NAMES.define(10, "INTERNAL_IP6_DNS"));
  /** An IPv6 DHCP server. */
  public static final ConfigAttributeType INTERNAL_IP6_DHCP = new ConfigAttributeType(NAMES.define(12, "INTERNAL_IP6_DHCP"));
  /** An IPv4 subnet the peer protects. */
  public static final ConfigAttributeType INTERNAL_IP4_SUBNET = new ConfigAttributeType(NAMES.define(13, "INTERNAL_IP4_SUBNET"));
  /** The attribute types the sender supports. */
  public static final ConfigAttributeType SUPPORTED_ATTRIBUTES = new ConfigAttributeType(NAMES.define(14, "SUPPORTED_ATTRIBUTES"));
  /** An IPv6 subnet the peer protects. */
  public static final ConfigAttributeType INTERNAL_IP6_SUBNET = new ConfigAttributeType(NAMES.define(15, "INTERNAL_IP6_SUBNET"));
  /** An internal DNS domain (RFC 8598). */
  public static final ConfigAttributeType INTERNAL_DNS_DOMAIN = new ConfigAttributeType(NAMES.define(25, "INTERNAL_DNS_DOMAIN"));

  public ConfigAttributeType {
    NAMES.checkRange(value);
  }

  /** The registry value {@code value}; throws IllegalArgumentException outside 0..32767. */
  public static ConfigAttributeType valueOf(int value) {
    return new ConfigAttributeType(value);
  }

  /** True when the value has a registered name in Ferry's table. */
  public boolean isKnown() {
    return NAMES.isKnown(value);
  }

  /** The IANA name, e.g. {@code INTERNAL_IP4_NETMASK}, or {@code ConfigAttributeType(n)} for unknown values. */
  public String name() {
    return NAMES.nameOf(value);
  }

  @Override
  public String toString() {
    return name();
  }
}
