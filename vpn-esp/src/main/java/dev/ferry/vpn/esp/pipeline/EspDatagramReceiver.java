package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.io.UdpEndpoint;

/**
 * Takes ESP packets that arrived in UDP on the NAT-traversal socket (RFC 3948 section 2.1), with
 * the UDP header and any framing removed: {@code buf[off, off+len)} starts at the SPI. The receiver
 * owns the array for the duration of the call and may decrypt in place. {@link DataPlane}
 * implements it; the transport side adapts its own callback to it.
 */
@FunctionalInterface
public interface EspDatagramReceiver {

  void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len);
}
