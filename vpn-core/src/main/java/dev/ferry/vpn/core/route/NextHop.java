package dev.ferry.vpn.core.route;

import dev.ferry.vpn.core.net.IpAddress;

/**
 * Where routes to remote subnets point: the private network's gateway and interface.
 *
 * @param gateway the {@code via} address, or null to route straight out of {@code device}
 * @param device the interface, or null (only in an override) to take it from the route to {@code
 *     gateway}
 */
public record NextHop(IpAddress gateway, String device) {

  public NextHop {
    if (gateway == null && device == null) {
      throw new IllegalArgumentException("a next hop needs a gateway, a device, or both");
    }
    if (device != null && !Route.validDeviceName(device)) {
      throw new IllegalArgumentException("\"" + device + "\" is not a Linux interface name");
    }
  }

  @Override
  public String toString() {
    return (gateway == null ? "" : "via " + gateway + (device == null ? "" : " "))
        + (device == null ? "" : "dev " + device);
  }
}
