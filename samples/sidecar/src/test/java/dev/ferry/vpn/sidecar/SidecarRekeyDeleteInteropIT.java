package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.sidecar.SidecarLab.Agreement;
import dev.ferry.vpn.sidecar.SidecarLab.Sidecar;
import dev.ferry.vpn.testing.netns.SaListing;
import org.junit.jupiter.api.Test;

/**
 * CHILD and IKE rekeys initiated by each side, and deletes in both directions, between the
 * sidecar and strongSwan (issue 3): after each step both sides name the same new SPIs, and the old
 * ones are gone from both. The sidecar is driven through its operator console, strongSwan through
 * swanctl. CHILD rekeys use {@code aes256-sha256-modp2048}/{@code aes256-sha256-modp2048}, so they
 * run a fresh key exchange (PFS, RFC 7296 section 1.3.3) too.
 */
class SidecarRekeyDeleteInteropIT extends SidecarInteropLifecycle {
  private static final String IKE = "aes128gcm16-prfsha256-ecp256";
  private static final String ESP = "aes128gcm16";

  private Sidecar establish(String ike, String esp) {
    lab.loadStrongSwan(ike, esp, SidecarLab.PSK);
    return lab.startSidecar(lab.writeOurConfig(ike, esp, "start", SidecarLab.PSK));
  }

  @Test
  void childRekeyInitiatedByEitherSideIsAgreed() {
    String ike = "aes256-sha256-modp2048";
    String esp = "aes256-sha256-modp2048";
    Sidecar sidecar = establish(ike, esp);
    Agreement first = lab.awaitAgreement(sidecar, "the initial tunnel");

    String answer = sidecar.command("rekey-child");
    assertEquals("ok rekey-child " + first.ourChild().spiIn(), answer);
    Agreement second = lab.awaitAgreement(sidecar, "the CHILD SA rekeyed by the sidecar",
        a -> !a.ourChild().spiIn().equals(first.ourChild().spiIn()));
    assertTrue(second.ourIke().spiI().equals(first.ourIke().spiI()), "a CHILD rekey keeps the IKE SA");
    assertOldChildGone(second, first);

    lab.swan().rekeyChild(SidecarLab.CHILD);
    Agreement third = lab.awaitAgreement(sidecar, "the CHILD SA rekeyed by strongSwan",
        a -> !a.ourChild().spiIn().equals(second.ourChild().spiIn()));
    assertOldChildGone(third, second);
    assertNotEquals(first.ourChild().spiOut(), third.ourChild().spiOut());
  }

  @Test
  void ikeRekeyInitiatedByTheSidecarIsAgreed() {
    Sidecar sidecar = establish(IKE, ESP);
    Agreement first = lab.awaitAgreement(sidecar, "the initial tunnel");

    String answer = sidecar.command("rekey-ike");
    assertTrue(answer.startsWith("ok rekey-ike "), answer);
    Agreement second = lab.awaitAgreement(sidecar, "the IKE SA rekeyed by the sidecar",
        a -> !a.ourIke().spiI().equals(first.ourIke().spiI()));
    assertTrue(!second.theirIke().initiator() && second.ourIke().initiator(),
        "the rekeying side initiated the new IKE SA");
    awaitOldIkeSaGone(first);
    // RFC 7296 section 2.18: the CHILD SAs move to the new IKE SA unchanged.
    assertEquals(first.ourChild().spiIn(), second.ourChild().spiIn());
  }

  @Test
  void ikeRekeyInitiatedByStrongSwanIsAgreed() {
    Sidecar sidecar = establish(IKE, ESP);
    Agreement first = lab.awaitAgreement(sidecar, "the initial tunnel");

    lab.swan().rekeyIke(SidecarLab.CONN);
    Agreement second = lab.awaitAgreement(sidecar, "the IKE SA rekeyed by strongSwan",
        a -> !a.ourIke().spiI().equals(first.ourIke().spiI()));
    assertTrue(second.theirIke().initiator(), "strongSwan initiated the new IKE SA");
    awaitOldIkeSaGone(first);
    assertEquals(first.ourChild().spiIn(), second.ourChild().spiIn());
  }

  @Test
  void deletesByTheSidecarAreAgreed() {
    Sidecar sidecar = establish(IKE, ESP);
    Agreement up = lab.awaitAgreement(sidecar, "the tunnel");

    assertEquals("ok delete-child " + up.ourChild().spiIn(), sidecar.command("delete-child"));
    lab.awaitBoth(sidecar, "the CHILD SA gone on both sides, the IKE SA kept",
        s -> s.installedChild(SidecarLab.CHILD).isEmpty()
            && s.established(SidecarLab.CONN).isPresent(),
        s -> s.childSas().isEmpty() && s.established().isPresent());

    assertTrue(sidecar.command("delete-ike").startsWith("ok delete-ike "));
    lab.awaitBoth(sidecar, "no SAs on either side", SaListing::isEmpty, SidecarStatus::isEmpty);
    assertTrue(lab.swan().logContains("received DELETE for IKE_SA"), lab.swan().logTail(20));
  }

  @Test
  void deletesByStrongSwanAreAgreed() {
    Sidecar sidecar = establish(IKE, ESP);
    lab.awaitAgreement(sidecar, "the tunnel");

    lab.swan().terminateChild(SidecarLab.CHILD);
    lab.awaitBoth(sidecar, "the CHILD SA gone on both sides, the IKE SA kept",
        s -> s.installedChild(SidecarLab.CHILD).isEmpty()
            && s.established(SidecarLab.CONN).isPresent(),
        s -> s.childSas().isEmpty() && s.established().isPresent());

    lab.swan().terminateIke(SidecarLab.CONN);
    lab.awaitBoth(sidecar, "no SAs on either side", SaListing::isEmpty, SidecarStatus::isEmpty);
  }

  /** Neither side lists the replaced IKE SA any more, in any state (it was deleted). */
  private static void awaitOldIkeSaGone(Agreement before) {
    lab.awaitBoth(lab.current(), "the old IKE SA deleted on both sides",
        s -> s.ike(SidecarLab.CONN).stream().noneMatch(before.ourIke()::sameSaAs),
        s -> s.ikeSas().stream().noneMatch(ike -> ike.spiI().equals(before.ourIke().spiI())));
  }

  /** Neither side still lists the CHILD SA that {@code after} replaced. */
  private static void assertOldChildGone(Agreement after, Agreement before) {
    SaListing theirs = lab.swan().listSas();
    assertTrue(theirs.ikeSas().stream().flatMap(s -> s.installedChildren(SidecarLab.CHILD).stream())
        .noneMatch(c -> c.spiIn().equalsIgnoreCase(before.theirChild().spiIn())),
        "strongSwan still has the old CHILD SA installed: " + theirs);
    assertNotEquals(before.ourChild().spiIn(), after.ourChild().spiIn());
  }
}
