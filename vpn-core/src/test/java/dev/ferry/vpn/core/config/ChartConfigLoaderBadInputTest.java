package dev.ferry.vpn.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each bad input (over a valid base) must be refused, naming exactly the listed key paths. */
class ChartConfigLoaderBadInputTest {

  private static Arguments row(String overrides, String expectedErrorPaths) {
    return Arguments.of(List.of(overrides.split(" ; ")),
        new TreeSet<>(List.of(expectedErrorPaths.split(","))));
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        row("ipsec.keyexchange=ikev1", "ipsec.keyexchange"),
        row("ipsec.keyexchange=ike", "ipsec.keyexchange"),
        row("ipsec.keyexchange=ikev3", "ipsec.keyexchange"),
        row("ipsec.esp=aes128-md5", "ipsec.esp"),
        row("ipsec.ike=aes128-sha1", "ipsec.ike"),
        row("ipsec.ike=aes128gcm16-ecp256", "ipsec.ike"),
        row("ipsec.auto=begin", "ipsec.auto"),
        row("ipsec.auto=[start]", "ipsec.auto"),
        row("ipsec.auto={mode: start}", "ipsec.auto"),
        row("ipsec.closeaction=sometimes", "ipsec.closeaction"),
        row("ipsec.dpdaction=reboot", "ipsec.dpdaction"),
        row("ipsec.ikelifetime=3w", "ipsec.ikelifetime"),
        row("ipsec.lifetime=0", "ipsec.lifetime"),
        row("ipsec.margintime=2h", "ipsec.margintime"),
        row("ipsec.keyingtries=-1", "ipsec.keyingtries"),
        row("local.subnet=<remove>", "local.subnet"),
        row("local.subnet=172.30.0.0/16,10.1.2.3/8", "local.subnet[1]"),
        row("local.subnet=172.30.0.0/16,172.21.0.0/33", "local.subnet[1]"),
        row("local.id=C=CH, O", "local.id"),
        row("remote.gateway=\"%any\"", "remote.gateway"),
        row("remote.gateway=300.1.1.1", "remote.gateway"),
        row("remote.gateway=gw_1.example", "remote.gateway"),
        row("remote.subnet=<remove>", "remote.subnet"),
        row("remote.subnet=172.30.5.0/24", "remote.subnet[0]"),
        row("remote.subnet=2001:db8::/64", "remote.subnet"),
        row("remote.id=\"%nodePublicIP\"", "remote.id"),
        row("remote.privateIPtoPing=192.168.0.300", "remote.privateIPtoPing"),
        row("preshared.secret=\"\"", "preshared.secret"),
        row("preshared.secret=<remove>", "preshared.secret"),
        row("localSubnetNAT=|-\n10.1.0.0/24=10.2.0.0/24\n10.1.1.0/24=10.3.0.0/25\nnonsense",
            "localSubnetNAT[1],localSubnetNAT[2]"),
        row("localSubnetNAT=10.1.0.0/24=10.2.0.0/24,10.1.0.0/25=10.4.0.0/25",
            "localSubnetNAT[1]"),
        row("localSubnetNAT=172.30.0.0/24=192.168.0.0/24", "localSubnetNAT[0]"),
        row("remoteSubnetNAT=10.9.0.0/24=172.20.1.0/24", "remoteSubnetNAT[0]"),
        row("enableSingleSourceIP=true", "local.subnet"),
        row("enableSingleSourceIP=yes ; local.subnet=192.168.168.10/32 ; "
            + "localSubnetNAT=172.30.0.0/16=10.10.0.0/16 ; enablePodSNAT=\"false\"",
            "localSubnetNAT,enablePodSNAT"),
        row("enableSingleSourceIP=maybe", "enableSingleSourceIP"),
        row("enablePodSNAT=sometimes", "enablePodSNAT"),
        row("localNonClusterSubnet=10.200.0.0/24", "localNonClusterSubnet[0]"),
        row("local.subnet=\"%zoneSubnet\" ; local.zoneSubnet=|-\ndal10\ndal12=192.168.1.300/32",
            "local.zoneSubnet[0],local.zoneSubnet[1]"),
        row("local.subnet=\"%zoneSubnet\" ; local.zoneSubnet=dal10=192.168.1.1/32 ; "
            + "ferry.cluster.zone=dal13", "ferry.cluster.zone"),
        row("overRideIpsecConf=|-\nconn k8s\n  left=%any", "overRideIpsecConf"),
        row("monitoring.timeout=5s", "monitoring.timeout"),
        row("monitoring.privateIPs=10.0.0.1,10.0.0", "monitoring.privateIPs[1]"),
        row("monitoring.httpEndpoints=ftp://files.example", "monitoring.httpEndpoints[0]"),
        row("monitoring.slackWebhook=http://hooks.example/T0/B0/x", "monitoring.slackWebhook"),
        row("ferry.tunnel.device=eth0/1", "ferry.tunnel.device"),
        row("ferry.tunnel.device=abcdefghijklmnop", "ferry.tunnel.device"),
        row("ferry.tunnel.mtu=9001", "ferry.tunnel.mtu"),
        row("ferry.tunnel.mtu=1000 ; local.subnet=fd00::/64 ; remote.subnet=fd01::/64",
            "ferry.tunnel.mtu"),
        row("ferry.ike.natTraversalPort=500", "ferry.ike.natTraversalPort"),
        row("ferry.ike.port=0", "ferry.ike.port"),
        row("ferry.esp.replayWindow=16", "ferry.esp.replayWindow"),
        row("ferry.cluster.podSubnets=[172.30.0.0/16, banana]", "ferry.cluster.podSubnets[1]"),
        row("ferry.routes.table=mainx", "ferry.routes.table"),
        row("ferry.routes.protocol=256", "ferry.routes.protocol"),
        row("ferry.routes.privateNetwork=10.0.0.1/8", "ferry.routes.privateNetwork"),
        row("ferry.nat.portRange=70000-80000", "ferry.nat.portRange"),
        row("ferry.nat.tableSize=lots", "ferry.nat.tableSize"),
        // the secret must be scrubbed even from another key's message
        row("remote.id=" + TestYaml.SECRET + " x", "remote.id"));
  }

  @ParameterizedTest
  @MethodSource("badInputs")
  void refusedWithExactKeyPaths(List<String> overrides, Set<String> expected) {
    String yaml = TestYaml.with(overrides);
    ConfigLoadResult result = new ChartConfigLoader().load(yaml, "test.yaml");
    ConfigLoadResult.Invalid invalid = assertInstanceOf(ConfigLoadResult.Invalid.class, result,
        () -> "expected errors at " + expected + " for\n" + yaml);
    Set<String> paths = invalid.errors().stream().map(ConfigProblem::keyPath)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, paths, () -> invalid.errors() + "\n" + yaml);
    for (ConfigProblem p : invalid.problems()) {
      assertFalse(p.toString().contains(TestYaml.SECRET), p.toString());
    }
    String thrown = assertThrowsConfig(result);
    assertFalse(thrown.contains(TestYaml.SECRET));
  }

  private static String assertThrowsConfig(ConfigLoadResult result) {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        ConfigException.class, result::orThrow);
    assertFalse(e.errors().isEmpty());
    return e.getMessage();
  }
}
