package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The cluster-wide settings of the route planner; one policy serves every node.
 *
 * @param cluster the cluster's own ranges, which remote subnets must not overlap
 * @param remoteSubnets the on-prem subnets as the cluster sees them (after {@code
 *     remoteSubnetNAT}); sorted, without duplicates
 * @param privateNetworks per family at most one prefix whose route names the private gateway
 *     (IBM classic: {@code 10.0.0.0/8})
 * @param nextHopOverride an explicit gateway and/or device instead of discovery, or null
 * @param metric the metric of planned routes; on IPv6, 0 means 1024 as the kernel stores it
 * @param table the table planned routes go into
 * @param owner the protocol number that marks planned routes as the planner's own
 * @param mtu the {@code mtu} of planned routes, or 0 for none
 * @param zones which nodes get routes
 * @param suggestSharedAddressSpace also suggest mapping ranges from 100.64.0.0/10 (RFC 6598)
 */
public record RoutePolicy(
    ClusterNetworks cluster,
    List<IpPrefix> remoteSubnets,
    List<IpPrefix> privateNetworks,
    NextHop nextHopOverride,
    long metric,
    RouteTableId table,
    RouteProtocol owner,
    int mtu,
    ZoneRouting zones,
    boolean suggestSharedAddressSpace) {

  /** IBM classic's private network: the DaemonSet takes the gateway from the route for it. */
  public static final IpPrefix IBM_PRIVATE_NETWORK = IpPrefix.parse("10.0.0.0/8");
  public static final long DEFAULT_METRIC = 100;

  public RoutePolicy {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(zones, "zones");
    remoteSubnets = List.copyOf(new TreeSet<>(remoteSubnets));
    privateNetworks = List.copyOf(new TreeSet<>(privateNetworks));
    for (IpPrefix remote : remoteSubnets) {
      if (remote.prefixLength() == 0) {
        throw new IllegalArgumentException(
            "remote subnet " + remote + " would take over the node's default route;"
                + " list the on-prem subnets instead");
      }
    }
    Map<IpFamily, IpPrefix> perFamily = new EnumMap<>(IpFamily.class);
    for (IpPrefix p : privateNetworks) {
      IpPrefix before = perFamily.put(p.family(), p);
      if (before != null) {
        throw new IllegalArgumentException(
            "private networks " + before + " and " + p + " are of the same family; give one per family");
      }
    }
    if (metric < 0 || metric > 0xffff_ffffL) {
      throw new IllegalArgumentException("metric " + metric + " is outside 0..4294967295");
    }
    if (owner.number() <= RouteProtocol.STATIC.number() || owner.isNamed()) {
      // Values up to RTPROT_STATIC (4) are the kernel's and the administrator's; named ones
      // belong to routing daemons. Taking either would make their routes look like ours.
      throw new IllegalArgumentException(
          "owner protocol " + owner + " is used by the kernel, administrators or a routing daemon;"
              + " choose an unnamed number between 5 and 255 (default "
              + RouteProtocol.FERRY_DEFAULT + ")");
    }
    if (mtu < 0 || (mtu > 0 && mtu < 68)) {
      // RFC 791: every IPv4 module must pass a 68-octet datagram without fragmenting it.
      throw new IllegalArgumentException("route mtu " + mtu + " must be 0 (unset) or at least 68");
    }
  }

  /** A policy with the defaults: private network 10.0.0.0/8, metric 100, table main, protocol 247. */
  public static Builder builder() {
    return new Builder();
  }

  /** The private network of {@code family}, or null. */
  public IpPrefix privateNetwork(IpFamily family) {
    for (IpPrefix p : privateNetworks) {
      if (p.family() == family) {
        return p;
      }
    }
    return null;
  }

  /** The metric a planned route of {@code family} is stored with. */
  public long metricFor(IpFamily family) {
    // Linux ip6_route_info_create: a metric of 0 becomes IP6_RT_PRIO_USER (1024).
    return family == IpFamily.IPV6 && metric == 0 ? 1024 : metric;
  }

  /** Collects the settings of a {@link RoutePolicy}; every setting has a default. */
  public static final class Builder {
    private ClusterNetworks cluster = ClusterNetworks.none();
    private final List<IpPrefix> remoteSubnets = new ArrayList<>();
    private List<IpPrefix> privateNetworks = List.of(IBM_PRIVATE_NETWORK);
    private NextHop nextHopOverride;
    private long metric = DEFAULT_METRIC;
    private RouteTableId table = RouteTableId.MAIN;
    private RouteProtocol owner = RouteProtocol.FERRY_DEFAULT;
    private int mtu;
    private ZoneRouting zones = ZoneRouting.allZones();
    private boolean suggestSharedAddressSpace;

    private Builder() {}

    public Builder cluster(ClusterNetworks value) {
      cluster = value;
      return this;
    }

    public Builder remoteSubnets(List<IpPrefix> value) {
      remoteSubnets.clear();
      remoteSubnets.addAll(value);
      return this;
    }

    public Builder privateNetworks(List<IpPrefix> value) {
      privateNetworks = List.copyOf(value);
      return this;
    }

    public Builder nextHopOverride(NextHop value) {
      nextHopOverride = value;
      return this;
    }

    public Builder metric(long value) {
      metric = value;
      return this;
    }

    public Builder table(RouteTableId value) {
      table = value;
      return this;
    }

    public Builder owner(RouteProtocol value) {
      owner = value;
      return this;
    }

    public Builder mtu(int value) {
      mtu = value;
      return this;
    }

    public Builder zones(ZoneRouting value) {
      zones = value;
      return this;
    }

    public Builder suggestSharedAddressSpace(boolean value) {
      suggestSharedAddressSpace = value;
      return this;
    }

    public RoutePolicy build() {
      return new RoutePolicy(cluster, remoteSubnets, privateNetworks, nextHopOverride, metric,
          table, owner, mtu, zones, suggestSharedAddressSpace);
    }
  }
}
