package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.packet.PacketDefect;
import dev.ferry.vpn.esp.replay.ReplayWindow;

/**
 * The receiving half of an {@link EspSa}: checks, authenticates and decrypts one ESP packet in
 * place and hands back the inner packet (RFC 4303 section 3.4), in this order:
 *
 * <ol>
 *   <li>length and alignment of the encrypted part (RFC 4303 section 2.4) → {@link
 *       EspVerdict#MALFORMED};
 *   <li>the anti-replay check on the sequence number, with the ESN high half inferred (section
 *       3.4.3, Appendix A2) → {@link EspVerdict#REPLAYED};
 *   <li>the ICV (section 3.4.4) → {@link EspVerdict#AUTH_FAILED}; only then is the replay window
 *       updated;
 *   <li>padding, pad length and next header (sections 2.4 to 2.6; dummy packets → {@link
 *       EspVerdict#DUMMY_DROPPED});
 *   <li>the inner IP header and the SA's traffic selectors (RFC 4301 section 5.2) → {@link
 *       EspVerdict#POLICY_MISMATCH}.
 * </ol>
 *
 * <p>Never throws and never allocates for any packet content; every verdict is counted in the
 * {@link EspStats} given at creation. Single-owner: one thread at a time per SA (the replay window,
 * cipher and packet view inside are not thread-safe; hand an SA between workers only with a
 * happens-before edge such as a queue).
 */
public final class InboundSa {
  private final EspSa sa;
  private final int spi;
  private final EspStats stats;
  private final EspCipher cipher;
  private final ReplayWindow window;
  private final SelectorSet local;
  private final SelectorSet remote;
  private final IpPacketView view = new IpPacketView();
  private final int headroom;
  private final int icvLength;
  private final int alignment;

  InboundSa(EspSa sa, int spi, EspCipher cipher, EspStats stats, ReplayWindow window,
      SelectorSet local, SelectorSet remote) {
    this.sa = sa;
    this.spi = spi;
    this.stats = stats;
    this.cipher = cipher;
    this.window = window;
    this.local = local;
    this.remote = remote;
    this.headroom = 8 + cipher.ivLength();
    this.icvLength = cipher.icvLength();
    this.alignment = cipher.alignment();
  }

  /** Our SPI, which the peer puts into every packet for this SA. */
  public int spi() {
    return spi;
  }

  public EspSa sa() {
    return sa;
  }

  SelectorSet localSelectors() {
    return local;
  }

  SelectorSet remoteSelectors() {
    return remote;
  }

  /** The replay window, for tests that need to place it (for example near an ESN boundary). */
  ReplayWindow window() {
    return window;
  }

  /** The highest authenticated sequence number so far (0 before any; unsigned with ESN). */
  public long highestSequence() {
    return window.highest();
  }

  /**
   * Unprotects the ESP packet {@code buf[off, off+len)} (starting at the SPI: the UDP payload for
   * RFC 3948 encapsulation). On {@link EspVerdict#ACCEPTED} the inner IP packet is at {@code
   * inner.offset()} for {@code inner.length()} octets of the same array; on any other verdict the
   * region may hold partly processed bytes and must be discarded.
   */
  public EspVerdict unprotect(byte[] buf, int off, int len, InnerPacket inner) {
    return stats.count(unprotectUncounted(buf, off, len, inner));
  }

  private EspVerdict unprotectUncounted(byte[] buf, int off, int len, InnerPacket inner) {
    EspVerdict opened = open(buf, off, len, inner);
    if (opened != EspVerdict.ACCEPTED) {
      return opened;
    }
    int nextHeader = inner.nextHeader();
    if (nextHeader == OutboundSa.NEXT_HEADER_DUMMY) {
      return EspVerdict.DUMMY_DROPPED; // RFC 4303 section 2.6: silently discard dummy packets
    }
    if (nextHeader != OutboundSa.NEXT_HEADER_IPV4 && nextHeader != OutboundSa.NEXT_HEADER_IPV6) {
      return EspVerdict.MALFORMED; // tunnel mode carries IP packets only (RFC 4303 section 3.1.2)
    }
    if (view.reset(buf, inner.offset(), inner.length()) != PacketDefect.NONE
        || (view.family() == IpFamily.IPV4) != (nextHeader == OutboundSa.NEXT_HEADER_IPV4)) {
      return EspVerdict.MALFORMED;
    }
    // RFC 4301 section 5.2 step 4: the decrypted packet must match the SA's selectors, seen from
    // our side: it comes from the peer's (remote) networks and goes to our (local) ones.
    if (!remote.matchesSource(view) || !local.matchesDestination(view)) {
      return EspVerdict.POLICY_MISMATCH;
    }
    inner.set(this, inner.offset(), view.totalLength(), nextHeader);
    return EspVerdict.ACCEPTED;
  }

  /**
   * Steps 1 to 4 for any ESP payload (also transport mode, for the RFC 3602 vectors): on ACCEPTED
   * {@code inner} holds the payload including any TFC padding, and the next header.
   */
  EspVerdict open(byte[] buf, int off, int len, InnerPacket inner) {
    int encrypted = len - headroom - icvLength;
    if (buf == null || off < 0 || len < 0 || off > buf.length - len
        || encrypted < 2 || encrypted % alignment != 0) {
      return EspVerdict.MALFORMED;
    }
    if (WireBytes.getInt(buf, off) != spi) {
      return EspVerdict.UNKNOWN_SPI;
    }
    if (sa.isExpired()) {
      return EspVerdict.SA_EXPIRED;
    }
    long seq = window.infer(WireBytes.getInt(buf, off + 4));
    if (!window.check(seq)) {
      return EspVerdict.REPLAYED;
    }
    if (!cipher.open(buf, off, len, seq)) {
      return EspVerdict.AUTH_FAILED;
    }
    // RFC 4303 section 3.4.3: the window moves only for authenticated packets.
    window.commit(seq);
    int start = off + headroom;
    int end = start + encrypted;
    int pad = buf[end - 2] & 0xFF;
    int nextHeader = buf[end - 1] & 0xFF;
    int payload = encrypted - 2 - pad;
    if (payload < 0) {
      return EspVerdict.MALFORMED;
    }
    // RFC 4303 section 2.4: the receiver SHOULD check the default monotonic padding.
    for (int i = 0; i < pad; i++) {
      if ((buf[start + payload + i] & 0xFF) != i + 1) {
        return EspVerdict.MALFORMED;
      }
    }
    long before = sa.inboundBytes.getAndAdd(payload);
    sa.lastInboundMillis.set(sa.nowMillis());
    sa.checkLimits(sa.inboundPackets.incrementAndGet(), before, before + payload);
    inner.set(this, start, payload, nextHeader);
    return EspVerdict.ACCEPTED;
  }

  @Override
  public String toString() {
    return "InboundSa[spi " + String.format("%08x", spi) + ", " + window + "]";
  }
}
