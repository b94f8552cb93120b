package dev.ferry.vpn.core.route;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes get VPN routes. With {@code zoneSpecificRoutes} (the IBM chart's setting of that
 * name) only nodes in one of {@code vpnZones} do: each zone's VPN then serves only its own zone,
 * so several VPNs may use the same remote subnets. Without it every node gets routes.
 *
 * @param zoneSpecificRoutes true to route only in the VPN zones
 * @param vpnZones the zones where a VPN endpoint runs; required when {@code zoneSpecificRoutes}
 */
public record ZoneRouting(boolean zoneSpecificRoutes, Set<String> vpnZones) {

  public ZoneRouting {
    // Sorted so that messages naming the zones read the same on every run.
    vpnZones = Collections.unmodifiableSortedSet(new TreeSet<>(vpnZones));
    if (zoneSpecificRoutes && vpnZones.isEmpty()) {
      throw new IllegalArgumentException(
          "zone-specific routes need at least one VPN zone, or no node would get a route");
    }
    for (String zone : vpnZones) {
      if (zone.isBlank()) {
        throw new IllegalArgumentException("a VPN zone name is blank");
      }
    }
  }

  /** Every node gets routes, whatever its zone. */
  public static ZoneRouting allZones() {
    return new ZoneRouting(false, Set.of());
  }

  /** Only nodes in {@code zones} get routes. */
  public static ZoneRouting only(String... zones) {
    return new ZoneRouting(true, Set.of(zones));
  }

  /** True when a node in {@code nodeZone} (null when unknown) gets routes. */
  public boolean routesIn(String nodeZone) {
    return !zoneSpecificRoutes || (nodeZone != null && vpnZones.contains(nodeZone));
  }
}
