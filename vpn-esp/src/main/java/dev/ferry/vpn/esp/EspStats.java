package dev.ferry.vpn.esp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet counters of the data plane: one per inbound {@link EspVerdict}, one per {@link
 * OutboundDrop} and the number of packets protected. Counting is wait-free and allocation-free
 * ({@link LongAdder}), so any number of workers may count into one instance; reads are sums at the
 * time of the call. Exported as metrics by the adapters (nothing on the packet path logs).
 */
public final class EspStats {
  private final LongAdder[] inbound = adders(EspVerdict.values().length);
  private final LongAdder[] outbound = adders(OutboundDrop.values().length);
  private final LongAdder protectedPackets = new LongAdder();

  private static LongAdder[] adders(int n) {
    LongAdder[] out = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      out[i] = new LongAdder();
    }
    return out;
  }

  /** Counts one inbound packet and returns its verdict, for {@code return stats.count(v)}. */
  public EspVerdict count(EspVerdict verdict) {
    inbound[verdict.ordinal()].increment();
    return verdict;
  }

  /** Counts one outbound drop and returns its {@link OutboundDrop#code()}. */
  public int count(OutboundDrop drop) {
    outbound[drop.ordinal()].increment();
    return drop.code();
  }

  /** Counts one protected packet. */
  public void countProtected() {
    protectedPackets.increment();
  }

  public long inbound(EspVerdict verdict) {
    return inbound[verdict.ordinal()].sum();
  }

  public long outbound(OutboundDrop drop) {
    return outbound[drop.ordinal()].sum();
  }

  public long protectedPackets() {
    return protectedPackets.sum();
  }

  /** Every inbound counter, for export. */
  public Map<EspVerdict, Long> inboundSnapshot() {
    Map<EspVerdict, Long> out = new EnumMap<>(EspVerdict.class);
    for (EspVerdict v : EspVerdict.values()) {
      out.put(v, inbound(v));
    }
    return out;
  }

  /** Every outbound drop counter, for export. */
  public Map<OutboundDrop, Long> outboundSnapshot() {
    Map<OutboundDrop, Long> out = new EnumMap<>(OutboundDrop.class);
    for (OutboundDrop d : OutboundDrop.values()) {
      out.put(d, outbound(d));
    }
    return out;
  }

  @Override
  public String toString() {
    return "EspStats[protected " + protectedPackets() + ", inbound " + inboundSnapshot()
        + ", outbound drops " + outboundSnapshot() + "]";
  }
}
