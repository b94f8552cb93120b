package dev.ferry.vpn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.route.ClusterNetworks;
import dev.ferry.vpn.core.route.RoutePolicy;
import dev.ferry.vpn.core.route.RouteProtocol;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a loaded configuration turns into the NAT engine's and the route planner's inputs. */
class DerivedPoliciesTest {
  private static final Path SAMPLES = Path.of("../samples/configs");
  private final ChartConfigLoader loader = new ChartConfigLoader();

  private TunnelConfig load(String yaml) {
    ConfigLoadResult r = loader.load(yaml, "test.yaml");
    return assertInstanceOf(ConfigLoadResult.Valid.class, r, () -> r.problems().toString()).config();
  }

  private static List<IpPrefix> prefixes(String... text) {
    return java.util.Arrays.stream(text).map(IpPrefix::parse).toList();
  }

  private static final String BASE = String.join("\n",
      "local:", "  subnet: 172.30.0.0/16,172.21.0.0/16",
      "remote:", "  gateway: 198.51.100.7", "  subnet: 10.1.1.0/24,10.2.0.0/16",
      "preshared:", "  secret: an-example-secret-of-some-length", "");

  @Test
  void bidirectionalSampleRoutesTheMappedRemoteSubnetAndKeepsBothNatLists() {
    TunnelConfig c = loader.load(SAMPLES.resolve("bidirectional-nat.yaml")).orThrow();
    assertEquals(prefixes("192.168.1.0/24"), c.remoteSubnetsSeenByCluster());
    RoutePolicy policy = c.routePolicy();
    assertEquals(prefixes("192.168.1.0/24"), policy.remoteSubnets());
    assertEquals(prefixes("172.30.0.0/16"), policy.cluster().podNetworks());
    assertEquals(4, policy.cluster().reservedRanges().size());
    assertEquals(prefixes("10.0.0.0/8"), policy.privateNetworks());
    assertEquals(RouteProtocol.FERRY_DEFAULT, policy.owner());
    NatPolicy nat = c.natPolicy();
    assertEquals(List.of(NatRule.parse("10.0.1.0/27=192.168.2.0/27")), nat.localRules());
    assertEquals(List.of(NatRule.parse("10.0.1.0/24=192.168.1.0/24")), nat.remoteRules());
  }

  @Test
  void withoutAFerrySectionLocalSubnetStandsInForTheClusterNetworks() {
    TunnelConfig c = load(BASE);
    ClusterNetworks cluster = c.routePolicy().cluster();
    assertEquals(prefixes("172.30.0.0/16", "172.21.0.0/16"), cluster.podNetworks());
    assertTrue(cluster.serviceNetworks().isEmpty());
    assertEquals(prefixes("10.1.1.0/24", "10.2.0.0/16"), c.routePolicy().remoteSubnets());
    assertEquals(NatPolicy.NONE, c.natPolicy());
  }

  @Test
  void aRemoteRuleInsideAWiderSubnetReplacesOnlyItsPart() {
    TunnelConfig c = load(BASE + "remoteSubnetNAT: 10.2.3.0/24=100.64.3.0/24\n");
    List<IpPrefix> seen = c.remoteSubnetsSeenByCluster();
    assertTrue(seen.contains(IpPrefix.parse("100.64.3.0/24")), seen.toString());
    assertTrue(seen.contains(IpPrefix.parse("10.1.1.0/24")), seen.toString());
    assertTrue(seen.stream().noneMatch(p -> p.overlaps(IpPrefix.parse("10.2.3.0/24"))),
        seen.toString());
    assertTrue(seen.contains(IpPrefix.parse("10.2.0.0/23")) && seen.contains(IpPrefix.parse("10.2.128.0/17")),
        seen.toString());
  }

  @Test
  void singleSourceIpTranslatesTheKnownClusterNetworksToTheOneAddress() {
    TunnelConfig c = load(BASE.replace("172.30.0.0/16,172.21.0.0/16", "192.168.168.10/32")
        + "enableSingleSourceIP: true\n"
        + "ferry:\n  cluster:\n    podSubnets: [172.30.0.0/16]\n    serviceSubnets: [172.21.0.0/16]\n");
    NatPolicy nat = c.natPolicy();
    assertEquals(List.of(NatRule.parse("172.21.0.0/16=192.168.168.10/32"),
        NatRule.parse("172.30.0.0/16=192.168.168.10/32")), nat.localRules());
    assertEquals(nat.localRules(), nat.localManyToOne());
  }

  @Test
  void singleSourceIpWithoutKnownNetworksCoversPrivateSpaceExceptTheRemoteSide() {
    TunnelConfig c = load(BASE.replace("172.30.0.0/16,172.21.0.0/16", "192.168.168.10/32")
        + "enableSingleSourceIP: true\n");
    List<IpPrefix> originals = c.natPolicy().localRules().stream().map(NatRule::original).toList();
    IpPrefix external = IpPrefix.parse("192.168.168.10/32");
    for (IpPrefix remote : c.remote().subnets()) {
      assertTrue(originals.stream().noneMatch(o -> o.overlaps(remote)), remote + " in " + originals);
    }
    assertTrue(originals.stream().noneMatch(o -> o.overlaps(external)), originals.toString());
    assertTrue(originals.stream().anyMatch(o -> o.contains(IpPrefix.parse("172.30.0.0/16"))));
    assertTrue(originals.stream().anyMatch(o -> o.contains(IpPrefix.parse("10.0.0.0/16"))));
    assertFalse(originals.stream().anyMatch(IpPrefix::isHost));
  }
}
