package dev.ferry.vpn.core.proposal;

import static dev.ferry.vpn.core.proposal.Support.REFUSED;
import static dev.ferry.vpn.core.proposal.Support.SUPPORTED;

import java.util.Optional;

/** Transform Type 2 (PRF) IDs from the IANA IKEv2 registry. */
public enum PrfAlgorithm implements Algorithm {
  HMAC_MD5(1, REFUSED, "RFC 8247: PRF_HMAC_MD5 MUST NOT be used"),
  HMAC_SHA1(2, SUPPORTED, ""),
  HMAC_TIGER(3, REFUSED, "RFC 8247: PRF_HMAC_TIGER MUST NOT be used"),
  AES128_XCBC(4, SUPPORTED, ""),
  HMAC_SHA2_256(5, SUPPORTED, ""),
  HMAC_SHA2_384(6, SUPPORTED, ""),
  HMAC_SHA2_512(7, SUPPORTED, ""),
  AES128_CMAC(8, SUPPORTED, "");

  private final Registration registration;

  PrfAlgorithm(int transformId, Support support, String note) {
    this.registration = new Registration(transformId, support, note);
  }

  @Override
  public TransformType type() {
    return TransformType.PRF;
  }

  @Override
  public Registration registration() {
    return registration;
  }

  /** The algorithm with IANA Transform ID {@code id}, if Ferry knows it. */
  public static Optional<PrfAlgorithm> fromTransformId(int id) {
    return Algorithm.withTransformId(values(), id);
  }
}
