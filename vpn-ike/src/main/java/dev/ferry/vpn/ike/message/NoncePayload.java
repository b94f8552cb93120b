package dev.ferry.vpn.ike.message;

/**
 * Nonce payload, Ni or Nr (RFC 7296 section 3.9). The codec carries any length; the 16..256 octet
 * rule of section 2.10 is the exchange layer's check.
 */
public record NoncePayload(Bytes nonce) implements IkePayload {
  public NoncePayload {
    Checks.maxLength("nonce", nonce, PayloadCodec.MAX_BODY);
  }

  @Override
  public PayloadType type() {
    return PayloadType.NONCE;
  }

  @Override
  public String summary() {
    return "No";
  }
}
