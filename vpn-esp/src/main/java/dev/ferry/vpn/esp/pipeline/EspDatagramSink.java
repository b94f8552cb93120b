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
 */
@FunctionalInterface
public interface EspDatagramSink {

  /**
   * Sends one ESP packet from {@code local} (the SA's local tunnel endpoint) to {@code remote} (the
   * SA's remote tunnel endpoint).
   */
  void send(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);
}
