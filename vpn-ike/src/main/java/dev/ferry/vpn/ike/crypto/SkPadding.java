package dev.ferry.vpn.ike.crypto;

import java.util.Arrays;

/** The SK payload's trailing Padding and Pad Length octet (RFC 7296 section 3.14). */
final class SkPadding {
  private SkPadding() {}

  /**
   * The inner payloads of {@code plaintext[0, length)}: without the Pad Length octet and the
   * padding it announces; null when the pad length runs past the start. Wipes {@code plaintext}.
   */
  static byte[] strip(byte[] plaintext, int length) {
    if (length < 1) {
      return null;
    }
    int padLength = plaintext[length - 1] & 0xff;
    int payloads = length - 1 - padLength;
    byte[] out = payloads < 0 ? null : Arrays.copyOf(plaintext, payloads);
    Arrays.fill(plaintext, (byte) 0);
    return out;
  }
}
