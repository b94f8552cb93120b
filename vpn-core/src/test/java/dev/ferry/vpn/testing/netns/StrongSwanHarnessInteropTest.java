package dev.ferry.vpn.testing.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.net.IpFamily;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the lab with strongSwan on both sides (one charon per namespace, PSK,
 * {@code aes128gcm16-prfsha256-ecp256}/{@code aes128gcm16}): the tunnel comes up on both sides,
 * carries a ping between the inner subnets through kernel-libipsec's TUN device, CHILD and IKE
 * rekeys and deletes are agreed by both sides, and a wrong PSK fails the way strongSwan reports
 * it. The endpoint's own interop tests replace one of the two charons with Ferry.
 */
class StrongSwanHarnessInteropTest {
  private static final String CONN = "lab";
  private static final String CHILD = "net";
  private static final String IKE_PROPOSAL = "aes128gcm16-prfsha256-ecp256";
  private static final String ESP_PROPOSAL = "aes128gcm16";
  private static final Secret PSK = Secret.ofUtf8("harness-psk-shared-by-both-sides");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static NetnsLab lab;
  private static StrongSwanInstance left;
  private static StrongSwanInstance right;

  @BeforeAll
  static void startLab() {
    LabPreconditions.assumeStrongSwan();
    lab = NetnsLab.open();
    left = StrongSwanInstance.start(lab, lab.a());
    right = StrongSwanInstance.start(lab, lab.b());
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @AfterEach
  void deleteRemainingSas() {
    for (StrongSwanInstance side : new StrongSwanInstance[] {left, right}) {
      if (!side.listSas().ike(CONN).isEmpty()) {
        side.terminateIke(CONN);
      }
    }
    left.awaitSas("no SAs after the test", SaListing::isEmpty, WAIT);
    right.awaitSas("no SAs after the test", SaListing::isEmpty, WAIT);
  }

  @Test
  void tunnelIsUpOnBothSidesWithTheOfferedProposalOverUdp4500() {
    loadBoth(IpFamily.IPV4, PSK, PSK);
    left.initiate(CHILD);
    Agreed up = awaitAgreement("the initial tunnel");

    assertEquals("AES_GCM_16_128/PRF_HMAC_SHA2_256/ECP_256", up.leftIke.proposal());
    assertEquals("AES_GCM_16_128", up.leftChild.encryption());
    assertTrue(up.leftIke.initiator(), "left initiated");
    assertFalse(up.rightIke.initiator(), "right responded");
    // kernel-libipsec fakes NAT detection, so both float to 4500 and encapsulate ESP (RFC 3948).
    assertTrue(up.leftIke.natDetected() && up.rightIke.natDetected(), "NAT detected");
    assertEquals(4500, up.leftIke.localPort());
    assertEquals(4500, up.rightIke.remotePort());
    assertTrue(up.leftChild.udpEncapsulated() && up.rightChild.udpEncapsulated(), "ESP in UDP");
    assertEquals(List.of(lab.a().innerV4().toString()), up.leftChild.localTs());
    assertEquals(List.of(lab.b().innerV4().toString()), up.leftChild.remoteTs());
  }

  @Test
  void pingCrossesTheTunnelOnlyWhileItIsUp() {
    loadBoth(IpFamily.IPV4, PSK, PSK);
    assertFalse(pingInner(IpFamily.IPV4).succeeded(), "inner subnets unreachable without tunnel");

    left.initiate(CHILD);
    Agreed up = awaitAgreement("the tunnel");
    CommandResult ping = pingInner(IpFamily.IPV4);
    assertTrue(ping.succeeded(), ping.describeFailure());

    // The echo requests arrived through the ESP SA, not by plain routing.
    right.awaitSas("the echo requests counted on the inbound ESP SA",
        s -> s.installedChild(CHILD)
            .map(c -> c.spiIn().equals(up.rightChild.spiIn()) && c.packetsIn() >= 2)
            .orElse(false),
        WAIT);
  }

  @Test
  void childRekeyInitiatedByEitherSideIsAgreed() {
    loadBoth(IpFamily.IPV4, PSK, PSK);
    left.initiate(CHILD);
    Agreed first = awaitAgreement("the initial tunnel");

    left.rekeyChild(CHILD);
    Agreed second = awaitAgreement("the CHILD SA rekeyed by left",
        a -> !a.leftChild.spiIn().equals(first.leftChild.spiIn()));
    assertTrue(second.leftIke.sameSaAs(first.leftIke), "a CHILD rekey keeps the IKE SA");

    right.rekeyChild(CHILD);
    Agreed third = awaitAgreement("the CHILD SA rekeyed by right",
        a -> !a.leftChild.spiIn().equals(second.leftChild.spiIn()));
    assertNotEquals(first.leftChild.spiOut(), third.leftChild.spiOut());
    CommandResult ping = pingInner(IpFamily.IPV4);
    assertTrue(ping.succeeded(), "ping over the rekeyed SA: " + ping.describeFailure());
  }

  @Test
  void ikeRekeyInitiatedByEitherSideIsAgreed() {
    loadBoth(IpFamily.IPV4, PSK, PSK);
    left.initiate(CHILD);
    Agreed first = awaitAgreement("the initial tunnel");

    right.rekeyIke(CONN);
    Agreed second = awaitAgreement("the IKE SA rekeyed by right",
        a -> !a.leftIke.sameSaAs(first.leftIke));
    assertTrue(second.rightIke.initiator(), "the rekeying side initiated the new IKE SA");

    left.rekeyIke(CONN);
    Agreed third = awaitAgreement("the IKE SA rekeyed by left",
        a -> !a.leftIke.sameSaAs(second.leftIke));
    assertTrue(third.leftIke.initiator());
    // RFC 7296 section 2.18: CHILD SAs move to the new IKE SA unchanged.
    assertEquals(first.leftChild.spiIn(), third.leftChild.spiIn());
  }

  @Test
  void deleteIsAgreedByBothSides() {
    loadBoth(IpFamily.IPV4, PSK, PSK);
    right.initiate(CHILD);
    awaitAgreement("the tunnel initiated by right");

    right.terminateChild(CHILD);
    left.awaitSas("the CHILD SA gone, IKE SA kept",
        s -> s.installedChild(CHILD).isEmpty() && s.established(CONN).isPresent(), WAIT);
    right.awaitSas("the CHILD SA gone, IKE SA kept",
        s -> s.installedChild(CHILD).isEmpty() && s.established(CONN).isPresent(), WAIT);

    left.terminateIke(CONN);
    left.awaitSas("no SAs after delete", SaListing::isEmpty, WAIT);
    right.awaitSas("no SAs after the peer's delete", SaListing::isEmpty, WAIT);
  }

  @Test
  void ipv6OuterAndInnerAddressesCarryATunnel() {
    loadBoth(IpFamily.IPV6, PSK, PSK);
    left.initiate(CHILD);
    Agreed up = awaitAgreement("the IPv6 tunnel");
    assertEquals(lab.b().outerV6().toString(), up.leftIke.remoteHost());
    CommandResult ping = pingInner(IpFamily.IPV6);
    assertTrue(ping.succeeded(), ping.describeFailure());
  }

  @Test
  void wrongPskFailsAuthenticationWithMacMismatch() {
    loadBoth(IpFamily.IPV4, PSK, Secret.ofUtf8("a-different-key-on-the-responder"));
    CommandResult result = left.tryInitiate(CHILD);

    assertFalse(result.succeeded(), "initiation with a wrong PSK must fail");
    right.awaitLog("but MAC mismatched", WAIT);
    left.awaitLog("received AUTHENTICATION_FAILED notify error", WAIT);
    assertTrue(left.listSas().established(CONN).isEmpty());
    assertTrue(right.listSas().established(CONN).isEmpty());
  }

  private static void loadBoth(IpFamily family, Secret leftPsk, Secret rightPsk) {
    left.load(SwanctlConfig.of(connection(lab.a(), lab.b(), family, leftPsk)));
    right.load(SwanctlConfig.of(connection(lab.b(), lab.a(), family, rightPsk)));
  }

  private static SwanctlConnection connection(
      LabNamespace local, LabNamespace remote, IpFamily family, Secret psk) {
    SwanctlChild child = SwanctlChild.tunnel(
        CHILD, local.inner(family), remote.inner(family), ESP_PROPOSAL);
    return SwanctlConnection.psk(CONN, local.outer(family), remote.outer(family),
        local.side() + ".lab.example", remote.side() + ".lab.example", psk, IKE_PROPOSAL, child);
  }

  private static CommandResult pingInner(IpFamily family) {
    return lab.ping(lab.a(), lab.a().innerHost(family), lab.b().innerHost(family), 2);
  }

  /** Both sides' views of one IKE SA and its single installed CHILD SA. */
  private record Agreed(
      IkeSaStatus leftIke, ChildSaStatus leftChild, IkeSaStatus rightIke, ChildSaStatus rightChild) {}

  private static Agreed awaitAgreement(String what) {
    return awaitAgreement(what, a -> true);
  }

  /**
   * Waits until each side has exactly one ESTABLISHED IKE SA and one INSTALLED CHILD SA, the two
   * sides name the same IKE SPIs and mirrored ESP SPIs, and {@code extra} holds.
   */
  private static Agreed awaitAgreement(String what, Predicate<Agreed> extra) {
    return Await.until("both sides to agree on " + what, WAIT,
        () -> agreement(left.listSas(), right.listSas()).filter(extra),
        () -> "left: " + left.listSas() + "\nright: " + right.listSas()
            + "\n--- left charon log ---\n" + left.logTail(30)
            + "\n--- right charon log ---\n" + right.logTail(30));
  }

  private static Optional<Agreed> agreement(SaListing l, SaListing r) {
    if (l.established(CONN).isEmpty() || l.installedChild(CHILD).isEmpty()
        || r.established(CONN).isEmpty() || r.installedChild(CHILD).isEmpty()) {
      return Optional.empty();
    }
    Agreed a = new Agreed(l.established(CONN).get(), l.installedChild(CHILD).get(),
        r.established(CONN).get(), r.installedChild(CHILD).get());
    boolean consistent = a.leftIke.sameSaAs(a.rightIke) && a.leftChild.mirrors(a.rightChild);
    return consistent ? Optional.of(a) : Optional.empty();
  }
}
