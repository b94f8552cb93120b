package dev.ferry.vpn.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.config.ChartConfigLoader;
import dev.ferry.vpn.core.config.Identity;
import dev.ferry.vpn.core.config.PeerAction;
import dev.ferry.vpn.core.config.StartAction;
import dev.ferry.vpn.core.config.TunnelConfig;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.TrafficSelector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IkePeerConfigTest {
  private static final String YAML = String.join("\n",
      "ipsec:", "  auto: start", "  ike: aes128gcm16-prfsha256-ecp256", "  esp: aes128gcm16",
      "  lifetime: 30m", "  margintime: 5m", "  dpdaction: hold",
      "local:", "  subnet: 172.30.0.0/16,fd00:30::/64", "  id: '%nodePublicIP'",
      "remote:", "  gateway: 198.51.100.7", "  subnet: 10.1.1.0/24,fd00:10::/64",
      "  id: vpn.example.com",
      "preshared:", "  secret: an-example-secret-of-some-length", "");

  @Test
  void fromTunnelConfig_mapsChartKeysAndResolvesThePlaceholderIdentity() {
    TunnelConfig tunnel = new ChartConfigLoader().load(YAML, "test.yaml").orThrow();
    IkePeerConfig peer = IkePeerConfig.fromTunnelConfig(tunnel, IpAddress.parse("192.0.2.10"));

    assertEquals(new Identity(Identity.Kind.IPV4_ADDR, "192.0.2.10"), peer.localIdentity());
    assertEquals(Identity.parse("vpn.example.com"), peer.remoteIdentity());
    assertEquals(StartAction.START, peer.startAction());
    assertEquals(PeerAction.HOLD, peer.dpdAction());
    assertEquals(Duration.ofMinutes(30), peer.childLifetime());
    assertEquals(Duration.ofMinutes(5), peer.marginTime());
    assertEquals("aes128gcm16-prfsha256-ecp256", peer.ikeProposals().toString());
    assertEquals(List.of(TrafficSelector.of(IpPrefix.parse("172.30.0.0/16")),
        TrafficSelector.of(IpPrefix.parse("fd00:30::/64"))), peer.localTrafficSelectors());
    assertEquals(2, peer.remoteTrafficSelectors().size());
    assertTrue(peer.presharedKey().matchesUtf8("an-example-secret-of-some-length"));
    assertFalse(peer.toString().contains("an-example-secret"), peer.toString());
  }

  @Test
  void checkNamesTheBrokenField() {
    TunnelConfig tunnel = new ChartConfigLoader().load(YAML, "test.yaml").orThrow();
    IkePeerConfig peer = IkePeerConfig.fromTunnelConfig(tunnel, IpAddress.parse("192.0.2.10"));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ImmutableIkePeerConfig.copyOf(peer).withFragmentSize(100));
    assertTrue(e.getMessage().contains("fragmentSize"), e.getMessage());
    e = assertThrows(IllegalStateException.class,
        () -> ImmutableIkePeerConfig.copyOf(peer).withLocalIdentity(Identity.ANY));
    assertTrue(e.getMessage().contains("localIdentity"), e.getMessage());
  }

  @Test
  void retransmissionPolicy_strongSwanDefaultGivesUpAfter165Seconds() {
    RetransmissionPolicy p = RetransmissionPolicy.STRONGSWAN;
    assertEquals(Duration.ofSeconds(4), p.timeout(0));
    assertEquals(Duration.ofMillis(7200), p.timeout(1));
    assertEquals(Duration.ofMillis(75583), p.timeout(5));
    assertEquals(165, p.giveUpAfter().toSeconds());
    assertThrows(IllegalArgumentException.class, () -> p.timeout(6));
  }
}
