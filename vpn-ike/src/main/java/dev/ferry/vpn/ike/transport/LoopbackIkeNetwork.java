package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.transport.DatagramRewriter.Flow;
import dev.ferry.vpn.ike.transport.IkeTransport.IkeMessageHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An in-memory UDP network for IKE transports: the twin of {@link NettyIkeTransport} for tests and
 * embedding. Transports opened here bind virtual endpoints and exchange datagrams framed and
 * demultiplexed exactly like the real ones (non-ESP marker, keepalives, ESP-in-UDP; RFC 3948
 * section 2), so an IKE exchange between two peers runs in one JVM without sockets or threads.
 *
 * <p>Delivery is {@link Delivery#IMMEDIATE} (the sending thread delivers before its outermost
 * {@code send} returns; a handler's own sends are queued behind, never delivered re-entrantly) or
 * {@link Delivery#QUEUED} (the test pumps with {@link #deliverNext()} and {@link #deliverAll()}).
 * Loss, duplication and reordering ({@link NetworkImpairments}) are drawn from a random source
 * seeded at construction, and a {@link DatagramRewriter} (e.g. {@link SimulatedNat}) may rewrite
 * addresses: the same seed and the same sends give the same deliveries. Reordering moves a datagram
 * ahead of others that are waiting, so it shows in queued mode (or when a handler sends several).
 * For an exact ordering, a {@link Hold} keeps one chosen datagram back until released, and
 * {@link #deliverAt(int)} delivers any waiting datagram next.
 *
 * <p>Thread-safe; handlers are called without the network's lock held.
 */
public final class LoopbackIkeNetwork {

  /** When datagrams reach their receiver. */
  public enum Delivery {
    /** On the sending thread, before its outermost send returns. */
    IMMEDIATE,
    /** Only when the test calls {@link #deliverNext()} or {@link #deliverAll()}. */
    QUEUED
  }

  /**
   * What the network did so far.
   *
   * @param sent datagrams transports handed to the network
   * @param delivered datagrams handed to a receiving transport
   * @param lost datagrams dropped by the loss impairment
   * @param duplicated extra copies made by the duplication impairment
   * @param reordered datagrams that overtook others
   * @param filtered datagrams the rewriter dropped (e.g. no NAT mapping)
   * @param undeliverable datagrams for an endpoint nobody has bound (or closed meanwhile)
   */
  public record Stats(
      long sent,
      long delivered,
      long lost,
      long duplicated,
      long reordered,
      long filtered,
      long undeliverable) {}

  /** RFC 6335 section 6: the dynamic port range, used for port 0. */
  private static final int FIRST_EPHEMERAL_PORT = 49152;

  /** Bound on {@link #deliverAll()} so that handlers answering each other forever fail loudly. */
  private static final int MAX_DELIVERIES_PER_PUMP = 1_000_000;

  private record Datagram(UdpEndpoint source, UdpEndpoint destination, byte[] bytes) {}

  /**
   * A datagram as a {@link #hold} rule sees it: addresses after rewriting and the payload as
   * framed on the wire (with the 4-octet non-ESP marker on NAT-traversal ports, RFC 3948 section
   * 2.2). The payload is a copy.
   */
  public record InFlight(UdpEndpoint source, UdpEndpoint destination, byte[] payload) {
    public InFlight {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /**
   * Keeps the first datagram sent after {@link #hold} that its rule matches out of delivery until
   * {@link #release()}, so a test can produce one exact ordering (say, a response overtaking a
   * crossing request) deterministically. Datagrams the rule does not match flow as usual.
   */
  public final class Hold {
    private final java.util.function.Predicate<InFlight> rule;
    private Datagram held;
    private boolean released;

    private Hold(java.util.function.Predicate<InFlight> rule) {
      this.rule = rule;
    }

    /** True once a matching datagram was caught (and until it is released). */
    public boolean isHolding() {
      synchronized (LoopbackIkeNetwork.this) {
        return held != null && !released;
      }
    }

    /**
     * Puts the caught datagram at the end of the queue (delivered at once in immediate mode) and
     * stops catching; releasing a hold that caught nothing just ends the rule.
     */
    public void release() {
      synchronized (LoopbackIkeNetwork.this) {
        if (released) {
          return;
        }
        released = true;
        holds.remove(this);
        if (held == null) {
          return;
        }
        pending.add(held);
        if (delivery == Delivery.QUEUED || pumping) {
          return;
        }
        pumping = true;
      }
      pumpOnCallerThread();
    }
  }

  private final List<Hold> holds = new ArrayList<>();

  private record Receiver(LocalSocket local, DatagramDemultiplexer demux) {}

  private final Delivery delivery;
  private final SplittableRandom random;
  private final Map<UdpEndpoint, Receiver> receivers = new HashMap<>();
  private final List<Datagram> pending = new ArrayList<>();
  private NetworkImpairments impairments = NetworkImpairments.NONE;
  private DatagramRewriter rewriter = DatagramRewriter.NONE;
  private boolean pumping;
  private long sent;
  private long delivered;
  private long lost;
  private long duplicated;
  private long reordered;
  private long filtered;
  private long undeliverable;

  public LoopbackIkeNetwork(Delivery delivery, long seed) {
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.random = new SplittableRandom(seed);
  }

  /** Applies {@code impairments} to datagrams sent from now on. */
  public synchronized void impair(NetworkImpairments impairments) {
    this.impairments = Objects.requireNonNull(impairments, "impairments");
  }

  /**
   * Rewrites the addresses of datagrams sent from now on ({@link DatagramRewriter#NONE} to stop).
   */
  public synchronized void rewriteWith(DatagramRewriter rewriter) {
    this.rewriter = Objects.requireNonNull(rewriter, "rewriter");
  }

  /**
   * Opens a transport bound to the endpoints of {@code config} on this network; port 0 takes the
   * lowest free port from 49152 up.
   *
   * @param espHandler receives ESP-in-UDP; null to count and drop it
   * @throws IkeTransportException if an endpoint is already bound (nothing is bound then)
   */
  public synchronized IkeUdpTransport open(
      IkeListenConfig config, IkeMessageHandler ikeHandler, EspDatagramHandler espHandler) {
    Objects.requireNonNull(config, "config");
    TransportCounters counters = new TransportCounters();
    DatagramDemultiplexer demux = new DatagramDemultiplexer(ikeHandler, espHandler, counters);
    List<AbstractUdpTransport.Bound<LocalSocket>> bound = new ArrayList<>();
    List<UdpEndpoint> taken = new ArrayList<>();
    for (IpAddress address : config.addresses()) {
      for (PortRole role : PortRole.values()) {
        int port = config.port(role);
        UdpEndpoint endpoint =
            new UdpEndpoint(address, port == 0 ? freePort(address, taken) : port);
        if (receivers.containsKey(endpoint) || taken.contains(endpoint)) {
          throw new IkeTransportException(
              "cannot bind UDP " + endpoint + ": already bound on this network");
        }
        taken.add(endpoint);
        LocalSocket local = new LocalSocket(endpoint, role);
        bound.add(new AbstractUdpTransport.Bound<>(local, local));
      }
    }
    for (AbstractUdpTransport.Bound<LocalSocket> b : bound) {
      receivers.put(b.local().endpoint(), new Receiver(b.local(), demux));
    }
    return new LoopbackTransport(counters, bound);
  }

  /** Starts holding the next datagram {@code rule} matches (see {@link Hold}). */
  public synchronized Hold hold(java.util.function.Predicate<InFlight> rule) {
    Hold hold = new Hold(Objects.requireNonNull(rule, "rule"));
    holds.add(hold);
    return hold;
  }

  /**
   * Delivers the waiting datagram at {@code index} in the queue (0 is the oldest): a test can
   * script any delivery order, e.g. from a property's random choices.
   *
   * @throws IndexOutOfBoundsException if fewer datagrams wait
   */
  public void deliverAt(int index) {
    Datagram next;
    synchronized (this) {
      next = pending.remove(index);
    }
    deliver(next);
  }

  /**
   * Delivers the oldest waiting datagram (its handler's own sends are queued, not delivered).
   *
   * @return false if nothing was waiting
   */
  public boolean deliverNext() {
    Datagram next;
    synchronized (this) {
      next = pending.isEmpty() ? null : pending.remove(0);
    }
    if (next == null) {
      return false;
    }
    deliver(next);
    return true;
  }

  /**
   * Delivers until nothing waits, including datagrams sent by handlers meanwhile.
   *
   * @return how many datagrams were taken off the queue
   * @throws IllegalStateException if handlers keep answering each other without end
   */
  public int deliverAll() {
    int count = 0;
    while (deliverNext()) {
      if (++count >= MAX_DELIVERIES_PER_PUMP) {
        throw new IllegalStateException(
            "still "
                + pending()
                + " datagrams waiting after "
                + count
                + " deliveries: handlers keep answering each other");
      }
    }
    return count;
  }

  /** Datagrams waiting for delivery. */
  public synchronized int pending() {
    return pending.size();
  }

  public synchronized Stats stats() {
    return new Stats(sent, delivered, lost, duplicated, reordered, filtered, undeliverable);
  }

  private int freePort(IpAddress address, List<UdpEndpoint> taken) {
    for (int port = FIRST_EPHEMERAL_PORT; port <= 65535; port++) {
      UdpEndpoint candidate = new UdpEndpoint(address, port);
      if (!receivers.containsKey(candidate) && !taken.contains(candidate)) {
        return port;
      }
    }
    throw new IkeTransportException("no free ephemeral UDP port left on " + address);
  }

  /** Called by a transport with a datagram it framed; applies rewriting and impairments. */
  private void submit(UdpEndpoint source, UdpEndpoint destination, byte[] bytes) {
    synchronized (this) {
      sent++;
      Flow flow = rewriter.rewrite(new Flow(source, destination));
      if (flow == null) {
        filtered++;
        return;
      }
      if (random.nextDouble() < impairments.loss()) {
        lost++;
        return;
      }
      Datagram datagram = new Datagram(flow.source(), flow.destination(), bytes);
      if (caughtByHold(datagram)) {
        return;
      }
      enqueue(datagram);
      if (random.nextDouble() < impairments.duplication()) {
        duplicated++;
        enqueue(new Datagram(flow.source(), flow.destination(), bytes.clone()));
      }
      if (delivery == Delivery.QUEUED || pumping) {
        return;
      }
      pumping = true;
    }
    pumpOnCallerThread();
  }

  /** Guarded by this. */
  private boolean caughtByHold(Datagram datagram) {
    for (Hold hold : holds) {
      if (hold.held == null
          && hold.rule.test(new InFlight(datagram.source(), datagram.destination(),
              datagram.bytes()))) {
        hold.held = datagram;
        return true;
      }
    }
    return false;
  }

  /** Guarded by this. */
  private void enqueue(Datagram datagram) {
    if (!pending.isEmpty() && random.nextDouble() < impairments.reordering()) {
      int position = random.nextInt(pending.size());
      pending.add(position, datagram);
      reordered++;
    } else {
      pending.add(datagram);
    }
  }

  private void pumpOnCallerThread() {
    while (true) {
      Datagram next;
      synchronized (this) {
        if (pending.isEmpty()) {
          // Cleared in the same critical section that saw the queue empty, so a concurrent
          // sender either finds pumping set (and its datagram is taken here) or pumps itself.
          pumping = false;
          return;
        }
        next = pending.remove(0);
      }
      deliver(next);
    }
  }

  private void deliver(Datagram datagram) {
    Receiver receiver;
    synchronized (this) {
      receiver = receivers.get(datagram.destination());
      if (receiver == null) {
        undeliverable++;
        return;
      }
      delivered++;
    }
    DatagramDemultiplexer demux = receiver.demux();
    demux.dispatch(receiver.local(), datagram.source(), datagram.bytes(), 0,
        datagram.bytes().length);
    // One datagram per delivery: every delivery is a burst of its own (EspDatagramHandler).
    demux.endOfBurst();
  }

  /** A transport whose sockets are entries in this network's table. */
  private final class LoopbackTransport extends AbstractUdpTransport<LocalSocket> {

    LoopbackTransport(TransportCounters counters, List<Bound<LocalSocket>> bound) {
      super(counters, bound);
    }

    @Override
    void transmit(
        Bound<LocalSocket> from,
        UdpEndpoint to,
        DatagramKind kind,
        int prefix,
        byte[] buf,
        int off,
        int len) {
      // The prefix is the RFC 3948 section 2.2 non-ESP marker: zero octets, as a new array has.
      byte[] bytes = new byte[prefix + len];
      System.arraycopy(buf, off, bytes, prefix, len);
      counters.sent(kind);
      submit(from.local().endpoint(), to, bytes);
    }

    @Override
    void release() {
      synchronized (LoopbackIkeNetwork.this) {
        for (LocalSocket socket : localSockets()) {
          receivers.remove(socket.endpoint());
        }
      }
    }

    @Override
    public String toString() {
      return "LoopbackTransport" + localSockets();
    }
  }
}
