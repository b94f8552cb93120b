package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.Aead;
import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.proposal.Transform;
import java.util.Objects;

/**
 * The ESP AEADs (AES-GCM with 8/12/16-octet ICVs, ChaCha20-Poly1305) from the platform's OpenSSL
 * libcrypto, called through FFM. This is the Java 21 class of the multi-release jar: FFM is final
 * only from JDK 22, so here nothing is available and {@link EspCipherFactory} uses the
 * {@link dev.ferry.vpn.core.crypto.CryptoProvider}'s JCE/Bouncy Castle AEADs. On JDK 22 and newer
 * the JVM loads the class of the same name from {@code META-INF/versions/22}.
 */
final class OpenSslAeads {

  private OpenSslAeads() {}

  /** Whether ESP AEADs come from OpenSSL in this JVM. */
  static boolean available() {
    return false;
  }

  /** Which backend ESP AEADs use here and, if not OpenSSL, why. */
  static String describe() {
    return "JCE/Bouncy Castle (OpenSSL through FFM needs JDK 22+; this class is the Java 21 one)";
  }

  /**
   * An OpenSSL AEAD for {@code encryption} keyed with {@code key}, or null when OpenSSL is not
   * available here (always, on this Java 21 class) or does not implement the transform.
   */
  static Aead aead(Transform encryption, Secret key) {
    Objects.requireNonNull(encryption, "encryption");
    Objects.requireNonNull(key, "key");
    return null;
  }
}
