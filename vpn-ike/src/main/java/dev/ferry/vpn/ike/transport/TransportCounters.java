package dev.ferry.vpn.ike.transport;

import java.util.EnumMap;
import java.util.concurrent.atomic.LongAdder;

/** The live, thread-safe counters behind {@link TransportStats}; counting never allocates. */
final class TransportCounters {

  private final LongAdder[] received = adders(DatagramKind.values().length);
  private final LongAdder[] sent = adders(DatagramKind.values().length);
  private final LongAdder[] dropped = adders(DropReason.values().length);

  void received(DatagramKind kind) {
    received[kind.ordinal()].increment();
  }

  void sent(DatagramKind kind) {
    sent[kind.ordinal()].increment();
  }

  void dropped(DropReason reason) {
    dropped[reason.ordinal()].increment();
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
