package dev.ferry.vpn.ike.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.io.UdpEndpoint;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What only the in-memory network does: impairments, NAT rewriting, delivery modes. */
class LoopbackIkeNetworkTest {

  private static final IpAddress A = IpAddress.parse("10.0.0.2");
  private static final IpAddress B = IpAddress.parse("198.51.100.1");
  private static final IpAddress NAT_PUBLIC = IpAddress.parse("203.0.113.1");

  /** Tags of received IKE messages, in arrival order. */
  private static final class Tags {
    final List<Integer> tags = new ArrayList<>();
    final List<byte[]> arrays = new ArrayList<>();
    final List<UdpEndpoint> remotes = new ArrayList<>();
  }

  private static IkeUdpTransport peer(LoopbackIkeNetwork net, IpAddress address, Tags into) {
    return net.open(
        IkeListenConfig.standard(address),
        (local, remote, message) -> {
          into.tags.add(Datagrams.tagOf(message));
          into.arrays.add(message);
          into.remotes.add(remote);
        },
        null);
  }

  private static UdpEndpoint ike(IpAddress address) {
    return new UdpEndpoint(address, 500);
  }

  /** A network with peer A (sending) and peer B (recording). */
  private record AtoB(LoopbackIkeNetwork net, IkeUdpTransport a, Tags atB) {
    static AtoB of(Delivery delivery, long seed, NetworkImpairments impairments) {
      LoopbackIkeNetwork net = new LoopbackIkeNetwork(delivery, seed);
      net.impair(impairments);
      Tags atB = new Tags();
      IkeUdpTransport a = peer(net, A, new Tags());
      peer(net, B, atB);
      return new AtoB(net, a, atB);
    }

    void send(int tag) {
      a.send(ike(A), ike(B), Datagrams.ikeMessage(tag, 40));
    }
  }

  /**
   * Sends {@code count} tagged messages A to B over an impaired queued network; returns arrivals.
   */
  private static List<Integer> run(long seed, NetworkImpairments impairments, int count) {
    AtoB p = AtoB.of(Delivery.QUEUED, seed, impairments);
    for (int i = 0; i < count; i++) {
      p.send(i);
      if (i % 7 == 6) {
        p.net()
            .deliverNext(); // leave some datagrams waiting so reordering has something to overtake
      }
    }
    p.net().deliverAll();
    return p.atB().tags;
  }

  @Test
  void queuedDeliveryWaitsForThePumpAndKeepsOrderOnAPerfectNetwork() {
    AtoB p = AtoB.of(Delivery.QUEUED, 1, NetworkImpairments.NONE);
    LoopbackIkeNetwork net = p.net();
    Tags atB = p.atB();
    for (int i = 0; i < 5; i++) {
      p.send(i);
    }
    assertEquals(5, net.pending());
    assertTrue(atB.tags.isEmpty());
    assertTrue(net.deliverNext());
    assertEquals(List.of(0), atB.tags);
    assertEquals(4, net.deliverAll());
    assertEquals(List.of(0, 1, 2, 3, 4), atB.tags);
    assertFalse(net.deliverNext());
  }

  @Test
  void theSameSeedGivesTheSameDeliveriesAndAnotherSeedOthers() {
    NetworkImpairments bad = new NetworkImpairments(0.2, 0.2, 0.3);
    List<Integer> first = run(7, bad, 300);
    assertEquals(first, run(7, bad, 300));
    assertNotEquals(first, run(8, bad, 300));
  }

  @Test
  void lossDropsAboutTheConfiguredShareAndTheCountsAddUp() {
    AtoB p = AtoB.of(Delivery.QUEUED, 3, new NetworkImpairments(0.3, 0.1, 0));
    for (int i = 0; i < 1000; i++) {
      p.send(i);
    }
    p.net().deliverAll();
    Tags atB = p.atB();
    LoopbackIkeNetwork.Stats s = p.net().stats();
    assertEquals(1000, s.sent());
    assertTrue(s.lost() > 220 && s.lost() < 380, () -> "lost " + s.lost());
    assertTrue(s.duplicated() > 30 && s.duplicated() < 120, () -> "duplicated " + s.duplicated());
    assertEquals(s.sent() - s.lost() + s.duplicated(), s.delivered());
    assertEquals(s.delivered(), atB.tags.size());
  }

  @Test
  void duplicatesArriveAsSeparateArrays() {
    AtoB p = AtoB.of(Delivery.IMMEDIATE, 5, new NetworkImpairments(0, 1, 0));
    p.send(11);
    Tags atB = p.atB();
    assertEquals(List.of(11, 11), atB.tags);
    assertNotSame(atB.arrays.get(0), atB.arrays.get(1));
  }

  @Test
  void reorderingPermutesWithoutLosingAnything() {
    List<Integer> arrived = run(9, new NetworkImpairments(0, 0, 0.5), 200);
    List<Integer> sent = IntStream.range(0, 200).boxed().toList();
    assertNotEquals(sent, arrived);
    assertEquals(sent, arrived.stream().sorted().toList());
    assertEquals(sent, run(9, NetworkImpairments.NONE, 200));
  }

  @Test
  void aNatRewritesTheSourceOutboundAndTheDestinationOfReplies() {
    LoopbackIkeNetwork net = new LoopbackIkeNetwork(Delivery.IMMEDIATE, 1);
    SimulatedNat nat = new SimulatedNat(IpPrefix.parse("10.0.0.0/24"), NAT_PUBLIC, 30000);
    net.rewriteWith(nat);
    Tags atA = new Tags();
    Tags atB = new Tags();
    IkeUdpTransport a = peer(net, A, atA);
    IkeUdpTransport b = peer(net, B, atB);
    UdpEndpoint aNatT = new UdpEndpoint(A, 4500);
    UdpEndpoint bNatT = new UdpEndpoint(B, 4500);

    a.send(ike(A), ike(B), Datagrams.ikeMessage(1, 40));
    a.send(aNatT, bNatT, Datagrams.ikeMessage(2, 40));
    assertEquals(
        List.of(new UdpEndpoint(NAT_PUBLIC, 30000), new UdpEndpoint(NAT_PUBLIC, 30001)),
        atB.remotes);
    assertEquals(new UdpEndpoint(NAT_PUBLIC, 30001), nat.publicEndpointOf(aNatT).orElseThrow());

    b.send(bNatT, atB.remotes.get(1), Datagrams.ikeMessage(3, 40));
    assertEquals(List.of(3), atA.tags);
    assertEquals(List.of(bNatT), atA.remotes);

    // Nobody inside has this public port: the NAT drops the datagram.
    b.send(bNatT, new UdpEndpoint(NAT_PUBLIC, 40000), Datagrams.ikeMessage(4, 40));
    assertEquals(1, net.stats().filtered());

    // After a rebinding the same inside endpoint appears from a new public port.
    nat.rebind();
    a.send(aNatT, bNatT, Datagrams.ikeMessage(5, 40));
    assertEquals(new UdpEndpoint(NAT_PUBLIC, 30002), atB.remotes.get(2));
    b.send(bNatT, new UdpEndpoint(NAT_PUBLIC, 30001), Datagrams.ikeMessage(6, 40));
    assertEquals(2, net.stats().filtered());
  }

  @Test
  void immediateDeliveryNeverCallsAHandlerInsideASend() {
    LoopbackIkeNetwork net = new LoopbackIkeNetwork(Delivery.IMMEDIATE, 1);
    int[] depth = {0};
    int[] maxDepth = {0};
    List<Integer> seen = new ArrayList<>();
    IkeUdpTransport[] peers = new IkeUdpTransport[2];
    IpAddress[] addresses = {A, B};
    for (int p = 0; p < 2; p++) {
      int me = p;
      peers[p] =
          net.open(
              IkeListenConfig.standard(addresses[p]),
              (local, remote, message) -> {
                int tag = Datagrams.tagOf(message);
                seen.add(tag);
                if (tag < 20) {
                  depth[0]++;
                  maxDepth[0] = Math.max(maxDepth[0], depth[0]);
                  peers[me].send(local, remote, Datagrams.ikeMessage(tag + 1, 40));
                  depth[0]--;
                }
              },
              null);
    }
    peers[0].send(ike(A), ike(B), Datagrams.ikeMessage(0, 40));
    assertEquals(IntStream.rangeClosed(0, 20).boxed().toList(), seen);
    assertEquals(1, maxDepth[0]);
    assertEquals(0, net.pending());
  }

  @Test
  void datagramsToNobodyOrToAClosedTransportAreUndeliverable() {
    LoopbackIkeNetwork net = new LoopbackIkeNetwork(Delivery.QUEUED, 1);
    Tags atB = new Tags();
    IkeUdpTransport a = peer(net, A, new Tags());
    IkeUdpTransport b = peer(net, B, atB);
    a.send(ike(A), ike(IpAddress.parse("198.51.100.99")), Datagrams.ikeMessage(1, 40));
    a.send(ike(A), ike(B), Datagrams.ikeMessage(2, 40));
    b.close();
    net.deliverAll();
    assertEquals(2, net.stats().undeliverable());
    assertTrue(atB.tags.isEmpty());
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new NetworkImpairments(-0.1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new NetworkImpairments(0, 1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> new NetworkImpairments(0, 0, Double.NaN));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SimulatedNat(IpPrefix.parse("10.0.0.0/8"), IpAddress.parse("10.1.1.1"), 1000));
    assertThrows(
        IllegalArgumentException.class,
        () -> new SimulatedNat(IpPrefix.parse("10.0.0.0/8"), NAT_PUBLIC, 0));
  }
}
