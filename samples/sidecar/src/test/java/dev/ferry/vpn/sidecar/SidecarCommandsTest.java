package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the sidecar's commands in-process, as {@code java -jar vpn-sidecar.jar ...} would. */
class SidecarCommandsTest {

  private static final Path SAMPLES = Path.of("../configs");

  @TempDir Path tmp;


  private static CommandRun run(String... args) {
    return CommandRun.of(args);
  }

  private Path nodeRoutesFixture() throws IOException {
    Path file = tmp.resolve("ibm-classic-node.json");
    try (InputStream in = getClass().getResourceAsStream("/route/ibm-classic-node.json")) {
      assertTrue(in != null, "vpn-core test-jar fixture missing");
      Files.copy(in, file);
    }
    return file;
  }

  @Test
  void checkConfigAcceptsEveryValidSampleWithOneSummaryLine() {
    for (String name : List.of("ibm-chart-defaults.yaml", "bidirectional-nat.yaml")) {
      CommandRun r = run("check-config", "--config", SAMPLES.resolve(name).toString());
      assertEquals(0, r.exitCode(), r.err());
      String first = r.out().lines().findFirst().orElseThrow();
      assertTrue(first.contains(": valid: ikev2"), first);
      assertTrue(r.out().lines().skip(1).allMatch(l -> l.startsWith("  ")), r.out());
    }
  }

  @Test
  void checkConfigListsEveryProblemAndExitsTwo() {
    CommandRun r = run("check-config", "--config", SAMPLES.resolve("invalid-example.yaml").toString());
    assertEquals(SidecarMain.EXIT_INVALID, r.exitCode());
    for (String key : List.of("ipsec.keyexchange", "ipsec.esp", "ipsec.auto", "ipsec.margintime",
        "local.subnet[1]", "preshared.secret", "localSubnetNAT[1]", "ferry.tunnel.device",
        "ferry.tunnel.mtu")) {
      assertTrue(r.err().contains("error: " + key), key + " missing from:\n" + r.err());
    }
  }

  @Test
  void checkConfigNeverPrintsTheSecretEvenWhenItIsWrong() throws IOException {
    String secret = "s3cret-Do-Not-Print-7";
    Path file = tmp.resolve("config.yaml");
    Files.writeString(file, String.join("\n",
        "ipsec:", "  auto: sometimes", "local:", "  subnet: 172.30.0.0/16",
        "remote:", "  subnet: 192.168.0.0/24", "  gateway: " + secret,
        "preshared:", "  secret: " + secret, "  extra: " + secret, ""));
    CommandRun r = run("check-config", "--config", file.toString());
    assertEquals(SidecarMain.EXIT_INVALID, r.exitCode());
    assertTrue(r.err().contains("ipsec.auto"), r.err());
    assertFalse((r.out() + r.err()).contains(secret), r.out() + r.err());
  }

  @Test
  void missingFileIsAnOperationalErrorAndBadUsageIsAUsageError() {
    assertEquals(SidecarMain.EXIT_FAILURE,
        run("check-config", "--config", tmp.resolve("absent.yaml").toString()).exitCode());
    assertEquals(SidecarMain.EXIT_USAGE, run("check-config").exitCode());
    assertEquals(SidecarMain.EXIT_USAGE, run("no-such-command").exitCode());
    assertEquals(SidecarMain.EXIT_USAGE, run().exitCode());
  }

  @Test
  void planRoutesPrintsIpCommandsForTheRemoteSubnetAsTheClusterSeesIt() throws IOException {
    CommandRun r = run("plan-routes", "--config", SAMPLES.resolve("bidirectional-nat.yaml").toString(),
        "--node-routes", nodeRoutesFixture().toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> commands = r.out().lines().filter(l -> l.startsWith("ip ")).toList();
    // remoteSubnetNAT 10.0.1.0/24=192.168.1.0/24: the cluster reaches on-prem as 192.168.1.0/24,
    // through the gateway of the node's 10.0.0.0/8 route (the static-route DaemonSet's rule).
    assertEquals(1, commands.size(), r.out());
    String cmd = commands.get(0);
    assertTrue(cmd.startsWith("ip route add 192.168.1.0/24 via "), cmd);
    assertTrue(cmd.contains(" dev eth0 ") && cmd.contains(" proto 247"), cmd);
    assertTrue(r.out().contains("REMOTE_VIA_DEFAULT_ROUTE"), r.out());
  }

  @Test
  void planRoutesRefusesInputThatIsNotIpRouteJson() throws IOException {
    Path bad = tmp.resolve("routes.json");
    Files.writeString(bad, "[{\"dst\": \"10.0.0.0/33\", \"dev\": \"eth0\"}]");
    CommandRun r = run("plan-routes", "--config", SAMPLES.resolve("bidirectional-nat.yaml").toString(),
        "--node-routes", bad.toString());
    assertEquals(SidecarMain.EXIT_INVALID, r.exitCode());
    assertTrue(r.err().contains("dst"), r.err());
  }

  @Test
  void planRoutesReadsTheCurrentNamespaceWhenNoFileIsGiven() throws IOException {
    assumeTrue(hasIpCommand(), "iproute2's `ip` is not installed");
    CommandRun r = run("plan-routes", "--config", SAMPLES.resolve("bidirectional-nat.yaml").toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("# route plan for this network namespace"), r.out());
  }

  private static boolean hasIpCommand() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "ip")));
  }

  @Test
  void versionAndHelpWork() {
    CommandRun v = run("--version");
    assertEquals(0, v.exitCode());
    assertTrue(v.out().startsWith("vpn-sidecar "), v.out());
    CommandRun h = run("--help");
    assertTrue(h.out().contains("check-config") && h.out().contains("plan-routes")
        && h.out().contains("run"), h.out());
  }
}
