package dev.ferry.vpn.ike.message;

import java.util.Objects;

/** Certificate payload (RFC 7296 section 3.6): an encoding and the certificate data. */
public record CertPayload(CertEncoding encoding, Bytes data) implements IkePayload {
  public CertPayload {
    Objects.requireNonNull(encoding, "encoding");
    Checks.maxLength("certificate data", data, PayloadCodec.MAX_BODY - 1);
  }

  @Override
  public PayloadType type() {
    return PayloadType.CERT;
  }

  @Override
  public String summary() {
    return "CERT";
  }
}
