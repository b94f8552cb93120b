package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * RFC 7296 section 2.8.2 under any delivery order: both peers rekey the IKE SA at once and every
 * datagram of the exchanges that follow (the two crossing CREATE_CHILD_SA exchanges, the deletes
 * of the old and the redundant SA) is delivered in a random order, with either side or neither
 * holding the lowest nonce. However the messages arrive, both peers end with the same single IKE
 * SA and a working CHILD SA pair, and nothing is reported down or failed.
 */
class RekeyCollisionProperties {

  @Property(tries = 50)
  void crossingIkeRekeys_inAnyDeliveryOrder_leaveOneSharedIkeSa(
      @ForAll long orderSeed, @ForAll @IntRange(min = 0, max = 2) int lowNonce,
      @ForAll @IntRange(min = 1, max = 1000) int peerSeed) {
    CollisionLab lab = new CollisionLab(peerSeed, peerSeed + 1000L);
    IkeSaInfo old = lab.alice.onlyIkeSa();
    long aliceSpi = lab.alice.ikeSpi();
    long bobSpi = lab.bob.ikeSpi();
    crossInRandomOrder(lab, lowNonce, orderSeed, () -> {
      lab.alice.endpoint.rekeyIke(aliceSpi);
      lab.bob.endpoint.rekeyIke(bobSpi);
    });

    lab.assertOneSharedIkeSa(old, null);
    for (CollisionLab.Peer p : new CollisionLab.Peer[] {lab.alice, lab.bob}) {
      assertEquals(1, p.events(IkeEvent.IkeSaRekeyed.class).size(), p.events::toString);
    }
    lab.assertChildRekeysWork();
  }

  /**
   * RFC 7296 section 2.8.1 under any delivery order: both peers rekey the CHILD SA at once, both
   * exchanges succeed, and the SA of the exchange with the lowest nonce is deleted by its
   * initiator. Both peers end with one shared CHILD SA, and each peer's real data plane
   * ({@code SaStore}, fed the same installer calls) sends the subnets' traffic on it, whichever of
   * the two new SAs it installed last.
   */
  @Property(tries = 50)
  void crossingChildRekeys_inAnyDeliveryOrder_leaveOneSharedChildSaCarryingTheTraffic(
      @ForAll long orderSeed, @ForAll @IntRange(min = 0, max = 2) int lowNonce,
      @ForAll @IntRange(min = 1, max = 1000) int peerSeed) {
    CollisionLab lab = new CollisionLab(peerSeed, peerSeed + 1000L);
    int aliceOld = lab.alice.childInboundSpi();
    int bobOld = lab.bob.childInboundSpi();
    crossInRandomOrder(lab, lowNonce, orderSeed, () -> {
      lab.alice.endpoint.rekeyChild(aliceOld);
      lab.bob.endpoint.rekeyChild(bobOld);
    });

    lab.assertPairedChildSa(); // also: both data planes send on the one SA left
    assertTrue(lab.alice.childInboundSpi() != aliceOld, "the CHILD SA was rekeyed");
    for (CollisionLab.Peer p : new CollisionLab.Peer[] {lab.alice, lab.bob}) {
      assertEquals(List.of(), p.events(IkeEvent.ChildSaFailed.class), p.name);
      assertEquals(1, p.dataPlane.installed().size(), () -> p.name + " " + p.dataPlane);
    }
    lab.assertChildRekeysWork();
  }

  /**
   * Gives the lowest nonce to nobody (0), alice (1) or bob (2), starts both rekeys, delivers every
   * datagram in an order drawn from {@code orderSeed}, then lets time pass beyond the
   * retransmission give-up time and the grace for unclaimed candidates.
   */
  private static void crossInRandomOrder(CollisionLab lab, int lowNonce, long orderSeed,
      Runnable startBoth) {
    if (lowNonce == 1) {
      lab.alice.random.lowerNextNonce();
    } else if (lowNonce == 2) {
      lab.bob.random.lowerNextNonce();
    }
    startBoth.run();
    SplittableRandom order = new SplittableRandom(orderSeed);
    int deliveries = 0;
    while (lab.network.pending() > 0) {
      lab.network.deliverAt(order.nextInt(lab.network.pending()));
      assertTrue(++deliveries < 100, "the exchanges end");
    }
    lab.settle(Duration.ofMinutes(4), Duration.ofSeconds(5));
  }
}
