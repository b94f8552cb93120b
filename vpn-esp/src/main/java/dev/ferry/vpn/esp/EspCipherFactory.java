package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.proposal.Proposal;
import dev.ferry.vpn.core.proposal.Transform;
import dev.ferry.vpn.core.sa.ChildSaKeys;
import java.util.Arrays;
import java.util.Objects;

/**
 * Makes {@link EspCipher}s for one direction of a CHILD SA: one per worker thread, all with the same
 * keys. Holds the keys as {@link dev.ferry.vpn.core.crypto.Secret}s and never prints them.
 */
final class EspCipherFactory {
  private final CryptoProvider crypto;
  private final Transform encryption;
  private final Transform integrity;
  private final ChildSaKeys keys;
  private final boolean esn;

  EspCipherFactory(CryptoProvider crypto, Proposal proposal, ChildSaKeys keys, boolean esn) {
    this.crypto = Objects.requireNonNull(crypto, "crypto");
    this.encryption = proposal.encryption().get(0);
    this.integrity = proposal.isAead() ? null : proposal.integrity().get(0);
    this.keys = Objects.requireNonNull(keys, "keys");
    this.esn = esn;
    if (!crypto.supports(encryption) || (integrity != null && !crypto.supports(integrity))) {
      throw new IllegalArgumentException("the crypto provider does not implement " + proposal);
    }
    create(); // fail at installation, not on the first packet, when keys do not fit
  }

  EspCipher create() {
    if (integrity == null) {
      byte[] salt = keys.salt().reveal();
      try {
        return new AeadEspCipher(crypto.aead(encryption, keys.encryptionKey()), salt, esn);
      } finally {
        Arrays.fill(salt, (byte) 0);
      }
    }
    return new CbcEspCipher(crypto.encryptor(encryption, keys.encryptionKey()),
        crypto.integrity(integrity, keys.integrityKey()), crypto.random(), esn);
  }

  @Override
  public String toString() {
    return "EspCipherFactory[" + encryption + (integrity == null ? "" : ", " + integrity) + "]";
  }
}
