package dev.ferry.vpn.core.crypto;

/**
 * An IKEv2 pseudorandom function (RFC 7296 section 2.13): HMAC-SHA1 (RFC 2104), HMAC-SHA2-256/384/
 * 512 (RFC 4868), AES-XCBC-PRF-128 (RFC 4434), AES-CMAC-PRF-128 (RFC 4615). The key is given per
 * call because IKE keys the PRF with many different values (nonces, SKEYSEED, SK_d, SK_p, the
 * PSK). Keys of any length are accepted: HMAC takes them as RFC 2104 says, and the AES-based PRFs
 * pad or reduce them to 128 bits as RFC 4434 section 2 and RFC 4615 section 3 prescribe. One
 * thread at a time.
 */
public interface Prf {

  /** Output length in octets. */
  int outputLength();

  /**
   * The key length for keys this PRF is keyed with in IKE, in octets (RFC 7296 section 2.13: the
   * SK_d, SK_pi and SK_pr lengths): the output length, also for the AES-based PRFs.
   */
  default int preferredKeyLength() {
    return outputLength();
  }

  /** prf(key, data[0] | data[1] | ...). */
  byte[] compute(byte[] key, byte[]... data);

  /**
   * prf+ (RFC 7296 section 2.13): {@code T1 | T2 | ...} truncated to {@code length} octets, where
   * {@code T1 = prf(K, S | 0x01)} and {@code Tn = prf(K, Tn-1 | S | n)}.
   *
   * @throws IllegalArgumentException when {@code length} needs more than 255 iterations (the
   *     counter is one octet)
   */
  byte[] plus(byte[] key, byte[] seed, int length);
}
