package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.net.IpPrefix;
import java.util.OptionalLong;
import org.immutables.value.Value;

/** {@code ferry.routes.*}: how remote subnets are routed on the nodes. */
@Value.Immutable
public interface RouteSettings {
  /** 247: an unregistered value in the rtnetlink protocol range that marks Ferry's routes. */
  int DEFAULT_PROTOCOL = 247;

  /** The node's private network whose gateway reaches the VPN pod (seed 001's 10.0.0.0/8). */
  @Value.Default
  default IpPrefix privateNetwork() {
    return IpPrefix.parse("10.0.0.0/8");
  }

  @Value.Default
  default RouteTable table() {
    return RouteTable.MAIN;
  }

  OptionalLong metric();

  /** rtnetlink {@code rtm_protocol} (0..255) stamped on Ferry's routes so they can be found. */
  @Value.Default
  default int protocol() {
    return DEFAULT_PROTOCOL;
  }
}
