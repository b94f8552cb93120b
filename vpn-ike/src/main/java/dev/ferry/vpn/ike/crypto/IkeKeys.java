package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.Secret;
import java.util.Objects;

/**
 * The seven IKE SA keys (RFC 7296 section 2.14), in prf+ order. SK_ai and SK_ar are empty for an
 * AEAD suite (RFC 5282 section 7.1); SK_ei and SK_er then include the 4-octet salt at their end.
 * Prints no key bytes.
 */
public record IkeKeys(
    Secret skD, Secret skAi, Secret skAr, Secret skEi, Secret skEr, Secret skPi, Secret skPr) {

  public IkeKeys {
    Objects.requireNonNull(skD, "skD");
    Objects.requireNonNull(skAi, "skAi");
    Objects.requireNonNull(skAr, "skAr");
    Objects.requireNonNull(skEi, "skEi");
    Objects.requireNonNull(skEr, "skEr");
    Objects.requireNonNull(skPi, "skPi");
    Objects.requireNonNull(skPr, "skPr");
  }

  /** Overwrites all seven keys (when the IKE SA is deleted or replaced by a rekey). */
  public void destroy() {
    for (Secret s : new Secret[] {skD, skAi, skAr, skEi, skEr, skPi, skPr}) {
      s.destroy();
    }
  }

  /** SK_e for messages sent in {@code direction}. */
  public Secret encryptionKey(Direction direction) {
    return direction == Direction.INITIATOR_TO_RESPONDER ? skEi : skEr;
  }

  /** SK_a for messages sent in {@code direction}. */
  public Secret integrityKey(Direction direction) {
    return direction == Direction.INITIATOR_TO_RESPONDER ? skAi : skAr;
  }
}
