package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Objects;

/**
 * A finding of the route planner that an operator should see: why a remote subnet gets no route,
 * or why the route it gets may not be enough.
 *
 * @param kind what was found
 * @param severity how bad it is
 * @param subnet the remote subnet concerned, or null for a finding about the whole node
 * @param conflictsWith the cluster network, reserved range or existing route destination involved,
 *     or null
 * @param suggestedMapping for an overlap: a free prefix of the same length to map the remote
 *     subnet to with {@code remoteSubnetNAT}, or null when none is free
 * @param message a sentence for humans, naming the subnet and what to do
 */
public record Diagnostic(
    Kind kind,
    Severity severity,
    IpPrefix subnet,
    IpPrefix conflictsWith,
    IpPrefix suggestedMapping,
    String message) {

  /** How bad a finding is. */
  public enum Severity {
    /** Nothing wrong now; for the record. */
    INFO,
    /** Routing works partly or only by accident; an operator should look. */
    WARNING,
    /** The subnet cannot be routed as asked; traffic will fail. */
    ERROR
  }

  /** The kinds of finding. */
  public enum Kind {
    /** The remote subnet overlaps the pod network: no route; map it elsewhere. */
    REMOTE_OVERLAPS_POD_NETWORK,
    /** The remote subnet overlaps the service network: no route; map it elsewhere. */
    REMOTE_OVERLAPS_SERVICE_NETWORK,
    /** The remote subnet overlaps a node subnet: no route; map it elsewhere. */
    REMOTE_OVERLAPS_NODE_SUBNET,
    /** The remote subnet overlaps a reserved range (IBM classic 172.16/16, 172.18-20/16). */
    REMOTE_OVERLAPS_RESERVED,
    /** Replies to the subnet leave (or left) through the default route, where rp_filter drops them. */
    REMOTE_VIA_DEFAULT_ROUTE,
    /** A route the planner does not own sends the subnet, or part of it, elsewhere. */
    CONFLICTING_ROUTE,
    /** No route covers the private network, so the private gateway is unknown. */
    NO_PRIVATE_GATEWAY,
    /** Zone-specific routes are on and this node is not in a VPN zone: it gets no routes. */
    NODE_OUTSIDE_VPN_ZONE
  }

  public Diagnostic {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
    if (message.isBlank() || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
      // One line each: RoutePlan.toScriptLines prints them as shell comments.
      throw new IllegalArgumentException("diagnostic " + kind + " needs a one-line message");
    }
  }

  /** {@code WARNING CONFLICTING_ROUTE 192.168.1.0/24: ...} */
  @Override
  public String toString() {
    return severity + " " + kind + (subnet == null ? "" : " " + subnet) + ": " + message;
  }
}
