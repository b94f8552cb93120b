package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.Secret;
import java.util.Objects;

/**
 * The keys of one CHILD SA pair drawn from KEYMAT (RFC 7296 section 2.17): all keys for the
 * initiator-to-responder SA come first, then the other direction; within one SA the encryption key
 * (with its salt, for AEAD) precedes the integrity key. Prints no key bytes.
 */
public record ChildKeyMaterial(SaKeys initiatorToResponder, SaKeys responderToInitiator) {

  public ChildKeyMaterial {
    Objects.requireNonNull(initiatorToResponder, "initiatorToResponder");
    Objects.requireNonNull(responderToInitiator, "responderToInitiator");
  }

  /**
   * One direction's keys as the data plane uses them.
   *
   * @param encryptionKey the cipher key (without salt)
   * @param salt 4 octets for AES-GCM (RFC 4106 section 8.1) and ChaCha20-Poly1305 (RFC 7634
   *     section 2), empty otherwise
   * @param integrityKey the integrity key, empty for AEAD ciphers
   */
  public record SaKeys(Secret encryptionKey, Secret salt, Secret integrityKey) {
    public SaKeys {
      Objects.requireNonNull(encryptionKey, "encryptionKey");
      Objects.requireNonNull(salt, "salt");
      Objects.requireNonNull(integrityKey, "integrityKey");
    }
  }

  /** The keys for traffic flowing in {@code direction}. */
  public SaKeys keys(Direction direction) {
    return direction == Direction.INITIATOR_TO_RESPONDER ? initiatorToResponder : responderToInitiator;
  }
}
