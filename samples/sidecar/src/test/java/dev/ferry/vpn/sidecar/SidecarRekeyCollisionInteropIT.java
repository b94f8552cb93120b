package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.sidecar.CrossingRekeyTransport.First;
import dev.ferry.vpn.sidecar.SidecarLab.Agreement;
import dev.ferry.vpn.sidecar.SidecarLab.Sidecar;
import dev.ferry.vpn.testing.netns.SaListing;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real simultaneous rekeys with strongSwan (RFC 7296 sections 2.8.1 and 2.8.2, issue 3): the
 * sidecar runs with a {@link CrossingRekeyTransport}, which holds back the first CREATE_CHILD_SA
 * request of whichever side is to ask first until the other side has sent its own, so both
 * requests cross on the wire every time, in both directions of who asked first. Afterwards both
 * sides must agree on exactly one ESTABLISHED IKE SA with one INSTALLED CHILD SA (the redundant
 * SA deleted by its creator, the old one by the survivor's initiator). Which new SA survives
 * depends on the random nonces, so the tests assert the invariant and print the winner. The
 * sidecar carries traffic throughout: a TCP transfer runs across the crossing CHILD rekeys and
 * must arrive intact (make-before-break on both sides of a collision), and pings cross the tunnel
 * both ways after the IKE SAs collided.
 */
class SidecarRekeyCollisionInteropIT extends SidecarInteropLifecycle {
  private static final String IKE = "aes128gcm16-prfsha256-ecp256";
  private static final String ESP = "aes128gcm16";
  private static final java.time.Duration TRANSFER_WAIT = java.time.Duration.ofSeconds(150);

  /**
   * Establishes the tunnel with a crossing sidecar, then makes both sides rekey at once (see
   * {@link #crossRekeys}); returns the agreement from before the rekeys.
   */
  private static Agreement establishAndCross(First first, String ourCommand,
      Runnable theirRekey) {
    lab.loadStrongSwan(IKE, ESP, SidecarLab.PSK);
    Sidecar sidecar = lab.startCrossingSidecar(
        lab.writeOurConfig(IKE, ESP, "start", SidecarLab.PSK), first);
    Agreement before = lab.awaitAgreement(sidecar, "the initial tunnel");
    crossRekeys(sidecar, first, ourCommand, theirRekey);
    return before;
  }

  /**
   * Lets both sides start a rekey so that the requests cross: the side {@code first} names asks
   * first, its request is held until the other side's is on the wire.
   */
  private static void crossRekeys(Sidecar sidecar, First first, String ourCommand,
      Runnable theirRekey) {
    if (first == First.US) {
      assertTrue(sidecar.command(ourCommand).startsWith("ok " + ourCommand));
      sidecar.process().awaitOutput("crossing: holding our", SidecarLab.WAIT);
      theirRekey.run();
    } else {
      // swanctl may wait for the rekey, which waits for us: run it alongside.
      CompletableFuture<Void> theirs = CompletableFuture.runAsync(theirRekey);
      sidecar.process().awaitOutput("crossing: holding the peer's", SidecarLab.WAIT);
      assertTrue(sidecar.command(ourCommand).startsWith("ok " + ourCommand));
      theirs.orTimeout(SidecarLab.WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }
    sidecar.process().awaitOutput("crossing: our CREATE_CHILD_SA request sent", SidecarLab.WAIT);
  }

  @ParameterizedTest
  @EnumSource(First.class)
  void crossingIkeRekeysLeaveOneIkeSaOnBothSides(First first) {
    Agreement before = establishAndCross(first, "rekey-ike",
        () -> lab.swan().rekeyIke(SidecarLab.CONN));
    Sidecar sidecar = lab.current();

    Agreement after = lab.awaitAgreement(sidecar, "one new IKE SA after the collision",
        a -> !a.ourIke().spiI().equals(before.ourIke().spiI()));
    lab.awaitBoth(sidecar, "exactly one IKE SA on both sides (redundant and old ones deleted)",
        s -> s.ike(SidecarLab.CONN).size() == 1, s -> s.ikeSas().size() == 1);
    Agreement settled = lab.awaitAgreement(sidecar, "the surviving IKE SA");
    assertEquals(after.ourIke().spiI(), settled.ourIke().spiI());
    // RFC 7296 section 2.8.2: the survivor inherits the CHILD SA unchanged.
    assertEquals(before.ourChild().spiIn(), settled.ourChild().spiIn());
    // The CHILD SA, now under the surviving IKE SA, still carries traffic both ways.
    LabTraffic traffic = new LabTraffic(lab.lab());
    traffic.assertPing(lab.lab().a(), hostA(), hostB(), lab.evidence(sidecar));
    traffic.assertPing(lab.lab().b(), hostB(), hostA(), lab.evidence(sidecar));
    report("IKE", first, "the SA initiated by " + (settled.ourIke().initiator() ? "us"
        : "strongSwan"));
  }

  @ParameterizedTest
  @EnumSource(First.class)
  void crossingChildRekeysLeaveOneChildSaOnBothSides(First first) {
    lab.loadStrongSwan(IKE, ESP, SidecarLab.PSK);
    Sidecar sidecar = lab.startCrossingSidecar(
        lab.writeOurConfig(IKE, ESP, "start", SidecarLab.PSK), first);
    Agreement before = lab.awaitAgreement(sidecar, "the initial tunnel");
    LabTraffic traffic = new LabTraffic(lab.lab());
    LabTraffic.Transfer transfer = traffic.start(lab.lab().a(), hostA(), lab.lab().b(), hostB(),
        hostB(), LabTraffic.TRANSFER_BYTES);
    crossRekeys(sidecar, first, "rekey-child", () -> lab.swan().rekeyChild(SidecarLab.CHILD));
    assertTrue(transfer.running(), "the transfer outlasted the crossing rekeys (else it proves "
        + "nothing): raise -Dferry.e2e.transferMiB");

    lab.awaitBoth(sidecar, "exactly one CHILD SA on both sides, none of them the old one",
        s -> installedChildren(s) == 1 && s.installedChild(SidecarLab.CHILD)
            .filter(c -> !c.spiIn().equalsIgnoreCase(before.theirChild().spiIn())).isPresent(),
        s -> s.childSas().size() == 1 && s.installedChild()
            .filter(c -> !c.spiIn().equals(before.ourChild().spiIn())).isPresent());
    Agreement settled = lab.awaitAgreement(sidecar, "the surviving CHILD SA");
    assertEquals(before.ourIke().spiI(), settled.ourIke().spiI(), "the IKE SA stays");
    assertNotEquals(before.ourChild().spiIn(), settled.ourChild().spiIn());
    traffic.awaitIntact(transfer, TRANSFER_WAIT, () -> lab.evidence(sidecar));
    report("CHILD", first, "CHILD SA in " + settled.ourChild().spiIn() + " out "
        + settled.ourChild().spiOut());
  }

  /** strongSwan detected the collision too; the winner (nonce luck) is only printed. */
  private static void report(String kind, First first, String survivor) {
    assertTrue(lab.swan().logContains("collision"),
        "strongSwan saw the collision too:\n" + lab.swan().logTail(40));
    System.out.printf("[rekey-collision] %s, %s asked first: %s survived%n", kind,
        first == First.US ? "we" : "strongSwan", survivor);
  }

  private static dev.ferry.vpn.core.net.IpAddress hostA() {
    return lab.lab().a().innerHost(dev.ferry.vpn.core.net.IpFamily.IPV4);
  }

  private static dev.ferry.vpn.core.net.IpAddress hostB() {
    return lab.lab().b().innerHost(dev.ferry.vpn.core.net.IpFamily.IPV4);
  }

  private static long installedChildren(SaListing listing) {
    return listing.ikeSas().stream()
        .mapToLong(ike -> ike.installedChildren(SidecarLab.CHILD).size()).sum();
  }
}
