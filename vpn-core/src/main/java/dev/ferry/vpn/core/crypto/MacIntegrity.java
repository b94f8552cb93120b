package dev.ferry.vpn.core.crypto;

import java.util.Arrays;

/** An {@link Integrity} over a keyed {@link MacEngine}: the ICV is the MAC's leading octets. */
final class MacIntegrity implements Integrity {
  private final MacEngine engine;
  private final int keyLength;
  private final int icvLength;
  private final byte[] full;

  MacIntegrity(MacEngine engine, byte[] key, int icvLength) {
    this.engine = engine;
    this.keyLength = key.length;
    this.icvLength = icvLength;
    this.full = new byte[engine.macLength()];
    engine.init(key);
  }

  @Override
  public int keyLength() {
    return keyLength;
  }

  @Override
  public int icvLength() {
    return icvLength;
  }

  @Override
  public void update(byte[] data, int off, int len) {
    engine.update(data, off, len);
  }

  @Override
  public void sign(byte[] out, int outOff) {
    engine.doFinal(full, 0);
    System.arraycopy(full, 0, out, outOff, icvLength);
    Arrays.fill(full, (byte) 0);
  }

  @Override
  public boolean verify(byte[] icv, int off) {
    engine.doFinal(full, 0);
    if (icv == null || off < 0 || off > icv.length - icvLength) {
      return false;
    }
    // RFC 2104 section 5 truncation: the ICV is the leftmost octets; compared in constant time.
    int difference = 0;
    for (int i = 0; i < icvLength; i++) {
      difference |= full[i] ^ icv[off + i];
    }
    Arrays.fill(full, (byte) 0);
    return difference == 0;
  }
}
