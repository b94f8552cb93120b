package dev.ferry.vpn.core.crypto;

/** Which library implements a primitive; {@link CryptoProvider} picks one per primitive. */
public enum Backend {
  /** The JDK's own providers (SunJCE, SunEC) through the JCA. */
  JCE,
  /** Bouncy Castle's lightweight API (no JCA provider registration). */
  BOUNCY_CASTLE,
  /**
   * The platform's OpenSSL libcrypto through FFM (JDK 22+, {@code libcrypto.so.3} or {@code .so.1.1}
   * present): the AEADs and ECDH on the NIST curves only.
   */
  OPENSSL
}
