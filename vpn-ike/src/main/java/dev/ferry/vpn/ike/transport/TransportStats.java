package dev.ferry.vpn.ike.transport;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a transport's counters. Received counts are datagrams handed to a handler (or, for
 * keepalives, recognised and dropped as RFC 3948 section 2.3 says); sent counts are datagrams the
 * socket accepted. Every other datagram is in {@link #drops()} under its reason.
 *
 * @param espSegmentedSends sends that carried several ESP datagrams as one UDP GSO buffer (Linux
 *     {@code UDP_SEGMENT}: one system call, split into datagrams by the kernel or the NIC)
 * @param espSegmentedDatagrams ESP datagrams sent that way (also counted in {@code espSent})
 * @param drops dropped datagrams by reason; every reason is present (zero if none)
 */
public record TransportStats(
    long ikeReceived,
    long espReceived,
    long keepalivesReceived,
    long ikeSent,
    long espSent,
    long keepalivesSent,
    long espSegmentedSends,
    long espSegmentedDatagrams,
    Map<DropReason, Long> drops) {

  public TransportStats {
    Objects.requireNonNull(drops, "drops");
    // Not checked against each other: a snapshot of live counters may catch a send half counted.
    if (espSegmentedSends < 0 || espSegmentedDatagrams < 0) {
      throw new IllegalArgumentException("segmented sends " + espSegmentedSends
          + " and their datagrams " + espSegmentedDatagrams + " must not be negative");
    }
    EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      long count = drops.getOrDefault(reason, 0L);
      if (count < 0) {
        throw new IllegalArgumentException("drops: " + reason + " count " + count + " is negative");
      }
      all.put(reason, count);
    }
    drops = Collections.unmodifiableMap(all);
  }

  /** Datagrams dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return drops.get(reason);
  }

  /** Datagrams dropped for any reason. */
  public long droppedTotal() {
    long total = 0;
    for (long count : drops.values()) {
      total += count;
    }
    return total;
  }
}
