package dev.ferry.vpn.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.config.ChartConfigLoader;
import dev.ferry.vpn.core.config.TunnelConfig;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.ike.CloseReason;
import dev.ferry.vpn.ike.IkePeerConfig;
import dev.ferry.vpn.ike.transport.IkeListenConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run}'s checks before it starts anything, and the operator console against an endpoint
 * bound to loopback with ephemeral ports (no peer). The handshakes themselves are covered by the
 * strongSwan interop ITs.
 */
class RunCommandTest {
  private static final String SECRET = "run-command-test-secret-77";

  @TempDir Path tmp;


  private static CommandRun run(String... args) {
    return CommandRun.of(args);
  }

  private Path config(String auto, String gateway) throws IOException {
    Path file = tmp.resolve("config.yaml");
    Files.writeString(file, String.join("\n",
        "ipsec:", "  ike: aes128gcm16-prfsha256-ecp256", "  esp: aes128gcm16", "  auto: " + auto,
        "local:", "  subnet: 10.1.0.0/24", "  id: a.example",
        "remote:", "  gateway: \"" + gateway + "\"", "  subnet: 10.2.0.0/24", "  id: b.example",
        "preshared:", "  secret: " + SECRET, ""));
    return file;
  }

  @Test
  void invalidConfigurationListsEveryProblemAndExitsTwo() {
    CommandRun r = run("run", "--config", Path.of("../configs/invalid-example.yaml").toString());
    assertEquals(SidecarMain.EXIT_INVALID, r.exitCode(), r.err());
    for (String key : List.of("ipsec.keyexchange", "ipsec.auto", "preshared.secret")) {
      assertTrue(r.err().contains("error: " + key), key + " missing from:\n" + r.err());
    }
  }

  @Test
  void anyGatewayWithoutListenAddressIsAUsageError() throws IOException {
    CommandRun r = run("run", "--config", config("add", "%any").toString());
    assertEquals(SidecarMain.EXIT_USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("--listen ADDRESS"), r.err());
    assertFalse((r.out() + r.err()).contains(SECRET));
  }

  @Test
  void listenAddressMustBeAnIpAddress() throws IOException {
    CommandRun r = run("run", "--config", config("add", "%any").toString(), "--listen", "eth0");
    assertEquals(SidecarMain.EXIT_USAGE, r.exitCode(), r.err());
    assertTrue(r.err().contains("'eth0' is not an IP address"), r.err());
  }

  @Test
  void sourceAddressTowardsLoopbackIsLoopback() throws Exception {
    assertEquals(IpAddress.parse("127.0.0.1"),
        RunCommand.sourceAddressTowards(IpAddress.parse("127.0.0.1"), 500));
  }

  @Test
  void peerConfigBindsTheGatewayAndRefusesAFamilyWithoutListenAddress() throws IOException {
    TunnelConfig tunnel = new ChartConfigLoader().load(config("start", "192.0.2.9")).orThrow();
    Optional<IpAddress> gateway = Optional.of(IpAddress.parse("192.0.2.9"));
    IkePeerConfig peer = RunCommand.peerConfig(tunnel, gateway,
        List.of(IpAddress.parse("192.0.2.1")));
    assertEquals("192.0.2.9", peer.remoteGateway().toString());
    assertFalse(peer.toString().contains(SECRET), peer.toString());
    try {
      RunCommand.peerConfig(tunnel, gateway, List.of(IpAddress.parse("2001:db8::1")));
      throw new AssertionError("an IPv4 gateway with only an IPv6 listen address was accepted");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("no --listen address"), expected.getMessage());
    }
  }

  @Test
  void consoleAnswersEachCommandWithOneLineAndRefusesWhatItCannotDo() throws IOException {
    TunnelConfig tunnel = new ChartConfigLoader().load(config("add", "127.0.0.2")).orThrow();
    IpAddress loopback = IpAddress.parse("127.0.0.1");
    IkePeerConfig peer = RunCommand.peerConfig(tunnel, Optional.of(IpAddress.parse("127.0.0.2")),
        List.of(loopback));
    SidecarEndpoint endpoint = SidecarEndpoint.start(peer, IkeListenConfig.ephemeral(loopback));
    try {
      OperatorConsole console = new OperatorConsole(endpoint, Optional.empty(),
          new PrintWriter(new StringWriter()), () -> { });
      assertEquals("ok status ike-sas=0 child-sas=0", console.execute("status"));
      assertEquals("error rekey-child: 0 CHILD SAs are installed; name one by its inbound SPI",
          console.execute("rekey-child"));
      assertEquals("error delete-child: 'xyz' is not an ESP SPI (1 to 8 hex digits)",
          console.execute("delete-child xyz"));
      assertEquals("error delete-ike: no established IKE SA with our SPI 0x1234",
          console.execute("delete-ike 0x1234"));
      assertEquals("error rekey-ike: 0 IKE SAs are established; name one by our SPI",
          console.execute("rekey-ike"));
      assertTrue(console.execute("initiate").startsWith("error initiate: remote.gateway is %any"));
      assertEquals("error frobnicate: unknown command (try help)", console.execute("frobnicate"));
      assertEquals("error status: too many arguments (at most one SPI)",
          console.execute("status a b"));
      assertTrue(console.execute("help").startsWith("ok help: status"));
    } finally {
      assertEquals(0, endpoint.stop(Duration.ofMillis(200)));
    }
  }

  @Test
  void authenticationFailuresNameTheSideThatRejected() {
    assertEquals(SaEventLog.PEER_REJECTED_AUTH, SaEventLog.explain(new CloseReason
        .AuthenticationFailed("peer 192.0.2.2:4500 rejected our authentication for connection x")));
    assertEquals(SaEventLog.PEER_AUTH_INVALID, SaEventLog.explain(
        new CloseReason.AuthenticationFailed("AUTH of 192.0.2.2:4500 does not verify")));
  }
}
