package dev.ferry.vpn.ike.message;

import java.util.Arrays;

/** A growable big-endian octet buffer for encoding; also static puts into fixed arrays. */
final class WireWriter {
  private byte[] buf;
  private int size;

  WireWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  WireWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  WireWriter u16(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  WireWriter u32(long v) {
    ensure(4);
    putU32(buf, size, v);
    size += 4;
    return this;
  }

  WireWriter zeros(int n) {
    ensure(n);
    size += n;
    return this;
  }

  WireWriter bytes(Bytes b) {
    ensure(b.length());
    b.copyTo(buf, size);
    size += b.length();
    return this;
  }

  WireWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  /** Overwrites two octets at {@code position} (for lengths known only after the body). */
  void patchU16(int position, int v) {
    buf[position] = (byte) (v >>> 8);
    buf[position + 1] = (byte) v;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  static void putU32(byte[] b, int i, long v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }

  static void putU64(byte[] b, int i, long v) {
    putU32(b, i, v >>> 32);
    putU32(b, i + 4, v);
  }
}
