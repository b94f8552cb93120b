package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.io.UdpEndpoint;
import java.util.Objects;

/**
 * One bound socket of a transport: its actual endpoint (real port even if 0 was asked) and role.
 */
public record LocalSocket(UdpEndpoint endpoint, PortRole role) {

  public LocalSocket {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(role, "role");
  }

  @Override
  public String toString() {
    return endpoint + (role == PortRole.IKE ? " (IKE)" : " (NAT-T)");
  }
}
