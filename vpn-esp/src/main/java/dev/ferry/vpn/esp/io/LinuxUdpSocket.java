package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpFamily;
import java.io.IOException;

/**
 * ESP-in-UDP datagrams read and written straight on a bound UDP socket's descriptor through FFM
 * ({@code recvmsg} with UDP_GRO, {@code sendmsg} with UDP_SEGMENT), bypassing the socket library
 * that owns the descriptor. This is the Java 21 class of vpn-esp's multi-release jar: FFM is final
 * only from JDK 22, so here {@link #available()} is false and {@link #attach} refuses; on JDK 22
 * and newer the class of the same name in {@code META-INF/versions/22} does the work (see it for
 * the full contract). Both classes have the same public API, down to {@code synchronized} (the
 * multi-release rules of JEP 238, which {@code jar --validate} checks).
 */
public final class LinuxUdpSocket implements AutoCloseable {

  private LinuxUdpSocket() {}

  /** Whether this JVM can attach to sockets: never on Java 21. */
  public static boolean available() {
    return false;
  }

  /**
   * Attaches to a bound, non-blocking UDP socket.
   *
   * @throws UnsupportedOperationException always on this Java 21 class
   */
  public static LinuxUdpSocket attach(int fd, IpFamily family, int maxSegment,
      boolean segmentation, UdpSendListener listener) {
    throw new UnsupportedOperationException(
        "direct UDP socket I/O needs JDK 22 or newer (FFM); this JVM is "
            + Runtime.version().feature());
  }

  /** Never reached on Java 21: {@link #attach} refuses. */
  public int receive(UdpDatagramReceiver receiver, int timeoutMillis) throws IOException {
    throw new UnsupportedOperationException("Java 21 class");
  }

  /** Never reached on Java 21: {@link #attach} refuses. */
  public synchronized void queue(UdpEndpoint to, byte[] buf, int off, int len) {
    throw new UnsupportedOperationException("Java 21 class");
  }

  /** Never reached on Java 21: {@link #attach} refuses. */
  public synchronized void flush() {
    throw new UnsupportedOperationException("Java 21 class");
  }

  /** Never reached on Java 21: {@link #attach} refuses. */
  public boolean segmentation() {
    return false;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "LinuxUdpSocket[unavailable on Java 21]";
  }
}
