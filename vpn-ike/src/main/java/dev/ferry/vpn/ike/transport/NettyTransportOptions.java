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
 */
public record NettyTransportOptions(
    int eventLoopThreads,
    Duration shutdownTimeout,
    boolean preferNativeTransport,
    int maxDatagramSize) {

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
  }

  /** One event loop thread, 2 s shutdown, epoll when available, 64 KiB datagrams. */
  public static NettyTransportOptions defaults() {
    return new NettyTransportOptions(1, Duration.ofSeconds(2), true, 65535);
  }

  /** These options with the NIO transport even where epoll is available. */
  public NettyTransportOptions withNio() {
    return new NettyTransportOptions(eventLoopThreads, shutdownTimeout, false, maxDatagramSize);
  }
}
