package dev.ferry.vpn.core.nat;

import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.net.Ipv6Address;
import dev.ferry.vpn.core.packet.IpPacketView;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Applies a {@link NatPolicy} to packets in place: {@link #outbound} for packets leaving the
 * cluster into the tunnel, {@link #inbound} for packets arriving from the tunnel.
 *
 * <p>Outbound: the source goes through the local 1:1 map (original to mapped) or, inside a
 * many-to-one original, through source NAT (external address, allocated port or ICMP identifier);
 * the destination goes through the remote 1:1 map (mapped to original). Inbound does the reverse:
 * destination mapped to original (or back to the inside host of a source NAT flow; anything else
 * to a source NAT address is unsolicited and dropped), source original to mapped.
 *
 * <p>ICMP errors (RFC 792, RFC 4443 section 2.4) embed the packet that caused them, which crossed
 * the NAT the other way; the embedded header is translated with the reverse rules so that the
 * error reaches, and makes sense to, the host that sent the original packet (RFC 5508 section 4,
 * REQ-3 / RFC 5382 and 4787: ICMP errors for a mapped flow are translated). Errors do not refresh
 * flows.
 *
 * <p>Every checksum is kept right incrementally by {@link IpPacketView}'s rewriters. A dropped
 * packet is left byte for byte as it was. Packets are counted per {@link NatVerdict}; see {@link
 * #stats()}.
 *
 * <p>Threads: the engine itself is immutable apart from its counters ({@link LongAdder}) and the
 * shared {@link SourceNatTable} (locked), so several workers may call it at once, each with its
 * own view. The 1:1 path does not lock or allocate.
 */
public final class NatEngine {

  private final NatPolicy policy;
  private final SubnetNatMap local;
  private final SubnetNatMap remote;
  private final SourceNatRules sourceNat;
  private final SourceNatTable table;
  private final boolean idle;
  private final LongAdder[] outboundCounts = counters();
  private final LongAdder[] inboundCounts = counters();

  /** An engine with a default-sized {@link SourceNatTable} on the system clock. */
  public NatEngine(NatPolicy policy) {
    this(policy, new SourceNatTable(SourceNatConfig.DEFAULTS));
  }

  /** An engine using {@code table} for its many-to-one rules (a table may serve one engine). */
  public NatEngine(NatPolicy policy, SourceNatTable table) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.table = Objects.requireNonNull(table, "table");
    this.local = SubnetNatMap.of(policy.localOneToOne());
    this.remote = SubnetNatMap.of(policy.remoteRules());
    this.sourceNat = new SourceNatRules(policy.localManyToOne());
    this.idle = local.isEmpty() && remote.isEmpty() && sourceNat.isEmpty();
  }

  private static LongAdder[] counters() {
    LongAdder[] adders = new LongAdder[NatVerdict.values().length];
    for (int i = 0; i < adders.length; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  public NatPolicy policy() {
    return policy;
  }

  public SourceNatTable table() {
    return table;
  }

  /** Translates a packet leaving the cluster for the tunnel. */
  public NatVerdict outbound(IpPacketView packet) {
    NatVerdict verdict = translateOutbound(packet);
    outboundCounts[verdict.ordinal()].increment();
    return verdict;
  }

  /** Translates a packet arriving from the tunnel for the cluster. */
  public NatVerdict inbound(IpPacketView packet) {
    NatVerdict verdict = translateInbound(packet);
    inboundCounts[verdict.ordinal()].increment();
    return verdict;
  }

  public NatStats stats() {
    return new NatStats(snapshot(outboundCounts), snapshot(inboundCounts), table.stats());
  }

  private static Map<NatVerdict, Long> snapshot(LongAdder[] adders) {
    Map<NatVerdict, Long> map = new EnumMap<>(NatVerdict.class);
    for (NatVerdict verdict : NatVerdict.values()) {
      map.put(verdict, adders[verdict.ordinal()].sum());
    }
    return map;
  }

  private NatVerdict translateOutbound(IpPacketView p) {
    if (!p.isValid()) {
      return NatVerdict.DROPPED_MALFORMED;
    }
    if (idle) {
      return NatVerdict.UNCHANGED;
    }
    if (p.isIcmpError()) {
      return outboundIcmpError(p, p.embedded());
    }
    boolean v6 = p.version() == 6;
    long srcHigh = sourceHigh(p);
    long srcLow = sourceLow(p);
    int rule = sourceNat.findOriginal(v6, srcHigh, srcLow);
    if (rule < 0) {
      boolean changed = rewrite(p, true, local, true);
      return rewrite(p, false, remote, false) || changed
          ? NatVerdict.TRANSLATED : NatVerdict.UNCHANGED;
    }
    FlowProtocol protocol = p.isFragment() ? null : trackable(p);
    if (protocol == null) {
      return NatVerdict.DROPPED_UNTRACKABLE;
    }
    // The flow remembers the remote end as it is on the wire, after the remote 1:1 map.
    long dstHigh = destinationHigh(p);
    long dstLow = destinationLow(p);
    long wireHigh = translatedHigh(remote, false, v6, dstHigh, dstLow);
    long wireLow = translatedLow(remote, false, v6, dstHigh, dstLow);
    boolean icmp = protocol == FlowProtocol.ICMP_ECHO;
    int external = table.outbound(protocol, v6, srcHigh, srcLow,
        icmp ? p.icmpIdentifier() : p.sourcePort(), wireHigh, wireLow,
        icmp ? 0 : p.destinationPort(), sourceNat.externalHigh[rule],
        sourceNat.externalLow[rule], tcpFlags(p, protocol));
    if (external == SourceNatTable.REFUSED_TABLE_FULL) {
      return NatVerdict.DROPPED_TABLE_FULL;
    }
    if (external < 0) {
      return NatVerdict.DROPPED_PORTS_EXHAUSTED;
    }
    setSource(p, sourceNat.externalHigh[rule], sourceNat.externalLow[rule]);
    if (icmp) {
      p.setIcmpIdentifier(external);
    } else {
      p.setSourcePort(external);
    }
    rewrite(p, false, remote, false);
    return NatVerdict.TRANSLATED;
  }

  private NatVerdict translateInbound(IpPacketView p) {
    if (!p.isValid()) {
      return NatVerdict.DROPPED_MALFORMED;
    }
    if (idle) {
      return NatVerdict.UNCHANGED;
    }
    if (p.isIcmpError()) {
      return inboundIcmpError(p, p.embedded());
    }
    boolean v6 = p.version() == 6;
    long dstHigh = destinationHigh(p);
    long dstLow = destinationLow(p);
    if (sourceNat.findExternal(v6, dstHigh, dstLow) < 0) {
      boolean changed = rewrite(p, false, local, false);
      return rewrite(p, true, remote, true) || changed
          ? NatVerdict.TRANSLATED : NatVerdict.UNCHANGED;
    }
    FlowProtocol protocol = p.isFragment() ? null : trackable(p);
    if (protocol == null) {
      return NatVerdict.DROPPED_UNTRACKABLE;
    }
    boolean icmp = protocol == FlowProtocol.ICMP_ECHO;
    NatFlow flow = table.inbound(protocol, v6, dstHigh, dstLow,
        icmp ? p.icmpIdentifier() : p.destinationPort(), sourceHigh(p), sourceLow(p),
        icmp ? 0 : p.sourcePort(), tcpFlags(p, protocol));
    if (flow == null) {
      return NatVerdict.DROPPED_UNSOLICITED;
    }
    setDestination(p, flow.insideHigh, flow.insideLow);
    if (icmp) {
      p.setIcmpIdentifier(flow.insidePort);
    } else {
      p.setDestinationPort(flow.insidePort);
    }
    rewrite(p, true, remote, true);
    return NatVerdict.TRANSLATED;
  }

  /**
   * An error from inside about a packet that came in: the embedded packet went remote-to-inside
   * and was translated inbound, so its destination gets the outbound source rules and its source
   * the outbound destination rules.
   */
  private NatVerdict outboundIcmpError(IpPacketView p, IpPacketView e) {
    boolean v6 = p.version() == 6;
    NatFlow flow = null;
    long insideHigh = destinationHigh(e);
    long insideLow = destinationLow(e);
    if (sourceNat.findOriginal(v6, insideHigh, insideLow) >= 0) {
      FlowProtocol protocol = e.fragmentOffset() == 0 ? trackable(e) : null;
      if (protocol == null) {
        return NatVerdict.DROPPED_UNTRACKABLE;
      }
      boolean icmp = protocol == FlowProtocol.ICMP_ECHO;
      long remoteHigh = sourceHigh(e);
      long remoteLow = sourceLow(e);
      flow = table.findByInside(protocol, v6, insideHigh, insideLow,
          icmp ? e.icmpIdentifier() : e.destinationPort(),
          translatedHigh(remote, false, v6, remoteHigh, remoteLow),
          translatedLow(remote, false, v6, remoteHigh, remoteLow), icmp ? 0 : e.sourcePort());
      if (flow == null) {
        return NatVerdict.DROPPED_UNSOLICITED;
      }
    }
    int outerRule = sourceNat.findOriginal(v6, sourceHigh(p), sourceLow(p));
    if (outerRule >= 0 && flow == null) {
      return NatVerdict.DROPPED_UNSOLICITED; // an inside host behind source NAT, no known flow
    }
    boolean changed = rewrite(p, true, local, true);
    changed |= rewrite(e, false, local, true);
    changed |= rewrite(p, false, remote, false);
    changed |= rewrite(e, true, remote, false);
    if (flow != null) {
      setDestination(e, flow.externalHigh, flow.externalLow);
      setEmbeddedPort(e, false, flow.externalPort);
      changed = true;
    }
    if (outerRule >= 0) {
      setSource(p, sourceNat.externalHigh[outerRule], sourceNat.externalLow[outerRule]);
    }
    return changed ? NatVerdict.TRANSLATED : NatVerdict.UNCHANGED;
  }

  /**
   * An error from the remote side about a packet that went out: the embedded packet was
   * translated outbound, so its source gets the inbound destination rules and its destination the
   * inbound source rules.
   */
  private NatVerdict inboundIcmpError(IpPacketView p, IpPacketView e) {
    boolean v6 = p.version() == 6;
    NatFlow flow = null;
    long externalHigh = sourceHigh(e);
    long externalLow = sourceLow(e);
    if (sourceNat.findExternal(v6, externalHigh, externalLow) >= 0) {
      FlowProtocol protocol = e.fragmentOffset() == 0 ? trackable(e) : null;
      if (protocol == null) {
        return NatVerdict.DROPPED_UNTRACKABLE;
      }
      boolean icmp = protocol == FlowProtocol.ICMP_ECHO;
      flow = table.findByExternal(protocol, v6, externalHigh, externalLow,
          icmp ? e.icmpIdentifier() : e.sourcePort(), destinationHigh(e), destinationLow(e),
          icmp ? 0 : e.destinationPort());
      if (flow == null) {
        return NatVerdict.DROPPED_UNSOLICITED;
      }
    }
    boolean outerToExternal = sourceNat.findExternal(v6, destinationHigh(p), destinationLow(p)) >= 0;
    if (outerToExternal && flow == null) {
      return NatVerdict.DROPPED_UNSOLICITED;
    }
    boolean changed = rewrite(p, false, local, false);
    changed |= rewrite(e, true, local, false);
    changed |= rewrite(p, true, remote, true);
    changed |= rewrite(e, false, remote, true);
    if (flow != null) {
      setSource(e, flow.insideHigh, flow.insideLow);
      setEmbeddedPort(e, true, flow.insidePort);
      if (outerToExternal) {
        setDestination(p, flow.insideHigh, flow.insideLow);
      }
      changed = true;
    }
    return changed ? NatVerdict.TRANSLATED : NatVerdict.UNCHANGED;
  }

  /** The trackable protocol of a packet with a transport header, or null. */
  private static FlowProtocol trackable(IpPacketView p) {
    if (p.isTcp()) {
      return FlowProtocol.TCP;
    }
    if (p.isUdp()) {
      return FlowProtocol.UDP;
    }
    // RFC 5508 section 3.1: the query identifier plays the role of the port.
    return p.isIcmp() && p.hasIcmpIdentifier() ? FlowProtocol.ICMP_ECHO : null;
  }

  /** TCP flags octet (RFC 9293 section 3.1: octet 13 of the header); 0 for other protocols. */
  private static int tcpFlags(IpPacketView p, FlowProtocol protocol) {
    return protocol == FlowProtocol.TCP
        ? p.buffer()[p.offset() + p.upperLayerOffset() + 13] & 0xff : 0;
  }

  private static void setEmbeddedPort(IpPacketView e, boolean source, int port) {
    if (e.isIcmp()) {
      e.setIcmpIdentifier(port);
    } else if (source) {
      e.setSourcePort(port);
    } else {
      e.setDestinationPort(port);
    }
  }

  /**
   * Rewrites the source or destination through {@code map} (to mapped, or to original); true when
   * the address was inside the map.
   */
  private static boolean rewrite(IpPacketView p, boolean source, SubnetNatMap map,
      boolean toMapped) {
    if (map.isEmpty()) {
      return false;
    }
    if (p.version() == 4) {
      int address = source ? p.sourceIpv4() : p.destinationIpv4();
      long out = toMapped ? map.toMappedV4(address) : map.toOriginalV4(address);
      if (out == SubnetNatMap.NO_MAPPING) {
        return false;
      }
      if (source) {
        p.setSourceIpv4((int) out);
      } else {
        p.setDestinationIpv4((int) out);
      }
      return true;
    }
    long high = source ? p.sourceIpv6High() : p.destinationIpv6High();
    long low = source ? p.sourceIpv6Low() : p.destinationIpv6Low();
    int slot = toMapped ? map.findOriginalV6(high, low) : map.findMappedV6(high, low);
    if (slot < 0) {
      return false;
    }
    long newHigh = toMapped ? map.mappedHigh(slot, high) : map.originalHigh(slot, high);
    long newLow = toMapped ? map.mappedLow(slot, low) : map.originalLow(slot, low);
    if (source) {
      p.setSourceIpv6(newHigh, newLow);
    } else {
      p.setDestinationIpv6(newHigh, newLow);
    }
    return true;
  }

  /** The first half of {@code (high, low)} after {@code map}; the address itself if unmapped. */
  private static long translatedHigh(SubnetNatMap map, boolean toMapped, boolean v6, long high,
      long low) {
    if (!v6) {
      return 0;
    }
    int slot = toMapped ? map.findOriginalV6(high, low) : map.findMappedV6(high, low);
    return slot < 0 ? high
        : toMapped ? map.mappedHigh(slot, high) : map.originalHigh(slot, high);
  }

  /** The second half of {@code (high, low)} after {@code map}; the address itself if unmapped. */
  private static long translatedLow(SubnetNatMap map, boolean toMapped, boolean v6, long high,
      long low) {
    if (!v6) {
      long out = toMapped ? map.toMappedV4((int) low) : map.toOriginalV4((int) low);
      return out == SubnetNatMap.NO_MAPPING ? low : out;
    }
    int slot = toMapped ? map.findOriginalV6(high, low) : map.findMappedV6(high, low);
    return slot < 0 ? low : toMapped ? map.mappedLow(slot, low) : map.originalLow(slot, low);
  }

  // Addresses as (high, low) halves; IPv4 sits unsigned in the low half.

  private static long sourceHigh(IpPacketView p) {
    return p.version() == 4 ? 0 : p.sourceIpv6High();
  }

  private static long sourceLow(IpPacketView p) {
    return p.version() == 4 ? Integer.toUnsignedLong(p.sourceIpv4()) : p.sourceIpv6Low();
  }

  private static long destinationHigh(IpPacketView p) {
    return p.version() == 4 ? 0 : p.destinationIpv6High();
  }

  private static long destinationLow(IpPacketView p) {
    return p.version() == 4 ? Integer.toUnsignedLong(p.destinationIpv4()) : p.destinationIpv6Low();
  }

  private static void setSource(IpPacketView p, long high, long low) {
    if (p.version() == 4) {
      p.setSourceIpv4((int) low);
    } else {
      p.setSourceIpv6(high, low);
    }
  }

  private static void setDestination(IpPacketView p, long high, long low) {
    if (p.version() == 4) {
      p.setDestinationIpv4((int) low);
    } else {
      p.setDestinationIpv6(high, low);
    }
  }

  /** The many-to-one rules as arrays: original prefix and external address, both as halves. */
  private static final class SourceNatRules {
    private final boolean[] ipv6;
    private final long[] originalHigh;
    private final long[] originalLow;
    private final long[] maskHigh;
    private final long[] maskLow;
    final long[] externalHigh;
    final long[] externalLow;

    SourceNatRules(List<NatRule> rules) {
      int n = rules.size();
      ipv6 = new boolean[n];
      originalHigh = new long[n];
      originalLow = new long[n];
      maskHigh = new long[n];
      maskLow = new long[n];
      externalHigh = new long[n];
      externalLow = new long[n];
      for (int i = 0; i < n; i++) {
        IpPrefix original = rules.get(i).original();
        if (original.network() instanceof Ipv4Address v4) {
          originalLow[i] = Integer.toUnsignedLong(v4.bits());
          maskLow[i] = Integer.toUnsignedLong(Ipv4Address.maskBits(original.prefixLength()));
          externalLow[i] = Integer.toUnsignedLong(
              ((Ipv4Address) rules.get(i).mapped().network()).bits());
        } else {
          Ipv6Address network = (Ipv6Address) original.network();
          Ipv6Address last = (Ipv6Address) original.last();
          Ipv6Address external = (Ipv6Address) rules.get(i).mapped().network();
          ipv6[i] = true;
          originalHigh[i] = network.high();
          originalLow[i] = network.low();
          maskHigh[i] = ~(network.high() ^ last.high());
          maskLow[i] = ~(network.low() ^ last.low());
          externalHigh[i] = external.high();
          externalLow[i] = external.low();
        }
      }
    }

    boolean isEmpty() {
      return ipv6.length == 0;
    }

    /** The rule whose original contains the address, or -1 (originals are disjoint). */
    int findOriginal(boolean v6, long high, long low) {
      for (int i = 0; i < ipv6.length; i++) {
        if (ipv6[i] == v6 && (high & maskHigh[i]) == originalHigh[i]
            && (low & maskLow[i]) == originalLow[i]) {
          return i;
        }
      }
      return -1;
    }

    /** A rule whose external address is this address, or -1. */
    int findExternal(boolean v6, long high, long low) {
      for (int i = 0; i < ipv6.length; i++) {
        if (ipv6[i] == v6 && high == externalHigh[i] && low == externalLow[i]) {
          return i;
        }
      }
      return -1;
    }
  }
}
