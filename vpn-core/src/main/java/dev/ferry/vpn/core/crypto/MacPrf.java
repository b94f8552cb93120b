package dev.ferry.vpn.core.crypto;

import dev.ferry.vpn.core.proposal.PrfAlgorithm;

/**
 * A {@link Prf} over a {@link MacEngine}. For the AES-based PRFs the variable-length key is first
 * brought to 128 bits: RFC 4434 section 2 (XCBC: pad shorter keys with zeros, reduce longer ones
 * with AES-XCBC-MAC under a zero key) and RFC 4615 section 3 (CMAC: any key not of 128 bits is
 * replaced by AES-CMAC under a zero key).
 */
final class MacPrf implements Prf {
  private static final int AES_KEY = 16;
  private final PrfAlgorithm algorithm;
  private final MacEngine engine;

  MacPrf(PrfAlgorithm algorithm, MacEngine engine) {
    this.algorithm = algorithm;
    this.engine = engine;
  }

  @Override
  public int outputLength() {
    return engine.macLength();
  }

  @Override
  public byte[] compute(byte[] key, byte[]... data) {
    engine.init(usableKey(key));
    for (byte[] part : data) {
      engine.update(part, 0, part.length);
    }
    byte[] out = new byte[engine.macLength()];
    engine.doFinal(out, 0);
    return out;
  }

  /**
   * prf+ keyed once: every {@code Tn} uses the same key and {@link MacEngine#doFinal} keeps it, so
   * the HMAC pads (or the AES key schedule) are computed once per prf+ instead of once per block.
   */
  @Override
  public byte[] plus(byte[] key, byte[] seed, int length) {
    int out = outputLength();
    int blocks = (length + out - 1) / out;
    if (length < 0 || blocks > 255) {
      throw new IllegalArgumentException(
          "prf+ length " + length + " needs " + blocks + " blocks; RFC 7296 section 2.13 allows 255");
    }
    byte[] all = new byte[blocks * out];
    byte[] counter = new byte[1];
    engine.init(usableKey(key));
    for (int n = 1; n <= blocks; n++) {
      if (n > 1) {
        engine.update(all, (n - 2) * out, out); // T(n-1)
      }
      engine.update(seed, 0, seed.length);
      counter[0] = (byte) n;
      engine.update(counter, 0, 1);
      engine.doFinal(all, (n - 1) * out);
    }
    if (all.length == length) {
      return all;
    }
    byte[] truncated = java.util.Arrays.copyOf(all, length);
    java.util.Arrays.fill(all, (byte) 0);
    return truncated;
  }

  private byte[] usableKey(byte[] key) {
    boolean xcbc = algorithm == PrfAlgorithm.AES128_XCBC;
    if ((!xcbc && algorithm != PrfAlgorithm.AES128_CMAC) || key.length == AES_KEY) {
      return key;
    }
    if (xcbc && key.length < AES_KEY) {
      return java.util.Arrays.copyOf(key, AES_KEY); // RFC 4434 section 2: zero padding.
    }
    return compute(new byte[AES_KEY], key);
  }
}
