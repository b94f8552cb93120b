package dev.ferry.vpn.ike.message;

import java.util.Objects;

/**
 * A payload whose type this codec does not parse, kept as received (RFC 7296 section 2.5: a
 * non-critical unrecognised payload is skipped, not rejected) so that it round-trips. A received
 * unknown payload with the critical bit set never becomes one of these: the decoder answers with
 * UNSUPPORTED_CRITICAL_PAYLOAD instead.
 */
public record UnknownPayload(PayloadType type, boolean critical, Bytes body)
    implements IkePayload {
  public UnknownPayload {
    Objects.requireNonNull(type, "type");
    if (PayloadCodec.parses(type) || type.equals(PayloadType.NONE)) {
      throw new IllegalArgumentException(
          type + " has its own payload record and cannot be an UnknownPayload");
    }
    Checks.maxLength("payload body", body, PayloadCodec.MAX_BODY);
  }

  @Override
  public String summary() {
    return "UNKNOWN(" + type.value() + ")";
  }
}
