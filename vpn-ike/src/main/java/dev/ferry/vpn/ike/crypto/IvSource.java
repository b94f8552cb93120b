package dev.ferry.vpn.ike.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Where SK payload IVs come from. CBC needs unpredictable IVs (RFC 7296 section 3.14: random, and
 * never the previous message's last block); AEAD ciphers need IVs that never repeat under one key
 * (RFC 5282 section 3, RFC 7634 section 2), for which a counter is ideal. One thread at a time.
 */
@FunctionalInterface
public interface IvSource {

  /** Fills {@code out[off, off+len)} with the next IV. */
  void next(byte[] out, int off, int len);

  /** Fresh random octets from {@code random} (for CBC). */
  static IvSource random(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    return (out, off, len) -> {
      byte[] iv = new byte[len];
      random.nextBytes(iv);
      System.arraycopy(iv, 0, out, off, len);
    };
  }

  /**
   * A 64-bit big-endian counter starting at {@code first} (for AEAD: 8-octet IVs that cannot
   * repeat before 2^64 messages, far beyond any IKE SA's message IDs).
   */
  static IvSource counter(long first) {
    long[] next = {first};
    return (out, off, len) -> {
      long value = next[0]++;
      for (int i = len - 1; i >= 0; i--) {
        out[off + i] = (byte) value;
        value >>>= 8;
      }
    };
  }
}
