package dev.ferry.vpn.esp;

import dev.ferry.vpn.core.crypto.CryptoProvider;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.PrefixMap;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.sa.ChildSaCounters;
import dev.ferry.vpn.core.sa.ChildSaInstaller;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.time.Scheduler;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The data plane's SA database and the control plane's way into it ({@link ChildSaInstaller}).
 *
 * <p>Reads are wait-free: {@link #inbound(int)} is a probe in an immutable SPI-keyed map and
 * {@link #outbound(IpPacketView)} a longest-prefix lookup in an immutable {@link PrefixMap}, both
 * published through volatile fields; writers (the control plane) rebuild and swap them under a
 * lock. Readers therefore see either the old or the new SA set, never a partial one.
 *
 * <p>Make-before-break (RFC 7296 section 2.8): {@link #installInbound} makes a new SA accept
 * packets while the old one still does; {@link #installOutbound} then moves the traffic of the
 * same selectors to the new SA atomically; the old pair keeps accepting until {@link #remove}, so
 * packets in flight during a rekey are not lost. Removing the SA that carries a selector pair's
 * traffic hands it back to the newest SA with those selectors still installed, which is what a
 * simultaneous rekey needs (RFC 7296 section 2.8.1: the redundant new SA may have been installed
 * after the surviving one).
 *
 * <p>Outbound policy: the SAs are indexed by the prefixes of their remote selectors (ranges split
 * with {@link dev.ferry.vpn.core.net.IpRange#toPrefixes()}); a packet goes to the SA with the
 * longest prefix containing its destination whose full selectors (local source, protocol, ports)
 * match; SAs of shorter containing prefixes are tried next. Inbound policy is checked by {@link
 * InboundSa} after decryption.
 *
 * <p>Time lifetimes are scheduled on the injected {@link Scheduler} at installation; byte, packet
 * and sequence limits are checked on the packet path. All end up at the {@link
 * SaLifetimeListener}.
 */
public final class SaStore implements ChildSaInstaller {
  private static final OutboundSa[] NONE = new OutboundSa[0];

  private final CryptoProvider crypto;
  private final Scheduler scheduler;
  private final InstantSource clock;
  private final SaLifetimeListener listener;
  private final EspStats stats;

  private final Object lock = new Object();
  /** By inbound SPI; guarded by {@link #lock}. */
  private final Map<Integer, Installed> installed = new HashMap<>();
  /**
   * SAs whose outbound half is installed, in installation order; of those with the same
   * selectors only the newest carries traffic. Guarded by {@link #lock}.
   */
  private final LinkedHashMap<Integer, EspSa> outboundActive = new LinkedHashMap<>();

  private volatile SpiMap<InboundSa> inboundBySpi = SpiMap.empty();
  private volatile PrefixMap<OutboundSa[]> outboundByDestination = PrefixMap.of();

  private record Installed(EspSa sa, Scheduler.Cancellable soft, Scheduler.Cancellable hard) {}

  public SaStore(CryptoProvider crypto, Scheduler scheduler, InstantSource clock,
      SaLifetimeListener listener, EspStats stats) {
    this.crypto = Objects.requireNonNull(crypto, "crypto");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.stats = Objects.requireNonNull(stats, "stats");
  }

  /** The counters every SA of this store counts into. */
  public EspStats stats() {
    return stats;
  }

  /** The inbound SA for {@code spi}, or null. Wait-free. */
  public InboundSa inbound(int spi) {
    return inboundBySpi.get(spi);
  }

  /**
   * The outbound SA whose selectors cover {@code packet} (a valid view), or null after counting
   * {@link OutboundDrop#NO_SA}. Wait-free and allocation-free.
   */
  public OutboundSa outbound(IpPacketView packet) {
    PrefixMap<OutboundSa[]> policy = outboundByDestination;
    OutboundSa[] candidates = packet.family() == IpFamily.IPV4
        ? policy.longestMatchIpv4(packet.destinationIpv4())
        : policy.longestMatchIpv6(packet.destinationIpv6High(), packet.destinationIpv6Low());
    if (candidates != null) {
      for (OutboundSa candidate : candidates) {
        InboundSa twin = candidate.sa().inbound();
        if (twin.localSelectors().matchesSource(packet)
            && twin.remoteSelectors().matchesDestination(packet)) {
          return candidate;
        }
      }
    }
    stats.count(OutboundDrop.NO_SA);
    return null;
  }

  /**
   * Unprotects an ESP packet that arrived from the network (the UDP payload on port 4500, or the
   * IP payload of protocol 50), finding the SA by its SPI (RFC 4303 section 3.4.2). Counts the
   * verdict; see {@link InboundSa#unprotect}.
   */
  public EspVerdict unprotect(byte[] buf, int off, int len, InnerPacket inner) {
    if (buf == null || off < 0 || len < 8 || off > buf.length - len) {
      return stats.count(EspVerdict.MALFORMED);
    }
    InboundSa sa = inboundBySpi.get(WireBytes.getInt(buf, off));
    if (sa == null) {
      return stats.count(EspVerdict.UNKNOWN_SPI);
    }
    return sa.unprotect(buf, off, len, inner);
  }

  @Override
  public void installInbound(ChildSaSpec spec) {
    synchronized (lock) {
      if (installed.containsKey(spec.inboundSpi())) {
        throw new IllegalStateException(
            "inbound SPI " + ChildSaSpec.spiText(spec.inboundSpi()) + " is already installed");
      }
      EspSa sa = EspSa.create(spec, crypto, stats, listener, clock);
      Scheduler.Cancellable soft = scheduler.schedule(spec.lifetime().softTime(),
          () -> sa.softLimitReached(LifetimeLimit.TIME));
      Scheduler.Cancellable hard = scheduler.schedule(spec.lifetime().hardTime(),
          () -> sa.hardLimitReached(LifetimeLimit.TIME));
      installed.put(spec.inboundSpi(), new Installed(sa, soft, hard));
      inboundBySpi = inboundBySpi.with(spec.inboundSpi(), sa.inbound());
    }
  }

  @Override
  public void installOutbound(ChildSaSpec spec) {
    synchronized (lock) {
      Installed entry = installed.get(spec.inboundSpi());
      if (entry == null || !entry.sa().spec().equals(spec)) {
        throw new IllegalStateException("outbound half of " + spec
            + " installed before its inbound half (RFC 7296 section 2.8 make-before-break)");
      }
      if (outboundActive.containsKey(spec.inboundSpi())) {
        throw new IllegalStateException("outbound half of " + spec + " is already installed");
      }
      // The new SA takes over the traffic of older SAs with the same selectors (a rekey), which
      // stay listed behind it: if it goes first (the redundant SA of a simultaneous rekey, RFC
      // 7296 section 2.8.1, is deleted after the survivor was installed), the traffic falls back
      // to the newest one still installed.
      outboundActive.put(spec.inboundSpi(), entry.sa());
      publishOutbound();
    }
  }

  @Override
  public void remove(int inboundSpi) {
    synchronized (lock) {
      Installed entry = installed.remove(inboundSpi);
      if (entry == null) {
        throw new IllegalStateException(
            "no SA with inbound SPI " + ChildSaSpec.spiText(inboundSpi) + " is installed");
      }
      entry.soft().cancel();
      entry.hard().cancel();
      inboundBySpi = inboundBySpi.without(inboundSpi);
      if (outboundActive.remove(inboundSpi) != null) {
        publishOutbound();
      }
    }
  }

  @Override
  public ChildSaCounters counters(int inboundSpi) {
    return sa(inboundSpi).counters();
  }

  /**
   * The installed SA pair with this inbound SPI.
   *
   * @throws IllegalStateException when none is installed
   */
  public EspSa sa(int inboundSpi) {
    synchronized (lock) {
      Installed entry = installed.get(inboundSpi);
      if (entry == null) {
        throw new IllegalStateException(
            "no SA with inbound SPI " + ChildSaSpec.spiText(inboundSpi) + " is installed");
      }
      return entry.sa();
    }
  }

  /** The specs of all installed SAs (inbound half at least), for diagnostics. */
  public List<ChildSaSpec> installed() {
    synchronized (lock) {
      return installed.values().stream().map(e -> e.sa().spec()).toList();
    }
  }

  /** Rebuilds the outbound index; caller holds the lock. */
  private void publishOutbound() {
    // Of the SAs with the same selectors, only the newest carries traffic.
    Map<List<List<TrafficSelector>>, EspSa> newestBySelectors = new LinkedHashMap<>();
    for (EspSa sa : outboundActive.values()) {
      newestBySelectors.put(
          List.of(sa.spec().localSelectors(), sa.spec().remoteSelectors()), sa);
    }
    Map<IpPrefix, List<OutboundSa>> byPrefix = new HashMap<>();
    for (EspSa sa : newestBySelectors.values()) {
      for (TrafficSelector ts : sa.spec().remoteSelectors()) {
        for (IpPrefix prefix : ts.addresses().toPrefixes()) {
          List<OutboundSa> list = byPrefix.computeIfAbsent(prefix, p -> new ArrayList<>());
          if (!list.contains(sa.outbound())) {
            list.add(sa.outbound());
          }
        }
      }
    }
    // Each prefix also lists the SAs of the shorter prefixes containing it, most specific first,
    // so a packet refused by the longest match's selectors (ports, source) can still fall back.
    List<IpPrefix> prefixes = new ArrayList<>(byPrefix.keySet());
    prefixes.sort(Comparator.comparingInt(IpPrefix::prefixLength).reversed());
    PrefixMap.Builder<OutboundSa[]> builder = PrefixMap.builder();
    for (IpPrefix prefix : byPrefix.keySet()) {
      List<OutboundSa> candidates = new ArrayList<>();
      for (IpPrefix container : prefixes) {
        if (container.contains(prefix)) {
          for (OutboundSa sa : byPrefix.get(container)) {
            if (!candidates.contains(sa)) {
              candidates.add(sa);
            }
          }
        }
      }
      builder.put(prefix, candidates.toArray(NONE));
    }
    outboundByDestination = builder.build();
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "SaStore[" + installed.size() + " SAs, " + outboundActive.size() + " outbound]";
    }
  }
}
