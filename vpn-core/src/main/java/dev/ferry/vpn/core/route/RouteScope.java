package dev.ferry.vpn.core.route;

/**
 * How far a route's destination is ({@code rtm_scope}, 8 bits): {@code global} (0, reached through
 * a gateway), {@code link} (253, on an attached link), {@code host} (254, this machine).
 */
public record RouteScope(int value) {

  private static final NumberNames NAMES =
      new NumberNames("route scope", 255)
          .name(0, "global")
          .name(200, "site")
          .name(253, "link")
          .name(254, "host")
          .name(255, "nowhere");

  public static final RouteScope GLOBAL = new RouteScope(0);
  public static final RouteScope LINK = new RouteScope(253);
  public static final RouteScope HOST = new RouteScope(254);

  public RouteScope {
    NAMES.check(value);
  }

  /** Reads {@code global} (also {@code universe}), {@code link}, {@code host}, ... or a number. */
  public static RouteScope parse(String text) {
    return "universe".equals(text) ? GLOBAL : new RouteScope(NAMES.parse(text));
  }

  @Override
  public String toString() {
    return NAMES.format(value);
  }
}
