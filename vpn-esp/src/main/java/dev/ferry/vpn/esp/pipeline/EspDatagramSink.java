package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.io.UdpEndpoint;

/**
 * Where the data plane hands outer ESP packets: the NAT-traversal UDP socket, which carries them as
 * ESP-in-UDP (RFC 3948 section 2.1). vpn-esp defines this seam so that it needs no transport; the
 * IKE transport adapts to it (in vpn-ike), and tests and benchmarks plug in a loopback.
 *
 * <p>Contract: {@code buf[off, off+len)} starts at the ESP SPI; the sink copies what it needs
 * before returning, because the data plane reuses the buffer for the next packet at once. It must
 * not block on the network and must not throw for a packet's content or for network trouble (count
 * it instead); it is called from the data plane's outbound worker, one call at a time per worker.
 *
 * <p>Batches: the data plane calls {@link #flush()} after the last {@link #send} of each batch it
 * read from the TUN device. A sink may hold (copies of) the datagrams of a batch until then, to
 * send them together (one hand-off to the I/O thread, one system call for many datagrams), but
 * must send everything it holds at {@code flush()}; it may also send earlier, e.g. when its own
 * queue is full.
 */
@FunctionalInterface
public interface EspDatagramSink {

  /**
   * Sends one ESP packet from {@code local} (the SA's local tunnel endpoint) to {@code remote} (the
   * SA's remote tunnel endpoint), now or at the next {@link #flush()}.
   */
  void send(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);

  /**
   * Sends every datagram {@link #send} has queued so far; a sink that sends at once does nothing.
   * Same thread rules as {@code send}; never blocks on the network or throws for network trouble.
   */
  default void flush() {}
}
