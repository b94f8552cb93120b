package dev.ferry.vpn.core.config;

import dev.ferry.vpn.core.net.AddressFormatException;
import dev.ferry.vpn.core.net.IpAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The chart's {@code remote.gateway}: {@code %any} (accept the peer from anywhere; only for
 * {@code ipsec.auto=add}), an IP address, or a DNS host name resolved when connecting.
 */
public sealed interface RemoteGateway {

  /** {@code %any}: the cluster only responds. */
  record Any() implements RemoteGateway {
    @Override
    public String toString() {
      return "%any";
    }
  }

  /** A literal peer address. */
  record Address(IpAddress address) implements RemoteGateway {
    public Address {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** A host name (RFC 1123 labels), resolved when the tunnel is started. */
  record Hostname(String name) implements RemoteGateway {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public Hostname {
      Objects.requireNonNull(name, "name");
      name = name.toLowerCase(Locale.ROOT);
      String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      if (bare.isEmpty() || bare.length() > 253) {
        throw new IllegalArgumentException("a host name has 1 to 253 characters");
      }
      for (String label : bare.split("\\.", -1)) {
        if (!LABEL.matcher(label).matches()) {
          throw new IllegalArgumentException(
              "not an IP address, and '" + label + "' is not a valid host name label "
                  + "(letters, digits and '-', 1 to 63 characters, RFC 1123)");
        }
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** True when a peer address or name is known, so the cluster can initiate. */
  default boolean isConcrete() {
    return !(this instanceof Any);
  }

  /** Parses {@code %any}, an IPv4/IPv6 literal, or a host name. */
  static RemoteGateway parse(String text) {
    String s = Objects.requireNonNull(text, "text").strip();
    if (s.equals("%any") || s.equals("%any6")) {
      return new Any();
    }
    if (s.startsWith("%")) {
      throw new IllegalArgumentException("unknown placeholder; only %any is allowed here");
    }
    boolean looksNumeric = s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    if (looksNumeric) {
      try {
        return new Address(IpAddress.parse(s));
      } catch (AddressFormatException e) {
        throw new IllegalArgumentException(e.reason() + (e.position() >= 0 ? " (position " + e.position() + ")" : ""));
      }
    }
    return new Hostname(s);
  }
}
