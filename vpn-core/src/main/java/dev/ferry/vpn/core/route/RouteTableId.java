package dev.ferry.vpn.core.route;

/**
 * A Linux routing table number (32 bits, unsigned). The kernel's policy rules consult {@link
 * #LOCAL} (255), then {@link #MAIN} (254), then {@link #DEFAULT} (253); plain {@code ip route}
 * commands work on {@code main}.
 */
public record RouteTableId(int id) {

  private static final NumberNames NAMES =
      new NumberNames("routing table", 0xffff_ffffL)
          .name(0, "unspec")
          .name(253, "default")
          .name(254, "main")
          .name(255, "local");

  public static final RouteTableId MAIN = new RouteTableId(254);
  public static final RouteTableId LOCAL = new RouteTableId(255);
  public static final RouteTableId DEFAULT = new RouteTableId(253);

  /** Reads {@code main}, {@code local}, {@code default}, {@code unspec} or a decimal number. */
  public static RouteTableId parse(String text) {
    return new RouteTableId(NAMES.parse(text));
  }

  public static RouteTableId of(long id) {
    return new RouteTableId(NAMES.check(id));
  }

  /** The iproute2 name, or the decimal number. */
  @Override
  public String toString() {
    return NAMES.format(id);
  }
}
