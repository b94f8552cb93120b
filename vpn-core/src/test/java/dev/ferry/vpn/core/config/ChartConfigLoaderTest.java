package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.crypto.Secret;

import dev.ferry.vpn.core.nat.PortRange;
import dev.ferry.vpn.core.route.RouteProtocol;
import dev.ferry.vpn.core.route.RouteTableId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.proposal.KeyExchangeMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChartConfigLoaderTest {
  private static final Path SAMPLES = Path.of("../samples/configs");
  private final ChartConfigLoader loader = new ChartConfigLoader();

  private TunnelConfig valid(String yaml) {
    ConfigLoadResult r = loader.load(yaml, "test.yaml");
    return assertInstanceOf(ConfigLoadResult.Valid.class, r, () -> r.problems().toString()).config();
  }

  private ConfigLoadResult.Invalid invalid(String yaml) {
    ConfigLoadResult r = loader.load(yaml, "test.yaml");
    return assertInstanceOf(ConfigLoadResult.Invalid.class, r);
  }

  @Test
  void chartDefaultsSampleLoadsWithLegacyAndPlaceholderWarnings() {
    TunnelConfig c = loader.load(SAMPLES.resolve("ibm-chart-defaults.yaml")).orThrow();
    assertEquals("valid: ikev2 auto=add remote 203.0.113.10 local 172.30.0.0/16,172.21.0.0/16"
        + " <-> remote 192.168.0.0/24; ike aes128-sha1-modp2048,3des-sha1-modp1536;"
        + " esp aes128-sha1,3des-sha1; 0 localSubnetNAT, 0 remoteSubnetNAT; 3 warnings",
        c.summary());
    assertEquals(List.of("ipsec.esp", "ipsec.ike", "preshared.secret"),
        c.warningsOnly().stream().map(ConfigProblem::keyPath).sorted().toList());
    assertEquals(PeerAction.NONE, c.ike().closeAction(), "closeaction=auto with auto=add");
    assertEquals(PeerAction.RESTART, c.ike().dpdAction());
    assertEquals(Duration.ofHours(3), c.ike().ikeLifetime());
    assertEquals(Duration.ofMinutes(9), c.ike().marginTime());
    assertTrue(c.ike().keyingTries().isForever());
    assertEquals(Identity.Kind.FQDN, c.local().identity().kind());
    assertEquals("ibm-cloud", c.local().identity().value());
    assertEquals(PodSnat.AUTO, c.nat().podSnat());
    assertEquals(Map.of(), c.placement().get("nodeSelector"));
    assertEquals(true, c.placement().get("enableRBAC"));
    assertTrue(c.warnings().stream().noneMatch(p -> p.severity() == ConfigProblem.Severity.NOTE),
        "chart defaults deserve no placement notes: " + c.warnings());
    assertEquals(FerrySettings.DEFAULT_DEVICE, c.ferry().tunnelDevice());
  }

  @Test
  void bidirectionalNatSampleGivesTheExpectedModel() {
    TunnelConfig c = loader.load(SAMPLES.resolve("bidirectional-nat.yaml")).orThrow();
    assertEquals(StartAction.START, c.ike().startAction());
    assertEquals(PeerAction.RESTART, c.ike().closeAction(), "closeaction=auto with auto=start");
    assertEquals(new RemoteGateway.Address(IpAddress.parse("198.51.100.7")), c.remote().gateway());
    assertEquals(List.of(IpPrefix.parse("192.168.2.0/27")), c.local().subnets());
    assertEquals(List.of(IpPrefix.parse("10.0.1.0/24")), c.remote().subnets());
    assertEquals(List.of(NatRule.parse("10.0.1.0/27=192.168.2.0/27")), c.nat().localSubnetNat());
    assertEquals(List.of(NatRule.parse("10.0.1.0/24=192.168.1.0/24")), c.nat().remoteSubnetNat());
    assertEquals(Identity.Kind.LOAD_BALANCER_IP, c.local().identity().kind());
    assertEquals(new Identity(Identity.Kind.DER_ASN1_DN, "C=US, O=Example Corp, CN=onprem-gw"),
        c.remote().identity());
    assertEquals(Optional.of(IpAddress.parse("10.0.1.10")), c.remote().privateIpToPing());
    assertTrue(c.ike().espProposals().proposals().get(0).hasPfs());
    assertEquals(KeyExchangeMethod.ECP_384,
        c.ike().ikeProposals().proposals().get(0).keyExchange().get(0).algorithm());
    assertEquals(List.of(IpPrefix.parse("172.30.0.0/16")), c.ferry().cluster().podNetworks());
    assertEquals(4, c.ferry().cluster().reservedRanges().size());
    assertEquals(Optional.of("dal10"), c.ferry().zone());
    assertEquals(RouteProtocol.FERRY_DEFAULT, c.ferry().routes().protocol());
    assertEquals(new PortRange(1024, 65535), c.ferry().natPortRange());
    assertEquals(List.of(), c.warningsOnly());
    assertTrue(c.summary().endsWith("1 localSubnetNAT, 1 remoteSubnetNAT; 0 warnings"), c.summary());
  }

  @Test
  void invalidSampleReportsEveryProblemAtOnce() {
    ConfigLoadResult r = loader.load(SAMPLES.resolve("invalid-example.yaml"));
    ConfigLoadResult.Invalid bad = assertInstanceOf(ConfigLoadResult.Invalid.class, r);
    Set<String> paths = bad.errors().stream().map(ConfigProblem::keyPath)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("ipsec.keyexchange", "ipsec.esp", "ipsec.auto",
        "ipsec.margintime", "local.subnet[1]", "preshared.secret", "localSubnetNAT[1]",
        "ferry.tunnel.device", "ferry.tunnel.mtu")), paths);
    ConfigProblem typo = bad.problems().stream()
        .filter(p -> p.keyPath().equals("remote.gatway")).findFirst().orElseThrow();
    assertEquals(ConfigProblem.Severity.WARNING, typo.severity());
    assertTrue(typo.reason().contains("did you mean remote.gateway?"), typo.reason());
    ConfigProblem nat = bad.errors().stream()
        .filter(p -> p.keyPath().equals("localSubnetNAT[1]")).findFirst().orElseThrow();
    assertEquals(28, nat.line(), "second line of the |- block");
    ConfigProblem ikev1 = bad.errors().stream()
        .filter(p -> p.keyPath().equals("ipsec.keyexchange")).findFirst().orElseThrow();
    assertTrue(ikev1.reason().contains("IKEv2 only"), ikev1.reason());
    assertEquals(14, ikev1.line());
  }

  @Test
  void baseConfigAppliesChartDefaults() {
    TunnelConfig c = valid(TestYaml.with(List.of()));
    assertEquals("aes128-sha1-modp2048,3des-sha1-modp1536", c.ike().ikeProposals().toString());
    assertEquals(Duration.ofHours(1), c.ike().lifetime());
    assertEquals(RouteTableId.MAIN, c.ferry().routes().table());
    assertEquals(IpPrefix.parse("10.0.0.0/8"), c.ferry().routes().privateNetwork());
    assertEquals(1024, c.ferry().replayWindow());
    assertTrue(c.ferry().cluster().podNetworks().isEmpty());
    assertTrue(c.presharedKey().matchesUtf8(TestYaml.SECRET));
  }

  @Test
  void secretNeverAppearsInToString() {
    TunnelConfig c = valid(TestYaml.with(List.of("monitoring.slackWebhook=https://hooks.example/T0/B0/tok")));
    assertFalse(c.toString().contains(TestYaml.SECRET), c.toString());
    assertFalse(c.toString().contains("tok"), c.toString());
    assertEquals("Secret[redacted, " + TestYaml.SECRET.length() + " bytes]",
        c.presharedKey().toString());
  }

  @Test
  void yamlSyntaxErrorIsReportedWithItsLine() {
    ConfigLoadResult.Invalid bad = invalid("ipsec:\n  auto: start\n  esp: aes128: sha1\n");
    assertEquals(1, bad.errors().size());
    assertEquals("(yaml)", bad.errors().get(0).keyPath());
    assertEquals(3, bad.errors().get(0).line());
  }

  @Test
  void sectionGivenAsScalarIsAnError() {
    ConfigLoadResult.Invalid bad = invalid(TestYaml.with(List.of()) + "monitoring: yes\n");
    assertEquals(List.of("monitoring"), bad.errors().stream().map(ConfigProblem::keyPath).toList());
  }

  @Test
  void duplicateKeysAreErrors() {
    ConfigLoadResult.Invalid bad = invalid(TestYaml.with(List.of()) + "localSubnetNAT:\nlocalSubnetNAT:\n");
    assertEquals(List.of("localSubnetNAT"), bad.errors().stream().map(ConfigProblem::keyPath).toList());
  }

  @Test
  void unknownKeysAreWarningsNotErrors() {
    TunnelConfig c = valid(TestYaml.with(List.of("ipsec.lifetimee=2h", "colour=blue")));
    Set<String> paths = c.warningsOnly().stream().map(ConfigProblem::keyPath).collect(Collectors.toSet());
    assertTrue(paths.containsAll(Set.of("ipsec.lifetimee", "colour")), paths.toString());
  }

  @Test
  void placementKeysAreKeptAndNoted() {
    TunnelConfig c = valid(TestYaml.with(List.of("nodeSelector={strongswan: vpn}",
        "zoneSelector=dal10", "zoneSpecificRoutes=true")));
    assertEquals(Map.of("strongswan", "vpn"), c.placement().get("nodeSelector"));
    assertEquals(Optional.of("dal10"), c.zoneSelector());
    assertTrue(c.zoneSpecificRoutes());
    assertEquals(Set.of("nodeSelector", "zoneSelector"), c.warnings().stream()
        .filter(p -> p.severity() == ConfigProblem.Severity.NOTE)
        .map(ConfigProblem::keyPath).collect(Collectors.toSet()));
  }

  @Test
  void singleSourceIpWithZoneSubnets() {
    TunnelConfig c = valid(TestYaml.with(List.of("enableSingleSourceIP=true",
        "local.subnet=\"%zoneSubnet\"", "local.zoneSubnet=|-\ndal10=192.168.168.10/32\n"
            + "dal12=192.168.168.12/32", "ferry.cluster.zone=dal12")));
    assertTrue(c.nat().singleSourceIp());
    assertEquals(List.of(IpPrefix.parse("192.168.168.12/32")), c.local().subnetsIn(Optional.of("dal12")));
    assertTrue(c.summary().contains("local %zoneSubnet(2 zones)"), c.summary());
  }

  @Test
  void yaml11BooleansAndTimeStrings() {
    TunnelConfig c = valid(TestYaml.with(List.of("zoneSpecificRoutes=on", "ipsec.lifetime=2.5m",
        "ipsec.margintime=30", "ipsec.keyingtries=3", "ipsec.closeaction=clear")));
    assertTrue(c.zoneSpecificRoutes());
    assertEquals(Duration.ofSeconds(150), c.ike().lifetime());
    assertEquals(Duration.ofSeconds(30), c.ike().marginTime());
    assertEquals(new KeyingTries(3), c.ike().keyingTries());
    assertEquals(PeerAction.CLEAR, c.ike().closeAction());
  }

  @Test
  void unquotedNumericSecretIsWarnedWithoutEcho() {
    TunnelConfig c = valid(TestYaml.with(List.of("preshared.secret=12345678901234567890")));
    ConfigProblem w = c.warningsOnly().stream()
        .filter(p -> p.keyPath().equals("preshared.secret")).findFirst().orElseThrow();
    assertEquals(ConfigProblem.REDACTED, w.shownValue());
    assertFalse(w.toString().contains("12345678901234567890"));
  }
}
