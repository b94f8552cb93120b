package dev.ferry.vpn.esp.pipeline;

import dev.ferry.vpn.core.io.PacketBatch;
import dev.ferry.vpn.core.io.TunIo;
import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.nat.NatEngine;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.packet.PacketDefect;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.esp.EspVerdict;
import dev.ferry.vpn.esp.InnerPacket;
import dev.ferry.vpn.esp.OutboundSa;
import dev.ferry.vpn.esp.SaStore;
import java.io.IOException;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forwarding pipeline between a TUN device and the ESP-in-UDP socket.
 *
 * <p>Outbound, per packet the TUN device hands over: parse ({@link IpPacketView}; malformed
 * packets are counted and dropped) &rarr; subnet/source NAT ({@link NatEngine#outbound}) &rarr;
 * policy ({@link SaStore#outbound}: longest-prefix match on the traffic selectors, which name the
 * translated addresses) &rarr; path MTU check (see below) &rarr; optional TCP MSS clamping &rarr;
 * {@link OutboundSa#protect} in place, using the batch's headroom and tailroom &rarr; {@link
 * EspDatagramSink} to the SA's remote tunnel endpoint. After the last packet of each batch the
 * worker calls {@link EspDatagramSink#flush()}, so a sink may send a whole batch at once.
 *
 * <p>Inbound, per ESP datagram ({@link #onEspDatagram}): {@link SaStore#unprotect} in the
 * transport's array (SPI lookup, anti-replay, ICV, inbound policy; every verdict is counted in
 * EspStats) &rarr; NAT ({@link NatEngine#inbound}) &rarr; optional MSS clamping &rarr; one copy
 * into the next entry of the inbound batch ({@link DataPlaneOptions#batchSize()} entries of the
 * TUN MTU). The batch goes to the TUN device in one {@link TunIo#write(PacketBatch, int)} when it
 * is full or when the transport signals {@link #endOfBurst()}, so a burst of datagrams costs one
 * write call (and lets the device coalesce segments) instead of one per packet. Packets are
 * written in arrival order; a decrypted packet longer than the TUN MTU (which the device may still
 * take) is written on its own after the ones held before it. {@link DataPlaneStats#delivered()}
 * counts exactly what the device accepted, {@link DataPlaneDrop#TUN_REFUSED} the rest of each
 * write.
 *
 * <p>Path MTU (RFC 1191, RFC 8201, RFC 4459): an inner packet fits when its ESP packet plus the
 * outer IP and UDP headers fits {@link DataPlaneOptions#outerMtu()} (the exact per-SA length from
 * {@link OutboundSa#protectedLength}). An IPv4 packet with DF set that does not fit is answered
 * with ICMP "fragmentation needed" carrying the tunnel's inner MTU; an IPv6 packet larger than
 * both the inner MTU and 1280 with ICMPv6 "packet too big". Both errors are rate-limited per
 * source, translated back through the NAT (they describe the packet as the sender wrote it) and
 * written to the TUN device. An IPv4 packet without DF, or an IPv6 packet within the IPv6
 * minimum MTU of 1280 (RFC 8200 section 5), may be fragmented, so it is sent as is and the outer
 * IP layer fragments the ESP packet ("post-fragmentation", RFC 4459 section 3.1); that is counted
 * in {@link DataPlaneStats#outerFragmented()}. Derive the TUN MTU with {@link TunnelMtu#tunMtu}
 * so that normal traffic never comes near this.
 *
 * <p>Threading and cores: one outbound worker thread ({@link #start()}) reads batches of up to
 * {@link DataPlaneOptions#batchSize()} packets per wakeup and owns the outbound state (packet
 * view, ICMP rate limiter, scratch buffers). Inbound runs on the caller of {@link #onEspDatagram}
 * and {@link #endOfBurst()} (the transport's I/O thread), serialised by a lock because an inbound
 * SA's replay window and cipher, and the inbound batch, have one owner at a time. So on two cores,
 * encryption runs on the worker's core and decryption on the transport's, with no hand-off and no
 * shared mutable state but the counters ({@link java.util.concurrent.atomic.LongAdder}), the SA
 * store's published snapshots and the outbound SA's sequence counter. TUN writes (inbound batches
 * and ICMP errors from the outbound worker, which stay single writes) are serialised by a second
 * lock, as {@link TunIo} allows one writer at a time.
 *
 * <p>Steady state allocates nothing per packet: views, the inner-packet carrier and the batches
 * are reused; counters are {@code LongAdder}s. Nothing on the packet path throws or logs for any
 * packet content; the only logs are a TUN device failure that stops the worker.
 */
public final class DataPlane implements EspDatagramReceiver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

  private final TunIo tun;
  private final SaStore store;
  private final NatEngine nat;
  private final EspDatagramSink sink;
  private final DataPlaneOptions options;
  private final DataPlaneStats stats = new DataPlaneStats();

  // Outbound state: owned by the one thread in processOutbound.
  private final IpPacketView outboundView = new IpPacketView();
  private final IpPacketView icmpView = new IpPacketView();
  private final PacketBatch icmpBatch = new PacketBatch(1, IcmpTooBig.MAX_IPV6_ERROR, 0, 0);
  private final IcmpRateLimiter icmpLimiter;

  // Inbound state: guarded by inboundLock.
  private final Object inboundLock = new Object();
  private final IpPacketView inboundView = new IpPacketView();
  private final InnerPacket inner = new InnerPacket();
  /** Decrypted packets held until the batch is full or the burst ends; laid out as TUN reads. */
  private final PacketBatch inboundBatch;
  /** How many entries of {@link #inboundBatch} hold packets not yet written. */
  private int inboundHeld;
  /** For the rare decrypted packet longer than the TUN MTU: the device decides whether it fits. */
  private final PacketBatch oversizeBatch = new PacketBatch(1, 65535, 0, 0);

  /** Serialises TUN writes: inbound packets and ICMP errors from the outbound worker. */
  private final Object tunWriteLock = new Object();

  /** How often one destination may be reported to the {@link AcquireListener}: once a second. */
  public static final long ACQUIRE_INTERVAL_NANOS = 1_000_000_000L;
  /** Slots of the per-destination acquire rate limit; destinations hashing alike share one. */
  private static final int ACQUIRE_SLOTS = 256;

  private volatile AcquireListener acquireListener = AcquireListener.NONE;
  private final LongSupplier nanoTime;
  /** Last report time per destination hash slot; owned by the outbound thread. */
  private final long[] acquireReportedAt = new long[ACQUIRE_SLOTS];
  private final boolean[] acquireSlotUsed = new boolean[ACQUIRE_SLOTS];

  private final Object lifecycle = new Object();
  private Thread worker;
  private volatile boolean closed;

  private DataPlane(TunIo tun, SaStore store, NatEngine nat, EspDatagramSink sink,
      DataPlaneOptions options, LongSupplier nanoTime) {
    this.tun = Objects.requireNonNull(tun, "tun");
    this.store = Objects.requireNonNull(store, "store");
    this.nat = Objects.requireNonNull(nat, "nat");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.options = Objects.requireNonNull(options, "options");
    this.icmpLimiter = new IcmpRateLimiter(options.icmpErrorsPerSecond(), nanoTime);
    this.nanoTime = nanoTime;
    this.inboundBatch = PacketBatch.forMtu(options.batchSize(), tun.mtu());
  }

  /**
   * Reports outbound packets that find no CHILD SA to {@code listener} (for acquire-on-traffic),
   * rate-limited per destination; {@link AcquireListener#NONE} turns reporting off. May be called
   * at any time from any thread.
   */
  public void setAcquireListener(AcquireListener listener) {
    this.acquireListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * A data plane that is not running yet: call {@link #start()}, or drive it yourself with {@link
   * #processOutbound} (tests, benchmarks, embedding with your own threads). It takes over {@code
   * tun}: {@link #close()} closes it.
   */
  public static DataPlane create(TunIo tun, SaStore store, NatEngine nat, EspDatagramSink sink,
      DataPlaneOptions options) {
    return new DataPlane(tun, store, nat, sink, options, System::nanoTime);
  }

  /** As {@link #create}, with the clock the ICMP rate limit runs on (tests). */
  static DataPlane create(TunIo tun, SaStore store, NatEngine nat, EspDatagramSink sink,
      DataPlaneOptions options, LongSupplier nanoTime) {
    return new DataPlane(tun, store, nat, sink, options, nanoTime);
  }

  /** Creates a data plane and starts its outbound worker. */
  public static DataPlane start(TunIo tun, SaStore store, NatEngine nat, EspDatagramSink sink,
      DataPlaneOptions options) {
    DataPlane plane = create(tun, store, nat, sink, options);
    plane.start();
    return plane;
  }

  /**
   * Starts the outbound worker thread ({@code ferry-esp-outbound}, a daemon) that reads the TUN
   * device until it is closed.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    synchronized (lifecycle) {
      if (worker != null || closed) {
        throw new IllegalStateException("data plane on " + tun + " was already started or closed");
      }
      worker = new Thread(this::runOutbound, "ferry-esp-outbound");
      worker.setDaemon(true);
      worker.start();
    }
  }

  public DataPlaneStats stats() {
    return stats;
  }

  public DataPlaneOptions options() {
    return options;
  }

  public SaStore store() {
    return store;
  }

  private void runOutbound() {
    PacketBatch batch = PacketBatch.forMtu(options.batchSize(), tun.mtu());
    try {
      int count;
      while ((count = tun.read(batch)) >= 0) {
        processOutbound(batch, count);
      }
    } catch (IOException e) {
      if (!closed) {
        LOG.error("TUN device {} failed; outbound forwarding stopped", tun, e);
      }
    }
  }

  /**
   * Forwards entries {@code [0, count)} of {@code batch} (inner packets as the TUN device gives
   * them) into the tunnel. One thread at a time: the worker, or whoever drives the data plane
   * without {@link #start()}. Packets are protected in place, so the entries are spent afterwards.
   *
   * @throws IllegalArgumentException if the batch lacks the room ESP needs around each packet
   *     ({@link OutboundSa#MAX_HEADROOM} before, {@link OutboundSa#MAX_TAILROOM} after)
   */
  public void processOutbound(PacketBatch batch, int count) {
    if (batch.headroom() < OutboundSa.MAX_HEADROOM || batch.tailroom() < OutboundSa.MAX_TAILROOM) {
      throw new IllegalArgumentException(batch + " lacks ESP room: needs headroom "
          + OutboundSa.MAX_HEADROOM + " and tailroom " + OutboundSa.MAX_TAILROOM);
    }
    for (int i = 0; i < count; i++) {
      forwardOutbound(batch.buffer(i), batch.offset(i), batch.length(i));
    }
    sink.flush(); // once per batch: the sink may have queued the batch's datagrams
  }

  /**
   * Tells the acquire listener about a packet without a CHILD SA, at most once per destination
   * slot and interval, so a flood of such packets costs a hash and a clock read each and allocates
   * nothing (only a report builds the destination address).
   */
  private void reportAcquire(IpPacketView p) {
    AcquireListener listener = acquireListener;
    if (listener == AcquireListener.NONE) {
      return;
    }
    long hash = p.family() == IpFamily.IPV4 ? p.destinationIpv4()
        : p.destinationIpv6High() * 31 + p.destinationIpv6Low();
    int slot = (int) ((hash ^ (hash >>> 32)) * 0x9E3779B9L >>> 24) & (ACQUIRE_SLOTS - 1);
    long now = nanoTime.getAsLong();
    if (acquireSlotUsed[slot] && now - acquireReportedAt[slot] < ACQUIRE_INTERVAL_NANOS) {
      return;
    }
    acquireSlotUsed[slot] = true;
    acquireReportedAt[slot] = now;
    try {
      listener.acquire(p.destinationAddress());
    } catch (RuntimeException e) {
      // The packet path must not throw; a failing listener is a bug in the embedding application.
      LOG.error("acquire listener failed", e);
    }
  }

  private void forwardOutbound(byte[] buf, int off, int len) {
    IpPacketView p = outboundView;
    if (p.reset(buf, off, len) != PacketDefect.NONE) {
      stats.count(DataPlaneDrop.OUTBOUND_MALFORMED);
      return;
    }
    if (nat.outbound(p).dropped()) {
      stats.count(DataPlaneDrop.OUTBOUND_NAT);
      return;
    }
    OutboundSa sa = store.outbound(p);
    if (sa == null) {
      stats.count(DataPlaneDrop.NO_POLICY);
      reportAcquire(p);
      return;
    }
    ChildSaSpec spec = sa.sa().spec();
    if (!spec.udpEncapsulation()) {
      stats.count(DataPlaneDrop.NOT_UDP_ENCAPSULATED);
      return;
    }
    int length = p.length(); // the stated length: bytes after it are not part of the packet
    IpFamily outer = spec.localTunnelEndpoint().address().family();
    if (TunnelMtu.outerHeaders(outer) + sa.protectedLength(length) > options.outerMtu()
        && !tooBig(p, sa, outer)) {
      return;
    }
    if (options.mssClamping() && p.isTcp() && MssClamp.clamp(p,
        MssClamp.mssFor(TunnelMtu.innerMtu(sa, options.outerMtu(), outer), p.version()))) {
      stats.countMssClamped();
    }
    int espLength = sa.protect(buf, off, length);
    if (espLength < 0) {
      stats.count(DataPlaneDrop.PROTECT_FAILED);
      return;
    }
    stats.countSent(); // before the hand-over: an in-memory sink may deliver at once
    sink.send(spec.localTunnelEndpoint(), spec.remoteTunnelEndpoint(), buf, off - sa.headroom(),
        espLength);
  }

  /**
   * A packet whose ESP packet exceeds the path MTU: true to send it anyway (outer fragmentation
   * allowed), false when it was dropped (with an ICMP error if allowed and within the rate).
   */
  private boolean tooBig(IpPacketView p, OutboundSa sa, IpFamily outer) {
    int innerMtu = TunnelMtu.innerMtu(sa, options.outerMtu(), outer);
    if (p.version() == 4) {
      if (!p.dontFragment()) {
        // RFC 791: without DF the packet may be fragmented on the way; RFC 4459 section 3.1:
        // the tunnel fragments the outer packet, which the peer reassembles before ESP.
        stats.countOuterFragmented();
        return true;
      }
    } else if (p.length() <= TunnelMtu.MIN_IPV6_MTU) {
      // RFC 8200 section 5: a link must carry 1280-octet packets; a tunnel that cannot do so
      // natively fragments and reassembles below IPv6 (here: the outer IP layer).
      stats.countOuterFragmented();
      return true;
    } else {
      innerMtu = Math.max(innerMtu, TunnelMtu.MIN_IPV6_MTU);
    }
    if (!IcmpTooBig.mayAnswer(p)) {
      stats.count(DataPlaneDrop.PACKET_TOO_BIG);
      return false;
    }
    if (!icmpLimiter.tryAcquire(sourceKey(p))) {
      stats.count(DataPlaneDrop.PACKET_TOO_BIG_RATE_LIMITED);
      return false;
    }
    stats.count(DataPlaneDrop.PACKET_TOO_BIG);
    int length = IcmpTooBig.write(p, innerMtu, icmpBatch.buffer(0), 0, icmpView);
    // The invoking packet went through the outbound NAT: the error about it is translated the
    // way an error from the remote side would be, so the sender recognises its own packet
    // (RFC 5508 section 4, REQ-3).
    if (length > 0 && !nat.inbound(icmpView).dropped()) {
      icmpBatch.set(0, 0, icmpView.length());
      if (writeTun(icmpBatch, 1) == 1) {
        stats.countIcmpError();
      } else {
        stats.count(DataPlaneDrop.TUN_REFUSED);
      }
    }
    return false;
  }

  private static long sourceKey(IpPacketView p) {
    return p.version() == 4 ? p.sourceIpv4() : p.sourceIpv6High() ^ p.sourceIpv6Low();
  }

  /**
   * Takes one ESP packet from the NAT-traversal socket, decrypts it in {@code buf} and holds its
   * inner packet for the TUN device until the inbound batch is full or {@link #endOfBurst()}; any
   * thread, serialised internally. Reads {@code buf} only during the call. Never throws for the
   * datagram's content.
   */
  @Override
  public void onEspDatagram(UdpEndpoint local, UdpEndpoint remote, byte[] buf, int off, int len) {
    synchronized (inboundLock) {
      if (store.unprotect(buf, off, len, inner) != EspVerdict.ACCEPTED) {
        stats.count(DataPlaneDrop.INBOUND_REJECTED);
        return;
      }
      IpPacketView p = inboundView;
      if (p.reset(buf, inner.offset(), inner.length()) != PacketDefect.NONE) {
        stats.count(DataPlaneDrop.INBOUND_REJECTED); // InboundSa parsed it already: not reached
        return;
      }
      if (nat.inbound(p).dropped()) {
        stats.count(DataPlaneDrop.INBOUND_NAT);
        return;
      }
      if (options.mssClamping() && p.isTcp()) {
        OutboundSa twin = inner.sa().sa().outbound();
        IpFamily outer = twin.sa().spec().localTunnelEndpoint().address().family();
        if (MssClamp.clamp(p, MssClamp.mssFor(
            TunnelMtu.innerMtu(twin, options.outerMtu(), outer), p.version()))) {
          stats.countMssClamped();
        }
      }
      int length = p.length(); // the stated length: bytes after it are not part of the packet
      if (length > inboundBatch.maxPacketLength()) {
        writeHeld(); // keeps arrival order
        oversizeBatch.put(0, buf, inner.offset(), length);
        deliver(oversizeBatch, 1);
        return;
      }
      inboundBatch.put(inboundHeld++, buf, inner.offset(), length);
      if (inboundHeld == inboundBatch.capacity()) {
        writeHeld();
      }
    }
  }

  /**
   * Writes the decrypted packets held since the last write to the TUN device, in one call. The
   * transport calls it when no more datagrams are ready; any thread, serialised with {@link
   * #onEspDatagram}. Never throws.
   */
  @Override
  public void endOfBurst() {
    synchronized (inboundLock) {
      writeHeld();
    }
  }

  /** Guarded by inboundLock. */
  private void writeHeld() {
    int held = inboundHeld;
    if (held > 0) {
      inboundHeld = 0;
      deliver(inboundBatch, held);
    }
  }

  /** Writes entries {@code [0, count)}: what the device accepts is delivered, the rest refused. */
  private void deliver(PacketBatch batch, int count) {
    int accepted = writeTun(batch, count);
    stats.countDelivered(accepted);
    if (accepted < count) {
      stats.count(DataPlaneDrop.TUN_REFUSED, count - accepted);
    }
  }

  /** Writes {@code count} packets of {@code batch}; returns how many the device accepted. */
  private int writeTun(PacketBatch batch, int count) {
    try {
      synchronized (tunWriteLock) {
        // TunIo promises at most count; the clamp keeps the counters exact whatever a device says.
        return Math.clamp(tun.write(batch, count), 0, count);
      }
    } catch (IOException e) {
      return 0; // closed or failed device: counted, the worker or close() reports it
    }
  }

  /**
   * Stops forwarding: writes the inbound packets still held, closes the TUN device (which ends the
   * worker's read) and waits up to a second for the worker. Idempotent.
   */
  @Override
  public void close() {
    Thread running;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      running = worker;
    }
    endOfBurst();
    try {
      tun.close();
    } catch (IOException e) {
      LOG.warn("closing TUN device {} failed", tun, e);
    }
    if (running != null && running != Thread.currentThread()) {
      try {
        running.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "DataPlane[" + tun + ", outer MTU " + options.outerMtu() + ", " + stats + "]";
  }
}
