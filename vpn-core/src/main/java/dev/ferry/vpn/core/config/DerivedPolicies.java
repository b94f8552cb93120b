package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.nat.NatRule;
import dev.ferry.vpn.core.nat.SourceNatConfig;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Prefixes;
import dev.ferry.vpn.core.nat.PortRange;
import dev.ferry.vpn.core.route.ClusterNetworks;
import dev.ferry.vpn.core.route.RoutePolicy;
import dev.ferry.vpn.core.route.ZoneRouting;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link TunnelConfig} into the inputs of the NAT engine and the route planner. Kept apart
 * from the loader so the same derivation serves the sidecar, the Kubernetes adapter and the
 * loader's own cross-checks.
 */
final class DerivedPolicies {
  private DerivedPolicies() {}

  /** Private address space that may hold cluster addresses when the cluster's networks are unknown. */
  private static final List<IpPrefix> PRIVATE_V4 = List.of(
      IpPrefix.parse("10.0.0.0/8"), // RFC 1918
      IpPrefix.parse("172.16.0.0/12"), // RFC 1918
      IpPrefix.parse("192.168.0.0/16"), // RFC 1918
      IpPrefix.parse("100.64.0.0/10")); // RFC 6598 shared address space

  private static final List<IpPrefix> PRIVATE_V6 = List.of(IpPrefix.parse("fc00::/7")); // RFC 4193

  /**
   * The cluster's networks for route planning: {@code ferry.cluster.*}; when neither pod nor service
   * subnets are given, {@code local.subnet} stands in for them (the chart lists the pod and service
   * subnets there by default).
   */
  static ClusterNetworks clusterNetworks(TunnelConfig c) {
    ClusterNetworks given = c.ferry().cluster();
    if (!given.podNetworks().isEmpty() || !given.serviceNetworks().isEmpty()) {
      return given;
    }
    List<IpPrefix> local = new ArrayList<>(c.local().subnetsIn(c.ferry().zone()));
    // A localSubnetNAT target is how the remote side sees the cluster, not a cluster network.
    c.nat().localSubnetNat().forEach(r -> local.remove(r.mapped()));
    return new ClusterNetworks(
        local, List.of(), given.nodeSubnets(), given.reservedRanges());
  }

  /**
   * {@code remote.subnet} as cluster workloads address it: the part of each remote subnet that a
   * {@code remoteSubnetNAT} rule maps is replaced by the rule's mapped prefix (the original
   * addresses are then unreachable from the cluster, since replies come back translated).
   */
  static List<IpPrefix> remoteSubnetsSeenByCluster(List<IpPrefix> remoteSubnets, List<NatRule> remoteNat) {
    List<IpPrefix> originals = remoteNat.stream().map(NatRule::original).toList();
    List<IpPrefix> seen = new ArrayList<>(Prefixes.subtract(remoteSubnets, originals));
    remoteNat.forEach(r -> seen.add(r.mapped()));
    return Prefixes.aggregate(seen);
  }

  /**
   * The source ranges that {@code enableSingleSourceIP} translates to the single address: the
   * cluster's pod, service and node networks when known; otherwise all private space of the
   * address's family except the local subnets (the single address, and with {@code %zoneSubnet}
   * the other zones' addresses) and what the remote side (as seen by the cluster) occupies, which
   * is the chart's "everything towards the remote subnets leaves from one address".
   */
  static List<IpPrefix> singleSourceOriginals(ClusterNetworks cluster, IpPrefix external,
      List<IpPrefix> localSubnets, List<IpPrefix> remoteSubnets, List<NatRule> remoteNat) {
    IpFamily family = external.family();
    List<IpPrefix> known = new ArrayList<>();
    known.addAll(cluster.podNetworks());
    known.addAll(cluster.serviceNetworks());
    known.addAll(cluster.nodeSubnets());
    known.removeIf(p -> p.family() != family);
    if (!known.isEmpty()) {
      return Prefixes.aggregate(known);
    }
    List<IpPrefix> excluded = new ArrayList<>(remoteSubnets);
    excluded.add(external);
    excluded.addAll(localSubnets);
    remoteNat.forEach(r -> {
      excluded.add(r.original());
      excluded.add(r.mapped());
    });
    // A single-address original would make a 1:1 rule (equal lengths), which may not share its
    // target with the many-to-one rules; such leftovers sit next to the local addresses and are
    // not cluster sources, so they are left untranslated.
    return Prefixes.subtract(family == IpFamily.IPV4 ? PRIVATE_V4 : PRIVATE_V6, excluded).stream()
        .filter(p -> !p.isHost())
        .toList();
  }

  static RoutePolicy routePolicy(TunnelConfig c) {
    RouteSettings routes = c.ferry().routes();
    RoutePolicy.Builder b = RoutePolicy.builder()
        .cluster(clusterNetworks(c))
        .remoteSubnets(c.remoteSubnetsSeenByCluster())
        .privateNetworks(List.of(routes.privateNetwork()))
        .table(routes.table())
        .owner(routes.protocol())
        .zones(c.zoneSpecificRoutes() && c.zoneSelector().isPresent()
            ? ZoneRouting.only(c.zoneSelector().get())
            : ZoneRouting.allZones());
    routes.metric().ifPresent(b::metric);
    return b.build();
  }

  static NatPolicy natPolicy(TunnelConfig c) {
    if (!c.nat().singleSourceIp()) {
      return new NatPolicy(c.nat().localSubnetNat(), c.nat().remoteSubnetNat());
    }
    // The loader guarantees one /32 (or /128) here: the chart's rule for enableSingleSourceIP.
    IpPrefix external = c.local().subnetsIn(c.ferry().zone()).get(0);
    List<IpPrefix> originals = singleSourceOriginals(c.ferry().cluster(), external,
        c.local().allSubnets(), c.remote().subnets(), c.nat().remoteSubnetNat());
    return NatPolicy.singleSource(external.network(), originals, c.nat().remoteSubnetNat());
  }

  static SourceNatConfig sourceNatConfig(TunnelConfig c) {
    PortRange ports = c.ferry().natPortRange();
    return SourceNatConfig.DEFAULTS
        .withMaxFlows(c.ferry().natTableSize())
        .withPorts(ports, ports, PortRange.ALL);
  }
}
