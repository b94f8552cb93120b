package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;

/**
 * Receives ESP-in-UDP datagrams from the NAT-traversal socket (RFC 3948 section 2.1): everything
 * there that is neither marked IKE nor a NAT keepalive. {@code buf[off, off+len)} starts at the ESP
 * SPI. The handler owns the array only for the duration of the call: it may decrypt in place, but
 * the transport reuses the array for the next datagram, so anything kept must be copied.
 *
 * <p>Called on the transport's I/O thread, one call at a time per socket; must not block. After
 * the last datagram it has ready, the transport calls {@link #endOfBurst()} (the Netty transport
 * when a read loop ends, the in-memory network after every delivery), so a handler may hold work
 * until then; {@link dev.ferry.vpn.esp.pipeline.EspDatagramReceiver} states the same contract.
 */
@FunctionalInterface
public interface EspDatagramHandler {

  void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);

  /** No more datagrams are ready right now: finish whatever is held. Must not block. */
  default void endOfBurst() {}
}
