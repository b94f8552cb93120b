package dev.ferry.vpn.ike.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of {@link NettyIkeTransport}.
 *
 * @param eventLoopThreads I/O threads shared by all sockets of one transport (1 is plenty for IKE)
 * @param shutdownTimeout how long {@code close()} waits for the event loop to stop
 * @param preferNativeTransport use epoll when {@code Epoll.isAvailable()}, NIO otherwise
 * @param maxDatagramSize receive buffer per datagram; larger datagrams arrive truncated and are
 *     dropped as {@link DropReason#TRUNCATED}
 * @param socketBufferSize requested {@code SO_RCVBUF} and {@code SO_SNDBUF} of every socket, so a
 *     burst of ESP datagrams waits in the kernel instead of being dropped (the Linux kernel caps
 *     it at {@code net.core.rmem_max} / {@code wmem_max}; the effective size is logged at debug)
 * @param udpOffloads on epoll, send runs of equal-sized ESP datagrams to one peer as one UDP GSO
 *     buffer ({@code UDP_SEGMENT}) and receive coalesced datagrams ({@code UDP_GRO}); needs
 *     {@code maxDatagramSize} 65535, the most a coalesced read can hold
 * @param directEsp with {@code udpOffloads} on epoll and JDK 22+ on Linux, the NAT-traversal
 *     sockets' datagrams are read by a dedicated thread and ESP is sent from the caller's thread,
 *     both straight on the socket through FFM ({@link dev.ferry.vpn.esp.io.LinuxUdpSocket})
 *     instead of through Netty's pipeline and event loop; IKE messages on those sockets take the
 *     same way in and still go out through Netty
 */
public record NettyTransportOptions(
    int eventLoopThreads,
    Duration shutdownTimeout,
    boolean preferNativeTransport,
    int maxDatagramSize,
    int socketBufferSize,
    boolean udpOffloads,
    boolean directEsp) {

  /** The default socket buffer size: 4 MiB, about 2,800 full-size ESP datagrams. */
  public static final int DEFAULT_SOCKET_BUFFER_SIZE = 4 << 20;

  public NettyTransportOptions {
    if (eventLoopThreads < 1) {
      throw new IllegalArgumentException(
          "eventLoopThreads must be at least 1, got " + eventLoopThreads);
    }
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (shutdownTimeout.isNegative()) {
      throw new IllegalArgumentException("shutdownTimeout " + shutdownTimeout + " is negative");
    }
    // RFC 7296 section 2: implementations must accept messages up to 1280 octets, so never less.
    if (maxDatagramSize < 1280 || maxDatagramSize > 65535) {
      throw new IllegalArgumentException(
          "maxDatagramSize " + maxDatagramSize + " is outside 1280..65535");
    }
    // The Linux minimum SO_RCVBUF is 2,304 octets (SOCK_MIN_RCVBUF); below 64 KiB a burst of
    // full-size datagrams overflows at once.
    if (socketBufferSize < 65536 || socketBufferSize > 1 << 30) {
      throw new IllegalArgumentException(
          "socketBufferSize " + socketBufferSize + " is outside 65536..2^30");
    }
  }

  /** As the canonical constructor with the default socket buffers and UDP offloads on. */
  public NettyTransportOptions(int eventLoopThreads, Duration shutdownTimeout,
      boolean preferNativeTransport, int maxDatagramSize) {
    this(eventLoopThreads, shutdownTimeout, preferNativeTransport, maxDatagramSize,
        DEFAULT_SOCKET_BUFFER_SIZE, true, true);
  }

  /**
   * Set to {@code off} to keep the NAT-traversal sockets on Netty in {@link #defaults()} (an
   * operator's way back, and how the end-to-end bench compares the two paths).
   */
  public static final String DIRECT_ESP_PROPERTY = "dev.ferry.vpn.transport.direct-esp";

  /**
   * One event loop thread, 2 s shutdown, epoll, 64 KiB datagrams, 4 MiB buffers, offloads, direct
   * ESP socket I/O unless {@value #DIRECT_ESP_PROPERTY} is {@code off}.
   */
  public static NettyTransportOptions defaults() {
    return new NettyTransportOptions(1, Duration.ofSeconds(2), true, 65535)
        .withDirectEsp(!"off".equals(System.getProperty(DIRECT_ESP_PROPERTY)));
  }

  /** These options with the NIO transport even where epoll is available. */
  public NettyTransportOptions withNio() {
    return new NettyTransportOptions(eventLoopThreads, shutdownTimeout, false, maxDatagramSize,
        socketBufferSize, udpOffloads, directEsp);
  }

  /** These options with UDP GSO and GRO on or off. */
  public NettyTransportOptions withUdpOffloads(boolean value) {
    return new NettyTransportOptions(eventLoopThreads, shutdownTimeout, preferNativeTransport,
        maxDatagramSize, socketBufferSize, value, directEsp);
  }

  /** These options with {@code SO_RCVBUF} and {@code SO_SNDBUF} of {@code bytes}. */
  public NettyTransportOptions withSocketBufferSize(int bytes) {
    return new NettyTransportOptions(eventLoopThreads, shutdownTimeout, preferNativeTransport,
        maxDatagramSize, bytes, udpOffloads, directEsp);
  }

  /** These options with direct ESP socket I/O on or off (off: everything through Netty). */
  public NettyTransportOptions withDirectEsp(boolean value) {
    return new NettyTransportOptions(eventLoopThreads, shutdownTimeout, preferNativeTransport,
        maxDatagramSize, socketBufferSize, udpOffloads, value);
  }
}
