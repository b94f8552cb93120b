package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.route.Diagnostic.Kind;
import dev.ferry.vpn.core.route.Diagnostic.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The standard {@link RoutePlanner}; {@code docs/routes.md} explains each step.
 *
 * <ol>
 *   <li>Remote subnets that overlap a pod, service, node or reserved range get no route and an
 *       error with a suggested free mapping range.
 *   <li>With zone-specific routes, a node outside the VPN zones wants no routes at all.
 *   <li>The next hop is the override, or the gateway and device of the route that covers the
 *       private network (the IBM DaemonSet's discovery from the 10.0.0.0/8 route).
 *   <li>Each wanted subnet gets one route, unless a route the planner does not own already sits at
 *       its key or sends the subnet out of another interface (a conflict, reported, left alone).
 *   <li>Own routes that are no longer wanted are deleted; nothing else ever is.
 *   <li>The plan is applied to a copy of the table to report subnets still answered through the
 *       default route.
 * </ol>
 */
final class DefaultRoutePlanner implements RoutePlanner {

  private static final Comparator<RouteOperation> ORDER =
      Comparator.<RouteOperation>comparingInt(op -> switch (op.kind()) {
            case DELETE -> 0;
            case REPLACE -> 1;
            case ADD -> 2;
          })
          .thenComparing(op -> op.route().destination())
          .thenComparingLong(op -> op.route().metric())
          .thenComparingInt(op -> op.route().table().id());

  /** A destination in a table, whatever the metric. */
  private record Slot(RouteTableId table, IpPrefix destination) {}

  /** One cluster range a remote subnet overlaps. */
  private record Overlap(IpPrefix range, Kind kind, String what) {}

  /** The overlaps of one policy: they do not depend on the node, so nodes share them. */
  private record PolicyOverlaps(RoutePolicy policy, Map<IpPrefix, List<Overlap>> byRemote) {}

  /**
   * The overlaps of the policy planned last. Planning many nodes with one policy (a DaemonSet, the
   * benchmark) then checks the overlaps once; the plan is the same either way.
   */
  private volatile PolicyOverlaps lastOverlaps;

  @Override
  public RoutePlan plan(RoutePlanRequest request) {
    PolicyOverlaps known = lastOverlaps;
    if (known == null || known.policy() != request.policy()) {
      known = new PolicyOverlaps(request.policy(), overlapsOf(request.policy()));
      lastOverlaps = known;
    }
    return new Planning(request, known.byRemote()).run();
  }

  /** Every cluster range each remote subnet overlaps, by kind, in the policy's order. */
  private static Map<IpPrefix, List<Overlap>> overlapsOf(RoutePolicy policy) {
    ClusterNetworks c = policy.cluster();
    Map<IpPrefix, List<Overlap>> out = new HashMap<>();
    for (IpPrefix remote : policy.remoteSubnets()) {
      List<Overlap> found = new ArrayList<>();
      addOverlaps(remote, c.podNetworks(), Kind.REMOTE_OVERLAPS_POD_NETWORK, "pod network", found);
      addOverlaps(remote, c.serviceNetworks(), Kind.REMOTE_OVERLAPS_SERVICE_NETWORK, "service network", found);
      addOverlaps(remote, c.nodeSubnets(), Kind.REMOTE_OVERLAPS_NODE_SUBNET, "node subnet", found);
      addOverlaps(remote, c.reservedRanges(), Kind.REMOTE_OVERLAPS_RESERVED, "reserved range", found);
      if (!found.isEmpty()) {
        out.put(remote, List.copyOf(found));
      }
    }
    return Map.copyOf(out);
  }

  private static void addOverlaps(
      IpPrefix remote, List<IpPrefix> ranges, Kind kind, String what, List<Overlap> into) {
    for (IpPrefix range : ranges) {
      if (range.overlaps(remote)) {
        into.add(new Overlap(range, kind, what));
      }
    }
  }

  /** The state of one planning run; never shared. */
  private static final class Planning {
    private final RoutePolicy policy;
    private final RouteTable table;
    private final String nodeZone;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final List<RouteOperation> operations = new ArrayList<>();
    /** Subnets some diagnostic already explains, so that the default-route check stays quiet. */
    private final Set<IpPrefix> explained = new LinkedHashSet<>();
    private List<IpPrefix> inUse;
    /** Remote subnet to its suggested mapping (null when none is free), in the order found. */
    private final Map<IpPrefix, IpPrefix> suggestions = new HashMap<>();

    /** The remote subnets that overlap cluster ranges; see {@link #overlapsOf}. */
    private final Map<IpPrefix, List<Overlap>> overlaps;

    Planning(RoutePlanRequest request, Map<IpPrefix, List<Overlap>> overlaps) {
      this.overlaps = overlaps;
      this.policy = request.policy();
      this.table = request.nodeRoutes();
      this.nodeZone = request.nodeZone();
    }

    RoutePlan run() {
      List<IpPrefix> routable = new ArrayList<>();
      for (IpPrefix remote : policy.remoteSubnets()) {
        if (!reportOverlaps(remote)) {
          routable.add(remote);
        }
      }
      List<IpPrefix> wanted = routable;
      if (!policy.zones().routesIn(nodeZone)) {
        wanted = List.of();
        diagnostics.add(new Diagnostic(Kind.NODE_OUTSIDE_VPN_ZONE,
            nodeZone == null ? Severity.WARNING : Severity.INFO, null, null, null,
            nodeZone == null
                ? "zone-specific routes are on but this node's zone is unknown; it gets no VPN routes"
                : "zone-specific routes are on and zone " + nodeZone + " is not a VPN zone "
                    + policy.zones().vpnZones() + "; this node gets no VPN routes"));
      }

      Map<IpFamily, Optional<NextHop>> nextHops = new EnumMap<>(IpFamily.class);
      Map<Route.Key, Route> desired = new LinkedHashMap<>();
      Set<IpPrefix> wantedWithoutNextHop = new LinkedHashSet<>();
      for (IpPrefix remote : wanted) {
        Optional<NextHop> hop = nextHops.computeIfAbsent(remote.family(), this::nextHop);
        if (hop.isEmpty()) {
          wantedWithoutNextHop.add(remote);
          explained.add(remote);
          continue;
        }
        Route route = new Route(remote, hop.get().gateway(), hop.get().device(),
            policy.metricFor(remote.family()), policy.table(), policy.owner(),
            hop.get().gateway() == null ? RouteScope.LINK : RouteScope.GLOBAL,
            RouteType.UNICAST, null, policy.mtu(), Set.of());
        desired.put(route.key(), route);
      }

      deleteStaleOwnRoutes(desired, wantedWithoutNextHop);
      // Sorted so that the order of the node's listing never changes the order of the findings.
      List<Route> foreign = table.routes().stream()
          .filter(r -> foreign(r) && !r.isDefault())
          .sorted(Comparator.comparing(Route::destination).thenComparingLong(Route::metric))
          .toList();
      desired.values().forEach(route -> planRoute(route, foreign)); // in remote subnet order

      operations.sort(ORDER);
      if (policy.zones().routesIn(nodeZone)) { // elsewhere other zones' VPNs serve the subnets
        reportDefaultRouted(
            operations.isEmpty() ? table : table.apply(new RoutePlan(operations, List.of())));
      }
      return new RoutePlan(operations, diagnostics);
    }

    /** Reports each overlap of {@code remote}'s with a suggestion; true when there is one. */
    private boolean reportOverlaps(IpPrefix remote) {
      List<Overlap> found = overlaps.get(remote);
      if (found == null) {
        return false;
      }
      explained.add(remote);
      IpPrefix suggestion = suggestMapping(remote);
      for (Overlap o : found) {
        diagnostics.add(new Diagnostic(o.kind(), Severity.ERROR, remote, o.range(), suggestion,
            "remote subnet " + remote + " overlaps the " + o.what() + " " + o.range()
                + "; it gets no route. Map it to a free range with remoteSubnetNAT"
                + (suggestion == null
                    ? " (no free /" + remote.prefixLength() + " was found in the private ranges)"
                    : ", e.g. " + remote + "=" + suggestion)));
      }
      return true;
    }

    /** One suggestion per remote subnet, never reused for another one in the same plan. */
    private IpPrefix suggestMapping(IpPrefix remote) {
      if (suggestions.containsKey(remote)) {
        return suggestions.get(remote);
      }
      if (inUse == null) {
        inUse = new ArrayList<>(policy.cluster().all());
        inUse.addAll(policy.remoteSubnets());
        for (Route r : table.routes()) {
          if (!r.isDefault()) {
            inUse.add(r.destination());
          }
        }
      }
      IpPrefix found = FreeRangeFinder.find(remote.prefixLength(),
              FreeRangeFinder.pools(remote.family(), policy.suggestSharedAddressSpace()), inUse)
          .orElse(null);
      suggestions.put(remote, found);
      if (found != null) {
        inUse.add(found);
      }
      return found;
    }

    /** The override, or the next hop of the route covering the private network of {@code family}. */
    private Optional<NextHop> nextHop(IpFamily family) {
      NextHop override = policy.nextHopOverride();
      if (override != null && override.gateway() != null && override.gateway().family() == family) {
        if (override.device() != null) {
          return Optional.of(override);
        }
        Optional<Route> toGateway =
            table.covering(IpPrefix.host(override.gateway()), RouteTableId.MAIN, this::foreign);
        if (toGateway.isPresent() && toGateway.get().device() != null && !toGateway.get().isDefault()) {
          return Optional.of(new NextHop(override.gateway(), toGateway.get().device()));
        }
        noNextHop(family, null, "the configured gateway " + override.gateway()
            + " is reached by no route other than the default route, so its device is unknown;"
            + " configure the device too");
        return Optional.empty();
      }
      if (override != null && override.gateway() == null) {
        return Optional.of(override);
      }
      IpPrefix privateNetwork = policy.privateNetwork(family);
      if (privateNetwork == null) {
        noNextHop(family, null, "no private network of " + family + " is configured, so no gateway"
            + " can be discovered for " + family + " remote subnets; configure one or a next hop");
        return Optional.empty();
      }
      // Own routes are skipped: the gateway must come from the node, not from an earlier plan.
      Optional<Route> covering = table.covering(privateNetwork, RouteTableId.MAIN, this::foreign);
      if (covering.isEmpty() || covering.get().isDefault()) {
        noNextHop(family, privateNetwork, "no route other than the default route covers the private"
            + " network " + privateNetwork + " (expected e.g. '" + privateNetwork
            + " via <gateway> dev <private interface>'); remote subnets of " + family
            + " get no routes");
        return Optional.empty();
      }
      Route r = covering.get();
      if (r.type() != RouteType.UNICAST || r.device() == null) {
        noNextHop(family, privateNetwork, "the route " + r + " covering the private network is not"
            + " a single-path unicast route; configure the next hop explicitly");
        return Optional.empty();
      }
      return Optional.of(new NextHop(r.gateway(), r.device()));
    }

    private boolean foreign(Route r) {
      return !r.protocol().equals(policy.owner());
    }

    private void noNextHop(IpFamily family, IpPrefix privateNetwork, String message) {
      diagnostics.add(new Diagnostic(Kind.NO_PRIVATE_GATEWAY, Severity.ERROR, null, privateNetwork,
          null, message));
    }

    /**
     * Deletes own routes nobody wants any more. Own routes for wanted subnets whose next hop is
     * unknown stay: deleting them would only make things worse until the gateway is back.
     */
    private void deleteStaleOwnRoutes(Map<Route.Key, Route> desired, Set<IpPrefix> keep) {
      Set<Slot> wantedSlots = new HashSet<>();
      for (Route d : desired.values()) {
        wantedSlots.add(new Slot(d.table(), d.destination()));
      }
      for (Route r : table.routes()) {
        if (foreign(r)) {
          continue; // never touch what we did not create
        }
        boolean wantedHere = wantedSlots.contains(new Slot(r.table(), r.destination()));
        if (!wantedHere && !keep.contains(r.destination())) {
          operations.add(RouteOperation.delete(r));
        }
      }
    }

    private void planRoute(Route want, List<Route> foreign) {
      IpPrefix dst = want.destination();
      List<Route> existing = table.routesTo(dst, want.table());
      for (Route r : existing) {
        boolean own = !foreign(r);
        if (!own && r.metric() == want.metric()) {
          conflict(dst, dst, "the route '" + r + "' (not created by this planner) has the same"
              + " table, destination and metric; it is left alone and no route is planned");
          return;
        }
        if (!own && !leavesLike(r, want)) {
          conflict(dst, dst, "the route '" + r + "' (not created by this planner) sends " + dst
              + " elsewhere; it is left alone and no route is planned");
          return;
        }
      }
      boolean present = false;
      for (Route r : existing) {
        if (foreign(r)) {
          continue;
        }
        if (r.metric() != want.metric()) {
          operations.add(RouteOperation.delete(r)); // own route at an old metric
        } else if (r.forwardsLike(want)) {
          present = true;
        } else {
          operations.add(RouteOperation.replace(want));
          present = true;
        }
      }
      if (!present) {
        operations.add(RouteOperation.add(want));
      }
      for (Route r : foreign) {
        if (r.table().equals(want.table())
            && r.destination().prefixLength() > dst.prefixLength()
            && dst.contains(r.destination())
            && !leavesLike(r, want)) {
          conflict(dst, r.destination(), "the more specific route '" + r + "' (not created by"
              + " this planner) takes " + r.destination() + " out of " + dst
              + "; replies to it do not use the private network");
        }
      }
    }

    /** rp_filter compares interfaces, so a route out of the same device is as good as ours. */
    private static boolean leavesLike(Route r, Route want) {
      return r.type() == RouteType.UNICAST && want.device().equals(r.device());
    }

    private void conflict(IpPrefix subnet, IpPrefix with, String message) {
      explained.add(subnet);
      diagnostics.add(new Diagnostic(Kind.CONFLICTING_ROUTE, Severity.WARNING, subnet, with, null,
          message));
    }

    /**
     * Reports remote subnets whose replies leave (after the plan: still leave) through a default
     * route, where the reverse-path filter of the seeds drops them.
     */
    private void reportDefaultRouted(RouteTable after) {
      for (IpPrefix remote : policy.remoteSubnets()) {
        Optional<Route> before = replyRoute(table, remote);
        Optional<Route> now = replyRoute(after, remote);
        boolean wasDefault = before.isPresent() && before.get().isDefault();
        boolean isDefault = now.isPresent() && now.get().isDefault();
        if (isDefault && !explained.contains(remote)) {
          diagnostics.add(new Diagnostic(Kind.REMOTE_VIA_DEFAULT_ROUTE, Severity.WARNING, remote,
              now.get().destination(), null, "replies to " + remote + " still leave through the"
                  + " default route (" + describeHop(now.get()) + "); with reverse-path filtering"
                  + " they are dropped"));
        } else if (isDefault) {
          diagnostics.add(new Diagnostic(Kind.REMOTE_VIA_DEFAULT_ROUTE, Severity.WARNING, remote,
              now.get().destination(), null, "because of the finding above, replies to " + remote
                  + " leave through the default route (" + describeHop(now.get()) + ")"));
        } else if (wasDefault) {
          diagnostics.add(new Diagnostic(Kind.REMOTE_VIA_DEFAULT_ROUTE, Severity.INFO, remote,
              before.get().destination(), null, "replies to " + remote + " left through the default"
                  + " route (" + describeHop(before.get()) + "); with the plan they leave "
                  + now.map(DefaultRoutePlanner.Planning::describeHop).orElse("no route")));
        }
      }
    }

    /** The route replies take: the planner's table first (a policy rule is assumed), then main. */
    private Optional<Route> replyRoute(RouteTable t, IpPrefix remote) {
      if (!policy.table().equals(RouteTableId.MAIN)) {
        Optional<Route> own = t.covering(remote, policy.table());
        if (own.isPresent() && own.get().type() != RouteType.THROW) {
          return own;
        }
      }
      return t.covering(remote, RouteTableId.MAIN);
    }

    private static String describeHop(Route r) {
      String hop = (r.gateway() == null ? "" : "via " + r.gateway() + " ")
          + (r.device() == null ? "" : "dev " + r.device());
      return hop.isBlank() ? r.toString() : hop.strip();
    }
  }
}
