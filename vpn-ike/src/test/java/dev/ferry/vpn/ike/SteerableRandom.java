package dev.ferry.vpn.ike;

/**
 * A {@link DeterministicRandom} that can also make the next nonce the lowest one: the RFC 7296
 * section 2.8 collision rules go by the lowest nonce, so a test chooses the winner without hunting
 * for seeds. Nonces are the only 32-octet draws a rekey task makes before its key exchange, and a
 * rekey task draws its nonce in its constructor, right after its SPI.
 */
final class SteerableRandom extends DeterministicRandom {
  private static final long serialVersionUID = 1L;
  /** {@code IkeInitTask.NONCE_LENGTH}. */
  private static final int NONCE_LENGTH = 32;
  private boolean lowerNextNonce;

  SteerableRandom(long seed) {
    super(seed);
  }

  /** The next nonce drawn starts with two zero octets: lower than any other, but for 1 in 2^16. */
  synchronized void lowerNextNonce() {
    lowerNextNonce = true;
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    super.nextBytes(bytes);
    if (lowerNextNonce && bytes.length == NONCE_LENGTH) {
      lowerNextNonce = false;
      bytes[0] = 0;
      bytes[1] = 0;
    }
  }
}
