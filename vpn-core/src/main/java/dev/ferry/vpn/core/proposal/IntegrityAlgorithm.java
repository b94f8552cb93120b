package dev.ferry.vpn.core.proposal;

import static dev.ferry.vpn.core.proposal.Support.REFUSED;
import static dev.ferry.vpn.core.proposal.Support.SUPPORTED;

import java.util.Optional;

/**
 * Transform Type 3 (INTEG) IDs from the IANA IKEv2 registry, each with the PRF of the same
 * construction that strongSwan assumes for an IKE proposal that names no PRF.
 */
public enum IntegrityAlgorithm implements Algorithm {
  /** "NONE": what an AEAD proposal implies; never listed in a {@link Proposal}. */
  NONE(0, null, SUPPORTED, ""),
  HMAC_MD5_96(1, PrfAlgorithm.HMAC_MD5, REFUSED, "RFC 8221 and RFC 8247: HMAC-MD5 MUST NOT be used"),
  HMAC_SHA1_96(2, PrfAlgorithm.HMAC_SHA1, SUPPORTED, ""),
  DES_MAC(3, null, REFUSED, "RFC 8247: DES-MAC MUST NOT be used"),
  KPDK_MD5(4, null, REFUSED, "RFC 8247: KPDK-MD5 MUST NOT be used"),
  AES_XCBC_96(5, PrfAlgorithm.AES128_XCBC, SUPPORTED, ""),
  HMAC_MD5_128(6, PrfAlgorithm.HMAC_MD5, REFUSED, "RFC 8247: HMAC-MD5 MUST NOT be used"),
  HMAC_SHA1_160(7, PrfAlgorithm.HMAC_SHA1, REFUSED, "not implemented by Ferry (only for RFC 4595)"),
  AES_CMAC_96(8, PrfAlgorithm.AES128_CMAC, SUPPORTED, ""),
  AES_128_GMAC(9, null, REFUSED, "not implemented by Ferry"),
  AES_192_GMAC(10, null, REFUSED, "not implemented by Ferry"),
  AES_256_GMAC(11, null, REFUSED, "not implemented by Ferry"),
  HMAC_SHA2_256_128(12, PrfAlgorithm.HMAC_SHA2_256, SUPPORTED, ""),
  HMAC_SHA2_384_192(13, PrfAlgorithm.HMAC_SHA2_384, SUPPORTED, ""),
  HMAC_SHA2_512_256(14, PrfAlgorithm.HMAC_SHA2_512, SUPPORTED, "");

  private final Registration registration;
  private final PrfAlgorithm matchingPrf;

  IntegrityAlgorithm(int transformId, PrfAlgorithm matchingPrf, Support support, String note) {
    this.matchingPrf = matchingPrf;
    this.registration = new Registration(transformId, support, note);
  }

  @Override
  public TransformType type() {
    return TransformType.INTEG;
  }

  @Override
  public Registration registration() {
    return registration;
  }

  /** The PRF built on the same primitive (HMAC-SHA-256 for HMAC-SHA-256-128), if there is one. */
  public Optional<PrfAlgorithm> matchingPrf() {
    return Optional.ofNullable(matchingPrf);
  }

  /** The algorithm with IANA Transform ID {@code id}, if Ferry knows it. */
  public static Optional<IntegrityAlgorithm> fromTransformId(int id) {
    return Algorithm.withTransformId(values(), id);
  }
}
