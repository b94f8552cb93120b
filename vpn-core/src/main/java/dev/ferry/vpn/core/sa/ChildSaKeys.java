package dev.ferry.vpn.core.sa;

import dev.ferry.vpn.core.crypto.Secret;
import java.util.Objects;

/**
 * The keys of one direction of a CHILD SA, cut from KEYMAT (RFC 7296 section 2.17): the encryption
 * key, for AEAD ciphers the salt that follows it (RFC 4106 section 8.1: 4 octets for AES-GCM; RFC
 * 7634 section 2: 4 octets for ChaCha20-Poly1305), and for classic ciphers the integrity key.
 * Unused parts are empty secrets. {@link #toString()} shows lengths only.
 */
public record ChildSaKeys(Secret encryptionKey, Secret salt, Secret integrityKey) {

  public ChildSaKeys {
    Objects.requireNonNull(encryptionKey, "encryptionKey");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(integrityKey, "integrityKey");
    if (!salt.isEmpty() && !integrityKey.isEmpty()) {
      throw new IllegalArgumentException(
          "a salt belongs to an AEAD cipher, which takes no integrity key (RFC 5282 section 8)");
    }
  }

  @Override
  public String toString() {
    return "ChildSaKeys[encryption " + encryptionKey.length() + " bytes, salt " + salt.length()
        + " bytes, integrity " + integrityKey.length() + " bytes]";
  }
}
