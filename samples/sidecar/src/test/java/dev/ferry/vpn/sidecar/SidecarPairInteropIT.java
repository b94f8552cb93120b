package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.sidecar.SidecarLab.Side;
import dev.ferry.vpn.sidecar.SidecarLab.Sidecar;
import dev.ferry.vpn.testing.netns.Await;
import dev.ferry.vpn.testing.netns.LabNamespace;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our endpoint against itself, a sidecar in each namespace (the pair the end-to-end benchmark
 * measures): with no NAT between them, each forces UDP encapsulation (as strongSwan's {@code
 * encap=yes}), both float to 4500, and pings both ways and TCP transfers both ways (SHA-256 equal
 * at both ends) cross the two userspace data planes.
 */
class SidecarPairInteropIT {
  private static final String IKE = "aes128gcm16-prfsha256-ecp256";
  private static final String ESP = "aes128gcm16";
  private static SidecarLab lab;

  @BeforeAll
  static void openLab() {
    lab = SidecarLab.openWithoutStrongSwan();
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
      lab = null;
    }
  }

  @Test
  void pingsAndTransfersCrossAPairOfSidecars() {
    LabNamespace a = lab.lab().a();
    LabNamespace b = lab.lab().b();
    Side sideA = new Side(a, SidecarLab.OUR_ID, a.inner(IpFamily.IPV4));
    Side sideB = new Side(b, SidecarLab.THEIR_ID, b.inner(IpFamily.IPV4));
    Sidecar responder = lab.startSidecar(b,
        lab.writeConfig(sideB, sideA, IKE, ESP, "add", SidecarLab.PSK, ""));
    Sidecar initiator = lab.startSidecar(a,
        lab.writeConfig(sideA, sideB, IKE, ESP, "start", SidecarLab.PSK, ""));
    SidecarStatus up = Await.until("both sidecars to install a CHILD SA", SidecarLab.WAIT, () -> {
      SidecarStatus ours = initiator.status();
      SidecarStatus theirs = responder.status();
      return ours.installedChild().isPresent() && theirs.installedChild().isPresent()
          && ours.installedChild().get().spiIn().equals(theirs.installedChild().get().spiOut())
          ? Optional.of(ours) : Optional.empty();
    }, () -> evidence(initiator, responder));
    assertTrue(up.installedChild().get().encapsulated(), "ESP in UDP: " + initiator.lastStatus());
    assertEquals("ESTABLISHED", up.established().orElseThrow().state());

    IpAddress hostA = a.innerHost(IpFamily.IPV4);
    IpAddress hostB = b.innerHost(IpFamily.IPV4);
    LabTraffic traffic = new LabTraffic(lab.lab());
    traffic.assertPing(a, hostA, hostB, evidence(initiator, responder));
    traffic.assertPing(b, hostB, hostA, evidence(initiator, responder));
    LabTraffic.Transfer toB = traffic.start(a, hostA, b, hostB, hostB, LabTraffic.TRANSFER_BYTES);
    LabTraffic.Transfer toA = traffic.start(b, hostB, a, hostA, hostA, LabTraffic.TRANSFER_BYTES);
    Duration wait = Duration.ofSeconds(150);
    traffic.awaitIntact(toB, wait, () -> evidence(initiator, responder));
    traffic.awaitIntact(toA, wait, () -> evidence(initiator, responder));
    lab.stopSidecar();
  }

  private static String evidence(Sidecar initiator, Sidecar responder) {
    return "--- initiator (a) ---\n" + initiator.tail(30) + "\n--- responder (b) ---\n"
        + responder.tail(30);
  }
}
