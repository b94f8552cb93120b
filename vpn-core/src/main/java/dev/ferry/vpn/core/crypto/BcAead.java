package dev.ferry.vpn.core.crypto;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * AES-GCM with any of the IPsec ICV lengths (8, 12, 16; RFC 4106 section 8) and
 * ChaCha20-Poly1305 on Bouncy Castle's lightweight engines.
 */
final class BcAead extends AeadBase {
  private final KeyParameter key;
  private final AEADCipher cipher;

  private BcAead(boolean gcm, byte[] key, int tagLength) {
    super(gcm, key.length, tagLength);
    this.key = new KeyParameter(key);
    this.cipher = isGcm() ? GCMBlockCipher.newInstance(AESEngine.newInstance()) : new ChaCha20Poly1305();
  }

  static BcAead aesGcm(byte[] key, int tagLength) {
    if (tagLength != 8 && tagLength != 12 && tagLength != 16) {
      throw new IllegalArgumentException("AES-GCM ICV must be 8, 12 or 16 octets, not " + tagLength);
    }
    return new BcAead(true, key, tagLength);
  }

  static BcAead chaCha20Poly1305(byte[] key) {
    return new BcAead(false, key, 16);
  }

  @Override
  int sealChecked(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    cipher.init(true, new AEADParameters(key, tagLength() * 8, nonce, aad));
    int n = cipher.processBytes(buf, off, len, buf, off);
    try {
      return n + cipher.doFinal(buf, off + n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("AEAD seal failed", e);
    }
  }

  @Override
  int openChecked(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    try {
      cipher.init(false, new AEADParameters(key, tagLength() * 8, nonce, aad));
      int n = cipher.processBytes(buf, off, len, buf, off);
      return n + cipher.doFinal(buf, off + n);
    } catch (InvalidCipherTextException | RuntimeException e) {
      // BC streams plaintext out before it checks the tag: never leave unauthenticated octets.
      java.util.Arrays.fill(buf, off, off + len, (byte) 0);
      return -1;
    }
  }
}
