package dev.ferry.vpn.esp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian (network order, RFC 4303 section 2) field access on heap arrays, without bounds games. */
final class WireBytes {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private WireBytes() {}

  static int getInt(byte[] buf, int off) {
    return (int) INT.get(buf, off);
  }

  static void putInt(byte[] buf, int off, int value) {
    INT.set(buf, off, value);
  }

  static void putLong(byte[] buf, int off, long value) {
    LONG.set(buf, off, value);
  }
}
