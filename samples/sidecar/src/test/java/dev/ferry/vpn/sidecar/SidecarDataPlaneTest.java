package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.proposal.Protocol;
import dev.ferry.vpn.core.proposal.ProposalList;
import org.junit.jupiter.api.Test;

/** The TUN MTU the sidecar derives from its ESP proposals (the smallest over every suite). */
class SidecarDataPlaneTest {

  private static int mtu(String esp, IpFamily outer) {
    return SidecarDataPlane.tunMtu(1500, outer, ProposalList.parse(esp, Protocol.ESP));
  }

  @Test
  void oneAeadSuiteGivesItsOwnMtu() {
    // TunnelMtu's table: AES-GCM-16 over IPv4 1438, over IPv6 20 octets less.
    assertEquals(1438, mtu("aes128gcm16", IpFamily.IPV4));
    assertEquals(1418, mtu("aes128gcm16", IpFamily.IPV6));
  }

  @Test
  void theSmallestSuiteOfAllProposalsWins() {
    // AES-CBC with HMAC-SHA2-256-128 leaves 1422, HMAC-SHA2-512-256 1406.
    assertEquals(1422, mtu("aes128gcm16,aes256-sha256", IpFamily.IPV4));
    assertEquals(1406, mtu("aes256-sha256-sha512", IpFamily.IPV4));
  }

  @Test
  void chartDefaultProposalsAreLimitedByAesCbcWithSha1() {
    // aes128-sha1: 1500 - 28 - 8 - 16 (IV) - 12 (ICV) = 1436, to the 16-octet block 1424, minus
    // pad length and next header 1422; 3des-sha1 leaves 1438 (8-octet block).
    assertEquals(1422, mtu(ProposalList.CHART_DEFAULT_ESP, IpFamily.IPV4));
  }
}
