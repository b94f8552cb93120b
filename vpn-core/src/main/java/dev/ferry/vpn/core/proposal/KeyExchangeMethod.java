package dev.ferry.vpn.core.proposal;

import static dev.ferry.vpn.core.proposal.Support.LEGACY;
import static dev.ferry.vpn.core.proposal.Support.REFUSED;
import static dev.ferry.vpn.core.proposal.Support.SUPPORTED;

import java.util.Optional;

/**
 * Transform Type 4 (KE, formerly D-H group) IDs from the IANA IKEv2 registry. Support follows RFC
 * 8247 (IKEv2 key exchange recommendations): group 1 MUST NOT; groups 2, 5 and 22 to 24 SHOULD NOT; the rest as the JDK's
 * providers allow (SunEC has no Brainpool or P-192/P-224 curves since JDK 16).
 */
public enum KeyExchangeMethod implements Algorithm {
  /** "NONE": in an ESP proposal next to real groups it makes PFS optional; never valid in IKE. */
  NONE(0, SUPPORTED, ""),
  MODP_768(1, REFUSED, "RFC 8247: group 1 (768-bit MODP) MUST NOT be used"),
  MODP_1024(2, LEGACY, "RFC 8247: group 2 (1024-bit MODP) SHOULD NOT be used"),
  MODP_1536(5, LEGACY, "RFC 8247: group 5 (1536-bit MODP) SHOULD NOT be used"),
  MODP_2048(14, SUPPORTED, ""),
  MODP_3072(15, SUPPORTED, ""),
  MODP_4096(16, SUPPORTED, ""),
  MODP_6144(17, SUPPORTED, ""),
  MODP_8192(18, SUPPORTED, ""),
  ECP_256(19, SUPPORTED, ""),
  ECP_384(20, SUPPORTED, ""),
  ECP_521(21, SUPPORTED, ""),
  MODP_1024_160(22, REFUSED, "RFC 8247: RFC 5114 group 22 SHOULD NOT be used; not implemented"),
  MODP_2048_224(23, REFUSED, "RFC 8247: RFC 5114 group 23 SHOULD NOT be used; not implemented"),
  MODP_2048_256(24, REFUSED, "RFC 8247: RFC 5114 group 24 SHOULD NOT be used; not implemented"),
  ECP_192(25, REFUSED, "not implemented: the JDK has no P-192"),
  ECP_224(26, REFUSED, "not implemented: the JDK has no P-224 key agreement"),
  ECP_224_BP(27, REFUSED, "not implemented: the JDK has no Brainpool curves"),
  ECP_256_BP(28, REFUSED, "not implemented: the JDK has no Brainpool curves"),
  ECP_384_BP(29, REFUSED, "not implemented: the JDK has no Brainpool curves"),
  ECP_512_BP(30, REFUSED, "not implemented: the JDK has no Brainpool curves"),
  CURVE_25519(31, SUPPORTED, ""),
  CURVE_448(32, SUPPORTED, ""),
  ML_KEM_512(35, REFUSED, "not implemented: ML-KEM needs RFC 9370 additional key exchanges"),
  ML_KEM_768(36, REFUSED, "not implemented: ML-KEM needs RFC 9370 additional key exchanges"),
  ML_KEM_1024(37, REFUSED, "not implemented: ML-KEM needs RFC 9370 additional key exchanges");

  private final Registration registration;

  KeyExchangeMethod(int transformId, Support support, String note) {
    this.registration = new Registration(transformId, support, note);
  }

  @Override
  public TransformType type() {
    return TransformType.KE;
  }

  @Override
  public Registration registration() {
    return registration;
  }

  /** The method with IANA Transform ID {@code id}, if Ferry knows it. */
  public static Optional<KeyExchangeMethod> fromTransformId(int id) {
    return Algorithm.withTransformId(values(), id);
  }
}
