package dev.ferry.vpn.core.crypto;

/**
 * The argument rules both AEAD backends share: {@link #seal} refuses a malformed call as a
 * programming error, {@link #open} turns any malformed input into -1 before the cipher sees it.
 */
abstract class AeadBase implements Aead {
  private final boolean gcm;
  private final int keyLength;
  private final int tagLength;

  AeadBase(boolean gcm, int keyLength, int tagLength) {
    this.gcm = gcm;
    this.keyLength = keyLength;
    this.tagLength = tagLength;
  }

  final boolean isGcm() {
    return gcm;
  }

  @Override
  public final int keyLength() {
    return keyLength;
  }

  @Override
  public final int nonceLength() {
    return 12;
  }

  @Override
  public final int tagLength() {
    return tagLength;
  }

  private boolean nonceOk(byte[] nonce) {
    // GCM takes any IV length; ChaCha20-Poly1305 exactly 12 octets (RFC 8439 section 2.8).
    return nonce != null && (gcm ? nonce.length > 0 : nonce.length == 12);
  }

  @Override
  public final int seal(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    if (!nonceOk(nonce) || aad == null || off < 0 || len < 0 || buf.length - off - len < tagLength) {
      throw new IllegalArgumentException(
          "seal needs a valid nonce and " + tagLength + " octets of room after the plaintext");
    }
    return sealChecked(nonce, aad, buf, off, len);
  }

  @Override
  public final int open(byte[] nonce, byte[] aad, byte[] buf, int off, int len) {
    if (!nonceOk(nonce) || aad == null || buf == null || off < 0 || len < tagLength
        || off > buf.length - len) {
      return -1;
    }
    return openChecked(nonce, aad, buf, off, len);
  }

  abstract int sealChecked(byte[] nonce, byte[] aad, byte[] buf, int off, int len);

  abstract int openChecked(byte[] nonce, byte[] aad, byte[] buf, int off, int len);
}
