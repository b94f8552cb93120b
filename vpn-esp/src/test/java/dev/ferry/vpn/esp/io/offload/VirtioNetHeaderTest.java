package dev.ferry.vpn.esp.io.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VirtioNetHeaderTest {

  // flags NEEDS_CSUM, gso TCPV4, hdr_len 52, gso_size 1348, csum_start 20, csum_offset 16, each
  // 16-bit field little endian as a TUN device with TUNSETVNETLE (or on x86) has them.
  private static final byte[] TSO4 = {1, 1, 52, 0, 0x44, 0x05, 20, 0, 16, 0};

  @Test
  void decodesALittleEndianTsoHeader() {
    byte[] buf = new byte[12];
    System.arraycopy(TSO4, 0, buf, 2, 10);
    assertEquals(new VirtioNetHeader(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 52,
        1348, 20, 16), VirtioNetHeader.decode(buf, 2));
  }

  @Test
  void encodesToTheSameBytes() {
    byte[] out = new byte[10];
    new VirtioNetHeader(1, 1, 52, 1348, 20, 16).encode(out, 0);
    assertArrayEquals(TSO4, out);
    VirtioNetHeader wide = new VirtioNetHeader(0x03, 0x84, 0xfedc, 0xba98, 0x7654, 0x3210);
    wide.encode(out, 0);
    assertArrayEquals(new byte[] {3, (byte) 0x84, (byte) 0xdc, (byte) 0xfe, (byte) 0x98,
        (byte) 0xba, 0x54, 0x76, 0x10, 0x32}, out);
    assertEquals(wide, VirtioNetHeader.decode(out, 0));
  }

  @Test
  void noneHeaderIsAllZero() {
    byte[] out = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    VirtioNetHeader.putNone(out, 0);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}, out);
  }

  @Test
  void refusesFieldsOutOfRangeAndShortBuffers() {
    assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeader(256, 0, 0, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeader(0, 0, 0, 65536, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new VirtioNetHeader(0, 0, 0, 0, -1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> VirtioNetHeader.decode(new byte[12], 3));
  }
}
