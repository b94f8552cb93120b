package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.List;

/**
 * An {@link IkeTransport} over UDP with the RFC 3948 extras of the NAT-traversal socket: NAT
 * keepalives and ESP-in-UDP for the data plane, which share that socket with IKE. Both the Netty
 * transport and the in-memory {@link LoopbackIkeNetwork} implement it with the same framing and
 * demultiplexing, so tests of either hold for both.
 *
 * <p>Sending never blocks on the network. Misuse (an endpoint that is not ours, a family mismatch,
 * a message too large for one datagram) throws {@link IllegalArgumentException} and sends nothing;
 * network trouble and sends after {@link #close()} are counted in {@link #stats()}, not thrown.
 */
public interface IkeUdpTransport extends IkeTransport {

  /** The bound sockets with their roles, in binding order (per address: IKE, then NAT-T). */
  List<LocalSocket> localSockets();

  /**
   * Sends a NAT keepalive, the single octet 0xFF (RFC 3948 section 2.3), from a NAT-traversal
   * socket; keeps the NAT mapping open (section 4).
   */
  void sendKeepalive(UdpEndpoint local, UdpEndpoint remote);

  /**
   * Sends one ESP packet in UDP (RFC 3948 section 2.1) from a NAT-traversal socket, now or at the
   * next {@link #flushEsp()}: a transport may queue ESP datagrams to send them in batches. {@code
   * buf[off, off+len)} starts at the SPI; the bytes are copied before this returns. A packet
   * shorter than the 8-octet ESP header or with SPI 0 (which would read as the non-ESP marker) is
   * counted as {@link DropReason#ESP_INVALID} and not sent. IKE messages and keepalives are never
   * queued.
   */
  void sendEsp(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);

  /**
   * Sends the ESP datagrams {@link #sendEsp} has queued. The data plane calls it after each batch
   * (through {@link EspTransportLink#sink}); a caller of {@code sendEsp} must call it before it
   * waits for more work. Never blocks on the network; a transport that sends at once does nothing.
   */
  default void flushEsp() {}

  /** A snapshot of the counters. */
  TransportStats stats();
}
