package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.io.UdpEndpoint;

/**
 * Takes ESP packets that arrived in UDP on the NAT-traversal socket (RFC 3948 section 2.1), with
 * the UDP header and any framing removed: {@code buf[off, off+len)} starts at the SPI. {@link
 * DataPlane} implements it; the transport side adapts its own callback to it.
 *
 * <p>Ownership: the receiver owns {@code buf} only for the duration of the call. It may decrypt
 * in place, but must copy whatever it keeps, because the transport reuses the array for the next
 * datagram (it reads into one scratch array instead of allocating per datagram).
 *
 * <p>Bursts: a receiver may hold what it made of the datagrams (the data plane holds decrypted
 * packets to write them to the TUN device in one batch) until {@link #endOfBurst()}. Every
 * transport must therefore call {@code endOfBurst()} when it has no more datagrams ready right now,
 * after the last {@code onEspDatagram} of the burst and before it waits for the network again; a
 * transport that cannot tell where a burst ends calls it after every datagram. Both methods are
 * called by one thread at a time (the transport's I/O thread).
 */
@FunctionalInterface
public interface EspDatagramReceiver {

  void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);

  /**
   * The transport has no more datagrams ready right now: the receiver must finish (e.g. write to
   * the TUN device) everything it holds from earlier {@link #onEspDatagram} calls before
   * returning. Never throws; does nothing when nothing is held.
   */
  default void endOfBurst() {}
}
