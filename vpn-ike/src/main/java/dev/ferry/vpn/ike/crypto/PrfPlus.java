package dev.ferry.vpn.ike.crypto;

import dev.ferry.vpn.core.crypto.Prf;
import dev.ferry.vpn.core.crypto.Secret;
import java.util.Arrays;

/**
 * The output of one prf+ run (RFC 7296 section 2.13), handed out as consecutive keys: {@code
 * {SK_d | SK_ai | ...} = prf+(SKEYSEED, ...)} takes each key "in order from the generated bits".
 * The total is fixed up front and may not exceed 255 PRF outputs (the counter is one octet).
 * One thread at a time; {@link #toString()} shows lengths only.
 */
public final class PrfPlus {
  private final byte[] stream;
  private int position;

  private PrfPlus(byte[] stream) {
    this.stream = stream;
  }

  /**
   * Runs prf+(key, seed) for {@code length} octets.
   *
   * @throws IllegalArgumentException when {@code length} needs more than 255 PRF outputs
   */
  public static PrfPlus of(Prf prf, Secret key, byte[] seed, int length) {
    byte[] k = key.reveal();
    try {
      return new PrfPlus(prf.plus(k, seed, length));
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** The next {@code length} octets as a secret. */
  public Secret next(int length) {
    if (length < 0 || length > remaining()) {
      throw new IllegalArgumentException(
          "asked for " + length + " octets of prf+ output, " + remaining() + " remain");
    }
    byte[] part = Arrays.copyOfRange(stream, position, position + length);
    Arrays.fill(stream, position, position + length, (byte) 0);
    position += length;
    Secret secret = Secret.of(part);
    Arrays.fill(part, (byte) 0);
    return secret;
  }

  /** Octets not yet handed out. */
  public int remaining() {
    return stream.length - position;
  }

  @Override
  public String toString() {
    return "PrfPlus[" + remaining() + " of " + stream.length + " octets remain]";
  }
}
