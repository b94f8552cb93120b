package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpFamily;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of a Linux routing table, as {@code ip -j route} reports it and {@code ip route}
 * accepts it.
 *
 * <p>The kernel identifies a route by its table, destination, TOS and metric ({@code
 * fib_table_insert} treats an equal {@code (tos, priority)} pair under one prefix as the same
 * entry), so {@link #key()} is {@code (table, destination, metric)}; TOS is not modelled because
 * neither the planner nor the IBM DaemonSet uses it. A multipath route is held without a gateway
 * and device (its next hops are not modelled); the planner treats it as not leaving through the
 * private network.
 *
 * @param destination the prefix; {@code default} is {@code 0.0.0.0/0} or {@code ::/0}
 * @param gateway the next hop ({@code via}), or null for a directly attached destination
 * @param device the output interface ({@code dev}), or null when the kernel did not report one
 * @param metric the route priority, 0..2^32-1 (lower wins among equal prefixes)
 * @param table the table the route lives in
 * @param protocol who created the route ({@code proto})
 * @param scope the route scope
 * @param type the route type
 * @param preferredSource {@code src}, or null
 * @param mtu the {@code mtu} route metric, or 0 when unset
 * @param flags iproute2's flag words ({@code onlink}, {@code linkdown}, ...), sorted
 */
public record Route(
    IpPrefix destination,
    IpAddress gateway,
    String device,
    long metric,
    RouteTableId table,
    RouteProtocol protocol,
    RouteScope scope,
    RouteType type,
    IpAddress preferredSource,
    int mtu,
    Set<String> flags) {

  public Route {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(type, "type");
    if (metric < 0 || metric > 0xffff_ffffL) {
      throw new IllegalArgumentException(
          "route " + destination + ": metric " + metric + " is outside 0..4294967295");
    }
    if (mtu < 0) {
      throw new IllegalArgumentException("route " + destination + ": mtu " + mtu + " is negative");
    }
    if (gateway != null && gateway.family() != destination.family()) {
      // RFC 5549 (IPv4 over an IPv6 next hop) exists but iproute2 reports it as "via inet6";
      // it never appears on the nodes this planner serves, so mixed families are refused.
      throw new IllegalArgumentException(
          "route " + destination + ": gateway " + gateway + " is of another address family");
    }
    if (preferredSource != null && preferredSource.family() != destination.family()) {
      throw new IllegalArgumentException(
          "route " + destination + ": source " + preferredSource + " is of another address family");
    }
    if (device != null && !validDeviceName(device)) {
      throw new IllegalArgumentException(
          "route " + destination + ": \"" + device + "\" is not a Linux interface name"
              + " (1..15 characters, no '/', ':' or white space)");
    }
    flags = Collections.unmodifiableSortedSet(new TreeSet<>(flags == null ? Set.of() : flags));
  }

  /** Linux {@code dev_valid_name}: 1..15 bytes (IFNAMSIZ - 1), not "." or "..", no '/', ':' or space. */
  static boolean validDeviceName(String name) {
    if (name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == ':' || Character.isWhitespace(c) || c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** A unicast route in {@code main} with metric 0 and protocol {@code boot}, as plain {@code ip route add} makes. */
  public static Route unicast(IpPrefix destination, IpAddress gateway, String device) {
    return new Route(destination, gateway, device, 0, RouteTableId.MAIN, RouteProtocol.BOOT,
        gateway == null ? RouteScope.LINK : RouteScope.GLOBAL, RouteType.UNICAST, null, 0, Set.of());
  }

  /** What the kernel uses to tell routes apart: an add with an equal key fails, a replace overwrites. */
  public record Key(RouteTableId table, IpPrefix destination, long metric) {}

  public Key key() {
    return new Key(table, destination, metric);
  }

  public IpFamily family() {
    return destination.family();
  }

  /** True for {@code 0.0.0.0/0} and {@code ::/0}. */
  public boolean isDefault() {
    return destination.prefixLength() == 0;
  }

  public Route withMetric(long newMetric) {
    return new Route(destination, gateway, device, newMetric, table, protocol, scope, type,
        preferredSource, mtu, flags);
  }

  public Route withProtocol(RouteProtocol newProtocol) {
    return new Route(destination, gateway, device, metric, table, newProtocol, scope, type,
        preferredSource, mtu, flags);
  }

  public Route withTable(RouteTableId newTable) {
    return new Route(destination, gateway, device, metric, newTable, protocol, scope, type,
        preferredSource, mtu, flags);
  }

  /**
   * True when this route forwards like {@code other}: same type, gateway, device and MTU. Scope,
   * source and flags are not compared: the kernel derives them or changes them on its own
   * ({@code linkdown}).
   */
  public boolean forwardsLike(Route other) {
    return type == other.type
        && Objects.equals(gateway, other.gateway)
        && Objects.equals(device, other.device)
        && mtu == other.mtu;
  }

  /** The route in {@code ip route} syntax without the verb, e.g. {@code 10.0.0.0/8 via 10.1.1.1 dev eth0}. */
  public String toIpArguments() {
    StringBuilder sb = new StringBuilder(96);
    if (type != RouteType.UNICAST) {
      sb.append(type.ipName()).append(' ');
    }
    sb.append(isDefault() ? "default" : destination.toString());
    if (gateway != null) {
      sb.append(" via ").append(gateway);
    }
    if (device != null) {
      sb.append(" dev ").append(device);
    }
    if (!scope.equals(impliedScope())) {
      sb.append(" scope ").append(scope);
    }
    if (preferredSource != null) {
      sb.append(" src ").append(preferredSource);
    }
    sb.append(" metric ").append(metric);
    if (mtu != 0) {
      sb.append(" mtu ").append(mtu);
    }
    sb.append(" proto ").append(protocol);
    sb.append(" table ").append(table);
    if (flags.contains("onlink")) {
      sb.append(" onlink");
    }
    return sb.toString();
  }

  /** The scope {@code ip route add} picks when none is given (iproute2 {@code iproute_modify}). */
  private RouteScope impliedScope() {
    return switch (type) {
      case LOCAL, NAT -> RouteScope.HOST;
      case BROADCAST, MULTICAST, ANYCAST -> RouteScope.LINK;
      case UNICAST -> gateway == null ? RouteScope.LINK : RouteScope.GLOBAL;
      default -> RouteScope.GLOBAL;
    };
  }

  @Override
  public String toString() {
    return toIpArguments();
  }
}
