package dev.ferry.vpn.core.crypto;

/**
 * A keyed integrity algorithm producing a truncated ICV: HMAC-SHA1-96 (RFC 2404),
 * HMAC-SHA2-256-128/384-192/512-256 (RFC 4868), AES-XCBC-MAC-96 (RFC 3566), AES-CMAC-96 (RFC
 * 4494). Data is fed with {@link #update} in as many pieces as convenient; {@link #sign} or {@link
 * #verify} ends the computation and resets for the next message. One thread at a time.
 */
public interface Integrity {

  /** Key length in octets (RFC 7296 section 2.14: the SK_a length). */
  int keyLength();

  /** ICV length in octets (the truncated MAC). */
  int icvLength();

  /** Adds {@code data[off, off+len)} to the message being authenticated. */
  void update(byte[] data, int off, int len);

  /** Writes the ICV of the data so far to {@code out[outOff, outOff+icvLength())} and resets. */
  void sign(byte[] out, int outOff);

  /**
   * Compares, in constant time, the ICV of the data so far with {@code icv[off,
   * off+icvLength())}, and resets. Returns false (never throws) when fewer octets are available.
   */
  boolean verify(byte[] icv, int off);
}
