package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A node's routes (all tables, both families) as an immutable value, with the kernel's lookup and
 * a simulator that applies {@link RouteOperation}s the way {@code ip route} would.
 *
 * <p>Lookup follows the FIB rule inside one table: the longest matching prefix wins, then the
 * lowest metric. Policy routing rules are not modelled: {@link #lookup(IpAddress)} consults {@code
 * main} only, which is where replies to remote subnets are decided on the nodes this serves (the
 * {@code local} table only holds the node's own and broadcast addresses).
 */
public final class RouteTable {

  private static final RouteTable EMPTY = new RouteTable(List.of());
  private static final Comparator<Route> BY_METRIC = Comparator.comparingLong(Route::metric);

  private final List<Route> routes;
  /** Per table: destination to routes (metric order), and the prefix lengths in use, longest first. */
  private final Map<RouteTableId, TableIndex> index = new HashMap<>();

  private record TableIndex(Map<IpPrefix, List<Route>> byDestination, Map<IpFamily, int[]> lengths) {}

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
    Map<RouteTableId, Map<IpPrefix, List<Route>>> grouped = new HashMap<>();
    for (Route r : this.routes) {
      grouped.computeIfAbsent(r.table(), t -> new HashMap<>())
          .computeIfAbsent(r.destination(), d -> new ArrayList<>(2))
          .add(r);
    }
    grouped.forEach((table, byDestination) -> {
      Map<IpFamily, TreeSet<Integer>> lengths = new HashMap<>();
      byDestination.replaceAll((dst, list) -> {
        list.sort(BY_METRIC);
        lengths.computeIfAbsent(dst.family(), f -> new TreeSet<>(Comparator.reverseOrder()))
            .add(dst.prefixLength());
        return List.copyOf(list); // handed out by routesTo, so frozen here
      });
      Map<IpFamily, int[]> arrays = new HashMap<>();
      lengths.forEach((f, set) -> arrays.put(f, set.stream().mapToInt(Integer::intValue).toArray()));
      index.put(table, new TableIndex(byDestination, arrays));
    });
  }

  public static RouteTable empty() {
    return EMPTY;
  }

  public static RouteTable of(Collection<Route> routes) {
    return new RouteTable(new ArrayList<>(routes));
  }

  public static RouteTable of(Route... routes) {
    return new RouteTable(List.of(routes));
  }

  /**
   * Reads the routing tables of the network namespace this JVM runs in, by running {@code ip -j -4
   * route show table all} and {@code ip -j -6 route show table all}.
   *
   * @throws IOException when {@code ip} is missing, fails, times out or prints something unreadable
   */
  public static RouteTable readCurrent() throws IOException {
    return new IpRouteReader().read();
  }

  /** Every route, in the order given. */
  public List<Route> routes() {
    return routes;
  }

  public int size() {
    return routes.size();
  }

  /** The route the kernel would use for {@code address} in {@code main}. */
  public Optional<Route> lookup(IpAddress address) {
    return lookup(address, RouteTableId.MAIN);
  }

  /** The route the kernel would use for {@code address} in {@code table}: longest prefix, then lowest metric. */
  public Optional<Route> lookup(IpAddress address, RouteTableId table) {
    return covering(IpPrefix.host(address), table);
  }

  /**
   * The most specific route of {@code table} whose destination contains all of {@code prefix}
   * (lowest metric among equals): where the addresses of {@code prefix} go unless a more specific
   * route inside it ({@link #inside}) takes some of them.
   */
  public Optional<Route> covering(IpPrefix prefix, RouteTableId table) {
    return covering(prefix, table, r -> true);
  }

  /** Like {@link #covering(IpPrefix, RouteTableId)}, considering only the routes {@code eligible} accepts. */
  public Optional<Route> covering(IpPrefix prefix, RouteTableId table, Predicate<? super Route> eligible) {
    TableIndex t = index.get(table);
    if (t == null) {
      return Optional.empty();
    }
    int[] lengths = t.lengths().get(prefix.family());
    if (lengths == null) {
      return Optional.empty();
    }
    for (int length : lengths) {
      if (length > prefix.prefixLength()) {
        continue;
      }
      List<Route> hit = t.byDestination().get(IpPrefix.containing(prefix.network(), length));
      if (hit != null) {
        for (Route r : hit) {
          if (eligible.test(r)) {
            return Optional.of(r);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The routes of {@code table} for exactly {@code destination}, lowest metric first. */
  public List<Route> routesTo(IpPrefix destination, RouteTableId table) {
    TableIndex t = index.get(table);
    List<Route> hit = t == null ? null : t.byDestination().get(destination);
    return hit == null ? List.of() : hit;
  }

  /** The routes of {@code table} whose destination lies strictly inside {@code prefix}. */
  public List<Route> inside(IpPrefix prefix, RouteTableId table) {
    List<Route> out = new ArrayList<>();
    for (Route r : routes) {
      if (r.table().equals(table)
          && r.destination().prefixLength() > prefix.prefixLength()
          && prefix.contains(r.destination())) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Applies every operation of {@code plan}, in order, as the kernel would.
   *
   * @throws IllegalStateException for an add whose key is taken ({@code EEXIST}) or a delete that
   *     matches nothing ({@code ESRCH}); this table is unchanged either way
   */
  public RouteTable apply(RoutePlan plan) {
    return apply(plan.operations());
  }

  /** The table after one operation; see {@link #apply(RoutePlan)}. */
  public RouteTable apply(RouteOperation operation) {
    return apply(List.of(operation));
  }

  private RouteTable apply(List<RouteOperation> operations) {
    // Routes grouped by key, in order of first appearance; a replaced route keeps its place.
    Map<Route.Key, List<Route>> byKey = new LinkedHashMap<>();
    for (Route r : routes) {
      byKey.computeIfAbsent(r.key(), k -> new ArrayList<>(1)).add(r);
    }
    for (RouteOperation op : operations) {
      applyTo(byKey, op);
    }
    List<Route> next = new ArrayList<>(routes.size() + operations.size());
    byKey.values().forEach(next::addAll);
    return new RouteTable(next);
  }

  private static void applyTo(Map<Route.Key, List<Route>> byKey, RouteOperation op) {
    Route route = op.route();
    List<Route> same = byKey.get(route.key());
    boolean taken = same != null && !same.isEmpty();
    switch (op.kind()) {
      case ADD -> {
        if (taken) {
          throw new IllegalStateException(
              "cannot " + op + ": the route " + same.get(0) + " has the same table,"
                  + " destination and metric (RTNETLINK: File exists)");
        }
        byKey.put(route.key(), new ArrayList<>(List.of(route)));
      }
      case REPLACE -> {
        if (taken) {
          same.set(0, route);
        } else {
          byKey.put(route.key(), new ArrayList<>(List.of(route)));
        }
      }
      case DELETE -> {
        // fib_table_delete: besides the key, the protocol and next hop given must match.
        int match = -1;
        for (int i = 0; taken && i < same.size() && match < 0; i++) {
          Route r = same.get(i);
          if (r.protocol().equals(route.protocol()) && r.forwardsLike(route)) {
            match = i;
          }
        }
        if (match < 0) {
          throw new IllegalStateException(
              "cannot " + op + ": no such route (RTNETLINK: No such process)");
        }
        same.remove(match);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteTable other && routes.equals(other.routes);
  }

  @Override
  public int hashCode() {
    return routes.hashCode();
  }

  @Override
  public String toString() {
    return "RouteTable" + routes;
  }
}
