package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.proposal.ProposalList;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.sa.ChildSaSpec;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller.Operation;
import dev.ferry.vpn.core.sa.RecordingChildSaInstaller.Operation.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rekeys the peer refuses (RFC 7296 section 2.25) between two endpoints over the loopback network
 * on a manual clock: TEMPORARY_FAILURE is retried after a growing random wait while the old SA
 * stays in service (section 2.8), never past the SA's hard lifetime; a permanent refusal is
 * reported once and not retried. The refusing responder is a real endpoint whose {@link
 * RekeyAdmission} turns down the first requests.
 */
class RekeyRetryTest {

  private static CollisionLab.Peer initiator(CollisionLab lab, String name) {
    return name.equals("alice") ? lab.alice : lab.bob;
  }

  private static CollisionLab.Peer other(CollisionLab lab, CollisionLab.Peer peer) {
    return peer == lab.alice ? lab.bob : lab.alice;
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "bob"})
  void childRekey_refusedTwice_completesOnTheThirdAttemptWhileTheOldSaCarriesTraffic(
      String rekeying) {
    CollisionLab lab = new CollisionLab(31, 32);
    CollisionLab.Peer us = initiator(lab, rekeying);
    CollisionLab.Peer peer = other(lab, us);
    ChildSaSpec oldOurs = us.installer.installed().get(0);
    ChildSaSpec oldPeers = peer.installer.installed().get(0);
    peer.refuseRekeys(RekeyAdmission.Kind.CHILD_SA, 2);

    us.endpoint.rekeyChild(oldOurs.inboundSpi());
    lab.settle(Duration.ofSeconds(1));
    // Refused once: nothing reported, the old SA still in place on both sides.
    assertEquals(1, peer.rekeyRequests(RekeyAdmission.Kind.CHILD_SA).size());
    assertEquals(List.of(), us.events(IkeEvent.ChildSaFailed.class));
    assertEquals(List.of(oldOurs), us.installer.installed());
    assertEquals(List.of(oldPeers), peer.installer.installed());

    lab.settle(Duration.ofSeconds(40));
    assertRefusedTwiceThenAdmittedInGrowingWaits(peer.rekeyRequests(RekeyAdmission.Kind.CHILD_SA));

    lab.assertPairedChildSa();
    for (CollisionLab.Peer p : List.of(lab.alice, lab.bob)) {
      ChildSaSpec old = p == us ? oldOurs : oldPeers;
      assertNotEquals(old.inboundSpi(), p.childInboundSpi());
      assertEquals(1, p.events(IkeEvent.ChildSaRekeyed.class).size(), p.events::toString);
      assertEquals(List.of(), p.events(IkeEvent.ChildSaFailed.class), p.name);
      assertOldRemovedOnlyAfterNewInstalled(p, old, p.childInboundSpi());
    }
    lab.assertChildRekeysWork();
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "bob"})
  void ikeRekey_refusedTwice_completesOnTheThirdAttemptAndKeepsTheChildSas(String rekeying) {
    CollisionLab lab = new CollisionLab(41, 42);
    CollisionLab.Peer us = initiator(lab, rekeying);
    CollisionLab.Peer peer = other(lab, us);
    IkeSaInfo old = lab.alice.onlyIkeSa();
    int aliceChild = lab.alice.childInboundSpi();
    peer.refuseRekeys(RekeyAdmission.Kind.IKE_SA, 2);

    us.endpoint.rekeyIke(us.ikeSpi());
    lab.settle(Duration.ofSeconds(1));
    assertEquals(old, lab.alice.onlyIkeSa(), "refused: the old IKE SA is still the one");
    assertEquals(IkeSaState.ESTABLISHED, us.endpoint.state(us.ikeSpi()).orElseThrow());
    assertEquals(List.of(), us.events(IkeEvent.ChildSaFailed.class));

    lab.settle(Duration.ofSeconds(40));
    assertRefusedTwiceThenAdmittedInGrowingWaits(peer.rekeyRequests(RekeyAdmission.Kind.IKE_SA));

    lab.assertOneSharedIkeSa(old, us);
    assertEquals(aliceChild, lab.alice.childInboundSpi());
    for (CollisionLab.Peer p : List.of(lab.alice, lab.bob)) {
      assertEquals(1, p.events(IkeEvent.IkeSaRekeyed.class).size(), p.events::toString);
      assertTrue(p.installer.operations().stream().noneMatch(op -> op.kind() == Kind.REMOVE),
          p.installer.operations()::toString);
    }
    lab.assertChildRekeysWork();
  }

  @Test
  void childRekey_refusedForever_retriesOnlyBeforeTheHardLifetimeThenReportsAndExpires() {
    CollisionLab lab = new CollisionLab(51, 52, (name, b) -> b
        .childLifetime(Duration.ofMinutes(2)).marginTime(Duration.ofSeconds(30)));
    // Installed in IKE_AUTH, before now: its hard lifetime ends at the latest two minutes on.
    Instant hardExpiry = lab.clock.instant().plus(Duration.ofMinutes(2));
    ChildSaSpec aliceOld = lab.alice.installer.installed().get(0);
    lab.alice.refuseRekeys(RekeyAdmission.Kind.CHILD_SA, Integer.MAX_VALUE);
    lab.bob.refuseRekeys(RekeyAdmission.Kind.CHILD_SA, Integer.MAX_VALUE);

    lab.settle(Duration.ofMinutes(3));

    List<CollisionLab.RekeyRequest> all = new java.util.ArrayList<>();
    all.addAll(lab.alice.rekeyRequests(RekeyAdmission.Kind.CHILD_SA));
    all.addAll(lab.bob.rekeyRequests(RekeyAdmission.Kind.CHILD_SA));
    assertTrue(all.size() >= 4, "each side rekeyed and retried at least once: " + all);
    for (CollisionLab.RekeyRequest r : all) {
      assertFalse(r.admitted());
      // RekeyBackoff.DEFAULT's guard: a retry starts 2 s before the hard lifetime at the latest.
      assertTrue(r.at().isBefore(hardExpiry.minusSeconds(2)), r + " after " + hardExpiry);
    }
    for (CollisionLab.Peer p : List.of(lab.alice, lab.bob)) {
      List<IkeEvent.ChildSaFailed> failed = p.events(IkeEvent.ChildSaFailed.class);
      assertEquals(1, failed.size(), p.events::toString);
      assertTrue(failed.get(0).reason().message().contains("no time left"), failed::toString);
      // The old SA served until its hard lifetime and then went, as without any rekey.
      assertEquals(List.of(), p.installer.installed(), p.installer.operations()::toString);
      assertEquals(1, p.events(IkeEvent.ChildSaDeleted.class).size(), p.events::toString);
      assertEquals(List.of(), p.events(IkeEvent.ChildSaRekeyed.class));
    }
    assertTrue(lab.alice.installer.operations().contains(
        new Operation(Kind.REMOVE, aliceOld.inboundSpi())));
    assertEquals(IkeSaState.ESTABLISHED,
        lab.alice.endpoint.state(lab.alice.ikeSpi()).orElseThrow());
  }

  @Test
  void ikeRekey_refusedForever_retriesOnlyBeforeTheLifetimeThenReportsAndDeletesTheIkeSa() {
    CollisionLab lab = new CollisionLab(61, 62, (name, b) -> b
        .ikeLifetime(Duration.ofMinutes(3)).marginTime(Duration.ofMinutes(1))
        .childLifetime(Duration.ofMinutes(30)));
    Instant expiry = lab.clock.instant().plus(Duration.ofMinutes(3));
    lab.alice.refuseRekeys(RekeyAdmission.Kind.IKE_SA, Integer.MAX_VALUE);
    lab.bob.refuseRekeys(RekeyAdmission.Kind.IKE_SA, Integer.MAX_VALUE);

    lab.settle(Duration.ofMinutes(4));

    for (CollisionLab.Peer p : List.of(lab.alice, lab.bob)) {
      List<CollisionLab.RekeyRequest> requests = p.rekeyRequests(RekeyAdmission.Kind.IKE_SA);
      assertTrue(requests.size() >= 2, p.name + " " + requests);
      for (CollisionLab.RekeyRequest r : requests) {
        assertTrue(r.at().isBefore(expiry.minusSeconds(2)), r + " after " + expiry);
      }
      assertEquals(1, p.events(IkeEvent.ChildSaFailed.class).size(), p.events::toString);
      assertEquals(1, p.events(IkeEvent.IkeSaDown.class).size(), p.events::toString);
      assertEquals(List.of(), p.endpoint.ikeSas());
      assertEquals(List.of(), p.installer.installed());
    }
  }

  @Test
  void childRekey_noProposalChosen_isReportedOnceNotRetriedAndTheSaMayBeRekeyedAgain() {
    // Alice asks for PFS on rekeys, bob accepts none: IKE_AUTH (no KE, RFC 7296 section 1.2)
    // works, every CREATE_CHILD_SA rekey gets NO_PROPOSAL_CHOSEN.
    CollisionLab lab = new CollisionLab(71, 72, (name, b) -> name.equals("alice")
        ? b.espProposals(ProposalList.parse("aes128gcm16-x25519", Protocol.ESP)) : b);
    ChildSaSpec old = lab.alice.installer.installed().get(0);

    lab.alice.endpoint.rekeyChild(old.inboundSpi());
    lab.settle(Duration.ofMinutes(1));

    assertEquals(1, lab.bob.rekeyRequests(RekeyAdmission.Kind.CHILD_SA).size());
    List<IkeEvent.ChildSaFailed> failed = lab.alice.events(IkeEvent.ChildSaFailed.class);
    assertEquals(1, failed.size(), lab.alice.events::toString);
    assertTrue(failed.get(0).reason().message().contains("NO_PROPOSAL_CHOSEN"), failed::toString);
    assertEquals(List.of(old), lab.alice.installer.installed());
    assertTrue(lab.alice.installer.operations().stream().noneMatch(op -> op.kind() == Kind.REMOVE));

    // No longer marked as being replaced: an explicit rekey is sent (and refused) again.
    lab.alice.endpoint.rekeyChild(old.inboundSpi());
    lab.settle(Duration.ofSeconds(2));
    assertEquals(2, lab.bob.rekeyRequests(RekeyAdmission.Kind.CHILD_SA).size());
    assertEquals(2, lab.alice.events(IkeEvent.ChildSaFailed.class).size());
  }

  /** Waits of 2-10 s, then 4-20 s (one-second delivery steps add up to a second each). */
  private static void assertRefusedTwiceThenAdmittedInGrowingWaits(
      List<CollisionLab.RekeyRequest> requests) {
    assertEquals(List.of(false, false, true),
        requests.stream().map(CollisionLab.RekeyRequest::admitted).toList());
    assertWaitBetween(requests.get(0).at(), requests.get(1).at(), 2, 11);
    assertWaitBetween(requests.get(1).at(), requests.get(2).at(), 4, 21);
  }

  private static void assertWaitBetween(Instant from, Instant to, long minSeconds,
      long maxSeconds) {
    Duration wait = Duration.between(from, to);
    assertTrue(wait.compareTo(Duration.ofSeconds(minSeconds)) >= 0
        && wait.compareTo(Duration.ofSeconds(maxSeconds)) <= 0, wait::toString);
  }

  /** Make-before-break: the old SA left the data plane only after the new one was in place. */
  private static void assertOldRemovedOnlyAfterNewInstalled(CollisionLab.Peer p, ChildSaSpec old,
      int fresh) {
    List<Operation> ops = p.installer.operations();
    int newOut = ops.indexOf(new Operation(Kind.INSTALL_OUTBOUND, fresh));
    int oldGone = ops.indexOf(new Operation(Kind.REMOVE, old.inboundSpi()));
    assertTrue(newOut >= 0 && oldGone > newOut, ops::toString);
    assertEquals(1, ops.stream().filter(op -> op.kind() == Kind.REMOVE).count(), ops::toString);
  }
}
