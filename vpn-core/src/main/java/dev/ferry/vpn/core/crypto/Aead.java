package dev.ferry.vpn.core.crypto;

/**
 * A keyed AEAD cipher (RFC 5116): AES-GCM (RFC 4106, RFC 5282) or ChaCha20-Poly1305 (RFC 7634).
 * The key is fixed at creation; the nonce (salt || IV for IPsec) is passed per call and must never
 * repeat for one key (RFC 5282 section 3; callers use a counter).
 *
 * <p>Both operations work in place on {@code buf}. {@link #open} never throws for any content of
 * its inputs: a wrong nonce length, a too short input or a failed tag all return -1 and leave the
 * plaintext unreleased. Instances are for one thread at a time.
 */
public interface Aead {

  /** Cipher key length in octets (the salt is not part of it). */
  int keyLength();

  /** Nonce length in octets this cipher expects on {@link #seal} (12 for IPsec use). */
  int nonceLength();

  /** ICV (tag) length in octets: 8, 12 or 16. */
  int tagLength();

  /**
   * Encrypts {@code buf[off, off+len)} in place and writes the tag right after it, so {@code buf}
   * needs {@code tagLength()} octets of room after the plaintext. Returns {@code len +
   * tagLength()}.
   *
   * @throws IllegalArgumentException when the nonce has the wrong length or {@code buf} is too
   *     short (programming errors)
   */
  int seal(byte[] nonce, byte[] aad, byte[] buf, int off, int len);

  /**
   * Verifies and decrypts {@code buf[off, off+len)} (ciphertext || tag) in place; returns the
   * plaintext length ({@code len - tagLength()}), or -1 when the tag does not verify or the input
   * cannot be an output of {@link #seal}. Never throws on input. After -1 the region holds either
   * the unchanged input or zeros, never unauthenticated plaintext.
   */
  int open(byte[] nonce, byte[] aad, byte[] buf, int off, int len);
}
