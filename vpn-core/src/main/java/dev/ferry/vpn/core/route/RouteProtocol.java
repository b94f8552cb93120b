package dev.ferry.vpn.core.route;

/**
 * The originator of a route ({@code rtm_protocol}, 8 bits). The kernel stores values from {@link
 * #STATIC} upwards without interpreting them and reports them back unchanged ({@code
 * include/uapi/linux/rtnetlink.h}: "Values of protocol >= RTPROT_STATIC are not interpreted by
 * kernel"), which is why the planner marks its own routes with a private number. The names are
 * those of iproute2's {@code rt_protos} file.
 */
public record RouteProtocol(int number) {

  private static final NumberNames NAMES =
      new NumberNames("route protocol", 255)
          .name(0, "unspec")
          .name(1, "redirect")
          .name(2, "kernel")
          .name(3, "boot")
          .name(4, "static")
          .name(8, "gated")
          .name(9, "ra")
          .name(10, "mrt")
          .name(11, "zebra")
          .name(12, "bird")
          .name(13, "dnrouted")
          .name(14, "xorp")
          .name(15, "ntk")
          .name(16, "dhcp")
          .name(18, "keepalived")
          .name(42, "babel")
          .name(99, "openr")
          .name(186, "bgp")
          .name(187, "isis")
          .name(188, "ospf")
          .name(189, "rip")
          .name(192, "eigrp");

  /** Routes the kernel made itself (connected subnets, local addresses). */
  public static final RouteProtocol KERNEL = new RouteProtocol(2);
  /** {@code ip route add} without {@code proto}: iproute2 omits it from its output. */
  public static final RouteProtocol BOOT = new RouteProtocol(3);
  /** The first value the kernel leaves to user space. */
  public static final RouteProtocol STATIC = new RouteProtocol(4);
  public static final RouteProtocol DHCP = new RouteProtocol(16);
  /** The planner's default ownership marker: unassigned in {@code rt_protos} and in the kernel. */
  public static final RouteProtocol FERRY_DEFAULT = new RouteProtocol(247);

  public RouteProtocol {
    NAMES.check(number);
  }

  /** Reads a name ({@code kernel}, {@code boot}, {@code static}, ...) or a number 0..255. */
  public static RouteProtocol parse(String text) {
    return new RouteProtocol(NAMES.parse(text));
  }

  /** True when iproute2's rt_protos file names this number (kernel, boot, static, dhcp, bgp, ...). */
  public boolean isNamed() {
    return NAMES.isNamed(number);
  }

  /** The rt_protos name, or the decimal number. */
  @Override
  public String toString() {
    return NAMES.format(number);
  }
}
