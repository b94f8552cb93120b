package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.Aead;
import java.util.Arrays;

/**
 * SK payload protection with an AEAD cipher (RFC 5282 sections 3-5 for AES-GCM, RFC 7634 section 3
 * for ChaCha20-Poly1305): body = IV (8 octets) || ciphertext || ICV, nonce = salt || IV, and the
 * associated data is the IKE header up to the SK payload header. These ciphers have no block
 * alignment, so {@link #seal} adds no padding, only the Pad Length octet; {@link #open} accepts
 * any padding that fits (RFC 5282 section 3).
 */
final class AeadSkProtector implements SkProtector {
  private static final int IV_LENGTH = 8;
  private final Aead aead;
  private final byte[] nonce;
  private final IvSource ivs;

  AeadSkProtector(Aead aead, byte[] salt, IvSource ivs) {
    if (salt.length != 4) {
      throw new IllegalArgumentException("AEAD salt must be 4 octets, not " + salt.length);
    }
    this.aead = aead;
    this.nonce = Arrays.copyOf(salt, 4 + IV_LENGTH);
    this.ivs = ivs;
  }

  @Override
  public int bodyLength(int plaintextLength) {
    return IV_LENGTH + plaintextLength + 1 + aead.tagLength();
  }

  @Override
  public byte[] seal(byte[] associatedData, byte[] plaintext) {
    byte[] body = new byte[bodyLength(plaintext.length)];
    ivs.next(body, 0, IV_LENGTH);
    System.arraycopy(plaintext, 0, body, IV_LENGTH, plaintext.length);
    body[IV_LENGTH + plaintext.length] = 0; // Pad Length: no padding octets.
    System.arraycopy(body, 0, nonce, 4, IV_LENGTH);
    aead.seal(nonce, associatedData, body, IV_LENGTH, plaintext.length + 1);
    return body;
  }

  @Override
  public byte[] open(byte[] associatedData, byte[] body, int offset, int length) {
    if (body == null || associatedData == null || offset < 0 || length < 0
        || offset > body.length - length || length < IV_LENGTH + 1 + aead.tagLength()) {
      return null;
    }
    System.arraycopy(body, offset, nonce, 4, IV_LENGTH);
    byte[] work = Arrays.copyOfRange(body, offset + IV_LENGTH, offset + length);
    int plain = aead.open(nonce, associatedData, work, 0, work.length);
    return plain < 0 ? null : SkPadding.strip(work, plain);
  }
}
