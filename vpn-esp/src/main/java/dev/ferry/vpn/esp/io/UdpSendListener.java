package dev.ferry.vpn.esp.io;

/**
 * Hears what became of the datagrams queued on a {@link LinuxUdpSocket}, on the sending thread,
 * once per system call: it must be cheap and must not throw (counters, typically).
 */
public interface UdpSendListener {

  /** Why datagrams were not sent. */
  enum Failure {
    /** The socket's send buffer stayed full for longer than the socket waits (backpressure). */
    BUFFER_FULL,
    /** The kernel refused the send (no route, unreachable, a recipient of the wrong family). */
    REFUSED,
    /** The socket was closed before they went out. */
    CLOSED
  }

  /**
   * {@code datagrams} left in one system call; {@code segmented} when they were one UDP GSO send
   * ({@code UDP_SEGMENT}) rather than a single datagram.
   */
  void sent(int datagrams, boolean segmented);

  void dropped(int datagrams, Failure failure);

  /** Counts nothing. */
  UdpSendListener NONE = new UdpSendListener() {
    @Override
    public void sent(int datagrams, boolean segmented) {}

    @Override
    public void dropped(int datagrams, Failure failure) {}
  };
}
