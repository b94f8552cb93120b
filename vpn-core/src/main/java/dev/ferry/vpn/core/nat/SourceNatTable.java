package dev.ferry.vpn.core.nat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Connection tracking for many-to-one source NAT: each flow (protocol, inside address, inside port
 * or ICMP identifier, remote address, remote port) leaving through a shared external address gets
 * an external port or identifier of its own, and replies addressed to that external port find the
 * flow again.
 *
 * <p><b>Port allocation.</b> Each external port or identifier belongs to at most one live flow per
 * (protocol, external address), so two live flows never share an external tuple, whatever their
 * remote ends. The inside port is kept when it lies in the configured range and is free (port
 * preservation, RFC 4787 section 4.2.1); otherwise the next free port after a per-address cursor
 * is taken. Ports outside the range are never handed out.
 *
 * <p><b>Filtering.</b> A reply must come from the flow's remote address and port (RFC 4787
 * section 5 "address and port-dependent filtering"); anything else is unsolicited.
 *
 * <p><b>Timeouts.</b> Every packet in either direction refreshes a flow for its protocol's
 * {@link NatTimeouts} value. A TCP flow counts as established once packets were seen both ways
 * and falls back to the transitory timeout once a FIN or RST was seen (RFC 5382 section 5). A new
 * outbound SYN on a closing flow starts it afresh. Expired flows are dropped when a packet meets
 * them, by {@link #expireIdle()}, and by an automatic sweep when the table or a port pool is full
 * (at most once a second, so a full table under attack does not rescan on every packet).
 *
 * <p><b>Bound.</b> At most {@link SourceNatConfig#maxFlows()} flows are held; a new flow beyond
 * that is refused and counted ({@link ConntrackStats#refusedTableFull()}), as is a new flow when
 * its external address has no free port left ({@link ConntrackStats#refusedPortsExhausted()}).
 * Existing flows keep working.
 *
 * <p><b>Threads.</b> All methods lock the table (one monitor), so any number of data plane
 * workers may share it; lookups of existing flows do not allocate. Time comes from the injected
 * nanosecond clock, which must be monotonic.
 */
public final class SourceNatTable {

  /** {@link #outbound} result: the table holds {@code maxFlows} live flows. */
  static final int REFUSED_TABLE_FULL = -1;

  /** {@link #outbound} result: every port of the range is taken on that external address. */
  static final int REFUSED_PORTS_EXHAUSTED = -2;

  /** TCP header flag bits as in RFC 9293 section 3.1. */
  static final int TCP_FIN = 0x01;

  static final int TCP_SYN = 0x02;
  static final int TCP_RST = 0x04;
  static final int TCP_ACK = 0x10;

  private static final int SEEN_OUT = 1;
  private static final int SEEN_IN = 2;
  private static final int CLOSING = 4;

  private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  private final SourceNatConfig config;
  private final LongSupplier clock;
  private final long udpNanos;
  private final long icmpNanos;
  private final long tcpEstablishedNanos;
  private final long tcpTransitoryNanos;
  private final HashMap<FlowKey, NatFlow> byInside;
  private final HashMap<FlowKey, NatFlow> byExternal;
  private final List<PortPool> pools = new ArrayList<>();
  private final FlowKey probe = new FlowKey();
  private long created;
  private long expired;
  private long refusedTableFull;
  private long refusedPortsExhausted;
  private long lastSweepNanos;
  private boolean everSwept;

  /** A table on {@link System#nanoTime()}. */
  public SourceNatTable(SourceNatConfig config) {
    this(config, System::nanoTime);
  }

  /**
   * A table reading time from {@code nanoClock} (monotonic nanoseconds, like {@link
   * System#nanoTime()}); tests pass a manual clock.
   */
  public SourceNatTable(SourceNatConfig config, LongSupplier nanoClock) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    NatTimeouts t = config.timeouts();
    this.udpNanos = t.udp().toNanos();
    this.icmpNanos = t.icmpEcho().toNanos();
    this.tcpEstablishedNanos = t.tcpEstablished().toNanos();
    this.tcpTransitoryNanos = t.tcpTransitory().toNanos();
    // Pre-size for typical loads; larger tables grow once, not per packet.
    int buckets = Math.min(1 << 16, config.maxFlows()) * 4 / 3 + 1;
    this.byInside = new HashMap<>(buckets);
    this.byExternal = new HashMap<>(buckets);
  }

  public SourceNatConfig config() {
    return config;
  }

  /**
   * Finds or creates the flow of an outbound packet and refreshes it.
   *
   * @return the external port or identifier (0..65535), or {@link #REFUSED_TABLE_FULL} / {@link
   *     #REFUSED_PORTS_EXHAUSTED} when a new flow was needed and could not be made
   */
  synchronized int outbound(FlowProtocol protocol, boolean ipv6, long insideHigh, long insideLow,
      int insidePort, long remoteHigh, long remoteLow, int remotePort, long externalHigh,
      long externalLow, int tcpFlags) {
    long now = clock.getAsLong();
    NatFlow flow = byInside.get(probe.set(protocol, ipv6, insideHigh, insideLow, insidePort,
        remoteHigh, remoteLow, remotePort));
    if (flow != null && (now - flow.deadlineNanos >= 0
        || flow.externalHigh != externalHigh || flow.externalLow != externalLow)) {
      // Expired, or left over from a policy with another external address: start afresh.
      remove(flow);
      expired++;
      flow = null;
    }
    if (flow == null) {
      flow = create(protocol, ipv6, insideHigh, insideLow, insidePort, remoteHigh, remoteLow,
          remotePort, externalHigh, externalLow, now);
      if (flow == null) {
        return byInside.size() >= config.maxFlows() ? REFUSED_TABLE_FULL : REFUSED_PORTS_EXHAUSTED;
      }
    }
    if (protocol == FlowProtocol.TCP) {
      if ((tcpFlags & (TCP_SYN | TCP_ACK)) == TCP_SYN && (flow.tcpState & CLOSING) != 0) {
        flow.tcpState = 0; // a fresh SYN reopens a closing flow
      }
      flow.tcpState |= SEEN_OUT | ((tcpFlags & (TCP_FIN | TCP_RST)) != 0 ? CLOSING : 0);
    }
    flow.deadlineNanos = now + timeout(flow);
    return flow.externalPort;
  }

  /**
   * Finds the flow a reply belongs to and refreshes it.
   *
   * @return the flow, or null when the packet is unsolicited (no live flow for the external port,
   *     or it comes from another remote endpoint)
   */
  synchronized NatFlow inbound(FlowProtocol protocol, boolean ipv6, long externalHigh,
      long externalLow, int externalPort, long remoteHigh, long remoteLow, int remotePort,
      int tcpFlags) {
    long now = clock.getAsLong();
    NatFlow flow = liveByExternal(protocol, ipv6, externalHigh, externalLow, externalPort,
        remoteHigh, remoteLow, remotePort, now);
    if (flow == null) {
      return null;
    }
    if (protocol == FlowProtocol.TCP) {
      flow.tcpState |= SEEN_IN | ((tcpFlags & (TCP_FIN | TCP_RST)) != 0 ? CLOSING : 0);
    }
    flow.deadlineNanos = now + timeout(flow);
    return flow;
  }

  /** The live flow of an inside endpoint without refreshing it (for ICMP errors), or null. */
  synchronized NatFlow findByInside(FlowProtocol protocol, boolean ipv6, long insideHigh,
      long insideLow, int insidePort, long remoteHigh, long remoteLow, int remotePort) {
    NatFlow flow = byInside.get(probe.set(protocol, ipv6, insideHigh, insideLow, insidePort,
        remoteHigh, remoteLow, remotePort));
    return flow != null && clock.getAsLong() - flow.deadlineNanos < 0 ? flow : null;
  }

  /** The live flow of an external port without refreshing it (for ICMP errors), or null. */
  synchronized NatFlow findByExternal(FlowProtocol protocol, boolean ipv6, long externalHigh,
      long externalLow, int externalPort, long remoteHigh, long remoteLow, int remotePort) {
    return liveByExternal(protocol, ipv6, externalHigh, externalLow, externalPort, remoteHigh,
        remoteLow, remotePort, clock.getAsLong());
  }

  private NatFlow liveByExternal(FlowProtocol protocol, boolean ipv6, long externalHigh,
      long externalLow, int externalPort, long remoteHigh, long remoteLow, int remotePort,
      long now) {
    NatFlow flow = byExternal.get(
        probe.set(protocol, ipv6, externalHigh, externalLow, externalPort, 0, 0, 0));
    if (flow == null
        || flow.remoteHigh != remoteHigh
        || flow.remoteLow != remoteLow
        || flow.remotePort != remotePort) {
      return null;
    }
    if (now - flow.deadlineNanos >= 0) {
      remove(flow);
      expired++;
      return null;
    }
    return flow;
  }

  /** Drops every flow whose idle timeout has passed; returns how many. */
  public synchronized int expireIdle() {
    return sweep(clock.getAsLong());
  }

  /** Flows held now, including expired ones not yet reclaimed. */
  public synchronized int size() {
    return byInside.size();
  }

  /** The flows that have not expired, in no particular order. */
  public synchronized List<NatFlow> liveFlows() {
    long now = clock.getAsLong();
    List<NatFlow> live = new ArrayList<>(byInside.size());
    for (NatFlow flow : byInside.values()) {
      if (now - flow.deadlineNanos < 0) {
        live.add(flow);
      }
    }
    return List.copyOf(live);
  }

  public synchronized ConntrackStats stats() {
    return new ConntrackStats(
        byInside.size(), created, expired, refusedTableFull, refusedPortsExhausted);
  }

  private long timeout(NatFlow flow) {
    return switch (flow.protocol) {
      case UDP -> udpNanos;
      case ICMP_ECHO -> icmpNanos;
      case TCP ->
          (flow.tcpState & CLOSING) == 0 && (flow.tcpState & (SEEN_OUT | SEEN_IN)) == (SEEN_OUT
              | SEEN_IN) ? tcpEstablishedNanos : tcpTransitoryNanos;
    };
  }

  private NatFlow create(FlowProtocol protocol, boolean ipv6, long insideHigh, long insideLow,
      int insidePort, long remoteHigh, long remoteLow, int remotePort, long externalHigh,
      long externalLow, long now) {
    if (byInside.size() >= config.maxFlows()) {
      sweepIfDue(now);
      if (byInside.size() >= config.maxFlows()) {
        refusedTableFull++;
        return null;
      }
    }
    PortPool pool = pool(protocol, ipv6, externalHigh, externalLow);
    if (pool.used >= pool.range.size()) {
      sweepIfDue(now);
      if (pool.used >= pool.range.size()) {
        refusedPortsExhausted++;
        return null;
      }
    }
    int port = freePort(pool, insidePort);
    NatFlow flow = new NatFlow(protocol, ipv6, insideHigh, insideLow, insidePort, remoteHigh,
        remoteLow, remotePort, port, pool);
    byInside.put(new FlowKey().set(protocol, ipv6, insideHigh, insideLow, insidePort, remoteHigh,
        remoteLow, remotePort), flow);
    byExternal.put(new FlowKey().set(protocol, ipv6, externalHigh, externalLow, port, 0, 0, 0),
        flow);
    pool.used++;
    created++;
    return flow;
  }

  /** Port preservation first (RFC 4787 section 4.2.1), then the next free port from the cursor. */
  private int freePort(PortPool pool, int insidePort) {
    PortRange range = pool.range;
    if (range.contains(insidePort) && !taken(pool, insidePort)) {
      return insidePort;
    }
    int size = range.size();
    for (int step = 0; step < size; step++) {
      int port = range.first() + (pool.cursor + step) % size;
      if (!taken(pool, port)) {
        pool.cursor = (pool.cursor + step + 1) % size;
        return port;
      }
    }
    throw new IllegalStateException("port pool counted free ports but has none: " + pool.used);
  }

  private boolean taken(PortPool pool, int port) {
    return byExternal.containsKey(
        probe.set(pool.protocol, pool.ipv6, pool.externalHigh, pool.externalLow, port, 0, 0, 0));
  }

  private PortPool pool(FlowProtocol protocol, boolean ipv6, long externalHigh,
      long externalLow) {
    for (PortPool pool : pools) {
      if (pool.protocol == protocol && pool.ipv6 == ipv6 && pool.externalHigh == externalHigh
          && pool.externalLow == externalLow) {
        return pool;
      }
    }
    PortPool pool = new PortPool(protocol, ipv6, externalHigh, externalLow,
        config.range(protocol));
    pools.add(pool);
    return pool;
  }

  /** Sweeps unless the last sweep is less than a second old. */
  private void sweepIfDue(long now) {
    if (!everSwept || now - lastSweepNanos >= SWEEP_INTERVAL_NANOS) {
      sweep(now);
    }
  }

  private int sweep(long now) {
    everSwept = true;
    lastSweepNanos = now;
    int removed = 0;
    for (Iterator<NatFlow> it = byInside.values().iterator(); it.hasNext(); ) {
      NatFlow flow = it.next();
      if (now - flow.deadlineNanos >= 0) {
        it.remove();
        byExternal.remove(probe.set(flow.protocol, flow.ipv6, flow.externalHigh,
            flow.externalLow, flow.externalPort, 0, 0, 0));
        flow.pool.used--;
        removed++;
      }
    }
    expired += removed;
    return removed;
  }

  private void remove(NatFlow flow) {
    byInside.remove(probe.set(flow.protocol, flow.ipv6, flow.insideHigh, flow.insideLow,
        flow.insidePort, flow.remoteHigh, flow.remoteLow, flow.remotePort));
    byExternal.remove(probe.set(flow.protocol, flow.ipv6, flow.externalHigh, flow.externalLow,
        flow.externalPort, 0, 0, 0));
    flow.pool.used--;
  }

  /** The ports of one (protocol, external address): how many are in use and where to look next. */
  static final class PortPool {
    final FlowProtocol protocol;
    final boolean ipv6;
    final long externalHigh;
    final long externalLow;
    final PortRange range;
    int used;
    int cursor;

    PortPool(FlowProtocol protocol, boolean ipv6, long externalHigh, long externalLow,
        PortRange range) {
      this.protocol = protocol;
      this.ipv6 = ipv6;
      this.externalHigh = externalHigh;
      this.externalLow = externalLow;
      this.range = range;
    }
  }

  /**
   * A hash key of two endpoints. Stored keys are never changed after insertion; the table's one
   * {@code probe} instance is re-set for each lookup (under the lock) so lookups do not allocate.
   */
  private static final class FlowKey {
    private int kind;
    private long aHigh;
    private long aLow;
    private int aPort;
    private long bHigh;
    private long bLow;
    private int bPort;
    private int hash;

    FlowKey set(FlowProtocol protocol, boolean ipv6, long aHigh, long aLow, int aPort,
        long bHigh, long bLow, int bPort) {
      this.kind = protocol.ordinal() << 1 | (ipv6 ? 1 : 0);
      this.aHigh = aHigh;
      this.aLow = aLow;
      this.aPort = aPort;
      this.bHigh = bHigh;
      this.bLow = bLow;
      this.bPort = bPort;
      long h = kind;
      h = h * 0x9E3779B97F4A7C15L + aHigh;
      h = h * 0x9E3779B97F4A7C15L + aLow;
      h = h * 0x9E3779B97F4A7C15L + ((long) aPort << 16 | bPort);
      h = h * 0x9E3779B97F4A7C15L + bHigh;
      h = h * 0x9E3779B97F4A7C15L + bLow;
      h ^= h >>> 29;
      this.hash = (int) (h ^ h >>> 32);
      return this;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FlowKey k && kind == k.kind && aLow == k.aLow && aHigh == k.aHigh
          && aPort == k.aPort && bLow == k.bLow && bHigh == k.bHigh && bPort == k.bPort;
    }
  }
}
