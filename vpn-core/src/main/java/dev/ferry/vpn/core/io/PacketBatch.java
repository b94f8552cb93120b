package dev.ferry.vpn.core.io;

import java.util.Arrays;

/**
 * A fixed set of preallocated packet buffers that packet I/O fills and drains in batches: the only
 * mutable carrier between the TUN device, the ESP processor and the outer socket.
 *
 * <p>Each of the {@link #capacity()} entries owns one heap {@code byte[]} of {@link #bufferLength()}
 * = {@link #headroom()} + {@link #maxPacketLength()} + {@link #tailroom()} bytes, plus an offset
 * and a length that say where the entry's packet lies in it. Readers place a packet at offset
 * {@code headroom()} so that the ESP path can prepend its headers and append its trailer in place,
 * without a copy (wireguard-go reads TUN packets at an offset for the same reason). Heap arrays,
 * not direct buffers, because JCE's AES-GCM is 15-35 % faster on them and FFM critical downcalls
 * can read and write heap arrays directly.
 *
 * <p>The default room fits the largest ESP-in-UDP encapsulation we build:
 * <ul>
 *   <li>{@link #DEFAULT_HEADROOM} = 80 &ge; outer IPv6 header 40 + UDP 8 (RFC 3948) + ESP SPI and
 *       sequence number 8 (RFC 4303 section 2) + IV up to 16 (AES-CBC, RFC 3602), rounded up to a
 *       multiple of 16;
 *   <li>{@link #DEFAULT_TAILROOM} = 64 &ge; padding to a 16-byte block up to 15 + pad length 1 +
 *       next header 1 (RFC 4303 section 2.4) + ICV up to 32 (HMAC-SHA2-512-256, RFC 4868).
 * </ul>
 *
 * <p>Not thread-safe: a batch belongs to one thread at a time, which hands it on together with the
 * count of valid entries. The buffers never change identity, so I/O backends may cache views of
 * them. Setting offsets and lengths outside the buffer is a programming error and throws
 * {@link IndexOutOfBoundsException}; nothing here allocates except {@link #copyOf}.
 */
public final class PacketBatch {

  /** Room in front of each packet for outer IP, UDP, ESP headers and IV (see class comment). */
  public static final int DEFAULT_HEADROOM = 80;

  /** Room behind each packet for ESP padding, trailer and ICV (see class comment). */
  public static final int DEFAULT_TAILROOM = 64;

  private final byte[][] buffers;
  private final int[] offsets;
  private final int[] lengths;
  private final int maxPacketLength;
  private final int headroom;
  private final int tailroom;

  /**
   * A batch of {@code capacity} entries, each able to hold a packet of up to {@code
   * maxPacketLength} bytes with {@code headroom} bytes before and {@code tailroom} bytes after it.
   */
  public PacketBatch(int capacity, int maxPacketLength, int headroom, int tailroom) {
    if (capacity < 1 || capacity > 4096) {
      throw new IllegalArgumentException("batch capacity " + capacity + " is outside 1..4096");
    }
    if (maxPacketLength < 1 || maxPacketLength > 65535) {
      throw new IllegalArgumentException(
          "maximum packet length " + maxPacketLength + " is outside 1..65535");
    }
    if (headroom < 0 || headroom > 1024 || tailroom < 0 || tailroom > 1024) {
      throw new IllegalArgumentException(
          "headroom " + headroom + " and tailroom " + tailroom + " must each be in 0..1024");
    }
    this.maxPacketLength = maxPacketLength;
    this.headroom = headroom;
    this.tailroom = tailroom;
    this.buffers = new byte[capacity][headroom + maxPacketLength + tailroom];
    this.offsets = new int[capacity];
    this.lengths = new int[capacity];
    Arrays.fill(offsets, headroom);
  }

  /** A batch for packets up to {@code mtu} bytes with the default ESP headroom and tailroom. */
  public static PacketBatch forMtu(int capacity, int mtu) {
    return new PacketBatch(capacity, mtu, DEFAULT_HEADROOM, DEFAULT_TAILROOM);
  }

  /** Number of entries; fixed for the lifetime of the batch. */
  public int capacity() {
    return buffers.length;
  }

  /** Largest packet an entry holds at offset {@link #headroom()}. */
  public int maxPacketLength() {
    return maxPacketLength;
  }

  /** Bytes reserved in front of a packet placed by a reader. */
  public int headroom() {
    return headroom;
  }

  /** Bytes reserved behind the largest packet. */
  public int tailroom() {
    return tailroom;
  }

  /** Length of every entry's buffer: headroom + maximum packet length + tailroom. */
  public int bufferLength() {
    return buffers[0].length;
  }

  /** The buffer of entry {@code index}; the same array for the lifetime of the batch. */
  public byte[] buffer(int index) {
    return buffers[index];
  }

  /** Where entry {@code index}'s packet starts in its buffer. */
  public int offset(int index) {
    return offsets[index];
  }

  /** Length of entry {@code index}'s packet (0 for an empty entry). */
  public int length(int index) {
    return lengths[index];
  }

  /** Says that entry {@code index} holds a packet at {@code buffer(index)[offset, offset+length)}. */
  public void set(int index, int offset, int length) {
    // One unsigned comparison per bound keeps this cheap enough for the per-packet path.
    if (offset < 0 || length < 0 || offset > buffers[index].length - length) {
      throw new IndexOutOfBoundsException(
          "entry " + index + ": packet [" + offset + ", +" + length + ") is outside its "
              + buffers[index].length + "-byte buffer");
    }
    offsets[index] = offset;
    lengths[index] = length;
  }

  /** Empties entry {@code index} and moves its offset back to {@link #headroom()}. */
  public void clear(int index) {
    offsets[index] = headroom;
    lengths[index] = 0;
  }

  /** Copies {@code src[srcOffset, srcOffset+length)} into entry {@code index} at the headroom. */
  public void put(int index, byte[] src, int srcOffset, int length) {
    if (length < 0 || length > maxPacketLength) {
      throw new IllegalArgumentException(
          "packet of " + length + " bytes does not fit entries of at most " + maxPacketLength);
    }
    System.arraycopy(src, srcOffset, buffers[index], headroom, length);
    offsets[index] = headroom;
    lengths[index] = length;
  }

  /** A fresh copy of entry {@code index}'s packet (allocates: for tests and diagnostics). */
  public byte[] copyOf(int index) {
    return Arrays.copyOfRange(buffers[index], offsets[index], offsets[index] + lengths[index]);
  }

  @Override
  public String toString() {
    return "PacketBatch[capacity=" + capacity() + ", maxPacketLength=" + maxPacketLength
        + ", headroom=" + headroom + ", tailroom=" + tailroom + "]";
  }
}
