package dev.ferry.vpn.esp;

import static dev.ferry.vpn.esp.EspFixtures.framed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import dev.ferry.vpn.core.packet.IpPacketView;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.time.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SaStoreTest {
  private final ManualScheduler scheduler = new ManualScheduler();
  private final EspSaTest.Events events = new EspSaTest.Events();

  private SaStore store() {
    return new SaStore(EspFixtures.crypto(9), scheduler, scheduler, events, new EspStats());
  }

  private static ChildSaSpec spec(int in, int out, List<TrafficSelector> local,
      List<TrafficSelector> remote) {
    ChildSaSpec base = EspFixtures.spec("aes128gcm16", false, in, out, in, EspFixtures.LONG_LIFE, 1024);
    return new ChildSaSpec(base.connection(), in, out, base.proposal(), base.inboundKeys(),
        base.outboundKeys(), local, remote, base.localTunnelEndpoint(),
        base.remoteTunnelEndpoint(), true, base.lifetime(), base.replayWindow());
  }

  private static List<TrafficSelector> ts(String... prefixes) {
    List<TrafficSelector> out = new ArrayList<>();
    for (String p : prefixes) {
      out.add(TrafficSelector.of(IpPrefix.parse(p)));
    }
    return out;
  }

  private static IpPacketView view(String source, String destination) {
    return IpPacketView.parse(TestIpPackets.packet(source, destination, new byte[4]));
  }

  @Test
  void outboundPolicyIsTheLongestMatchingSelector() {
    SaStore store = store();
    ChildSaSpec wide = spec(1, 101, ts("10.1.0.0/16"), ts("10.0.0.0/8"));
    ChildSaSpec narrow = spec(2, 102, ts("10.1.0.0/16"), ts("10.2.3.0/24"));
    ChildSaSpec v6 = spec(3, 103, ts("fd01::/48"), ts("fd02::/48"));
    store.install(wide);
    store.install(narrow);
    store.install(v6);
    assertEquals(102, store.outbound(view("10.1.0.1", "10.2.3.4")).spi());
    assertEquals(101, store.outbound(view("10.1.0.1", "10.2.4.4")).spi());
    assertEquals(103, store.outbound(view("fd01::1", "fd02::2")).spi());
    assertNull(store.outbound(view("10.1.0.1", "192.168.1.1")));
    // Source outside every local selector: no SA, even though the destination matches.
    assertNull(store.outbound(view("10.7.0.1", "10.2.3.4")));
    assertEquals(2, store.stats().outbound(OutboundDrop.NO_SA));
  }

  /**
   * RFC 7296 section 2.8.1, as it happened against strongSwan: both peers rekey the same CHILD SA
   * at once, so two new SAs with the same selectors are installed; the old one is deleted, then
   * the redundant one, which was installed last. Traffic must fall back to the survivor; it used
   * to find no outbound SA at all, because installing the redundant SA had dropped the survivor
   * from the outbound set for good.
   */
  @Test
  void afterACollisionTheSurvivorCarriesTheTrafficWhicheverNewSaWasInstalledLast() {
    for (boolean survivorFirst : new boolean[] {true, false}) {
      SaStore store = store();
      ChildSaSpec old = spec(1, 101, ts("10.1.0.0/16"), ts("10.2.0.0/16"));
      ChildSaSpec survivor = spec(2, 102, ts("10.1.0.0/16"), ts("10.2.0.0/16"));
      ChildSaSpec redundant = spec(3, 103, ts("10.1.0.0/16"), ts("10.2.0.0/16"));
      store.install(old);
      store.install(survivorFirst ? survivor : redundant);
      store.install(survivorFirst ? redundant : survivor);
      // The newest installed SA carries the traffic until the collision is resolved.
      assertEquals(survivorFirst ? 103 : 102,
          store.outbound(view("10.1.0.1", "10.2.0.1")).spi());
      store.remove(old.inboundSpi());
      store.remove(redundant.inboundSpi());
      assertEquals(102, store.outbound(view("10.1.0.1", "10.2.0.1")).spi(),
          "survivor installed " + (survivorFirst ? "first" : "last"));
      store.remove(survivor.inboundSpi());
      assertNull(store.outbound(view("10.1.0.1", "10.2.0.1")));
    }
  }

  @Test
  void aSelectorGivenAsARangeIsIndexedByItsPrefixes() {
    SaStore store = store();
    TrafficSelector range = TrafficSelector.of(
        dev.ferry.vpn.core.net.IpRange.parse("10.2.0.5-10.2.0.9"));
    store.install(spec(1, 101, ts("10.1.0.0/16"), List.of(range)));
    assertEquals(101, store.outbound(view("10.1.0.1", "10.2.0.5")).spi());
    assertEquals(101, store.outbound(view("10.1.0.1", "10.2.0.9")).spi());
    assertNull(store.outbound(view("10.1.0.1", "10.2.0.10")));
  }

  @Test
  void installerContractIsEnforced() {
    SaStore store = store();
    ChildSaSpec sa = spec(1, 101, ts("10.1.0.0/16"), ts("10.2.0.0/16"));
    assertThrows(IllegalStateException.class, () -> store.installOutbound(sa));
    store.installInbound(sa);
    assertThrows(IllegalStateException.class, () -> store.installInbound(sa));
    store.installOutbound(sa);
    assertThrows(IllegalStateException.class, () -> store.installOutbound(sa));
    store.remove(1);
    assertThrows(IllegalStateException.class, () -> store.remove(1));
    assertThrows(IllegalStateException.class, () -> store.counters(1));
    assertNull(store.inbound(1));
  }

  @Test
  void unknownSpiIsCounted() {
    SaStore store = store();
    byte[] packet = new byte[64];
    WireBytes.putInt(packet, 0, 0x7777);
    assertEquals(EspVerdict.UNKNOWN_SPI, store.unprotect(packet, 0, 64, new InnerPacket()));
    assertEquals(1, store.stats().inbound(EspVerdict.UNKNOWN_SPI));
  }

  @Test
  void timeLifetimesFireFromTheScheduler() {
    SaStore store = store();
    ChildSaSpec sa = spec(1, 101, ts("10.1.0.0/16"), ts("10.2.0.0/16"));
    store.install(sa);
    scheduler.advance(Duration.ofMinutes(55));
    assertEquals(List.of("soft TIME"), events.seen);
    assertTrue(store.sa(1).isRekeyDue());
    scheduler.advance(Duration.ofMinutes(5));
    assertEquals(List.of("soft TIME", "hard TIME"), events.seen);
    assertTrue(store.sa(1).isExpired());
    store.remove(1);
    assertEquals(0, scheduler.pendingTasks());
  }

  @Test
  void removingAnSaCancelsItsTimers() {
    SaStore store = store();
    store.install(spec(1, 101, ts("10.1.0.0/16"), ts("10.2.0.0/16")));
    store.remove(1);
    scheduler.advance(Duration.ofHours(2));
    assertEquals(List.of(), events.seen);
  }

  /**
   * Make-before-break under load: one thread sends through our store to the peer's store while
   * another rekeys both sides over and over (RFC 7296 section 2.8 order: new inbound on both
   * sides, switch outbound, then remove the old SAs once traffic has moved). No packet may be
   * lost or misrouted.
   */
  @Test
  void rekeyUnderLoadLosesNothing() throws Exception {
    SaStore ours = store();
    SaStore peer = store();
    List<TrafficSelector> local = EspFixtures.LOCAL;
    List<TrafficSelector> remote = EspFixtures.REMOTE;
    ChildSaSpec first = spec(0x100, 0x200, local, remote);
    peer.installInbound(EspFixtures.mirror(first));
    ours.install(first);
    peer.installOutbound(EspFixtures.mirror(first));

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    AtomicLong delivered = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread sender = new Thread(() -> {
      IpPacketView view = new IpPacketView();
      InnerPacket inner = new InnerPacket();
      byte[] packet = TestIpPackets.packet("10.1.2.3", "10.2.3.4", new byte[200]);
      try {
        while (!stop.get()) {
          byte[] buf = framed(packet, 0);
          view.reset(buf, OutboundSa.MAX_HEADROOM, packet.length);
          OutboundSa sa = ours.outbound(view);
          int length = sa.protect(buf, OutboundSa.MAX_HEADROOM, packet.length);
          sent.incrementAndGet();
          EspVerdict verdict = peer.unprotect(buf, OutboundSa.MAX_HEADROOM - sa.headroom(), length, inner);
          if (verdict != EspVerdict.ACCEPTED || inner.sa().spi() != sa.spi()) {
            throw new AssertionError("packet " + sent.get() + ": " + verdict);
          }
          delivered.incrementAndGet();
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "esp-sender");
    sender.start();

    ChildSaSpec current = first;
    for (int round = 1; round <= 40 && failure.get() == null; round++) {
      ChildSaSpec next = spec(0x100 + round * 2, 0x200 + round * 2, local, remote);
      peer.installInbound(EspFixtures.mirror(next));
      ours.installInbound(next);
      ours.installOutbound(next);
      peer.installOutbound(EspFixtures.mirror(next));
      // Keep the old inbound SA until packets protected before the switch have arrived.
      long mark = delivered.get();
      while (delivered.get() < mark + 2 && failure.get() == null && sender.isAlive()) {
        Thread.onSpinWait();
      }
      ours.remove(current.inboundSpi());
      peer.remove(current.outboundSpi());
      current = next;
    }
    stop.set(true);
    sender.join();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertEquals(sent.get(), delivered.get());
    assertTrue(delivered.get() > 40, "the sender ran during the rekeys");
    assertEquals(0, peer.stats().inbound(EspVerdict.UNKNOWN_SPI));
    assertSame(ours.sa(current.inboundSpi()).outbound(),
        ours.outbound(view("10.1.0.1", "10.2.0.1")));
    assertEquals(1, ours.installed().size());
  }
}
