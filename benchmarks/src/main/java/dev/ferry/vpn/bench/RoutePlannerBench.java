package dev.ferry.vpn.bench;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import dev.ferry.vpn.core.net.Ipv4Address;
import dev.ferry.vpn.core.route.ClusterNetworks;
import dev.ferry.vpn.core.route.Route;
import dev.ferry.vpn.core.route.RoutePlan;
import dev.ferry.vpn.core.route.RoutePlanRequest;
import dev.ferry.vpn.core.route.RoutePlanner;
import dev.ferry.vpn.core.route.RoutePolicy;
import dev.ferry.vpn.core.route.RouteProtocol;
import dev.ferry.vpn.core.route.RouteScope;
import dev.ferry.vpn.core.route.RouteTable;
import dev.ferry.vpn.core.route.RouteTableId;
import dev.ferry.vpn.core.route.RouteType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Route planning for a cluster of 1,000 IBM-classic-like worker nodes (about 20 routes each:
 * public default route, private 10/8 route, connected subnets, Calico blocks and pod routes) and
 * 500 remote subnets, two of which overlap cluster ranges (so suggestions are computed too). One
 * benchmark operation plans every node once; divide by 1,000 for the time per node.
 *
 * <ul>
 *   <li>{@code planFreshCluster}: no routes of ours yet, every node gets 500 additions.
 *   <li>{@code replanConvergedCluster}: every node already has the planned routes (about 520 in
 *       its table); the plans are empty. This is the steady state of a reconciling DaemonSet.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RoutePlannerBench {

  private static final int NODES = 1_000;
  private static final int REMOTE_SUBNETS = 500;

  private final RoutePlanner planner = RoutePlanner.standard();
  private RoutePolicy policy;
  private List<RouteTable> freshTables;
  private List<RouteTable> convergedTables;

  @Setup
  public void setUp() {
    List<IpPrefix> remotes = new ArrayList<>();
    // 198.18.0.0/15 (RFC 2544 benchmarking space) cut into /24s, plus two overlapping subnets.
    for (int i = 0; remotes.size() < REMOTE_SUBNETS - 2; i++) {
      remotes.add(new IpPrefix(Ipv4Address.of(198, 18 + i / 256, i % 256, 0), 24));
    }
    remotes.add(IpPrefix.parse("172.30.8.0/24")); // inside the pod network
    remotes.add(IpPrefix.parse("172.16.5.0/24")); // inside an IBM reserved range
    policy = RoutePolicy.builder()
        .cluster(new ClusterNetworks(List.of(IpPrefix.parse("172.30.0.0/16")),
            List.of(IpPrefix.parse("172.21.0.0/16")), List.of(IpPrefix.parse("10.176.0.0/16")),
            ClusterNetworks.IBM_CLASSIC_RESERVED))
        .remoteSubnets(remotes)
        .build();
    freshTables = new ArrayList<>(NODES);
    convergedTables = new ArrayList<>(NODES);
    for (int n = 0; n < NODES; n++) {
      RouteTable table = nodeTable(n);
      freshTables.add(table);
      RoutePlan plan = planner.plan(new RoutePlanRequest(policy, "dal10", table));
      convergedTables.add(table.apply(plan));
    }
    RoutePlan steady = planner.plan(new RoutePlanRequest(policy, "dal10", convergedTables.get(0)));
    if (!steady.isEmpty()) {
      throw new IllegalStateException("converged tables must plan to nothing: " + steady.toIpCommands());
    }
  }

  /** About 20 routes shaped like an IBM classic worker's main and local tables. */
  private static RouteTable nodeTable(int n) {
    int subnet = n / 60; // 60 workers per private /26
    IpAddress privateGateway = Ipv4Address.of(10, 176, subnet / 4, (subnet % 4) * 64 + 1);
    IpAddress self = privateGateway.plus(2 + n % 60);
    IpPrefix privateSubnet = IpPrefix.containing(self, 26);
    IpAddress publicSelf = Ipv4Address.of(169, 61, 99, 12);
    List<Route> routes = new ArrayList<>();
    routes.add(Route.unicast(IpPrefix.parse("0.0.0.0/0"), IpAddress.parse("169.61.99.9"), "eth1"));
    routes.add(Route.unicast(IpPrefix.parse("10.0.0.0/8"), privateGateway, "eth0"));
    routes.add(Route.unicast(IpPrefix.parse("161.26.0.0/16"), privateGateway, "eth0"));
    routes.add(Route.unicast(IpPrefix.parse("166.8.0.0/14"), privateGateway, "eth0"));
    routes.add(kernel(privateSubnet, "eth0", self, RouteTableId.MAIN, RouteType.UNICAST));
    routes.add(kernel(IpPrefix.parse("169.61.99.8/29"), "eth1", publicSelf, RouteTableId.MAIN, RouteType.UNICAST));
    routes.add(kernel(IpPrefix.parse("172.17.0.0/16"), "docker0", IpAddress.parse("172.17.0.1"),
        RouteTableId.MAIN, RouteType.UNICAST));
    IpPrefix block = new IpPrefix(Ipv4Address.of(172, 30, n / 4, (n % 4) * 64), 26);
    routes.add(new Route(block, null, null, 0, RouteTableId.MAIN, RouteProtocol.parse("bird"),
        RouteScope.GLOBAL, RouteType.BLACKHOLE, null, 0, Set.of()));
    for (int pod = 1; pod <= 5; pod++) {
      routes.add(Route.unicast(IpPrefix.host(block.network().plus(pod)), null, "cali" + pod + "x" + n));
    }
    for (int peer = 1; peer <= 3; peer++) {
      int other = (n + peer) % NODES;
      IpPrefix otherBlock = new IpPrefix(Ipv4Address.of(172, 30, other / 4, (other % 4) * 64), 26);
      routes.add(new Route(otherBlock, privateGateway.plus(2 + other % 60), "tunl0", 0,
          RouteTableId.MAIN, RouteProtocol.parse("bird"), RouteScope.GLOBAL, RouteType.UNICAST,
          null, 0, Set.of("onlink")));
    }
    routes.add(kernel(IpPrefix.host(self), "eth0", self, RouteTableId.LOCAL, RouteType.LOCAL));
    routes.add(kernel(IpPrefix.host(privateSubnet.last()), "eth0", self, RouteTableId.LOCAL, RouteType.BROADCAST));
    routes.add(kernel(IpPrefix.host(publicSelf), "eth1", publicSelf, RouteTableId.LOCAL, RouteType.LOCAL));
    return RouteTable.of(routes);
  }

  private static Route kernel(IpPrefix dst, String dev, IpAddress src, RouteTableId table, RouteType type) {
    RouteScope scope = type == RouteType.LOCAL ? RouteScope.HOST : RouteScope.LINK;
    return new Route(dst, null, dev, 0, table, RouteProtocol.KERNEL, scope, type, src, 0, Set.of());
  }

  @Benchmark
  public void planFreshCluster(Blackhole bh) {
    for (RouteTable table : freshTables) {
      bh.consume(planner.plan(new RoutePlanRequest(policy, "dal10", table)));
    }
  }

  @Benchmark
  public void replanConvergedCluster(Blackhole bh) {
    for (RouteTable table : convergedTables) {
      bh.consume(planner.plan(new RoutePlanRequest(policy, "dal10", table)));
    }
  }
}
