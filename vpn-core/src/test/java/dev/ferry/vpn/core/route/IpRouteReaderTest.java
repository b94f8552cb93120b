package dev.ferry.vpn.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the reader against small shell scripts standing in for {@code ip}. */
class IpRouteReaderTest {

  @TempDir Path dir;

  /** A fake ip: prints the fixture for -4 and an IPv6 default route for -6 ($1 is the family flag). */
  private List<String> fakeIp() throws IOException {
    Path v4 = dir.resolve("v4.json");
    Files.writeString(v4, RouteFixtures.ibmClassicNodeJson());
    Path v6 = dir.resolve("v6.json");
    Files.writeString(v6, "[{\"dst\":\"default\",\"gateway\":\"fd00::1\",\"dev\":\"eth0\",\"metric\":1024}]");
    return List.of("sh", "-c", "if [ \"$1\" = -4 ]; then cat '" + v4 + "'; else cat '" + v6 + "'; fi");
  }

  @Test
  void readsBothFamilies() throws IOException {
    RouteTable table = new IpRouteReader(fakeIp(), Duration.ofSeconds(10)).read();
    assertEquals(24, table.size());
    assertEquals("::/0", table.routes().get(23).destination().toString());
  }

  @Test
  void missingIpIsNamed() {
    IpRouteReader reader = new IpRouteReader(List.of(dir.resolve("no-such-ip").toString()), Duration.ofSeconds(5));
    IOException e = assertThrows(IOException.class, reader::read);
    assertTrue(e.getMessage().contains("iproute2"), e.getMessage());
  }

  @Test
  void failureCarriesStatusAndStderr() {
    IpRouteReader reader = new IpRouteReader(
        List.of("sh", "-c", "echo 'Cannot open netlink socket' >&2; exit 2"), Duration.ofSeconds(5));
    IOException e = assertThrows(IOException.class, reader::read);
    assertTrue(e.getMessage().contains("status 2") && e.getMessage().contains("netlink"), e.getMessage());
  }

  @Test
  void garbageOutputIsAClearError() {
    IpRouteReader reader = new IpRouteReader(
        List.of("sh", "-c", "echo '[{\"dst\":\"10.0.0.0/33\"}]'"), Duration.ofSeconds(5));
    IOException e = assertThrows(IOException.class, reader::read);
    assertTrue(e.getMessage().contains("route #0 field \"dst\""), e.getMessage());
  }

  @Test
  void slowIpTimesOut() {
    IpRouteReader reader = new IpRouteReader(List.of("sh", "-c", "sleep 5"), Duration.ofMillis(200));
    IOException e = assertThrows(IOException.class, reader::read);
    assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
  }
}
