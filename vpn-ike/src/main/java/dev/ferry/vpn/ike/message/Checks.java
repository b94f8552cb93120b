package dev.ferry.vpn.ike.message;

import java.util.Objects;

/** Argument checks for the wire-field ranges of payload records; messages name the field. */
final class Checks {
  private Checks() {}

  static int range(String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is outside 0.." + max);
    }
    return value;
  }

  static Bytes maxLength(String field, Bytes value, int max) {
    Objects.requireNonNull(value, field);
    if (value.length() > max) {
      throw new IllegalArgumentException(
          field + " of " + value.length() + " octets exceeds " + max + " octets");
    }
    return value;
  }

  static PayloadType oneOf(String field, PayloadType value, PayloadType a, PayloadType b) {
    Objects.requireNonNull(value, field);
    if (!value.equals(a) && !value.equals(b)) {
      throw new IllegalArgumentException(field + " must be " + a + " or " + b + ", not " + value);
    }
    return value;
  }
}
