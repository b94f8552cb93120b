package dev.ferry.vpn.ike.message;

/**
 * Big-endian reads from a byte array. Callers check bounds first; these helpers never check, so a
 * read past the range a caller was given is a bug in the caller, not a way to detect truncation.
 */
final class WireReader {
  private WireReader() {}

  static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  static long u32(byte[] b, int i) {
    return ((long) u16(b, i) << 16 | u16(b, i + 2)) & 0xFFFF_FFFFL;
  }

  static long u64(byte[] b, int i) {
    return u32(b, i) << 32 | u32(b, i + 4);
  }
}
