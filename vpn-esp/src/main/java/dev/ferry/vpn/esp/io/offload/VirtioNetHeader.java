package dev.ferry.vpn.esp.io.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The 10-byte {@code struct virtio_net_hdr} (linux/virtio_net.h) that a TUN device opened with
 * {@code IFF_VNET_HDR} puts in front of every packet it hands out and expects in front of every
 * packet written to it: {@code u8 flags, u8 gso_type, u16 hdr_len, u16 gso_size, u16 csum_start,
 * u16 csum_offset}.
 *
 * <p>The 16-bit fields are little endian here. A TUN device uses the "legacy" header in the host's
 * byte order unless told otherwise ({@code tun_is_little_endian()} in drivers/net/tun.c); the TUN
 * backend pins little endian with {@code TUNSETVNETLE}, so this codec is the same on every host.
 *
 * <p>The record is for tests and diagnostics; the per-packet paths use the static accessors,
 * which neither allocate nor throw for content (callers check the 10 bytes are there).
 *
 * @param flags {@link #F_NEEDS_CSUM} and/or {@link #F_DATA_VALID}, 0..255
 * @param gsoType {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_UDP}, {@link #GSO_TCPV6},
 *     {@link #GSO_UDP_L4}, possibly with {@link #GSO_ECN}; 0..255
 * @param hdrLen length of the headers to copy into every segment, 0..65535
 * @param gsoSize payload bytes per segment, 0..65535
 * @param csumStart where the checksummed range starts, from the start of the packet, 0..65535
 * @param csumOffset where in that range the checksum field lies, 0..65535
 */
public record VirtioNetHeader(
    int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {

  /** Bytes of the header ({@code sizeof(struct virtio_net_hdr)}; TUNSETVNETHDRSZ is set to it). */
  public static final int LENGTH = 10;

  /** The checksum from csum_start to the end still has to be folded into csum_offset. */
  public static final int F_NEEDS_CSUM = 1;
  /** The checksum was already verified (the sender need not, and we do not, look again). */
  public static final int F_DATA_VALID = 2;

  public static final int GSO_NONE = 0;
  public static final int GSO_TCPV4 = 1;
  /** UDP fragmentation offload (UFO): never asked for, so never accepted. */
  public static final int GSO_UDP = 3;
  public static final int GSO_TCPV6 = 4;
  /** UDP segmentation offload (USO, TUN_F_USO4/6): never asked for, so never accepted. */
  public static final int GSO_UDP_L4 = 5;
  /** The super-packet's first segment carries CWR (TUN_F_TSO_ECN). */
  public static final int GSO_ECN = 0x80;

  private static final VarHandle U16_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  public VirtioNetHeader {
    checkRange("flags", flags, 0xff);
    checkRange("gso_type", gsoType, 0xff);
    checkRange("hdr_len", hdrLen, 0xffff);
    checkRange("gso_size", gsoSize, 0xffff);
    checkRange("csum_start", csumStart, 0xffff);
    checkRange("csum_offset", csumOffset, 0xffff);
  }

  private static void checkRange(String field, int value, int max) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(
          "virtio_net_hdr field " + field + " = " + value + " is outside 0.." + max);
    }
  }

  /** The header at {@code buf[off, off+10)}. */
  public static VirtioNetHeader decode(byte[] buf, int off) {
    Objects.checkFromIndexSize(off, LENGTH, buf.length);
    return new VirtioNetHeader(flags(buf, off), gsoType(buf, off), hdrLen(buf, off),
        gsoSize(buf, off), csumStart(buf, off), csumOffset(buf, off));
  }

  /** Writes this header to {@code buf[off, off+10)}. */
  public void encode(byte[] buf, int off) {
    Objects.checkFromIndexSize(off, LENGTH, buf.length);
    put(buf, off, flags, gsoType, hdrLen, gsoSize, csumStart, csumOffset);
  }

  public static int flags(byte[] buf, int off) {
    return buf[off] & 0xff;
  }

  public static int gsoType(byte[] buf, int off) {
    return buf[off + 1] & 0xff;
  }

  public static int hdrLen(byte[] buf, int off) {
    return u16(buf, off + 2);
  }

  public static int gsoSize(byte[] buf, int off) {
    return u16(buf, off + 4);
  }

  public static int csumStart(byte[] buf, int off) {
    return u16(buf, off + 6);
  }

  public static int csumOffset(byte[] buf, int off) {
    return u16(buf, off + 8);
  }

  /** Writes all six fields at {@code buf[off, off+10)} (no allocation; bounds are the caller's). */
  public static void put(byte[] buf, int off, int flags, int gsoType, int hdrLen, int gsoSize,
      int csumStart, int csumOffset) {
    buf[off] = (byte) flags;
    buf[off + 1] = (byte) gsoType;
    U16_LE.set(buf, off + 2, (short) hdrLen);
    U16_LE.set(buf, off + 4, (short) gsoSize);
    U16_LE.set(buf, off + 6, (short) csumStart);
    U16_LE.set(buf, off + 8, (short) csumOffset);
  }

  /** A header saying "one whole packet, checksums complete": all ten bytes zero. */
  public static void putNone(byte[] buf, int off) {
    put(buf, off, 0, GSO_NONE, 0, 0, 0, 0);
  }

  private static int u16(byte[] buf, int at) {
    return (short) U16_LE.get(buf, at) & 0xffff;
  }
}
