package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.Aead;

/**
 * AES-GCM (RFC 4106) and ChaCha20-Poly1305 (RFC 7634) for ESP. The nonce is the 4-octet salt from
 * KEYMAT followed by the 8-octet explicit IV (RFC 4106 section 4, RFC 7634 section 2); the AAD is
 * the SPI and the 32-bit sequence number, or with ESN the SPI and the 64-bit number high half first
 * (RFC 4106 section 5, RFC 7634 section 2.1). The explicit IV is the sequence number, which never
 * repeats for a key (RFC 4106 section 3.1 allows a counter).
 */
final class AeadEspCipher implements EspCipher {
  static final int IV_LENGTH = 8;

  private final Aead aead;
  private final boolean esn;
  private final byte[] nonce = new byte[12];
  private final byte[] aad;

  AeadEspCipher(Aead aead, byte[] salt, boolean extendedSequenceNumbers) {
    if (salt.length != 4) {
      throw new IllegalArgumentException(
          "an ESP AEAD salt is 4 octets (RFC 4106 section 8.1, RFC 7634 section 2), not "
              + salt.length);
    }
    this.aead = aead;
    this.esn = extendedSequenceNumbers;
    this.aad = new byte[extendedSequenceNumbers ? 12 : 8];
    System.arraycopy(salt, 0, nonce, 0, 4);
  }

  @Override
  public int ivLength() {
    return IV_LENGTH;
  }

  @Override
  public int icvLength() {
    return aead.tagLength();
  }

  @Override
  public int alignment() {
    return 4;
  }

  @Override
  public void seal(byte[] buf, int esp, int encryptedLength, long seq) {
    sealWithIv(buf, esp, encryptedLength, seq, seq);
  }

  /** {@link #seal} with a chosen explicit IV: for the published vectors, whose IVs are not counters. */
  void sealWithIv(byte[] buf, int esp, int encryptedLength, long seq, long iv) {
    WireBytes.putLong(buf, esp + 8, iv);
    prepare(buf, esp, seq);
    aead.seal(nonce, aad, buf, esp + 8 + IV_LENGTH, encryptedLength);
  }

  /**
   * The AEAD with this SA's salt and a given explicit IV and AAD, outside any ESP layout: for the
   * RFC 4106 and Wycheproof vectors, whose AAD is not an ESP header. Returns the plaintext length
   * or -1 as {@link Aead#open} does.
   */
  int openDetached(byte[] iv, byte[] additionalData, byte[] buf, int off, int len) {
    System.arraycopy(iv, 0, nonce, 4, IV_LENGTH);
    return aead.open(nonce, additionalData, buf, off, len);
  }

  /** The sealing counterpart of {@link #openDetached}. */
  int sealDetached(byte[] iv, byte[] additionalData, byte[] buf, int off, int len) {
    System.arraycopy(iv, 0, nonce, 4, IV_LENGTH);
    return aead.seal(nonce, additionalData, buf, off, len);
  }

  @Override
  public boolean open(byte[] buf, int esp, int espLength, long seq) {
    prepare(buf, esp, seq);
    int start = esp + 8 + IV_LENGTH;
    return aead.open(nonce, aad, buf, start, esp + espLength - start) >= 0;
  }

  private void prepare(byte[] buf, int esp, long seq) {
    System.arraycopy(buf, esp + 8, nonce, 4, IV_LENGTH);
    System.arraycopy(buf, esp, aad, 0, 4);
    if (esn) {
      WireBytes.putLong(aad, 4, seq);
    } else {
      System.arraycopy(buf, esp + 4, aad, 4, 4);
    }
  }

  /** Names the AEAD backend (never a key): {@code status} and tests show which one runs. */
  @Override
  public String toString() {
    return "AeadEspCipher[" + aead.getClass().getSimpleName() + ", ICV " + aead.tagLength()
        + (esn ? ", ESN" : "") + "]";
  }
}
