package dev.ferry.vpn.core.io;

import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpAddress;
import java.util.Objects;

/** One end of a UDP flow: an address and a port (0..65535). Immutable. */
public record UdpEndpoint(IpAddress address, int port) {

  public UdpEndpoint {
    Objects.requireNonNull(address, "address");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UDP port " + port + " is outside 0..65535");
    }
  }

  public static UdpEndpoint of(IpAddress address, int port) {
    return new UdpEndpoint(address, port);
  }

  /** Parses {@code 192.0.2.1:500} or {@code [2001:db8::1]:500}. */
  public static UdpEndpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new AddressFormatException(text, -1, "expected address:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new AddressFormatException(text, 0, "an IPv6 endpoint is written [address]:port");
    }
    String portText = text.substring(colon + 1);
    if (!portText.matches("[0-9]{1,5}")) {
      throw new AddressFormatException(text, colon + 1, "port must be a decimal number");
    }
    return new UdpEndpoint(IpAddress.parse(host), Integer.parseInt(portText));
  }

  @Override
  public String toString() {
    return address.family() == dev.ferry.vpn.core.net.IpFamily.IPV6
        ? "[" + address + "]:" + port
        : address + ":" + port;
  }
}
