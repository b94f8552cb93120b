package dev.ferry.vpn.core.proposal;

import static dev.ferry.vpn.core.proposal.Support.LEGACY;
import static dev.ferry.vpn.core.proposal.Support.REFUSED;
import static dev.ferry.vpn.core.proposal.Support.SUPPORTED;

import java.util.Optional;
import java.util.Set;

/**
 * Transform Type 1 (ENCR) IDs from the IANA IKEv2 registry. AES and Camellia take a Key Length
 * attribute (RFC 7296 section 3.3.5) of 128, 192 or 256 bits; the others have a fixed key and must
 * not carry one (RFC 7634 section 2 for ChaCha20-Poly1305).
 */
public enum EncryptionAlgorithm implements Algorithm {
  DES(2, false, Set.of(), REFUSED, "RFC 8221 and RFC 8247: DES MUST NOT be used (56-bit key)"),
  TRIPLE_DES(3, false, Set.of(), LEGACY,
      "RFC 8221: 3DES SHOULD NOT be used (64-bit block); kept because the chart defaults name it"),
  CAST(6, false, Set.of(), REFUSED, "not implemented by Ferry"),
  BLOWFISH(7, false, Set.of(), REFUSED, "RFC 8221: Blowfish MUST NOT be used"),
  NULL(11, false, Set.of(), REFUSED,
      "NULL encryption gives no confidentiality; RFC 8247 does not allow it for IKE"),
  AES_CBC(12, false, Set.of(128, 192, 256), SUPPORTED, ""),
  AES_CTR(13, false, Set.of(128, 192, 256), REFUSED, "not implemented by Ferry"),
  AES_CCM_8(14, true, Set.of(128, 192, 256), REFUSED, "not implemented: the JDK has no AES-CCM"),
  AES_CCM_12(15, true, Set.of(128, 192, 256), REFUSED, "not implemented: the JDK has no AES-CCM"),
  AES_CCM_16(16, true, Set.of(128, 192, 256), REFUSED, "not implemented: the JDK has no AES-CCM"),
  AES_GCM_8(18, true, Set.of(128, 192, 256), SUPPORTED, ""),
  AES_GCM_12(19, true, Set.of(128, 192, 256), SUPPORTED, ""),
  AES_GCM_16(20, true, Set.of(128, 192, 256), SUPPORTED, ""),
  NULL_AUTH_AES_GMAC(21, false, Set.of(128, 192, 256), REFUSED,
      "AES-GMAC authenticates only and gives no confidentiality"),
  CAMELLIA_CBC(23, false, Set.of(128, 192, 256), REFUSED, "not implemented by Ferry"),
  CAMELLIA_CTR(24, false, Set.of(128, 192, 256), REFUSED, "not implemented by Ferry"),
  CAMELLIA_CCM_8(25, true, Set.of(128, 192, 256), REFUSED, "not implemented by Ferry"),
  CAMELLIA_CCM_12(26, true, Set.of(128, 192, 256), REFUSED, "not implemented by Ferry"),
  CAMELLIA_CCM_16(27, true, Set.of(128, 192, 256), REFUSED, "not implemented by Ferry"),
  CHACHA20_POLY1305(28, true, Set.of(), SUPPORTED, "");

  private final Registration registration;
  private final boolean aead;
  private final Set<Integer> keyLengths;

  EncryptionAlgorithm(
      int transformId, boolean aead, Set<Integer> keyLengths, Support support, String note) {
    this.aead = aead;
    this.keyLengths = keyLengths;
    this.registration = new Registration(transformId, support, note);
  }

  @Override
  public TransformType type() {
    return TransformType.ENCR;
  }

  @Override
  public Registration registration() {
    return registration;
  }

  /** True for combined-mode ciphers (RFC 5282), which take no INTEG transform. */
  public boolean isAead() {
    return aead;
  }

  /** The allowed Key Length attribute values in bits; empty when the attribute must be absent. */
  public Set<Integer> keyLengths() {
    return keyLengths;
  }

  /** True when a transform of this algorithm must carry a Key Length attribute. */
  public boolean needsKeyLength() {
    return !keyLengths.isEmpty();
  }

  /** The algorithm with IANA Transform ID {@code id}, if Ferry knows it. */
  public static Optional<EncryptionAlgorithm> fromTransformId(int id) {
    return Algorithm.withTransformId(values(), id);
  }
}
