package dev.ferry.vpn.core.proposal;

import java.util.Objects;

/**
 * One transform of a proposal: an algorithm and, for AES and Camellia, its Key Length attribute in
 * bits (RFC 7296 section 3.3.5). {@code keyLength} is 0 exactly when the algorithm takes no Key
 * Length attribute.
 */
public record Transform(Algorithm algorithm, int keyLength) {

  public Transform {
    Objects.requireNonNull(algorithm, "algorithm");
    if (algorithm instanceof EncryptionAlgorithm e && e.needsKeyLength()) {
      // RFC 7296 section 3.3.5: variable-key ciphers carry the Key Length attribute.
      if (!e.keyLengths().contains(keyLength)) {
        throw new IllegalArgumentException(
            e + " needs a key length of " + e.keyLengths() + " bits, not " + keyLength);
      }
    } else if (keyLength != 0) {
      throw new IllegalArgumentException(algorithm + " takes no Key Length attribute");
    }
  }

  /** A transform without a Key Length attribute. */
  public static Transform of(Algorithm algorithm) {
    return new Transform(algorithm, 0);
  }

  /** An AES or Camellia transform with a key length in bits. */
  public static Transform of(EncryptionAlgorithm algorithm, int keyLength) {
    return new Transform(algorithm, keyLength);
  }

  public TransformType type() {
    return algorithm.type();
  }

  /** The IANA Transform ID. */
  public int transformId() {
    return algorithm.transformId();
  }

  public boolean hasKeyLength() {
    return keyLength != 0;
  }

  /** True for AEAD encryption transforms. */
  public boolean isAead() {
    return algorithm instanceof EncryptionAlgorithm e && e.isAead();
  }

  /** The canonical strongSwan keyword, e.g. {@code aes256gcm16}; see {@link ProposalKeywords}. */
  @Override
  public String toString() {
    return ProposalKeywords.keywordOf(this)
        .orElseGet(() -> algorithm + (keyLength == 0 ? "" : "_" + keyLength));
  }
}
