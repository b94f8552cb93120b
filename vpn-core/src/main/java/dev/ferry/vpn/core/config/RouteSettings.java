package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.route.RouteProtocol;
import dev.ferry.vpn.core.route.RouteTableId;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** {@code ferry.routes.*}: how remote subnets are routed on the nodes. */
@Value.Immutable
public interface RouteSettings {
  /** The node's private network whose gateway reaches the VPN pod (seed 001's 10.0.0.0/8). */
  @Value.Default
  default IpPrefix privateNetwork() {
    return IpPrefix.parse("10.0.0.0/8");
  }

  @Value.Default
  default RouteTableId table() {
    return RouteTableId.MAIN;
  }

  OptionalLong metric();

  /** rtnetlink {@code rtm_protocol} (0..255) stamped on Ferry's routes so they can be found. */
  @Value.Default
  default RouteProtocol protocol() {
    return RouteProtocol.FERRY_DEFAULT;
  }
}
