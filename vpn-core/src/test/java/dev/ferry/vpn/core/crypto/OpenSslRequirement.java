package dev.ferry.vpn.core.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** What the OpenSSL ITs share: when they must run, and deterministic randomness. */
final class OpenSslRequirement {
  private OpenSslRequirement() {}

  /**
   * In CI (environment variable {@code CI} set) OpenSSL must be usable: the handshake's speed
   * depends on it, so silently falling back would hide a regression. Elsewhere a machine without
   * libcrypto skips with the reason.
   */
  static void usableInCiElseSkipped() {
    if (System.getenv("CI") == null) {
      assumeTrue(OpenSsl.available(), OpenSsl::describe);
    }
    assertTrue(OpenSsl.available(), OpenSsl::describe);
  }

  @SuppressWarnings("deprecation") // SHA1PRNG seeded before first use is deterministic: tests only
  static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }
}
