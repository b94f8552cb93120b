package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;

/**
 * Receives ESP-in-UDP datagrams from the NAT-traversal socket (RFC 3948 section 2.1): everything
 * there that is neither marked IKE nor a NAT keepalive. {@code buf[off, off+len)} starts at the ESP
 * SPI; the array belongs to the receiver (a fresh heap copy), so the data plane may decrypt in
 * place. Called on the transport's I/O thread; must not block.
 */
@FunctionalInterface
public interface EspDatagramHandler {

  void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);
}
