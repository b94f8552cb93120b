package dev.ferry.vpn.core.route;

import java.util.Objects;

/**
 * What the planner needs for one node: the cluster-wide policy, the node's zone and its current
 * routing table.
 *
 * @param policy the cluster-wide settings (shared by all nodes)
 * @param nodeZone the node's zone (e.g. the {@code topology.kubernetes.io/zone} label), or null
 *     when unknown
 * @param nodeRoutes the node's routes as they are now ({@code ip -j route show table all})
 */
public record RoutePlanRequest(RoutePolicy policy, String nodeZone, RouteTable nodeRoutes) {

  public RoutePlanRequest {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(nodeRoutes, "nodeRoutes");
  }
}
