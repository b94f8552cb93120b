package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * {@code ferry.cluster.*}: the cluster's own networks, for the route planner. When pod and service
 * subnets are not given the planner falls back to {@code local.subnet}.
 */
@Value.Immutable
public interface ClusterNetworks {
  List<IpPrefix> podSubnets();

  List<IpPrefix> serviceSubnets();

  List<IpPrefix> nodeSubnets();

  /** Ranges nothing may be routed or NATed into (e.g. the provider's control-plane ranges). */
  List<IpPrefix> reservedSubnets();

  /** This node's zone, matched against {@code local.zoneSubnet} and {@code zoneSelector}. */
  Optional<String> zone();
}
