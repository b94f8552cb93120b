package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that knows how datagrams on the IKE and NAT-traversal sockets are framed (RFC 3948
 * section 2) and where each kind goes. Both transports call {@link #dispatch} for every received
 * datagram and take the outgoing framing constants from here.
 *
 * <p>Receive path contract: never throws, never logs per datagram; every datagram is either handed
 * to a handler or counted under a {@link DropReason}. Only the first handler failure is logged (so
 * a broken handler is visible without flooding the log).
 */
final class DatagramDemultiplexer {

  /** RFC 3948 section 2.2: the non-ESP marker, four zero octets, in front of IKE on port 4500. */
  static final int NON_ESP_MARKER_LENGTH = 4;

  /** RFC 3948 section 2.3: a NAT keepalive is one octet with the value 0xFF. */
  static final byte NAT_KEEPALIVE_OCTET = (byte) 0xFF;

  /**
   * RFC 4303 section 2: an ESP packet starts with the SPI and the sequence number, 4 octets each.
   */
  static final int ESP_HEADER_LENGTH = 8;

  /** RFC 7296 section 3.1: the fixed IKE header is 28 octets; its Length field is at offset 24. */
  static final int IKE_HEADER_LENGTH = 28;

  private static final int IKE_LENGTH_OFFSET = 24;

  private static final Logger LOG = LoggerFactory.getLogger(DatagramDemultiplexer.class);

  private final IkeMessageHandler ikeHandler;
  private final EspDatagramHandler espHandler;
  private final TransportCounters counters;

  /**
   * @param espHandler may be null: ESP-in-UDP is then counted as {@link DropReason#ESP_UNHANDLED}
   */
  DatagramDemultiplexer(
      IkeMessageHandler ikeHandler, EspDatagramHandler espHandler, TransportCounters counters) {
    this.ikeHandler = Objects.requireNonNull(ikeHandler, "ikeHandler");
    this.espHandler = espHandler;
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  /** Octets put in front of an outgoing IKE message on a socket with this role. */
  static int ikePrefixLength(PortRole role) {
    // RFC 3948 section 2.2: IKE on the NAT-T port carries the non-ESP marker; on 500 it does not.
    return role == PortRole.NAT_TRAVERSAL ? NON_ESP_MARKER_LENGTH : 0;
  }

  /**
   * Whether an outgoing ESP packet can be told apart from IKE and keepalives by the receiver: it
   * needs a full ESP header and a non-zero SPI (RFC 3948 section 2.2: SPI 0 is the marker).
   */
  static boolean isSendableEsp(byte[] buf, int off, int len) {
    return len >= ESP_HEADER_LENGTH && readInt(buf, off) != 0;
  }

  /** Largest UDP payload for a family: 65535 minus the IP and UDP headers (RFC 768, RFC 8200). */
  static int maxUdpPayload(IpFamily family) {
    return family == IpFamily.IPV4 ? 65535 - 20 - 8 : 65535 - 8;
  }

  /**
   * Classifies one received datagram and hands it on. {@code buf} belongs to the caller, which may
   * reuse it once this returns (a transport's scratch array): ESP goes to the handler as is (its
   * contract says it owns the array only for the call), an IKE message is copied, because the IKE
   * handler may keep it.
   */
  void dispatch(LocalSocket local, UdpEndpoint remote, byte[] buf, int off, int len) {
    if (local.role() == PortRole.IKE) {
      deliverIke(local.endpoint(), remote, buf, off, len);
      return;
    }
    // RFC 3948 section 2.3: a lone 0xFF octet is a NAT keepalive; the receiver ignores it.
    if (len == 1 && buf[off] == NAT_KEEPALIVE_OCTET) {
      counters.received(DatagramKind.NAT_KEEPALIVE);
      return;
    }
    if (len < NON_ESP_MARKER_LENGTH) {
      counters.dropped(DropReason.TOO_SHORT);
      return;
    }
    // RFC 3948 section 2.2: four zero octets where an SPI would be mark the datagram as IKE.
    if (readInt(buf, off) == 0) {
      deliverIke(
          local.endpoint(), remote, buf, off + NON_ESP_MARKER_LENGTH, len - NON_ESP_MARKER_LENGTH);
      return;
    }
    deliverEsp(local.endpoint(), remote, buf, off, len);
  }

  /**
   * The socket has no more datagrams ready right now: passes the burst end on to the ESP handler
   * (which may have held decrypted packets for one TUN write). Never throws.
   */
  void endOfBurst() {
    if (espHandler == null) {
      return;
    }
    try {
      espHandler.endOfBurst();
    } catch (RuntimeException e) {
      handlerFailed("ESP burst end", e);
    }
  }

  /** The socket reported an error instead of a datagram (e.g. ICMP feedback on some stacks). */
  void receiveFailed() {
    counters.dropped(DropReason.RECEIVE_FAILED);
  }

  private void deliverIke(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    if (len < IKE_HEADER_LENGTH) {
      counters.dropped(DropReason.TOO_SHORT);
      return;
    }
    long declared = readInt(buf, off + IKE_LENGTH_OFFSET) & 0xFFFF_FFFFL;
    if (declared > len) {
      counters.dropped(DropReason.TRUNCATED);
      return;
    }
    // RFC 7296 section 3.1: Length is the whole message; a datagram carries exactly one message.
    if (declared < IKE_HEADER_LENGTH || declared < len) {
      counters.dropped(DropReason.LENGTH_MISMATCH);
      return;
    }
    byte[] message = Arrays.copyOfRange(buf, off, off + len); // the caller reuses buf
    try {
      ikeHandler.onMessage(local, remote, message);
      counters.received(DatagramKind.IKE);
    } catch (RuntimeException e) {
      handlerFailed("IKE message", e);
    }
  }

  private void deliverEsp(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    if (len < ESP_HEADER_LENGTH) {
      counters.dropped(DropReason.TOO_SHORT);
      return;
    }
    if (espHandler == null) {
      counters.dropped(DropReason.ESP_UNHANDLED);
      return;
    }
    try {
      espHandler.onEspDatagram(local, remote, buf, off, len);
      counters.received(DatagramKind.ESP);
    } catch (RuntimeException e) {
      handlerFailed("ESP datagram", e);
    }
  }

  private void handlerFailed(String what, RuntimeException e) {
    counters.dropped(DropReason.HANDLER_FAILED);
    if (counters.droppedCount(DropReason.HANDLER_FAILED) == 1) {
      // Logged once per transport: later failures are only counted (no per-packet logging).
      LOG.warn(
          "{} handler threw; the transport keeps running and counts further failures", what, e);
    }
  }

  private static int readInt(byte[] buf, int off) {
    return (buf[off] & 0xFF) << 24
        | (buf[off + 1] & 0xFF) << 16
        | (buf[off + 2] & 0xFF) << 8
        | (buf[off + 3] & 0xFF);
  }
}
