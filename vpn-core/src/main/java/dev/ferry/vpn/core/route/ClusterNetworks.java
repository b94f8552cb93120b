package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges a cluster already uses, which remote subnets must not overlap.
 *
 * @param podNetworks the pod CIDR(s), e.g. IBM's 172.30.0.0/16
 * @param serviceNetworks the service CIDR(s), e.g. IBM's 172.21.0.0/16
 * @param nodeSubnets the subnets the worker nodes' own addresses come from
 * @param reservedRanges ranges the platform keeps for itself, never to be routed to a VPN (see
 *     {@link #IBM_CLASSIC_RESERVED})
 */
public record ClusterNetworks(
    List<IpPrefix> podNetworks,
    List<IpPrefix> serviceNetworks,
    List<IpPrefix> nodeSubnets,
    List<IpPrefix> reservedRanges) {

  /**
   * The ranges IBM Cloud Kubernetes Service (classic) keeps for control plane functionality; its
   * strongSwan chart README calls them prohibited as remote subnets.
   */
  public static final List<IpPrefix> IBM_CLASSIC_RESERVED =
      List.of(
          IpPrefix.parse("172.16.0.0/16"),
          IpPrefix.parse("172.18.0.0/16"),
          IpPrefix.parse("172.19.0.0/16"),
          IpPrefix.parse("172.20.0.0/16"));

  public ClusterNetworks {
    podNetworks = List.copyOf(podNetworks);
    serviceNetworks = List.copyOf(serviceNetworks);
    nodeSubnets = List.copyOf(nodeSubnets);
    reservedRanges = List.copyOf(reservedRanges);
  }

  /** A cluster with no known networks: nothing is checked for overlap. */
  public static ClusterNetworks none() {
    return new ClusterNetworks(List.of(), List.of(), List.of(), List.of());
  }

  /** Every range in one list: pods, services, nodes, reserved. */
  public List<IpPrefix> all() {
    List<IpPrefix> out = new ArrayList<>(
        podNetworks.size() + serviceNetworks.size() + nodeSubnets.size() + reservedRanges.size());
    out.addAll(podNetworks);
    out.addAll(serviceNetworks);
    out.addAll(nodeSubnets);
    out.addAll(reservedRanges);
    return out;
  }
}
