package dev.ferry.vpn.core.route;

import java.util.Locale;

/** The kernel's route types ({@code rtm_type}); only {@link #UNICAST} forwards to a next hop. */
public enum RouteType {
  UNICAST,
  LOCAL,
  BROADCAST,
  ANYCAST,
  MULTICAST,
  BLACKHOLE,
  UNREACHABLE,
  PROHIBIT,
  THROW,
  NAT;

  /** The word {@code ip} uses. */
  public String ipName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads the word {@code ip} prints ({@code unicast}, {@code local}, {@code blackhole}, ...). */
  public static RouteType parse(String text) {
    for (RouteType t : values()) {
      if (t.ipName().equals(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException("route type \"" + text + "\" is not one of unicast, local,"
        + " broadcast, anycast, multicast, blackhole, unreachable, prohibit, throw, nat");
  }
}
