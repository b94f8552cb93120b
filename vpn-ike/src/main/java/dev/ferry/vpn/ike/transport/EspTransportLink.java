package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.esp.pipeline.EspDatagramReceiver;
import dev.ferry.vpn.esp.pipeline.EspDatagramSink;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Joins the ESP data plane to an {@link IkeUdpTransport}'s NAT-traversal sockets (RFC 3948): as
 * the transport's {@link EspDatagramHandler} it passes ESP-in-UDP datagrams to an {@link
 * EspDatagramReceiver} (the data plane), and {@link #sink} adapts the transport to the data
 * plane's {@link EspDatagramSink}.
 *
 * <p>The transport takes its handler when it is opened and the data plane takes its sink when it
 * is created, so the link is made first and {@link #attach attached} once both exist:
 *
 * <pre>{@code
 * EspTransportLink link = new EspTransportLink();
 * IkeUdpTransport transport = network.open(config, ikeHandler, link);
 * DataPlane plane = DataPlane.start(tun, store, nat, EspTransportLink.sink(transport), options);
 * link.attach(plane);
 * }</pre>
 *
 * <p>Datagrams that arrive before {@link #attach} are counted and dropped. Thread-safe; adds no
 * lock and no allocation to either direction.
 */
public final class EspTransportLink implements EspDatagramHandler {
  private final LongAdder droppedUnattached = new LongAdder();
  private volatile EspDatagramReceiver receiver;

  /** Sends every ESP datagram from now on to {@code target}. */
  public void attach(EspDatagramReceiver target) {
    this.receiver = Objects.requireNonNull(target, "target");
  }

  /** ESP datagrams that arrived while no receiver was attached. */
  public long droppedUnattached() {
    return droppedUnattached.sum();
  }

  @Override
  public void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    EspDatagramReceiver target = receiver;
    if (target == null) {
      droppedUnattached.increment();
      return;
    }
    target.onEspDatagram(local, remote, buf, off, len);
  }

  @Override
  public void endOfBurst() {
    EspDatagramReceiver target = receiver;
    if (target != null) {
      target.endOfBurst();
    }
  }

  /**
   * A sink that sends ESP-in-UDP through {@code transport}: {@link EspDatagramSink#send} is {@link
   * IkeUdpTransport#sendEsp} (which may queue) and {@link EspDatagramSink#flush()} is {@link
   * IkeUdpTransport#flushEsp()}. The SA's local tunnel endpoint may name
   * the IKE socket (port 500) when the IKE SA never moved to 4500; ESP-in-UDP always leaves from the
   * NAT-traversal socket of the same address (RFC 3948 section 2.1), so the sink picks that one. A
   * local address the transport has not bound is counted by {@link #unbound(EspDatagramSink)} and
   * not sent; everything else the transport counts itself ({@link IkeUdpTransport#stats()}).
   */
  public static EspDatagramSink sink(IkeUdpTransport transport) {
    return new TransportSink(transport);
  }

  /** Packets {@code sink} (made by {@link #sink}) could not send: no NAT-T socket on the address. */
  public static long unbound(EspDatagramSink sink) {
    return sink instanceof TransportSink s ? s.unbound.sum() : 0;
  }

  private static final class TransportSink implements EspDatagramSink {
    private final IkeUdpTransport transport;
    /** Every bound endpoint to the NAT-traversal endpoint of its address; fixed at creation. */
    private final Map<UdpEndpoint, UdpEndpoint> natTraversalFor = new HashMap<>();
    private final LongAdder unbound = new LongAdder();
    /** The last mapping used, by identity (an SA passes the same endpoint object each time). */
    private Mapping last;

    private record Mapping(UdpEndpoint local, UdpEndpoint natTraversal) {}

    TransportSink(IkeUdpTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      Map<IpAddress, UdpEndpoint> byAddress = new HashMap<>();
      for (LocalSocket socket : transport.localSockets()) {
        if (socket.role() == PortRole.NAT_TRAVERSAL) {
          byAddress.put(socket.endpoint().address(), socket.endpoint());
        }
      }
      for (LocalSocket socket : transport.localSockets()) {
        UdpEndpoint natTraversal = byAddress.get(socket.endpoint().address());
        if (natTraversal != null) {
          natTraversalFor.put(socket.endpoint(), natTraversal);
        }
      }
    }

    @Override
    public void send(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
      Mapping cached = last;
      UdpEndpoint from;
      if (cached != null && cached.local() == local) {
        from = cached.natTraversal();
      } else {
        from = natTraversalFor.get(local);
        if (from != null) {
          last = new Mapping(local, from);
        }
      }
      if (from == null || remote.port() == 0
          || remote.address().family() != from.address().family()) {
        unbound.increment();
        return;
      }
      transport.sendEsp(from, remote, buf, off, len);
    }

    @Override
    public void flush() {
      transport.flushEsp();
    }

    @Override
    public String toString() {
      return "EspSink[" + transport + "]";
    }
  }
}
