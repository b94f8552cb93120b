package dev.ferry.vpn.core.route;

/**
 * Computes the route changes that make a node answer remote (on-prem) subnets through its private
 * network instead of its default route, and reports what stands in the way.
 *
 * <p>Contract: planning is a pure function (same request, same plan, no I/O); it is idempotent
 * (planning again against {@code nodeRoutes.apply(plan)} yields no operations); and it never
 * deletes or replaces a route whose protocol is not the policy's {@link RoutePolicy#owner()}.
 */
public interface RoutePlanner {

  RoutePlan plan(RoutePlanRequest request);

  /** The planner described in {@code docs/routes.md}. */
  static RoutePlanner standard() {
    return new DefaultRoutePlanner();
  }
}
