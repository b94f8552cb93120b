package dev.ferry.vpn.core.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-CBC (RFC 3602) and 3DES-CBC (RFC 2451) without padding on the JDK. */
final class JceCbc implements Encryptor {
  private final SecretKeySpec key;
  private final int keyLength;
  private final int blockSize;
  private final Cipher cipher;

  private JceCbc(String algorithm, byte[] key, int blockSize) {
    this.key = new SecretKeySpec(key, algorithm);
    this.keyLength = key.length;
    this.blockSize = blockSize;
    try {
      this.cipher = Cipher.getInstance(algorithm + "/CBC/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm + "-CBC", e);
    }
  }

  static JceCbc aes(byte[] key) {
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException("AES key must be 16, 24 or 32 octets, not " + key.length);
    }
    return new JceCbc("AES", key, 16);
  }

  static JceCbc tripleDes(byte[] key) {
    if (key.length != 24) {
      throw new IllegalArgumentException("3DES key must be 24 octets, not " + key.length);
    }
    return new JceCbc("DESede", key, 8);
  }

  @Override
  public int keyLength() {
    return keyLength;
  }

  @Override
  public int blockSize() {
    return blockSize;
  }

  private boolean shapeOk(byte[] iv, byte[] buf, int off, int len) {
    return iv != null && iv.length == blockSize && off >= 0 && len >= 0 && len % blockSize == 0
        && off <= buf.length - len;
  }

  @Override
  public void encrypt(byte[] iv, byte[] buf, int off, int len) {
    if (!shapeOk(iv, buf, off, len)) {
      throw new IllegalArgumentException(
          "CBC needs a " + blockSize + "-octet IV and whole blocks; got " + len + " octets");
    }
    run(Cipher.ENCRYPT_MODE, iv, buf, off, len);
  }

  @Override
  public boolean decrypt(byte[] iv, byte[] buf, int off, int len) {
    if (!shapeOk(iv, buf, off, len)) {
      return false;
    }
    run(Cipher.DECRYPT_MODE, iv, buf, off, len);
    return true;
  }

  private void run(int mode, byte[] iv, byte[] buf, int off, int len) {
    try {
      cipher.init(mode, key, new IvParameterSpec(iv));
      cipher.doFinal(buf, off, len, buf, off);
    } catch (GeneralSecurityException e) {
      // Shapes are checked above; a failure here is a JDK fault, not input.
      throw new IllegalStateException("CBC failed: " + e.getClass().getSimpleName(), e);
    }
  }
}
