package dev.ferry.vpn.esp;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The sending half of an {@link EspSa}: turns an inner IP packet into an ESP packet in tunnel mode
 * (RFC 4303 section 2), in place in the caller's array.
 *
 * <p>Buffer contract: the inner packet is {@code buf[off, off+len)}. The ESP header (SPI, sequence
 * number, IV: {@link #headroom()} octets, at most {@link #MAX_HEADROOM}) is written into the
 * octets before {@code off}; TFC padding, padding, trailer and ICV ({@link #tailroom}, at most
 * {@link #MAX_TAILROOM} plus any TFC padding) after the packet. The ESP packet then starts at
 * {@code off - headroom()}. Only the encrypted region is rewritten; nothing is copied except what
 * the JCE does internally. For UDP encapsulation (RFC 3948) the ESP packet is the UDP payload as is:
 * the non-ESP marker exists only on IKE datagrams.
 *
 * <p>Thread-safe: each thread uses its own cipher instance (JCE ciphers are single-threaded),
 * created on first use and reused with a fresh init per packet; sequence numbers come from one
 * atomic counter, so they never repeat across threads. The sequence number also serves as the
 * explicit IV of AEAD suites.
 */
public final class OutboundSa {
  /** The largest {@link #headroom()} of any suite: SPI, sequence number and a 16-octet CBC IV. */
  public static final int MAX_HEADROOM = 8 + 16;

  /** The largest tailroom without TFC padding: 15 octets of CBC padding, trailer, 32-octet ICV. */
  public static final int MAX_TAILROOM = 15 + 2 + 32;

  /** IP protocol numbers for the next header field (RFC 4303 section 2.6, IANA). */
  static final int NEXT_HEADER_IPV4 = 4;

  static final int NEXT_HEADER_IPV6 = 41;
  static final int NEXT_HEADER_DUMMY = 59;

  private final EspSa sa;
  private final int spi;
  private final EspStats stats;
  private final ThreadLocal<EspCipher> ciphers;
  private final int ivLength;
  private final int icvLength;
  private final int alignment;
  private final long firstSequence;
  private final long lastAllowed;
  private final long softSequence;
  private final AtomicLong sequence;

  OutboundSa(EspSa sa, int spi, Supplier<EspCipher> factory, EspStats stats, boolean esn,
      long lastSequence) {
    this.sa = sa;
    this.spi = spi;
    this.stats = stats;
    EspCipher probe = factory.get();
    this.ivLength = probe.ivLength();
    this.icvLength = probe.icvLength();
    this.alignment = probe.alignment();
    this.ciphers = ThreadLocal.withInitial(factory);
    // RFC 4303 section 3.3.3: the counter must not cycle; the last usable number is 2^32-1, or
    // 2^64-1 with ESN (an unsigned -1). A soft limit at 7/8 of the space leaves time to rekey.
    this.lastAllowed = esn ? -1L : 0xFFFF_FFFFL;
    this.softSequence = esn ? 0xE000_0000_0000_0000L : 0xE000_0000L;
    this.firstSequence = lastSequence;
    this.sequence = new AtomicLong(lastSequence);
  }

  /** Our peer's SPI, which goes into every packet we send. */
  public int spi() {
    return spi;
  }

  public EspSa sa() {
    return sa;
  }

  /** Octets written before the inner packet: SPI, sequence number and IV. */
  public int headroom() {
    return 8 + ivLength;
  }

  /** Octets written after an inner packet of {@code innerLength} octets with this TFC padding. */
  public int tailroom(int innerLength, int tfcPadding) {
    int plain = innerLength + tfcPadding;
    return tfcPadding + padding(plain) + 2 + icvLength;
  }

  /** Length of the ESP packet for an inner packet of {@code innerLength} octets (for PMTU). */
  public int protectedLength(int innerLength) {
    return headroom() + innerLength + tailroom(innerLength, 0);
  }

  /** The last sequence number used (0 before the first packet); unsigned with ESN. */
  public long lastSequence() {
    return sequence.get();
  }

  long packetsProtected() {
    return sequence.get() - firstSequence;
  }

  /** RFC 4303 section 2.4: the minimum padding aligning payload + 2 trailer octets. */
  private int padding(int plain) {
    int rest = (plain + 2) % alignment;
    return rest == 0 ? 0 : alignment - rest;
  }

  /**
   * Protects the inner IPv4 or IPv6 packet {@code buf[off, off+len)} in tunnel mode. Returns the
   * ESP packet length (the packet starts at {@code off - headroom()}), or a negative {@link
   * OutboundDrop#code()}: {@code NOT_IP}, {@code SA_EXPIRED} or {@code SEQUENCE_EXHAUSTED}.
   *
   * @throws IllegalArgumentException when the buffer lacks the documented headroom or tailroom
   *     (a caller bug, never packet content)
   */
  public int protect(byte[] buf, int off, int len) {
    return protect(buf, off, len, 0);
  }

  /**
   * As {@link #protect(byte[], int, int)}, adding {@code tfcPadding} zero octets after the inner
   * packet to hide its length (RFC 4303 section 2.7); the receiver finds the end of the inner
   * packet from its IP header.
   */
  public int protect(byte[] buf, int off, int len, int tfcPadding) {
    int version = len > 0 ? (buf[off] & 0xF0) >>> 4 : 0;
    int nextHeader = version == 4 ? NEXT_HEADER_IPV4 : version == 6 ? NEXT_HEADER_IPV6 : -1;
    if (nextHeader < 0) {
      return stats.count(OutboundDrop.NOT_IP);
    }
    return seal(buf, off, len, tfcPadding, nextHeader);
  }

  /**
   * Protects {@code buf[off, off+len)} as a dummy packet (next header 59), which the peer
   * authenticates and drops (RFC 4303 section 2.6): traffic-flow confidentiality filler.
   */
  public int protectDummy(byte[] buf, int off, int len) {
    return seal(buf, off, len, 0, NEXT_HEADER_DUMMY);
  }

  /** The mode-independent part: any payload and next header (also used for the RFC vectors). */
  int seal(byte[] buf, int off, int len, int tfcPadding, int nextHeader) {
    int headroom = headroom();
    int plain = len + tfcPadding;
    int pad = padding(plain);
    if (len < 0 || tfcPadding < 0 || off < headroom
        || buf.length - off - plain < pad + 2 + icvLength) {
      throw new IllegalArgumentException("ESP needs " + headroom + " octets before and "
          + (tfcPadding + pad + 2 + icvLength) + " after the " + len + "-octet packet at " + off
          + " in a " + buf.length + "-octet buffer");
    }
    if (sa.isExpired()) {
      return stats.count(OutboundDrop.SA_EXPIRED);
    }
    long seq = nextSequence();
    if (seq == 0) {
      sa.hardLimitReached(LifetimeLimit.SEQUENCE);
      return stats.count(OutboundDrop.SEQUENCE_EXHAUSTED);
    }
    int esp = off - headroom;
    WireBytes.putInt(buf, esp, spi);
    // RFC 4303 section 2.2: only the low 32 bits travel, also with ESN.
    WireBytes.putInt(buf, esp + 4, (int) seq);
    int at = off + len;
    if (tfcPadding > 0) {
      Arrays.fill(buf, at, at + tfcPadding, (byte) 0);
      at += tfcPadding;
    }
    // RFC 4303 section 2.4: default padding is the monotonic series 1, 2, 3, ...
    for (int i = 1; i <= pad; i++) {
      buf[at++] = (byte) i;
    }
    buf[at++] = (byte) pad;
    buf[at] = (byte) nextHeader;
    int encrypted = plain + pad + 2;
    ciphers.get().seal(buf, esp, encrypted, seq);
    long bytesAfter = sa.outboundBytes.addAndGet(len);
    sa.checkLimits(seq - firstSequence, bytesAfter - len, bytesAfter);
    if (seq == softSequence) {
      sa.softLimitReached(LifetimeLimit.SEQUENCE);
    }
    stats.countProtected();
    return headroom + encrypted + icvLength;
  }

  /** The next sequence number, or 0 when the space is used up (never wraps). */
  private long nextSequence() {
    while (true) {
      long current = sequence.get();
      if (current == lastAllowed) {
        return 0;
      }
      if (sequence.compareAndSet(current, current + 1)) {
        return current + 1;
      }
    }
  }

  @Override
  public String toString() {
    return "OutboundSa[spi " + String.format("%08x", spi) + ", last sequence "
        + Long.toUnsignedString(sequence.get()) + "]";
  }
}
