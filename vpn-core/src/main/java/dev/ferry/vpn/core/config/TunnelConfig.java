package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.crypto.Secret;

import dev.ferry.vpn.core.nat.NatPolicy;
import dev.ferry.vpn.core.nat.SourceNatConfig;
import dev.ferry.vpn.core.route.ClusterNetworks;
import dev.ferry.vpn.core.route.RoutePolicy;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * One tunnel endpoint's configuration, as loaded by {@link ChartConfigLoader} from the strongSwan
 * chart's {@code config.yaml}. Immutable; {@link #toString()} never shows the pre-shared key.
 */
@Value.Immutable
public interface TunnelConfig {

  /** Where the configuration came from (file name), for messages. */
  String sourceName();

  IkeSettings ike();

  LocalSettings local();

  RemoteSettings remote();

  /** {@code preshared.secret}. */
  @Value.Redacted
  Secret presharedKey();

  NatSettings nat();

  /** {@code zoneSpecificRoutes}: route only on nodes in {@link #zoneSelector()}. */
  @Value.Default
  default boolean zoneSpecificRoutes() {
    return false;
  }

  /** {@code zoneSelector}: the zone the VPN pod is pinned to (also kept in placement). */
  Optional<String> zoneSelector();

  @Value.Default
  default MonitoringSettings monitoring() {
    return ImmutableMonitoringSettings.builder().build();
  }

  @Value.Default
  default FerrySettings ferry() {
    return ImmutableFerrySettings.builder().build();
  }

  /**
   * Chart keys that only steer Kubernetes (nodeSelector, tolerations, loadBalancerIP, ...), kept as
   * plain values (String, Boolean, Long, List, Map) for the adapter that deploys the pod.
   */
  Map<String, Object> placement();

  /** Warnings and notes found while loading; errors never reach a configuration. */
  List<ConfigProblem> warnings();

  /** Only the warnings (not the placement notes). */
  default List<ConfigProblem> warningsOnly() {
    return warnings().stream()
        .filter(p -> p.severity() == ConfigProblem.Severity.WARNING)
        .toList();
  }

  /**
   * One line for logs, e.g. {@code valid: ikev2 auto=start remote 203.0.113.10 local
   * 172.30.0.0/16,172.21.0.0/16 <-> remote 192.168.0.0/24; ike ...; esp ...; 1 localSubnetNAT, 0
   * remoteSubnetNAT; 2 warnings}.
   */
  default String summary() {
    String localText = local().subnetFromZone()
        ? "%zoneSubnet(" + local().zoneSubnets().size() + " zones)"
        : join(local().subnets());
    int warnings = warningsOnly().size();
    return "valid: ikev2 auto=" + ike().startAction().name().toLowerCase(java.util.Locale.ROOT)
        + " remote " + remote().gateway()
        + " local " + localText + " <-> remote " + join(remote().subnets())
        + "; ike " + ike().ikeProposals() + "; esp " + ike().espProposals()
        + "; " + nat().localSubnetNat().size() + " localSubnetNAT, "
        + nat().remoteSubnetNat().size() + " remoteSubnetNAT; "
        + warnings + (warnings == 1 ? " warning" : " warnings");
  }

  /** The cluster's own networks as the route planner and NAT validation see them. */
  default ClusterNetworks clusterNetworks() {
    return DerivedPolicies.clusterNetworks(this);
  }

  /** {@code remote.subnet} after {@code remoteSubnetNAT}: what cluster workloads send to. */
  default List<IpPrefix> remoteSubnetsSeenByCluster() {
    return DerivedPolicies.remoteSubnetsSeenByCluster(remote().subnets(), nat().remoteSubnetNat());
  }

  /** The route planner's cluster-wide policy for this tunnel. */
  default RoutePolicy routePolicy() {
    return DerivedPolicies.routePolicy(this);
  }

  /**
   * The NAT engine's rules: {@code localSubnetNAT} and {@code remoteSubnetNAT}, or, with {@code
   * enableSingleSourceIP}, many-to-one from the cluster's networks to the single local address.
   */
  default NatPolicy natPolicy() {
    return DerivedPolicies.natPolicy(this);
  }

  /** Limits of the many-to-one NAT's connection table ({@code ferry.nat.*}). */
  default SourceNatConfig sourceNatConfig() {
    return DerivedPolicies.sourceNatConfig(this);
  }

  private static String join(List<IpPrefix> prefixes) {
    return prefixes.stream().map(IpPrefix::toString).collect(Collectors.joining(","));
  }
}
