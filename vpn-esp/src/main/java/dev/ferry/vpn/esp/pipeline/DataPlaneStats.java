package dev.ferry.vpn.esp.pipeline;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packet counters of one {@link DataPlane}: one per {@link DataPlaneDrop} and a few for what went
 * through. Counting is wait-free and allocation-free ({@link LongAdder}), so the outbound worker and
 * the inbound thread count without contending; reads are sums at the time of the call. Nothing on
 * the packet path logs: these counters (with EspStats and NatStats) are the record.
 */
public final class DataPlaneStats {
  private final LongAdder[] drops = new LongAdder[DataPlaneDrop.values().length];
  private final LongAdder sent = new LongAdder();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder icmpErrors = new LongAdder();
  private final LongAdder outerFragmented = new LongAdder();
  private final LongAdder mssClamped = new LongAdder();

  public DataPlaneStats() {
    for (int i = 0; i < drops.length; i++) {
      drops[i] = new LongAdder();
    }
  }

  void count(DataPlaneDrop drop) {
    drops[drop.ordinal()].increment();
  }

  void count(DataPlaneDrop drop, int packets) {
    drops[drop.ordinal()].add(packets);
  }

  void countSent() {
    sent.increment();
  }

  void countDelivered(int packets) {
    delivered.add(packets);
  }

  void countIcmpError() {
    icmpErrors.increment();
  }

  void countOuterFragmented() {
    outerFragmented.increment();
  }

  void countMssClamped() {
    mssClamped.increment();
  }

  /** Packets dropped for {@code drop}. */
  public long dropped(DataPlaneDrop drop) {
    return drops[drop.ordinal()].sum();
  }

  /** ESP packets handed to the sink. */
  public long sent() {
    return sent.sum();
  }

  /** Decrypted packets the TUN device accepted. */
  public long delivered() {
    return delivered.sum();
  }

  /** ICMP "fragmentation needed" and ICMPv6 "packet too big" errors the TUN device accepted. */
  public long icmpErrors() {
    return icmpErrors.sum();
  }

  /**
   * Packets sent although their ESP packet exceeds the outer MTU, because the inner packet allows
   * fragmentation (IPv4 without DF, or IPv6 within its 1280-octet minimum MTU): the outer IP layer
   * fragments them.
   */
  public long outerFragmented() {
    return outerFragmented.sum();
  }

  /** TCP SYNs whose MSS option was lowered. */
  public long mssClamped() {
    return mssClamped.sum();
  }

  /** Every drop counter, for export. */
  public Map<DataPlaneDrop, Long> dropSnapshot() {
    Map<DataPlaneDrop, Long> out = new EnumMap<>(DataPlaneDrop.class);
    for (DataPlaneDrop drop : DataPlaneDrop.values()) {
      out.put(drop, dropped(drop));
    }
    return out;
  }

  @Override
  public String toString() {
    return "DataPlaneStats[sent " + sent() + ", delivered " + delivered() + ", ICMP errors "
        + icmpErrors() + ", outer-fragmented " + outerFragmented() + ", MSS clamped "
        + mssClamped() + ", drops " + dropSnapshot() + "]";
  }
}
