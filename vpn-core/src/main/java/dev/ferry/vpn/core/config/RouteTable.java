package dev.ferry.vpn.core.config;

import java.util.Locale;

/**
 * A Linux routing table: {@code main} (254), {@code local} (255), {@code default} (253) or a
 * number from 1 to 2^32-1 (rtnetlink's RTA_TABLE is 32 bits; 0 is "unspecified").
 */
public record RouteTable(long id) {

  public static final RouteTable MAIN = new RouteTable(254);

  public RouteTable {
    if (id < 1 || id > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("a routing table is 1 to 4294967295, not " + id);
    }
  }

  /** Parses {@code main}, {@code local}, {@code default} or a number. */
  public static RouteTable parse(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "main" -> MAIN;
      case "local" -> new RouteTable(255);
      case "default" -> new RouteTable(253);
      default -> {
        if (!s.matches("[0-9]{1,10}")) {
          throw new IllegalArgumentException("a routing table is main, local, default or a number");
        }
        yield new RouteTable(Long.parseLong(s));
      }
    };
  }

  @Override
  public String toString() {
    return id == 254 ? "main" : id == 255 ? "local" : id == 253 ? "default" : Long.toString(id);
  }
}
