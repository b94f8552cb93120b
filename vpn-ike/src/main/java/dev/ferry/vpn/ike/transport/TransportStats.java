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
 * @param drops dropped datagrams by reason; every reason is present (zero if none)
 */
public record TransportStats(
    long ikeReceived,
    long espReceived,
    long keepalivesReceived,
    long ikeSent,
    long espSent,
    long keepalivesSent,
    Map<DropReason, Long> drops) {

  public TransportStats {
    Objects.requireNonNull(drops, "drops");
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
