package dev.ferry.vpn.ike.message;

/**
 * Key Exchange payload (RFC 7296 section 3.4): the key exchange method number (Transform Type 4
 * ID, e.g. 19 for ECP-256, 31 for Curve25519) and the sender's public value.
 */
public record KePayload(int method, Bytes data) implements IkePayload {
  public KePayload {
    Checks.range("key exchange method", method, 0xffff);
    Checks.maxLength("key exchange data", data, PayloadCodec.MAX_BODY - 4);
  }

  @Override
  public PayloadType type() {
    return PayloadType.KE;
  }

  @Override
  public String summary() {
    return "KE";
  }
}
