package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller;
import dev.ferry.vpn.ike.transport.LoopbackIkeNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Simultaneous rekeys whose messages arrive in the awkward order: both peers send a rekey request
 * at once, but one peer receives the RESPONSE to its own request before the peer's crossing
 * REQUEST (RFC 7296 sections 2.8.1, 2.8.2, 2.25). That peer sees no collision and completes; its
 * new SA is the one both keep, whatever the nonces say, because the crossing request is refused
 * (TEMPORARY_FAILURE, or CHILD_SA_NOT_FOUND once the old CHILD SA is gone) and so never creates a
 * second SA. Each case runs with either side completing first, either side holding the lowest
 * nonce, and the late peer receiving the refusal and the delete of the old SA in either order.
 */
class RekeyCollisionOrderTest {

  /**
   * What happens after the first peer completed: the late peer's crossing request and the first
   * peer's delete of the old SA are both in flight.
   */
  enum Arrival {
    /** The crossing request is refused first, and the late peer sees the refusal first. */
    CROSSING_REQUEST_THEN_REFUSAL,
    /** The crossing request is refused first, but the delete reaches the late peer first. */
    CROSSING_REQUEST_THEN_DELETE,
    /** The delete reaches the late peer first, its answer after the crossing request. */
    DELETE_FIRST,
    /** The delete exchange is over before the crossing request arrives. */
    DELETE_COMPLETED_FIRST
  }

  /** Who completes first, who holds the lowest nonce, and how the rest arrives. */
  record Order(String first, String lowNonce, Arrival arrival) { }

  static List<Order> orders() {
    List<Order> all = new ArrayList<>();
    for (String first : List.of("alice", "bob")) {
      for (String lowNonce : List.of("alice", "bob")) {
        for (Arrival arrival : Arrival.values()) {
          all.add(new Order(first, lowNonce, arrival));
        }
      }
    }
    return all;
  }

  private static CollisionLab.Peer side(CollisionLab lab, String name) {
    return name.equals("alice") ? lab.alice : lab.bob;
  }

  /**
   * Starts a rekey on both sides with the second one's request held back, lets the first one's
   * exchange complete, then releases the held request.
   */
  private static void crossWithResponseFirst(CollisionLab lab, String first,
      String lowNonce, Runnable startFirst, Runnable startLate) {
    CollisionLab.Peer early = side(lab, first);
    CollisionLab.Peer late = early == lab.alice ? lab.bob : lab.alice;
    LoopbackIkeNetwork.Hold held = lab.network.hold(late.createChildSaRequests());
    side(lab, lowNonce).random.lowerNextNonce();
    // The nonce is drawn when each rekey starts, so only the steered side's is lowered.
    if (side(lab, lowNonce) == early) {
      startFirst.run();
      startLate.run();
    } else {
      startLate.run();
      startFirst.run();
    }
    assertTrue(held.isHolding(), "the late peer's request is held");
    assertTrue(lab.network.deliverNext(), "the first request reaches the late peer");
    assertTrue(lab.network.deliverNext(), "its response reaches the first peer");
    held.release();
  }

  /**
   * Delivers what remains after the first peer's exchange as {@code order} says. The queue then
   * holds the first peer's delete of the old SA, then the released crossing request.
   */
  private static void finish(CollisionLab lab, Order order) {
    LoopbackIkeNetwork network = lab.network;
    switch (order.arrival()) {
      case CROSSING_REQUEST_THEN_REFUSAL -> {
        network.deliverAt(1);
        network.deliverAt(1);
      }
      case CROSSING_REQUEST_THEN_DELETE -> network.deliverAt(1);
      case DELETE_FIRST -> network.deliverNext();
      case DELETE_COMPLETED_FIRST -> {
        network.deliverNext();
        network.deliverAt(1);
      }
    }
    lab.settle(Duration.ofSeconds(2));
  }

  @ParameterizedTest
  @MethodSource("orders")
  void ikeRekey_responseBeforeCrossingRequest_keepsTheCompletedRekey(Order order) {
    CollisionLab lab = new CollisionLab(11, 12);
    IkeSaInfo old = lab.alice.onlyIkeSa();
    int aliceChild = lab.alice.childInboundSpi();
    long aliceSpi = lab.alice.ikeSpi();
    long bobSpi = lab.bob.ikeSpi();
    CollisionLab.Peer early = side(lab, order.first());

    crossWithResponseFirst(lab, order.first(), order.lowNonce(),
        () -> early.endpoint.rekeyIke(early == lab.alice ? aliceSpi : bobSpi),
        () -> (early == lab.alice ? lab.bob : lab.alice).endpoint.rekeyIke(
            early == lab.alice ? bobSpi : aliceSpi));
    finish(lab, order);

    lab.assertOneSharedIkeSa(old, early);
    // The CHILD SAs moved to the survivor on both sides without touching the data plane.
    assertEquals(aliceChild, lab.alice.childInboundSpi());
    for (CollisionLab.Peer p : List.of(lab.alice, lab.bob)) {
      assertTrue(p.installer.operations().stream()
          .noneMatch(op -> op.kind() == RecordingChildSaInstaller.Operation.Kind.REMOVE),
          p.installer.operations()::toString);
      assertEquals(1, p.events(IkeEvent.IkeSaRekeyed.class).size(), p.events::toString);
    }
    // Nothing is left to expire later: still one SA each after the redundant-SA grace time.
    lab.settle(Duration.ofMinutes(4), Duration.ofSeconds(5));
    lab.assertOneSharedIkeSa(old, early);
    lab.assertChildRekeysWork();
  }

  @ParameterizedTest
  @MethodSource("orders")
  void childRekey_responseBeforeCrossingRequest_keepsTheCompletedRekey(Order order) {
    CollisionLab lab = new CollisionLab(21, 22);
    IkeSaInfo ike = lab.alice.onlyIkeSa();
    ChildSaSpec oldAlice = lab.alice.installer.installed().get(0);
    ChildSaSpec oldBob = lab.bob.installer.installed().get(0);
    CollisionLab.Peer early = side(lab, order.first());
    CollisionLab.Peer late = early == lab.alice ? lab.bob : lab.alice;

    crossWithResponseFirst(lab, order.first(), order.lowNonce(),
        () -> early.endpoint.rekeyChild(early.childInboundSpi()),
        () -> late.endpoint.rekeyChild(late.childInboundSpi()));
    int survivorAtEarly = early.installer.installed().stream()
        .filter(c -> c.inboundSpi() != (early == lab.alice ? oldAlice : oldBob).inboundSpi())
        .findFirst().orElseThrow().inboundSpi();
    finish(lab, order);

    lab.assertPairedChildSa();
    assertEquals(survivorAtEarly, early.childInboundSpi(), "the completed rekey's SA survives");
    assertEquals(ike, lab.alice.onlyIkeSa());
    for (CollisionLab.Peer p : List.of(lab.alice, lab.bob)) {
      ChildSaSpec old = p == lab.alice ? oldAlice : oldBob;
      assertTrue(p.installer.byInboundSpi(old.inboundSpi()).isEmpty());
      assertEquals(1, p.events(IkeEvent.ChildSaRekeyed.class).size(), p.events::toString);
      assertEquals(1, p.events(IkeEvent.ChildSaDeleted.class).size(), p.events::toString);
      assertEquals(List.of(), p.events(IkeEvent.ChildSaFailed.class), p.name);
      // Make-before-break: the new outbound SA was in place before the old one went.
      List<RecordingChildSaInstaller.Operation> ops = p.installer.operations();
      int newOut = ops.indexOf(new RecordingChildSaInstaller.Operation(
          RecordingChildSaInstaller.Operation.Kind.INSTALL_OUTBOUND, p.childInboundSpi()));
      int oldGone = ops.indexOf(new RecordingChildSaInstaller.Operation(
          RecordingChildSaInstaller.Operation.Kind.REMOVE, old.inboundSpi()));
      assertTrue(newOut >= 0 && oldGone > newOut, ops::toString);
    }
    lab.assertChildRekeysWork();
  }
}
