package dev.ferry.vpn.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.route.Diagnostic.Kind;
import dev.ferry.vpn.core.route.Diagnostic.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the route planner over random nodes derived from the IBM classic fixture. */
class RoutePlannerProperties {

  private static final RouteTable FIXTURE = RouteFixtures.ibmClassicNode();
  private static final RouteProtocol OWNER = RouteProtocol.FERRY_DEFAULT;
  /** Remote subnets: free ones, nested ones, overlaps with each cluster range, and IPv6. */
  private static final List<String> REMOTES = List.of(
      "192.168.0.0/16", "192.168.1.0/24", "192.168.2.0/24", "192.168.1.128/25", "10.1.0.0/16",
      "198.51.100.0/24", "10.176.1.0/28", "172.30.8.0/24", "172.16.5.0/24", "172.21.0.0/24",
      "fd12:3456::/48");
  /** Destinations of extra routes: the remotes plus neighbours and more specifics. */
  private static final List<String> DESTINATIONS = List.of(
      "192.168.0.0/16", "192.168.1.0/24", "192.168.2.0/24", "192.168.1.128/25", "192.168.1.0/25",
      "192.168.3.0/24", "10.1.0.0/16", "10.1.2.0/24", "198.51.100.0/24", "198.51.100.64/26",
      "203.0.113.0/24");

  /** One node and the policy it is planned with. */
  record Scenario(RoutePolicy policy, String zone, RouteTable table) {
    RoutePlan plan() {
      return RoutePlanner.standard().plan(new RoutePlanRequest(policy, zone, table));
    }

    RoutePlan planAgainst(RouteTable other) {
      return RoutePlanner.standard().plan(new RoutePlanRequest(policy, zone, other));
    }
  }

  @Property
  void routePlanningIsIdempotent(@ForAll("scenarios") Scenario s) {
    RoutePlan first = s.plan();
    RouteTable after = s.table().apply(first);
    RoutePlan second = s.planAgainst(after);
    assertEquals(List.of(), second.toIpCommands(), () -> "first plan: " + first.toScriptLines());
  }

  @Property
  void foreignRoutesAreNeverDeletedOrReplaced(@ForAll("scenarios") Scenario s) {
    RoutePlan plan = s.plan();
    for (RouteOperation op : plan.operations()) {
      if (op.kind() == RouteOperation.Kind.DELETE) {
        assertEquals(OWNER, op.route().protocol(), op::toString);
      }
      if (op.kind() == RouteOperation.Kind.REPLACE) {
        for (Route existing : s.table().routes()) {
          if (existing.key().equals(op.route().key())) {
            assertEquals(OWNER, existing.protocol(), () -> op + " overwrites " + existing);
          }
        }
      }
    }
    Set<Route> after = new HashSet<>(s.table().apply(plan).routes());
    for (Route r : s.table().routes()) {
      if (!r.protocol().equals(OWNER)) {
        assertTrue(after.contains(r), () -> "foreign route lost: " + r);
      }
    }
  }

  @Property
  void afterApplyRemoteSubnetsLeaveThroughThePrivateNetwork(@ForAll("scenarios") Scenario s) {
    RoutePlan plan = s.plan();
    RouteTable after = s.table().apply(plan);
    boolean nodeWide = plan.diagnostics().stream().anyMatch(d -> d.subnet() == null
        && (d.kind() == Kind.NO_PRIVATE_GATEWAY || d.kind() == Kind.NODE_OUTSIDE_VPN_ZONE));
    for (IpPrefix remote : s.policy().remoteSubnets()) {
      boolean excused = nodeWide || plan.diagnostics().stream()
          .anyMatch(d -> remote.equals(d.subnet()) && d.severity() != Severity.INFO);
      if (excused) {
        continue;
      }
      Optional<Route> reply = replyRoute(after, s.policy().table(), remote);
      assertTrue(reply.isPresent(), () -> remote + " has no route; plan " + plan.toScriptLines());
      assertFalse(reply.get().isDefault(), () -> remote + " still uses " + reply.get());
      assertEquals("eth0", reply.get().device(), () -> remote + " uses " + reply.get());
    }
  }

  @Property
  void planningIsDeterministic(@ForAll("scenarios") Scenario s, @ForAll long seed) {
    List<Route> shuffled = new ArrayList<>(s.table().routes());
    Collections.shuffle(shuffled, new Random(seed));
    List<IpPrefix> remotes = new ArrayList<>(s.policy().remoteSubnets());
    Collections.shuffle(remotes, new Random(seed + 1));
    RoutePolicy samePolicy = new RoutePolicy(s.policy().cluster(), remotes,
        s.policy().privateNetworks(), s.policy().nextHopOverride(), s.policy().metric(),
        s.policy().table(), s.policy().owner(), s.policy().mtu(), s.policy().zones(),
        s.policy().suggestSharedAddressSpace());
    RoutePlan plan = s.plan();
    assertEquals(plan, s.plan());
    assertEquals(plan, new Scenario(samePolicy, s.zone(), RouteTable.of(shuffled)).plan());
  }

  /** Where replies go: the planner's table first (as if a rule sent them there), then main. */
  private static Optional<Route> replyRoute(RouteTable t, RouteTableId table, IpPrefix remote) {
    Optional<Route> r = t.covering(remote, table);
    return r.isPresent() ? r : t.covering(remote, RouteTableId.MAIN);
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<IpPrefix>> remotes = Arbitraries.of(REMOTES).map(IpPrefix::parse)
        .list().ofMaxSize(6);
    Arbitrary<List<Route>> extras = extraRoute().list().ofMaxSize(8);
    Arbitrary<Boolean> keepPrivateRoute = Arbitraries.of(true, true, true, true, true, false);
    Arbitrary<ZoneRouting> zones = Arbitraries.of(ZoneRouting.allZones(), ZoneRouting.only("dal10"));
    Arbitrary<String> zone = Arbitraries.of("dal10", "dal12").injectNull(0.2);
    Arbitrary<Long> metric = Arbitraries.of(100L, 0L, 200L);
    Arbitrary<RouteTableId> table = Arbitraries.of(RouteTableId.MAIN, RouteTableId.MAIN, RouteTableId.of(100));
    return Combinators.combine(remotes, extras, keepPrivateRoute, zones, zone, metric, table)
        .as((r, e, keep, z, nodeZone, m, t) -> new Scenario(
            RouteFixtures.ibmPolicy().remoteSubnets(r).zones(z).metric(m).table(t).build(),
            nodeZone, node(e, keep)));
  }

  private static RouteTable node(List<Route> extras, boolean keepPrivateRoute) {
    Map<Route.Key, Route> byKey = new LinkedHashMap<>();
    for (Route r : FIXTURE.routes()) {
      if (keepPrivateRoute || !r.destination().equals(RoutePolicy.IBM_PRIVATE_NETWORK)) {
        byKey.put(r.key(), r);
      }
    }
    for (Route r : extras) {
      byKey.putIfAbsent(r.key(), r); // the kernel holds one route per key
    }
    return RouteTable.of(byKey.values());
  }

  private static Arbitrary<Route> extraRoute() {
    Arbitrary<IpPrefix> dst = Arbitraries.of(DESTINATIONS).map(IpPrefix::parse);
    Arbitrary<String> gateway = Arbitraries.of("10.176.1.1", "10.176.1.2", "169.61.99.9").injectNull(0.25);
    Arbitrary<String> device = Arbitraries.of("eth0", "eth1", "tunl0");
    Arbitrary<Long> metric = Arbitraries.of(0L, 100L, 200L);
    Arbitrary<RouteProtocol> protocol = Arbitraries.of(RouteProtocol.BOOT, RouteProtocol.STATIC,
        RouteProtocol.parse("bird"), OWNER, OWNER);
    Arbitrary<RouteTableId> table = Arbitraries.of(RouteTableId.MAIN, RouteTableId.MAIN, RouteTableId.of(100));
    return Combinators.combine(dst, gateway, device, metric, protocol, table)
        .as((d, g, dev, m, p, t) -> new Route(d, g == null ? null : IpAddress.parse(g), dev, m, t, p,
            g == null ? RouteScope.LINK : RouteScope.GLOBAL, RouteType.UNICAST, null, 0, Set.of()));
  }
}
