package dev.ferry.vpn.ike.transport;

import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/** The live, thread-safe counters behind {@link TransportStats}; counting never allocates. */
final class TransportCounters {

  private final LongAdder[] received = adders(DatagramKind.values().length);
  private final LongAdder[] sent = adders(DatagramKind.values().length);
  private final LongAdder[] dropped = adders(DropReason.values().length);
  private final LongAdder segmentedSends = new LongAdder();
  private final LongAdder segmentedDatagrams = new LongAdder();

  void received(DatagramKind kind) {
    received[kind.ordinal()].increment();
  }

  void sent(DatagramKind kind) {
    sent[kind.ordinal()].increment();
  }

  void dropped(DropReason reason) {
    dropped[reason.ordinal()].increment();
  }

  void sent(DatagramKind kind, int datagrams) {
    sent[kind.ordinal()].add(datagrams);
  }

  void dropped(DropReason reason, int datagrams) {
    dropped[reason.ordinal()].add(datagrams);
  }

  /** One UDP GSO send of {@code datagrams} ESP datagrams went out. */
  void sentSegmented(int datagrams) {
    segmentedSends.increment();
    segmentedDatagrams.add(datagrams);
  }

  long droppedCount(DropReason reason) {
    return dropped[reason.ordinal()].sum();
  }

  TransportStats snapshot() {
    EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      drops.put(reason, dropped[reason.ordinal()].sum());
    }
    return new TransportStats(
        received[DatagramKind.IKE.ordinal()].sum(),
        received[DatagramKind.ESP.ordinal()].sum(),
        received[DatagramKind.NAT_KEEPALIVE.ordinal()].sum(),
        sent[DatagramKind.IKE.ordinal()].sum(),
        sent[DatagramKind.ESP.ordinal()].sum(),
        sent[DatagramKind.NAT_KEEPALIVE.ordinal()].sum(),
        segmentedSends.sum(),
        segmentedDatagrams.sum(),
        drops);
  }

  private static LongAdder[] adders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }
}
