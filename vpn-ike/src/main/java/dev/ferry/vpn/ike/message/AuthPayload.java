package dev.ferry.vpn.ike.message;

import java.util.Objects;

/** Authentication payload (RFC 7296 section 3.8): the method and the signature or MAC. */
public record AuthPayload(AuthMethod method, Bytes data) implements IkePayload {
  public AuthPayload {
    Objects.requireNonNull(method, "method");
    Checks.maxLength("authentication data", data, PayloadCodec.MAX_BODY - 4);
  }

  @Override
  public PayloadType type() {
    return PayloadType.AUTH;
  }

  @Override
  public String summary() {
    return "AUTH";
  }
}
