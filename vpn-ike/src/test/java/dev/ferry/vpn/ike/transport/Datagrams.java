package dev.ferry.vpn.ike.transport;

import java.nio.ByteBuffer;

/** Builders for the byte strings the transport tests send. */
final class Datagrams {

  private Datagrams() {}

  /**
   * A well-framed IKE message of {@code length} octets (at least 32): a non-zero initiator SPI, the
   * RFC 7296 section 3.1 Length field equal to {@code length}, and {@code tag} after the header so
   * messages can be told apart.
   */
  static byte[] ikeMessage(int tag, int length) {
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putLong(0, 0x1122_3344_5566_7788L ^ tag);
    b.put(17, (byte) 0x20); // version 2.0
    b.put(18, (byte) 34); // IKE_SA_INIT
    b.putInt(24, length);
    b.putInt(28, tag);
    for (int i = 32; i < length; i++) {
      b.put(i, (byte) (i * 31 + tag));
    }
    return b.array();
  }

  static int tagOf(byte[] message) {
    return ByteBuffer.wrap(message).getInt(28);
  }

  /** An ESP-looking packet: SPI {@code spi}, sequence 1, then {@code payload} filler octets. */
  static byte[] esp(int spi, int payload) {
    ByteBuffer b = ByteBuffer.allocate(8 + payload);
    b.putInt(0, spi);
    b.putInt(4, 1);
    for (int i = 8; i < b.capacity(); i++) {
      b.put(i, (byte) i);
    }
    return b.array();
  }

  /** {@code bytes} with {@code before} and {@code after} junk octets around it. */
  static byte[] padded(byte[] bytes, int before, int after) {
    byte[] out = new byte[before + bytes.length + after];
    java.util.Arrays.fill(out, (byte) 0x5A);
    System.arraycopy(bytes, 0, out, before, bytes.length);
    return out;
  }
}
