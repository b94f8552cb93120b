package dev.ferry.vpn.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRouteJsonTest {

  @Test
  void readsTheIbmClassicFixture() {
    RouteTable table = RouteFixtures.ibmClassicNode();
    assertEquals(23, table.size());

    Route defaultRoute = table.routesTo(IpPrefix.parse("0.0.0.0/0"), RouteTableId.MAIN).get(0);
    assertEquals(IpAddress.parse("169.61.99.9"), defaultRoute.gateway());
    assertEquals("eth1", defaultRoute.device());
    assertEquals(RouteProtocol.BOOT, defaultRoute.protocol(), "absent protocol means boot");
    assertEquals(0, defaultRoute.metric());
    assertEquals(Set.of("onlink"), defaultRoute.flags());

    Route calicoBlock = table.routesTo(IpPrefix.parse("172.30.64.128/26"), RouteTableId.MAIN).get(0);
    assertEquals(RouteType.BLACKHOLE, calicoBlock.type());
    assertEquals("bird", calicoBlock.protocol().toString());
    assertNull(calicoBlock.device());

    Route pod = table.routesTo(IpPrefix.parse("172.30.64.130/32"), RouteTableId.MAIN).get(0);
    assertEquals(RouteScope.LINK, pod.scope());

    Route local = table.routesTo(IpPrefix.parse("10.176.1.12/32"), RouteTableId.LOCAL).get(0);
    assertEquals(RouteType.LOCAL, local.type());
    assertEquals(RouteScope.HOST, local.scope());
    assertEquals(IpAddress.parse("10.176.1.12"), local.preferredSource());
  }

  @Test
  void readsIpv6MtuMultipathAndNumericFields() {
    String json = """
        [{"dst":"default","gateway":"fd00::1","dev":"eth0","metric":1024,"flags":[],"pref":"medium"},
         {"type":"unreachable","dst":"default","dev":"lo","metric":4294967295,"flags":[],"pref":"medium"},
         {"dst":"192.168.7.0/24","dev":"vti0","protocol":"247","metric":100,
          "metrics":[{"mtu":1300}],"table":"100","flags":[]},
         {"dst":"198.51.100.0/24","protocol":"zebra","metric":20,
          "nexthops":[{"gateway":"10.0.0.1","dev":"eth0","weight":1,"flags":[]},
                      {"gateway":"10.0.0.2","dev":"eth1","weight":1,"flags":[]}],"flags":[]}]
        """;
    RouteTable table = IpRouteJson.parse(json);
    Route v6default = table.routes().get(0);
    assertEquals(IpPrefix.parse("::/0"), v6default.destination());
    assertEquals(1024, v6default.metric());
    assertEquals(IpPrefix.parse("::/0"), table.routes().get(1).destination(), "pref marks IPv6");
    assertEquals(4294967295L, table.routes().get(1).metric());

    Route vpn = table.routes().get(2);
    assertEquals(1300, vpn.mtu());
    assertEquals(new RouteProtocol(247), vpn.protocol());
    assertEquals(RouteTableId.of(100), vpn.table());

    Route multipath = table.routes().get(3);
    assertNull(multipath.gateway());
    assertNull(multipath.device());
  }

  @Test
  void familyHintDecidesWhatDefaultMeans() {
    RouteTable table = IpRouteJson.parse(
        "[{\"type\":\"blackhole\",\"dst\":\"default\",\"flags\":[]}]", IpFamily.IPV6, RouteTableId.MAIN);
    assertEquals(IpPrefix.parse("::/0"), table.routes().get(0).destination());
  }

  @Test
  void blankOutputIsAnEmptyTable() {
    assertEquals(0, IpRouteJson.parse("  \n").size());
    assertEquals(0, IpRouteJson.parse("[]").size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "[{\"dst\":\"10.0.0.0/8\",\"dev\":\"eth0\"},{\"dst\":\"10.1.2.3/8\"}] | 1 | dst",
    "[{\"dst\":\"10.0.0.0/8\",\"metric\":\"high\"}] | 0 | metric",
    "[{\"dst\":\"10.0.0.0/8\",\"metric\":-1}] | 0 | metric",
    "[{\"dst\":\"10.0.0.0/8\",\"protocol\":\"nonsense\"}] | 0 | protocol",
    "[{\"dst\":\"10.0.0.0/8\",\"type\":\"teleport\"}] | 0 | type",
    "[{\"dst\":\"10.0.0.0/8\",\"gateway\":\"10.0.0.256\"}] | 0 | gateway",
    "[{\"dst\":\"10.0.0.0/8\",\"flags\":\"onlink\"}] | 0 | flags",
    "[{\"dev\":\"eth0\"}] | 0 | dst",
    "[{\"dst\":7}] | 0 | dst",
    "[{\"dst\":\"10.0.0.0/8\"},17] | 1 | ",
  })
  void badRoutesNameTheIndexAndField(String json, int index, String field) {
    RouteFormatException e = assertThrows(RouteFormatException.class, () -> IpRouteJson.parse(json));
    assertEquals(index, e.index(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith("route #" + index), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"dst\":\"10.0.0.0/8\"}",
    "[{\"dst\":\"10.0.0.0/8\"",
    "[{\"dst\":\"10.0.0.0/8\",\"dst\":\"10.0.0.0/9\"}]",
  })
  void badListingsAreRefusedAsAWhole(String json) {
    RouteFormatException e = assertThrows(RouteFormatException.class, () -> IpRouteJson.parse(json));
    assertEquals(-1, e.index(), e.getMessage());
  }

  @Test
  void mixedFamiliesInOneRouteAreRefused() {
    RouteFormatException e = assertThrows(RouteFormatException.class, () -> IpRouteJson.parse(
        "[{\"dst\":\"192.0.2.0/24\",\"gateway\":\"fe80::1\",\"dev\":\"eth0\"}]"));
    assertEquals(0, e.index());
    assertTrue(e.getMessage().contains("another address family"), e.getMessage());
  }
}
