package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.io.UdpEndpoint;

/**
 * Takes the datagrams {@link LinuxUdpSocket#receive} read, one call per datagram (a coalesced GRO
 * read is split at its segment size first). {@code buf[off, off+len)} is the UDP payload; the
 * receiver owns it for the call only (it may change it in place, e.g. decrypt), because the socket
 * reuses the array for the next read.
 */
@FunctionalInterface
public interface UdpDatagramReceiver {

  void datagram(UdpEndpoint from, byte[] buf, int off, int len);

  /** A datagram larger than the receive buffer arrived and was dropped ({@code MSG_TRUNC}). */
  default void truncated() {}
}
