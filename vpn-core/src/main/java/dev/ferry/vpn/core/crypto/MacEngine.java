package dev.ferry.vpn.core.crypto;

/**
 * The one operation HMAC, AES-XCBC-MAC and AES-CMAC share, whichever library runs it: key, feed,
 * finish. {@link MacPrf} and {@link MacIntegrity} build the IKE and IPsec uses on top.
 */
interface MacEngine {

  /** Full MAC length in octets. */
  int macLength();

  /** Starts a new computation with {@code key} (already of a length the algorithm accepts). */
  void init(byte[] key);

  void update(byte[] data, int off, int len);

  /** Writes the full MAC to {@code out[off, off+macLength())} and resets, keeping the key. */
  void doFinal(byte[] out, int off);
}
