package dev.ferry.vpn.ike;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/** A seeded {@link SecureRandom} for tests: the same seed gives the same SPIs, nonces and keys. */
class DeterministicRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final transient SplittableRandom random;

  DeterministicRandom(long seed) {
    this.random = new SplittableRandom(seed);
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    random.nextBytes(bytes);
  }

  @Override
  public byte[] generateSeed(int numBytes) {
    byte[] out = new byte[numBytes];
    nextBytes(out);
    return out;
  }

  @Override
  public void setSeed(long seed) {
    // The seed is fixed at construction; SecureRandom's constructor calls this before random exists.
  }
}
