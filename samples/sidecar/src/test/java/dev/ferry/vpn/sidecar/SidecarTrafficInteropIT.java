package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.sidecar.SidecarLab.Agreement;
import dev.ferry.vpn.sidecar.SidecarLab.Side;
import dev.ferry.vpn.sidecar.SidecarLab.Sidecar;
import dev.ferry.vpn.testing.netns.LabNamespace;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real traffic between host A behind the sidecar (namespace a, our TUN device routes B's subnet)
 * and host B behind strongSwan with kernel-libipsec (namespace b, its {@code ipsec0} TUN routes
 * A's subnet), both hosts being addresses on their namespace's loopback (issue 4, "End-to-end
 * tests"): pings both ways with either side initiating, TCP transfers both ways whose SHA-256
 * matches at both ends, CHILD rekeys by each side in the middle of a transfer, and overlapping
 * inner subnets made reachable by subnet NAT on our side.
 */
class SidecarTrafficInteropIT extends SidecarInteropLifecycle {
  private static final String IKE = "aes128gcm16-prfsha256-ecp256";
  private static final String ESP = "aes128gcm16";
  private static final Duration TRANSFER_WAIT = Duration.ofSeconds(150);

  private LabTraffic traffic;

  @BeforeEach
  void traffic() {
    traffic = new LabTraffic(lab.lab());
  }

  private static IpAddress hostA() {
    return lab.lab().a().innerHost(IpFamily.IPV4);
  }

  private static IpAddress hostB() {
    return lab.lab().b().innerHost(IpFamily.IPV4);
  }

  private Sidecar establish(String auto) {
    lab.loadStrongSwan(IKE, ESP, SidecarLab.PSK);
    Sidecar sidecar = lab.startSidecar(lab.writeOurConfig(IKE, ESP, auto, SidecarLab.PSK));
    if (auto.equals("add")) {
      lab.swan().initiate(SidecarLab.CHILD);
    }
    lab.awaitAgreement(sidecar, "the tunnel");
    return sidecar;
  }

  @ParameterizedTest(name = "auto={0}")
  @ValueSource(strings = {"start", "add"})
  void pingCrossesTheTunnelBothWays(String auto) {
    Sidecar sidecar = establish(auto);
    LabNamespace a = lab.lab().a();
    LabNamespace b = lab.lab().b();
    traffic.assertPing(a, hostA(), hostB(), lab.evidence(sidecar));
    traffic.assertPing(b, hostB(), hostA(), lab.evidence(sidecar));
    SidecarStatus status = sidecar.status();
    assertTrue(status.dataPlaneCount("sent") >= 6 && status.dataPlaneCount("delivered") >= 6,
        "our data plane carried both pings: " + sidecar.lastStatus());
  }

  @Test
  void tcpTransfersBothWaysArriveIntact() {
    Sidecar sidecar = establish("start");
    LabNamespace a = lab.lab().a();
    LabNamespace b = lab.lab().b();
    LabTraffic.Transfer toB = traffic.start(a, hostA(), b, hostB(), hostB(),
        LabTraffic.TRANSFER_BYTES);
    LabTraffic.Transfer toA = traffic.start(b, hostB(), a, hostA(), hostA(),
        LabTraffic.TRANSFER_BYTES);
    traffic.awaitIntact(toB, TRANSFER_WAIT, () -> lab.evidence(sidecar));
    traffic.awaitIntact(toA, TRANSFER_WAIT, () -> lab.evidence(sidecar));
  }

  @Test
  void childRekeysByEitherSideInTheMiddleOfATransferKeepTheConnection() {
    Sidecar sidecar = establish("start");
    Agreement first = lab.awaitAgreement(sidecar, "the initial tunnel");
    LabTraffic.Transfer transfer = traffic.start(lab.lab().a(), hostA(), lab.lab().b(), hostB(),
        hostB(), LabTraffic.TRANSFER_BYTES);

    sidecar.command("rekey-child");
    Agreement second = lab.awaitAgreement(sidecar, "the CHILD SA rekeyed by the sidecar",
        x -> !x.ourChild().spiIn().equals(first.ourChild().spiIn()));
    assertTrue(transfer.running(), "the transfer outlasted the first rekey (else it proves "
        + "nothing): lower the rekey latency or raise -Dferry.e2e.transferMiB");

    lab.swan().rekeyChild(SidecarLab.CHILD);
    lab.awaitAgreement(sidecar, "the CHILD SA rekeyed by strongSwan",
        x -> !x.ourChild().spiIn().equals(second.ourChild().spiIn()));
    assertTrue(transfer.running(), "the transfer outlasted the second rekey");

    traffic.awaitIntact(transfer, TRANSFER_WAIT, () -> lab.evidence(sidecar));
  }

  /**
   * The seeds' overlapping-subnet case: both sites use 10.0.1.0/24 and host 10.0.1.1 exists on
   * both. Only our side translates (strongSwan has no subnet NAT): {@code localSubnetNAT
   * 10.0.1.0/24=10.11.1.0/24} makes our site appear to strongSwan as 10.11.1.0/24 (the traffic
   * selectors are 10.11.1.0/24 === 10.0.1.0/24), and {@code remoteSubnetNAT
   * 10.0.1.0/24=10.12.1.0/24} makes the remote site appear to us as 10.12.1.0/24 (our TUN routes
   * that). A reaches B at 10.12.1.1, B reaches A at 10.11.1.1.
   */
  @Test
  void overlappingSubnetsReachEachOtherThroughMappedRanges() {
    IpPrefix shared = IpPrefix.parse("10.0.1.0/24");
    IpPrefix ourMapped = IpPrefix.parse("10.11.1.0/24");
    IpPrefix theirMapped = IpPrefix.parse("10.12.1.0/24");
    IpAddress host = shared.address(1);
    LabNamespace a = lab.lab().a();
    LabNamespace b = lab.lab().b();
    for (LabNamespace ns : List.of(a, b)) {
      lab.lab().execChecked(ns, Duration.ofSeconds(5), "ip", "addr", "replace", host + "/32",
          "dev", "lo");
    }
    try {
      lab.loadStrongSwan(IKE, ESP, SidecarLab.PSK, shared, ourMapped);
      Sidecar sidecar = lab.startSidecar(lab.writeConfig(
          new Side(a, SidecarLab.OUR_ID, ourMapped), new Side(b, SidecarLab.THEIR_ID, shared),
          IKE, ESP, "start", SidecarLab.PSK, String.join("\n",
              "localSubnetNAT: |-",
              "  " + shared + "=" + ourMapped,
              "remoteSubnetNAT: |-",
              "  " + shared + "=" + theirMapped)));
      lab.awaitAgreement(sidecar, "the tunnel between the overlapping sites");

      traffic.assertPing(a, host, theirMapped.address(1), lab.evidence(sidecar));
      traffic.assertPing(b, host, ourMapped.address(1), lab.evidence(sidecar));
      long bytes = Math.min(LabTraffic.TRANSFER_BYTES, 8L * 1024 * 1024);
      LabTraffic.Transfer toB = traffic.start(a, host, b, host, theirMapped.address(1), bytes);
      traffic.awaitIntact(toB, TRANSFER_WAIT, () -> lab.evidence(sidecar));
      LabTraffic.Transfer toA = traffic.start(b, host, a, host, ourMapped.address(1), bytes);
      traffic.awaitIntact(toA, TRANSFER_WAIT, () -> lab.evidence(sidecar));
    } finally {
      lab.stopSidecar();
      for (LabNamespace ns : List.of(a, b)) {
        lab.lab().exec(ns, Duration.ofSeconds(5), "ip", "addr", "del", host + "/32", "dev", "lo");
      }
    }
  }
}
