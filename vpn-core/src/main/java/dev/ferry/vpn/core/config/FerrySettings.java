package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.nat.PortRange;
import dev.ferry.vpn.core.route.ClusterNetworks;
import java.util.Optional;

import org.immutables.value.Value;

/**
 * Ferry's own additions, under the top-level {@code ferry:} section (the chart ignores it). Every
 * value has a default, so the section may be left out.
 */
@Value.Immutable
public interface FerrySettings {
  String DEFAULT_DEVICE = "ferry0";
  int DEFAULT_MTU = 1400;
  int MIN_MTU_IPV4 = 576;
  int MIN_MTU_IPV6 = 1280;
  int MAX_MTU = 9000;
  int MIN_REPLAY_WINDOW = 32;
  int MAX_REPLAY_WINDOW = 65536;

  /** {@code ferry.tunnel.device}: Linux interface name (1..15 bytes, IFNAMSIZ minus the NUL). */
  @Value.Default
  default String tunnelDevice() {
    return DEFAULT_DEVICE;
  }

  /** {@code ferry.tunnel.mtu}. */
  @Value.Default
  default int mtu() {
    return DEFAULT_MTU;
  }

  /** {@code ferry.ike.port}: UDP port for IKE (RFC 7296 section 2). */
  @Value.Default
  default int ikePort() {
    return 500;
  }

  /** {@code ferry.ike.natTraversalPort}: UDP port for NAT-T (RFC 3948). */
  @Value.Default
  default int natTraversalPort() {
    return 4500;
  }

  /** {@code ferry.esp.replayWindow}: anti-replay window in packets (RFC 4303 section 3.4.3). */
  @Value.Default
  default int replayWindow() {
    return 1024;
  }

  /**
   * {@code ferry.cluster.{podSubnets,serviceSubnets,nodeSubnets,reservedSubnets}}: the cluster's
   * own networks, for NAT validation and the route planner. When pod and service subnets are not
   * given, {@link TunnelConfig#routePolicy} falls back to {@code local.subnet}.
   */
  @Value.Default
  default ClusterNetworks cluster() {
    return ClusterNetworks.none();
  }

  /** {@code ferry.cluster.zone}: this node's zone, matched against {@code local.zoneSubnet}. */
  Optional<String> zone();

  @Value.Default
  default RouteSettings routes() {
    return ImmutableRouteSettings.builder().build();
  }

  /** {@code ferry.nat.tableSize}: the most connections the many-to-one NAT tracks. */
  @Value.Default
  default int natTableSize() {
    return 65536;
  }

  /** {@code ferry.nat.portRange}: ports the many-to-one NAT may allocate. */
  @Value.Default
  default PortRange natPortRange() {
    return PortRange.UNPRIVILEGED;
  }

  /** Why {@code name} is not a Linux interface name, or {@code null} when it is one. */
  static String deviceNameProblem(String name) {
    // Linux dev_valid_name(): 1..IFNAMSIZ-1 bytes, not "." or "..", no '/', ':' or whitespace.
    if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
      return "an interface name has 1 to 15 bytes (Linux IFNAMSIZ is 16 with the NUL)";
    }
    if (name.equals(".") || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c))) {
      return "an interface name cannot be '.' or '..' or contain '/', ':' or whitespace";
    }
    return null;
  }

  @Value.Check
  default void check() {
    String device = deviceNameProblem(tunnelDevice());
    if (device != null) {
      throw new IllegalStateException(device);
    }
    if (mtu() < MIN_MTU_IPV4 || mtu() > MAX_MTU) {
      throw new IllegalStateException("MTU must be " + MIN_MTU_IPV4 + ".." + MAX_MTU);
    }
    if (replayWindow() < MIN_REPLAY_WINDOW || replayWindow() > MAX_REPLAY_WINDOW) {
      throw new IllegalStateException("replay window must be 32..65536");
    }
    if (ikePort() == natTraversalPort()) {
      throw new IllegalStateException("IKE and NAT-T ports must differ");
    }
  }
}
