package dev.ferry.vpn.esp.io;

import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpAddress;
import dev.ferry.vpn.core.net.IpPrefix;
import java.util.Objects;

/**
 * An address assigned to an interface, with the length of its on-link prefix: {@code
 * 10.250.0.1/24}. Unlike {@link IpPrefix} the host bits are the point. Immutable.
 */
public record TunAddress(IpAddress address, int prefixLength) {

  public TunAddress {
    Objects.requireNonNull(address, "address");
    if (prefixLength < 0 || prefixLength > address.bitLength()) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " of " + address + " is outside 0.."
              + address.bitLength());
    }
  }

  /** Parses {@code address/length}; a bare address gets a host prefix (/32 or /128). */
  public static TunAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.indexOf('/');
    if (slash < 0) {
      IpAddress address = IpAddress.parse(text);
      return new TunAddress(address, address.bitLength());
    }
    IpAddress address = IpAddress.parse(text.substring(0, slash));
    String lengthText = text.substring(slash + 1);
    if (!lengthText.matches("[0-9]{1,3}")) {
      throw new AddressFormatException(text, slash + 1, "prefix length must be a decimal number");
    }
    int length = Integer.parseInt(lengthText);
    if (length > address.bitLength()) {
      throw new AddressFormatException(
          text, slash + 1, "prefix length " + length + " is greater than " + address.bitLength());
    }
    return new TunAddress(address, length);
  }

  /** The on-link network this address sits in. */
  public IpPrefix network() {
    return IpPrefix.containing(address, prefixLength);
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
