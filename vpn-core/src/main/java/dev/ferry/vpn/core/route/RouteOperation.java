package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpFamily;
import java.util.Objects;

/**
 * One change to a node's routing table.
 *
 * @param kind what to do
 * @param route the route to add, the new content for its key, or the exact route to delete
 */
public record RouteOperation(Kind kind, Route route) {

  /** The three {@code ip route} verbs the planner uses. */
  public enum Kind {
    /** {@code ip route add}: fails when a route with the same key exists. */
    ADD("add"),
    /** {@code ip route replace}: overwrites the route with the same key, or adds it. */
    REPLACE("replace"),
    /** {@code ip route del}: removes the route matching every attribute given. */
    DELETE("del");

    private final String verb;

    Kind(String verb) {
      this.verb = verb;
    }

    /** The {@code ip route} verb. */
    public String verb() {
      return verb;
    }
  }

  public RouteOperation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(route, "route");
  }

  public static RouteOperation add(Route route) {
    return new RouteOperation(Kind.ADD, route);
  }

  public static RouteOperation replace(Route route) {
    return new RouteOperation(Kind.REPLACE, route);
  }

  public static RouteOperation delete(Route route) {
    return new RouteOperation(Kind.DELETE, route);
  }

  /**
   * The shell command, e.g. {@code ip route add 192.168.0.0/24 via 10.176.1.1 dev eth0 metric 100
   * proto 247 table main}; IPv6 routes use {@code ip -6 route} so that {@code default} means
   * {@code ::/0}.
   */
  public String toIpCommand() {
    return (route.family() == IpFamily.IPV6 ? "ip -6 route " : "ip route ")
        + kind.verb() + ' ' + route.toIpArguments();
  }

  @Override
  public String toString() {
    return toIpCommand();
  }
}
