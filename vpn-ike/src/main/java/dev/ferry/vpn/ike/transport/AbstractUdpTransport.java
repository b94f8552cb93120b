package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every UDP transport shares: the table of bound sockets, argument checks, framing of what is
 * sent, counters and idempotent close. Subclasses only move bytes ({@link #transmit}) and free
 * their resources ({@link #release()}).
 *
 * @param <S> the implementation's socket handle
 */
abstract class AbstractUdpTransport<S> implements IkeUdpTransport {

  /** One bound socket: its endpoint and role, and the implementation's handle. */
  record Bound<S>(LocalSocket local, S socket) {
    Bound {
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(socket, "socket");
    }
  }

  private static final byte[] KEEPALIVE = {DatagramDemultiplexer.NAT_KEEPALIVE_OCTET};

  protected final TransportCounters counters;
  private final Map<UdpEndpoint, Bound<S>> byEndpoint = new LinkedHashMap<>();
  /**
   * The last lookup, by identity: the data plane passes the same endpoint object for every packet
   * of an SA, so the per-packet path skips hashing a record. Immutable, so a racy read is safe.
   */
  private LastLookup<S> lastLookup;

  private record LastLookup<S>(UdpEndpoint local, Bound<S> bound) {}
  private final List<Bound<S>> bound;
  private final List<LocalSocket> localSockets;
  private final List<UdpEndpoint> localEndpoints;
  private final AtomicBoolean closed = new AtomicBoolean();

  AbstractUdpTransport(TransportCounters counters, List<Bound<S>> bound) {
    this.counters = Objects.requireNonNull(counters, "counters");
    List<LocalSocket> sockets = new ArrayList<>();
    for (Bound<S> b : bound) {
      byEndpoint.put(b.local().endpoint(), b);
      sockets.add(b.local());
    }
    this.bound = List.copyOf(bound);
    this.localSockets = List.copyOf(sockets);
    this.localEndpoints = sockets.stream().map(LocalSocket::endpoint).toList();
  }

  /**
   * Hands one datagram to the network: {@code prefix} zero octets (the non-ESP marker, or none)
   * followed by {@code buf[off, off+len)}, which must be copied before returning. Counts the
   * outcome as sent or dropped; never throws for network trouble.
   */
  abstract void transmit(
      Bound<S> from, UdpEndpoint to, DatagramKind kind, int prefix, byte[] buf, int off, int len);

  /**
   * Sends or queues one ESP datagram ({@link IkeUdpTransport#sendEsp}, already checked); by
   * default at once through {@link #transmit}. A transport that overrides it to queue overrides
   * {@link #transmitQueuedEsp()} too.
   */
  void transmitEsp(Bound<S> from, UdpEndpoint to, byte[] buf, int off, int len) {
    transmit(from, to, DatagramKind.ESP, 0, buf, off, len);
  }

  /** Sends what {@link #transmitEsp} queued; nothing to do by default. */
  void transmitQueuedEsp() {}

  /** Frees sockets and threads; called once, by the first {@link #close()}. */
  abstract void release();

  @Override
  public final void send(UdpEndpoint local, UdpEndpoint remote, byte[] message) {
    Objects.requireNonNull(message, "message");
    Bound<S> from = socketFor(local, remote);
    int prefix = DatagramDemultiplexer.ikePrefixLength(from.local().role());
    int limit = DatagramDemultiplexer.maxUdpPayload(local.address().family());
    if (message.length + prefix > limit) {
      throw new IllegalArgumentException(
          "IKE message of "
              + message.length
              + " octets does not fit one UDP datagram from "
              + from.local()
              + " (at most "
              + (limit - prefix)
              + "); fragment it (RFC 7383)");
    }
    if (closedForSend()) {
      return;
    }
    transmit(from, remote, DatagramKind.IKE, prefix, message, 0, message.length);
  }

  @Override
  public final void sendKeepalive(UdpEndpoint local, UdpEndpoint remote) {
    Bound<S> from = natTraversalSocketFor(local, remote, "NAT keepalives (RFC 3948 section 2.3)");
    if (closedForSend()) {
      return;
    }
    transmit(from, remote, DatagramKind.NAT_KEEPALIVE, 0, KEEPALIVE, 0, KEEPALIVE.length);
  }

  @Override
  public final void sendEsp(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    Bound<S> from = natTraversalSocketFor(local, remote, "ESP-in-UDP (RFC 3948 section 2.1)");
    if (closedForSend()) {
      return;
    }
    if (!DatagramDemultiplexer.isSendableEsp(buf, off, len)
        || len > DatagramDemultiplexer.maxUdpPayload(local.address().family())) {
      counters.dropped(DropReason.ESP_INVALID);
      return;
    }
    transmitEsp(from, remote, buf, off, len);
  }

  @Override
  public final void flushEsp() {
    transmitQueuedEsp();
  }

  @Override
  public final List<UdpEndpoint> localEndpoints() {
    return localEndpoints;
  }

  @Override
  public final List<LocalSocket> localSockets() {
    return localSockets;
  }

  @Override
  public final TransportStats stats() {
    return counters.snapshot();
  }

  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }

  /** The bound sockets with their handles, in binding order. */
  final List<Bound<S>> bound() {
    return bound;
  }

  final boolean isClosed() {
    return closed.get();
  }

  private boolean closedForSend() {
    if (closed.get()) {
      counters.dropped(DropReason.SEND_AFTER_CLOSE);
      return true;
    }
    return false;
  }

  private Bound<S> natTraversalSocketFor(UdpEndpoint local, UdpEndpoint remote, String what) {
    Bound<S> from = socketFor(local, remote);
    if (from.local().role() != PortRole.NAT_TRAVERSAL) {
      throw new IllegalArgumentException(
          what + " go out on a NAT-traversal socket, but " + from.local() + " is the IKE socket");
    }
    return from;
  }

  private Bound<S> socketFor(UdpEndpoint local, UdpEndpoint remote) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    LastLookup<S> last = lastLookup;
    Bound<S> from;
    if (last != null && last.local() == local) {
      from = last.bound();
    } else {
      from = byEndpoint.get(local);
      if (from != null) {
        lastLookup = new LastLookup<>(local, from);
      }
    }
    if (from == null) {
      throw new IllegalArgumentException(
          "local endpoint " + local + " is not bound by this transport; bound: " + localSockets);
    }
    if (remote.address().family() != local.address().family()) {
      throw new IllegalArgumentException(
          "cannot send from " + local + " to " + remote + ": address families differ");
    }
    if (remote.port() == 0) {
      throw new IllegalArgumentException("remote endpoint " + remote + " has port 0");
    }
    return from;
  }
}
