package dev.ferry.vpn.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private static Route route(String dst, String gateway, String dev, long metric) {
    return Route.unicast(IpPrefix.parse(dst), gateway == null ? null : IpAddress.parse(gateway), dev)
        .withMetric(metric);
  }

  @Test
  void lookupPrefersTheLongestPrefixThenTheLowestMetric() {
    RouteTable t = RouteTable.of(
        route("0.0.0.0/0", "169.61.99.9", "eth1", 0),
        route("10.0.0.0/8", "10.176.1.1", "eth0", 0),
        route("10.1.0.0/16", "10.176.1.2", "eth0", 200),
        route("10.1.0.0/16", "10.176.1.3", "eth0", 100));
    assertEquals("eth1", t.lookup(IpAddress.parse("8.8.8.8")).orElseThrow().device());
    assertEquals(IpAddress.parse("10.176.1.1"), t.lookup(IpAddress.parse("10.2.3.4")).orElseThrow().gateway());
    assertEquals(IpAddress.parse("10.176.1.3"), t.lookup(IpAddress.parse("10.1.3.4")).orElseThrow().gateway());
    assertTrue(t.lookup(IpAddress.parse("2001:db8::1")).isEmpty());
  }

  @Test
  void lookupIgnoresOtherTablesUnlessAsked() {
    RouteTable t = RouteFixtures.ibmClassicNode();
    IpAddress self = IpAddress.parse("10.176.1.12");
    assertEquals(RouteType.UNICAST, t.lookup(self).orElseThrow().type());
    assertEquals(RouteType.LOCAL, t.lookup(self, RouteTableId.LOCAL).orElseThrow().type());
  }

  @Test
  void coveringNeedsTheWholePrefixInside() {
    RouteTable t = RouteFixtures.ibmClassicNode();
    assertEquals(IpPrefix.parse("10.0.0.0/8"),
        t.covering(IpPrefix.parse("10.0.0.0/8"), RouteTableId.MAIN).orElseThrow().destination());
    assertEquals(0, t.covering(IpPrefix.parse("10.0.0.0/7"), RouteTableId.MAIN)
        .orElseThrow().destination().prefixLength());
  }

  @Test
  void addOfATakenKeyFailsAndChangesNothing() {
    RouteTable t = RouteTable.of(route("192.168.1.0/24", "10.176.1.1", "eth0", 100));
    RouteOperation add = RouteOperation.add(route("192.168.1.0/24", "10.176.1.9", "eth0", 100));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.apply(add));
    assertTrue(e.getMessage().contains("File exists"), e.getMessage());
    assertEquals(1, t.size());
    assertEquals(2, t.apply(RouteOperation.add(route("192.168.1.0/24", "10.176.1.9", "eth0", 50))).size());
  }

  @Test
  void replaceOverwritesTheKeyAndDeleteNeedsAnExactMatch() {
    Route original = route("192.168.1.0/24", "10.176.1.1", "eth0", 100);
    Route moved = route("192.168.1.0/24", "10.176.1.9", "eth0", 100);
    RouteTable t = RouteTable.of(original).apply(RouteOperation.replace(moved));
    assertEquals(java.util.List.of(moved), t.routes());
    assertThrows(IllegalStateException.class, () -> t.apply(RouteOperation.delete(original)));
    assertThrows(IllegalStateException.class,
        () -> t.apply(RouteOperation.delete(moved.withProtocol(RouteProtocol.STATIC))));
    assertEquals(0, t.apply(RouteOperation.delete(moved)).size());
  }

  @Test
  void ipCommandsUseStableFormatting() {
    Route v4 = new Route(IpPrefix.parse("192.168.0.0/24"), IpAddress.parse("10.176.1.1"), "eth0",
        100, RouteTableId.MAIN, new RouteProtocol(247), RouteScope.GLOBAL, RouteType.UNICAST, null,
        0, Set.of());
    assertEquals("ip route replace 192.168.0.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main",
        RouteOperation.replace(v4).toIpCommand());
    Route v6 = new Route(IpPrefix.parse("fd12::/48"), null, "vti0", 1024, RouteTableId.of(100),
        new RouteProtocol(247), RouteScope.LINK, RouteType.UNICAST, null, 1300, Set.of());
    assertEquals("ip -6 route add fd12::/48 dev vti0 metric 1024 mtu 1300 proto 247 table 100",
        RouteOperation.add(v6).toIpCommand());
    Route blackhole = new Route(IpPrefix.parse("0.0.0.0/0"), null, null, 0, RouteTableId.MAIN,
        RouteProtocol.BOOT, RouteScope.GLOBAL, RouteType.BLACKHOLE, null, 0, Set.of());
    assertEquals("ip route del blackhole default metric 0 proto boot table main",
        RouteOperation.delete(blackhole).toIpCommand());
  }

  @Test
  void routeRefusesBadValues() {
    IpPrefix dst = IpPrefix.parse("192.168.0.0/24");
    assertThrows(IllegalArgumentException.class, () -> Route.unicast(dst, null, "eth0/1"));
    assertThrows(IllegalArgumentException.class, () -> Route.unicast(dst, null, "a-very-long-interface"));
    assertThrows(IllegalArgumentException.class, () -> Route.unicast(dst, null, "eth0").withMetric(-1));
    assertThrows(IllegalArgumentException.class, () -> RouteProtocol.parse("256"));
    assertEquals(RouteTableId.MAIN, RouteTableId.parse("254"));
    assertEquals("local", RouteTableId.LOCAL.toString());
  }
}
