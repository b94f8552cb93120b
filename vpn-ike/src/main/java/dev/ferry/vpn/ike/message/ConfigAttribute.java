package dev.ferry.vpn.ike.message;

import java.util.Objects;

/** One Configuration Attribute (RFC 7296 section 3.15.1): a type and its value. */
public record ConfigAttribute(ConfigAttributeType type, Bytes value) {
  public ConfigAttribute {
    Objects.requireNonNull(type, "type");
    Checks.maxLength("attribute value", value, 0xffff);
  }
}
