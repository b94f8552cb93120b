package dev.ferry.vpn.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.route.Diagnostic.Kind;
import dev.ferry.vpn.core.route.Diagnostic.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePlannerTest {

  private final RoutePlanner planner = RoutePlanner.standard();
  private final RouteTable node = RouteFixtures.ibmClassicNode();

  private RoutePlan plan(RoutePolicy policy, String zone, RouteTable table) {
    return planner.plan(new RoutePlanRequest(policy, zone, table));
  }

  private static List<Diagnostic> of(RoutePlan plan, Kind kind) {
    return plan.diagnostics().stream().filter(d -> d.kind() == kind).toList();
  }

  @Test
  void discoversThePrivateGatewayFromThe10Slash8Route() {
    RoutePlan plan = plan(RouteFixtures.ibmPolicy("192.168.1.0/24", "192.168.2.0/27").build(), null, node);
    assertEquals(List.of(
        "ip route add 192.168.1.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main",
        "ip route add 192.168.2.0/27 via 10.176.1.1 dev eth0 metric 100 proto 247 table main"),
        plan.toIpCommands());
    assertFalse(plan.hasErrors());
  }

  @Test
  void reportsSubnetsTheDefaultRouteAnsweredAndTheFix() {
    RoutePlan plan = plan(RouteFixtures.ibmPolicy("192.168.1.0/24").build(), null, node);
    Diagnostic d = of(plan, Kind.REMOTE_VIA_DEFAULT_ROUTE).get(0);
    assertEquals(Severity.INFO, d.severity());
    assertEquals(IpPrefix.parse("192.168.1.0/24"), d.subnet());
    assertTrue(d.message().contains("via 169.61.99.9 dev eth1"), d.message());
    assertTrue(d.message().contains("via 10.176.1.1 dev eth0"), d.message());

    RouteTable after = node.apply(plan);
    assertEquals("eth0", after.lookup(IpAddress.parse("192.168.1.77")).orElseThrow().device());
    RoutePlan again = plan(RouteFixtures.ibmPolicy("192.168.1.0/24").build(), null, after);
    assertTrue(again.isEmpty());
    assertTrue(of(again, Kind.REMOTE_VIA_DEFAULT_ROUTE).isEmpty(), again.diagnostics().toString());
  }

  @Test
  void overlapsGetNoRouteAndAFreeSuggestion() {
    RoutePlan plan = plan(RouteFixtures.ibmPolicy(
        "172.30.8.0/24", "172.21.0.0/24", "10.176.1.0/28", "172.16.0.0/24", "192.168.1.0/24").build(),
        null, node);
    assertEquals(List.of("ip route add 192.168.1.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main"),
        plan.toIpCommands());
    Diagnostic pod = of(plan, Kind.REMOTE_OVERLAPS_POD_NETWORK).get(0);
    assertEquals(Severity.ERROR, pod.severity());
    assertEquals(IpPrefix.parse("172.30.0.0/16"), pod.conflictsWith());
    // 10/8 is routed on the node, 172.16/16 and 172.18-20/16 are reserved, 172.17/16 is docker0,
    // 172.21/16 holds the services: the free space starts at 172.22.0.0. Remote subnets are
    // served in order (10.176.1.0/28, 172.16.0.0/24, 172.21.0.0/24, 172.30.8.0/24), each
    // suggestion taken before the next is sought.
    assertEquals(IpPrefix.parse("172.22.3.0/24"), pod.suggestedMapping());
    assertTrue(pod.message().contains("172.30.8.0/24=172.22.3.0/24"), pod.message());
    assertEquals(IpPrefix.parse("172.22.0.0/28"),
        of(plan, Kind.REMOTE_OVERLAPS_NODE_SUBNET).get(0).suggestedMapping());

    List<IpPrefix> suggestions = new ArrayList<>();
    for (Kind k : List.of(Kind.REMOTE_OVERLAPS_SERVICE_NETWORK, Kind.REMOTE_OVERLAPS_NODE_SUBNET,
        Kind.REMOTE_OVERLAPS_RESERVED)) {
      Diagnostic d = of(plan, k).get(0);
      assertEquals(Severity.ERROR, d.severity());
      suggestions.add(d.suggestedMapping());
    }
    suggestions.add(pod.suggestedMapping());
    assertEquals(suggestions.size(), Set.copyOf(suggestions).size(), "suggestions are distinct: " + suggestions);
    for (IpPrefix s : suggestions) {
      assertFalse(s.overlaps(IpPrefix.parse("192.168.1.0/24")), s.toString());
    }
  }

  @Test
  void sharedAddressSpaceIsUsedWhenPrivateSpaceIsFull() {
    RoutePolicy policy = RoutePolicy.builder()
        .cluster(new ClusterNetworks(RouteFixtures.prefixes("172.16.0.0/12"),
            RouteFixtures.prefixes("192.168.0.0/16"), List.of(), List.of()))
        .remoteSubnets(RouteFixtures.prefixes("172.20.0.0/16"))
        .suggestSharedAddressSpace(true)
        .build();
    Diagnostic d = of(plan(policy, null, node), Kind.REMOTE_OVERLAPS_POD_NETWORK).get(0);
    assertEquals(IpPrefix.parse("100.64.0.0/16"), d.suggestedMapping());

    RoutePolicy without = RoutePolicy.builder().cluster(policy.cluster())
        .remoteSubnets(policy.remoteSubnets()).build();
    Diagnostic none = of(plan(without, null, node), Kind.REMOTE_OVERLAPS_POD_NETWORK).get(0);
    assertNull(none.suggestedMapping());
    assertTrue(none.message().contains("no free /16"), none.message());
  }

  @Test
  void zoneSpecificRoutesOnlyInTheVpnZone() {
    RoutePolicy policy = RouteFixtures.ibmPolicy("192.168.1.0/24").zones(ZoneRouting.only("dal10")).build();
    assertEquals(1, plan(policy, "dal10", node).operations().size());

    RoutePlan elsewhere = plan(policy, "dal12", node);
    assertTrue(elsewhere.isEmpty());
    assertEquals(Severity.INFO, of(elsewhere, Kind.NODE_OUTSIDE_VPN_ZONE).get(0).severity());
    assertTrue(of(elsewhere, Kind.REMOTE_VIA_DEFAULT_ROUTE).isEmpty());

    assertEquals(Severity.WARNING, of(plan(policy, null, node), Kind.NODE_OUTSIDE_VPN_ZONE).get(0).severity());

    // A node that left the VPN zone loses the routes the planner gave it.
    RouteTable routed = node.apply(plan(policy, "dal10", node));
    assertEquals(List.of("ip route del 192.168.1.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main"),
        plan(policy, "dal12", routed).toIpCommands());
  }

  @Test
  void staleOwnRoutesAreDeletedAndMovedOnesReplaced() {
    RoutePolicy old = RouteFixtures.ibmPolicy("192.168.1.0/24", "192.168.9.0/24").build();
    RouteTable routed = node.apply(plan(old, null, node));
    List<Route> moved = new ArrayList<>(routed.routes());
    moved.replaceAll(r -> r.destination().equals(IpPrefix.parse("192.168.1.0/24"))
        ? new Route(r.destination(), IpAddress.parse("10.176.1.2"), "eth0", r.metric(), r.table(),
            r.protocol(), r.scope(), r.type(), null, 0, Set.of())
        : r);
    RoutePlan plan = plan(RouteFixtures.ibmPolicy("192.168.1.0/24").build(), null, RouteTable.of(moved));
    assertEquals(List.of(
        "ip route del 192.168.9.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main",
        "ip route replace 192.168.1.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main"),
        plan.toIpCommands());
  }

  @Test
  void foreignRoutesAreConflictsNeverChanged() {
    Route handMade = Route.unicast(IpPrefix.parse("192.168.1.0/24"), IpAddress.parse("169.61.99.9"), "eth1")
        .withMetric(100);
    Route moreSpecific = Route.unicast(IpPrefix.parse("192.168.2.128/25"), null, "docker0");
    List<Route> routes = new ArrayList<>(node.routes());
    routes.add(handMade);
    routes.add(moreSpecific);
    RoutePlan plan = plan(RouteFixtures.ibmPolicy("192.168.1.0/24", "192.168.2.0/24").build(), null,
        RouteTable.of(routes));
    assertEquals(List.of("ip route add 192.168.2.0/24 via 10.176.1.1 dev eth0 metric 100 proto 247 table main"),
        plan.toIpCommands());
    List<Diagnostic> conflicts = of(plan, Kind.CONFLICTING_ROUTE);
    assertEquals(2, conflicts.size(), conflicts.toString());
    assertEquals(IpPrefix.parse("192.168.1.0/24"), conflicts.get(0).subnet());
    assertEquals(IpPrefix.parse("192.168.2.128/25"), conflicts.get(1).conflictsWith());
  }

  @Test
  void noPrivateRouteMeansNoPlan() {
    List<Route> routes = new ArrayList<>(node.routes());
    routes.removeIf(r -> r.destination().equals(RoutePolicy.IBM_PRIVATE_NETWORK));
    RoutePlan plan = plan(RouteFixtures.ibmPolicy("192.168.1.0/24").build(), null, RouteTable.of(routes));
    assertTrue(plan.isEmpty());
    assertTrue(plan.hasErrors());
    assertEquals(1, of(plan, Kind.NO_PRIVATE_GATEWAY).size());
    assertEquals(Severity.WARNING, of(plan, Kind.REMOTE_VIA_DEFAULT_ROUTE).get(0).severity());
  }

  @Test
  void explicitGatewayTakesItsDeviceFromTheTable() {
    RoutePolicy policy = RouteFixtures.ibmPolicy("192.168.1.0/24")
        .nextHopOverride(new NextHop(IpAddress.parse("10.176.1.2"), null))
        .metric(0).table(RouteTableId.of(100)).owner(new RouteProtocol(250)).mtu(1300).build();
    assertEquals(List.of("ip route add 192.168.1.0/24 via 10.176.1.2 dev eth0 metric 0 mtu 1300 proto 250 table 100"),
        plan(policy, null, node).toIpCommands());
  }

  @Test
  void ipv6RemoteSubnetsNeedAnIpv6PrivateNetwork() {
    RoutePlan plan = plan(RouteFixtures.ibmPolicy("fd12:3456::/48").build(), null, node);
    assertTrue(plan.isEmpty());
    assertEquals(1, of(plan, Kind.NO_PRIVATE_GATEWAY).size());

    RouteTable dual = IpRouteJson.parse(
        "[{\"dst\":\"fd00:10::/32\",\"gateway\":\"fd00:10::1\",\"dev\":\"eth0\",\"metric\":1024,\"pref\":\"medium\"}]");
    RoutePolicy v6 = RouteFixtures.ibmPolicy("fd12:3456::/48")
        .privateNetworks(RouteFixtures.prefixes("fd00:10::/32")).metric(0).build();
    assertEquals(List.of("ip -6 route add fd12:3456::/48 via fd00:10::1 dev eth0 metric 1024 proto 247 table main"),
        plan(v6, null, dual).toIpCommands());
  }

  @Test
  void policyRefusesOwnerMarkersThatBelongToOthers() {
    for (int number : new int[] {2, 3, 4, 16, 186}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class,
          () -> RouteFixtures.ibmPolicy("192.168.1.0/24").owner(new RouteProtocol(number)).build());
      assertTrue(e.getMessage().contains("owner protocol"), e.getMessage());
    }
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RouteFixtures.ibmPolicy("0.0.0.0/0").build());
  }
}
