package dev.ferry.vpn.ike.transport;

import dev.ferry.vpn.core.net.IpAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where a transport listens: every address gets one socket on {@code ikePort} and one on {@code
 * natTraversalPort}. Port 0 asks for an ephemeral port (tests); the transport reports the real
 * ports in {@link IkeUdpTransport#localSockets()}.
 *
 * @param addresses local addresses to bind, IPv4 and/or IPv6, at least one, no duplicates
 * @param ikePort the IKE port, 500 by default (RFC 7296 section 2)
 * @param natTraversalPort the NAT-traversal port, 4500 by default (RFC 3948 section 2)
 */
public record IkeListenConfig(List<IpAddress> addresses, int ikePort, int natTraversalPort) {

  /** RFC 7296 section 2: IKE messages use UDP port 500. */
  public static final int DEFAULT_IKE_PORT = 500;

  /** RFC 3948 section 2 / RFC 7296 section 2.23: UDP-encapsulated IKE and ESP use port 4500. */
  public static final int DEFAULT_NAT_TRAVERSAL_PORT = 4500;

  public IkeListenConfig {
    Objects.requireNonNull(addresses, "addresses");
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses: at least one local address is needed");
    }
    if (new HashSet<>(addresses).size() != addresses.size()) {
      throw new IllegalArgumentException("addresses: " + addresses + " lists an address twice");
    }
    checkPort("ikePort", ikePort);
    checkPort("natTraversalPort", natTraversalPort);
    if (ikePort != 0 && ikePort == natTraversalPort) {
      throw new IllegalArgumentException(
          "ikePort and natTraversalPort are both " + ikePort + "; they must differ");
    }
  }

  /** Ports 500 and 4500 on the given addresses. */
  public static IkeListenConfig standard(IpAddress... addresses) {
    return new IkeListenConfig(List.of(addresses), DEFAULT_IKE_PORT, DEFAULT_NAT_TRAVERSAL_PORT);
  }

  /** Ephemeral ports on the given addresses (tests, several endpoints on one host). */
  public static IkeListenConfig ephemeral(IpAddress... addresses) {
    return new IkeListenConfig(List.of(addresses), 0, 0);
  }

  /** The configured port for sockets of {@code role} (0 for ephemeral). */
  public int port(PortRole role) {
    return role == PortRole.IKE ? ikePort : natTraversalPort;
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " " + port + " is outside 0..65535");
    }
  }
}
