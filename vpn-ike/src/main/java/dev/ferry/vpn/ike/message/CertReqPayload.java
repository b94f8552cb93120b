package dev.ferry.vpn.ike.message;

import java.util.Objects;

/**
 * Certificate Request payload (RFC 7296 section 3.7): an encoding and the certification
 * authorities (for X.509, concatenated 20-octet SHA-1 hashes of trusted CA public keys).
 */
public record CertReqPayload(CertEncoding encoding, Bytes authorities) implements IkePayload {
  public CertReqPayload {
    Objects.requireNonNull(encoding, "encoding");
    Checks.maxLength("certification authorities", authorities, PayloadCodec.MAX_BODY - 1);
  }

  @Override
  public PayloadType type() {
    return PayloadType.CERTREQ;
  }

  @Override
  public String summary() {
    return "CERTREQ";
  }
}
