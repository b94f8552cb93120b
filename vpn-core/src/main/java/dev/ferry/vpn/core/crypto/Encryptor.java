package dev.ferry.vpn.core.crypto;

/**
 * A keyed block cipher in CBC mode without padding (AES-CBC, RFC 3602; 3DES-CBC, RFC 2451): the
 * caller pads to {@link #blockSize()} as its protocol prescribes (RFC 4303 section 2.4, RFC 7296
 * section 3.14) and supplies a fresh unpredictable IV of one block per message. Works in place.
 * Instances are for one thread at a time.
 */
public interface Encryptor {

  /** Key length in octets. */
  int keyLength();

  /** Block size in octets, which is also the IV length. */
  int blockSize();

  /**
   * Encrypts {@code buf[off, off+len)} in place.
   *
   * @throws IllegalArgumentException when {@code len} is not a multiple of the block size or the
   *     IV is not one block (programming errors: the caller pads)
   */
  void encrypt(byte[] iv, byte[] buf, int off, int len);

  /**
   * Decrypts {@code buf[off, off+len)} in place; returns false, changing nothing, when {@code
   * len} is not a multiple of the block size or the IV is not one block. Never throws on input.
   */
  boolean decrypt(byte[] iv, byte[] buf, int off, int len);
}
