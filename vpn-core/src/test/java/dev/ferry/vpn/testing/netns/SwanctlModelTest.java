package dev.ferry.vpn.testing.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.crypto.Secret;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class SwanctlModelTest {
  private static final Secret PSK = Secret.ofUtf8("very secret key");

  private static SwanctlConnection sample() {
    SwanctlChild child = SwanctlChild.tunnel("net", IpPrefix.parse("10.231.1.0/24"),
        IpPrefix.parse("10.231.2.0/24"), "aes128gcm16")
        .withStartAction(SwanctlChild.StartAction.START)
        .withLifetimes(Duration.ofSeconds(20), Duration.ofSeconds(30));
    return SwanctlConnection.psk("lab", IpAddress.parse("192.0.2.1"), IpAddress.parse("192.0.2.2"),
        "a.lab.example", "C=CH, O=\"quoted\", CN=b", PSK, "aes128gcm16-prfsha256-ecp256", child)
        .withDpdDelay(Duration.ofSeconds(5));
  }

  @Test
  void renderedFileHasTheConnectionChildAndSecretSections() {
    ViciSection root = ViciSection.parsePretty(SwanctlConfig.of(sample()).render());

    ViciSection conn = root.section("connections").flatMap(c -> c.section("lab")).orElseThrow();
    assertEquals("192.0.2.1", conn.value("local_addrs").orElseThrow());
    assertEquals("192.0.2.2", conn.value("remote_addrs").orElseThrow());
    assertEquals("aes128gcm16-prfsha256-ecp256", conn.value("proposals").orElseThrow());
    assertEquals("5s", conn.value("dpd_delay").orElseThrow());
    assertEquals("psk", conn.section("local").orElseThrow().value("auth").orElseThrow());
    assertEquals("\"C=CH, O=\\\"quoted\\\", CN=b\"",
        conn.section("remote").orElseThrow().value("id").orElseThrow());
    ViciSection child = conn.section("children").flatMap(c -> c.section("net")).orElseThrow();
    assertEquals("10.231.1.0/24", child.value("local_ts").orElseThrow());
    assertEquals("aes128gcm16", child.value("esp_proposals").orElseThrow());
    assertEquals("start", child.value("start_action").orElseThrow());
    assertEquals("20s", child.value("rekey_time").orElseThrow());
    assertEquals("30s", child.value("life_time").orElseThrow());

    ViciSection secret = root.section("secrets").flatMap(s -> s.section("ike-lab")).orElseThrow();
    assertEquals("0x" + HexFormat.of().formatHex("very secret key".getBytes(StandardCharsets.UTF_8)),
        secret.value("secret").orElseThrow());
    assertEquals("\"a.lab.example\"", secret.value("id-local").orElseThrow());
  }

  @Test
  void anyRemoteRendersAsPercentAny() {
    ViciSection root = ViciSection.parsePretty(SwanctlConfig.of(sample().withAnyRemote()).render());
    assertEquals("%any", root.section("connections").flatMap(c -> c.section("lab"))
        .flatMap(c -> c.value("remote_addrs")).orElseThrow());
  }

  @Test
  void thePskNeverAppearsInToString() {
    String hex = HexFormat.of().formatHex("very secret key".getBytes(StandardCharsets.UTF_8));
    for (Object o : List.of(sample(), SwanctlConfig.of(sample()))) {
      assertFalse(o.toString().contains("very secret key"), o.getClass().getSimpleName());
      assertFalse(o.toString().contains(hex), o.getClass().getSimpleName());
    }
  }

  @Test
  void invalidValuesAreRejectedWithTheirName() {
    IpPrefix p = IpPrefix.parse("10.0.0.0/8");
    assertMessage("child name", () -> SwanctlChild.tunnel("bad name", p, p, "aes128gcm16"));
    assertMessage("esp_proposals", () -> SwanctlChild.tunnel("c", p, p, "aes128gcm16; rm"));
    assertMessage("must exceed rekey_time", () -> SwanctlChild.tunnel("c", p, p, "aes128gcm16")
        .withLifetimes(Duration.ofSeconds(30), Duration.ofSeconds(30)));
    assertMessage("at least one subnet", () -> new SwanctlChild("c", List.of(), List.of(p),
        "aes128gcm16", SwanctlChild.StartAction.NONE, SwanctlChild.DpdAction.CLEAR,
        SwanctlChild.CloseAction.NONE, Duration.ofHours(1), Duration.ofHours(2)));
    assertMessage("PSK is empty", () -> sample().withPsk(Secret.of(new byte[0])));
    assertMessage("duplicate child names",
        () -> sample().withChildren(List.of(sample().children().get(0), sample().children().get(0))));
    assertMessage("keyingtries", () -> sample().withKeyingTries(-1));
    assertMessage("span lines", () -> SwanctlConfig.of(new SwanctlConnection("x",
        IpAddress.parse("192.0.2.1"), java.util.Optional.empty(), "a\nb", "b", PSK, "aes128-sha256",
        Duration.ofHours(1), Duration.ZERO, 1, sample().children())).render());
    assertMessage("distinct", () -> SwanctlConfig.of(sample(), sample()));
  }

  @Test
  void strongswanConfLoadsKernelLibipsecBeforeKernelNetlink() {
    String conf = StrongSwanInstance.strongswanConf(Path.of("/tmp/x/charon.vici"),
        Path.of("/tmp/x/charon.log"),
        StrongSwanOptions.defaults().withKeyLogging()
            .withCharonSetting("retransmit_tries", "2")
            .withCharonSetting("plugins.kernel-libipsec.allow_peer_ts", "yes"));
    ViciSection charon = ViciSection.parsePretty(conf).section("charon").orElseThrow();

    List<String> load = List.of(charon.value("load").orElseThrow().split(" "));
    assertTrue(load.indexOf("kernel-libipsec") >= 0);
    assertTrue(load.indexOf("kernel-libipsec") < load.indexOf("kernel-netlink"), load.toString());
    assertEquals("no", charon.value("load_modular").orElseThrow());
    assertEquals("2", charon.value("retransmit_tries").orElseThrow());
    ViciSection plugins = charon.sections("plugins").get(0);
    assertEquals("unix:///tmp/x/charon.vici",
        plugins.section("vici").flatMap(v -> v.value("socket")).orElseThrow());
    assertEquals("yes", charon.sections("plugins").get(1).section("kernel-libipsec")
        .flatMap(k -> k.value("allow_peer_ts")).orElseThrow());
    ViciSection log = charon.section("filelog").flatMap(f -> f.section("lab")).orElseThrow();
    assertEquals("/tmp/x/charon.log", log.value("path").orElseThrow());
    assertEquals("4", log.value("ike").orElseThrow());
    assertEquals("3", log.value("enc").orElseThrow());
  }

  @Test
  void optionsRejectValuesThatWouldBreakTheFile() {
    assertMessage("log level", () -> StrongSwanOptions.defaults().withLogLevel("ike", 5));
    assertMessage("log level", () -> StrongSwanOptions.defaults().withLogLevel("ikev2", 1));
    assertMessage("plain key/value",
        () -> StrongSwanOptions.defaults().withCharonSetting("x", "a }\ncharon {"));
  }

  @Property(tries = 100)
  void everyChildSurvivesRenderingWithItsSelectors(@ForAll("children") List<SwanctlChild> children) {
    SwanctlConnection conn = sample().withChildren(children);
    ViciSection rendered = ViciSection.parsePretty(SwanctlConfig.of(conn).render())
        .section("connections").flatMap(c -> c.section("lab"))
        .flatMap(c -> c.section("children")).orElseThrow();
    assertEquals(children.size(), rendered.sections().size());
    for (SwanctlChild child : children) {
      ViciSection section = rendered.section(child.name()).orElseThrow();
      assertEquals(SwanctlText.join(child.localTs()), section.value("local_ts").orElseThrow());
      assertEquals(SwanctlText.join(child.remoteTs()), section.value("remote_ts").orElseThrow());
      assertEquals(child.rekeyTime().toSeconds() + "s", section.value("rekey_time").orElseThrow());
    }
  }

  @Provide
  Arbitrary<List<SwanctlChild>> children() {
    Arbitrary<IpPrefix> v4 = Arbitraries.integers().between(0, 255)
        .map(i -> IpPrefix.parse("10." + i + ".0.0/16"));
    Arbitrary<IpPrefix> v6 = Arbitraries.integers().between(0, 0xffff)
        .map(i -> IpPrefix.parse("fd00:" + Integer.toHexString(i) + "::/48"));
    Arbitrary<List<IpPrefix>> ts = Arbitraries.oneOf(v4, v6).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<SwanctlChild> child = net.jqwik.api.Combinators.combine(
        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10), ts, ts,
        Arbitraries.integers().between(1, 100_000))
        .as((name, local, remote, rekey) -> new SwanctlChild(name, local, remote,
            "aes256-sha256-modp2048", SwanctlChild.StartAction.NONE,
            SwanctlChild.DpdAction.RESTART, SwanctlChild.CloseAction.START,
            Duration.ofSeconds(rekey), Duration.ofSeconds(rekey + 1L)));
    return child.list().ofMinSize(1).ofMaxSize(4).uniqueElements(SwanctlChild::name);
  }

  private static void assertMessage(String fragment, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '"
        + fragment + "'");
  }

  @Test
  void labIdsAreRecognisedOnlyInLabNamespaceNames() {
    assertEquals("1a2b3c", NetnsLab.labIdOf("ferry-1a2b3c-a").orElseThrow());
    assertTrue(NetnsLab.labIdOf("ferry-a").isEmpty());
    assertTrue(NetnsLab.labIdOf("ferry-xyz-a").isEmpty());
    assertTrue(NetnsLab.labIdOf("ferry-abc-a").isEmpty(), "ids are exactly six hex digits");
    assertTrue(NetnsLab.labIdOf("other-1a2b3c-a").isEmpty());
  }
}
