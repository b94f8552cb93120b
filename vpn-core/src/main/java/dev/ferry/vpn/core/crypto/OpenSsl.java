package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.EncryptionAlgorithm;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;

/**
 * The platform's OpenSSL libcrypto as a {@link Backend}: the ESP AEADs, ECDH on the NIST curves
 * and X25519/X448.
 * This is the Java 21 class of the multi-release jar: FFM is final only from JDK 22, so here
 * OpenSSL is never available and {@link CryptoProvider.Choices#MEASURED} keeps its JCE/Bouncy
 * Castle choices. On JDK 22 and newer the JVM loads the class of the same name from {@code
 * META-INF/versions/22}, which binds libcrypto once. The operations below are reached only when
 * {@link #available()} is true, which the provider checks when it is built.
 */
final class OpenSsl {
  /** {@code off} disables OpenSSL for every primitive; unset or {@code on}: use it when it loads. */
  static final String PROPERTY = "dev.ferry.vpn.crypto.openssl";

  private OpenSsl() {}

  /** Whether libcrypto is bound in this JVM. */
  static boolean available() {
    return false;
  }

  /** What was bound (library and version) or why nothing was. */
  static String describe() {
    return "unavailable (OpenSSL through FFM needs JDK 22+; this class is the Java 21 one)";
  }

  /** A keyed AEAD; {@code key} is the cipher key without salt, copied into OpenSSL. */
  static Aead aead(EncryptionAlgorithm algorithm, byte[] key, int tagLength) {
    throw unavailable();
  }

  /** {@code x || y} of {@code scalar * G} (RFC 5903 section 7); {@code scalar} is big-endian. */
  static byte[] ecdhPublicValue(KeyExchangeMethod method, byte[] scalar) {
    throw unavailable();
  }

  /**
   * The x coordinate of {@code scalar * peer} (RFC 5903 section 7), or null when OpenSSL refuses
   * the peer's {@code x || y} as a point of the curve.
   */
  static byte[] ecdhSharedSecret(KeyExchangeMethod method, byte[] scalar, byte[] peer) {
    throw unavailable();
  }

  /**
   * X25519/X448 of {@code scalar} and the peer's u-coordinate (RFC 7748 section 5), or null when
   * the result is all zeros (RFC 7748 section 6).
   */
  static byte[] xdhSharedSecret(KeyExchangeMethod method, byte[] scalar, byte[] publicValue,
      byte[] peer) {
    throw unavailable();
  }

  private static IllegalStateException unavailable() {
    return new IllegalStateException("OpenSSL is " + describe());
  }
}
